//! The only code that knows the HTTP backends: one request type in, one response type out.
//!
//! * the async client (feature `async`): [`reqwest`] on tokio (`reqwest_backend.rs`);
//! * the blocking client (feature `blocking`): [`ureq`] (`ureq_backend.rs`).
//!
//! Both backends compile in the same build when both features are on; each client picks its
//! own (the `transport` module of `src/nonblocking/` and `src/blocking/`).
//!
//! Both keep a connection pool for the lifetime of the client, cap response bodies at
//! `max_response_bytes`, and report timeouts and connect failures apart from other failures.
//! Request bodies are shared [`Bytes`] or a stream ([`UploadBody`]); a response body is read
//! whole or handed out as a stream (the mode's `ByteStream`).

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use url::Url;

use crate::error::{BoxError, Error, TransportErrorKind};

mod body;
pub use body::UploadBody;
pub(crate) use body::{BodyStream, RequestBody};
mod tls;
pub(crate) use tls::TlsRoots;

#[cfg(feature = "async")]
pub(crate) mod reqwest_backend;

#[cfg(feature = "blocking")]
pub(crate) mod ureq_backend;
#[cfg(feature = "blocking")]
mod ureq_resolver;

/// Settings the backends are built from.
#[derive(Clone, Debug)]
pub(crate) struct TransportConfig {
    pub connect_timeout: Duration,
    /// The client-wide request timeout (backends may preconfigure it).
    pub request_timeout: Duration,
    pub max_response_bytes: u64,
    pub user_agent: String,
    /// Idle connections kept per host (both backends).
    pub max_idle_per_host: usize,
    /// Trusted roots (the backend's defaults when empty).
    pub roots: TlsRoots,
}

/// One fully prepared HTTP exchange.
#[derive(Debug)]
pub(crate) struct HttpRequest {
    pub method: Method,
    pub url: Url,
    pub headers: HeaderMap,
    pub body: Option<RequestBody>,
    pub timeout: Duration,
    /// Response body cap of this request (the client's when `None`).
    pub max_response_bytes: Option<u64>,
}

impl HttpRequest {
    /// Whether the request can be sent again (a streamed body cannot).
    pub(crate) fn is_replayable(&self) -> bool {
        !matches!(self.body, Some(RequestBody::Stream(_)))
    }

    /// A copy for another attempt (cheap: the body bytes are shared, never copied); `None`
    /// for a streamed body.
    pub(crate) fn try_clone(&self) -> Option<HttpRequest> {
        let body = match &self.body {
            Some(body) => Some(body.try_clone()?),
            None => None,
        };
        Some(HttpRequest {
            method: self.method.clone(),
            url: self.url.clone(),
            headers: self.headers.clone(),
            body,
            timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
        })
    }
}

/// An answer, whatever its status; `S` is the backend's body still on the wire.
#[derive(Debug)]
pub(crate) struct HttpResponse<S> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: ResponseBody<S>,
}

/// A response body: read whole, or still on the wire (`S`, the backend's stream).
pub(crate) enum ResponseBody<S> {
    Complete(Bytes),
    Streaming(S),
}

impl<S> std::fmt::Debug for ResponseBody<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResponseBody::Complete(bytes) => write!(f, "Complete({} bytes)", bytes.len()),
            ResponseBody::Streaming(_) => f.write_str("Streaming"),
        }
    }
}

/// A URL as errors and logs show it: no credentials and no query (query values may be
/// credentials or personal data).
pub(crate) fn shown_url(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.into()
}

/// Whether an I/O error before the answer means the peer closed the connection.
pub(crate) fn is_closed(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        error.kind(),
        UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe
    )
}

/// Why an exchange produced no answer.
#[derive(Debug)]
pub(crate) enum TransportFailure {
    Timeout,
    Failed {
        kind: TransportErrorKind,
        /// The root cause, worded by the OS or the TLS library (the same in both modes).
        message: String,
        source: Option<BoxError>,
    },
    /// A streamed body built for the other client; nothing was sent.
    #[allow(dead_code)] // only built when both modes are on
    OtherModeBody {
        built_by: &'static str,
        sent_by: &'static str,
    },
}

impl TransportFailure {
    /// A failure caused by `error`: its root cause is the message, `error` the source.
    pub(crate) fn caused_by(
        kind: TransportErrorKind,
        error: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        let mut root: &(dyn std::error::Error + 'static) = &error;
        while let Some(cause) = root.source() {
            root = cause;
        }
        TransportFailure::Failed {
            kind,
            message: root.to_string(),
            source: Some(Box::new(error)),
        }
    }

    pub(crate) fn body_too_large(limit: u64) -> Self {
        TransportFailure::Failed {
            kind: TransportErrorKind::BodyTooLarge,
            message: format!("response body exceeds the {limit}-byte cap (max_response_bytes)"),
            source: None,
        }
    }

    /// Whether a retry-safe request may be sent again after this failure.
    pub(crate) fn is_retryable(&self) -> bool {
        matches!(
            self,
            TransportFailure::Timeout
                | TransportFailure::Failed {
                    kind: TransportErrorKind::Connect | TransportErrorKind::Closed,
                    ..
                }
        )
    }

    /// The public error of this failure of `request` (`<service> <METHOD> <url>`).
    pub(crate) fn into_error(self, request_id: String, request: &str) -> Error {
        match self {
            TransportFailure::Timeout => Error::Timeout {
                request_id,
                request: request.to_owned(),
            },
            TransportFailure::Failed {
                kind,
                message,
                source,
            } => Error::Transport {
                kind,
                message: format!("{request}: {message}"),
                request_id,
                source,
            },
            TransportFailure::OtherModeBody { built_by, sent_by } => Error::invalid(
                "body",
                format!("a body built with {built_by} cannot be sent by the {sent_by} client"),
            ),
        }
    }
}
