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

use crate::error::{Error, TransportErrorKind};

mod body;
pub use body::UploadBody;
pub(crate) use body::{BodyStream, RequestBody};

#[cfg(feature = "async")]
pub(crate) mod reqwest_backend;

#[cfg(feature = "blocking")]
pub(crate) mod ureq_backend;

/// Settings the backends are built from.
#[derive(Clone, Debug)]
pub(crate) struct TransportConfig {
    pub connect_timeout: Duration,
    /// The client-wide request timeout (backends may preconfigure it).
    pub request_timeout: Duration,
    pub max_response_bytes: u64,
    pub user_agent: String,
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

/// Why an exchange produced no answer.
#[derive(Debug)]
pub(crate) enum TransportFailure {
    Timeout,
    Failed {
        kind: TransportErrorKind,
        message: String,
    },
    /// A streamed body built for the other client; nothing was sent.
    #[allow(dead_code)] // only built when both modes are on
    OtherModeBody {
        built_by: &'static str,
        sent_by: &'static str,
    },
}

impl TransportFailure {
    pub(crate) fn body_too_large(limit: u64) -> Self {
        TransportFailure::Failed {
            kind: TransportErrorKind::BodyTooLarge,
            message: format!("response body exceeds the {limit}-byte cap (max_response_bytes)"),
        }
    }

    /// Whether a retry-safe request may be sent again after this failure.
    pub(crate) fn is_retryable(&self) -> bool {
        matches!(
            self,
            TransportFailure::Timeout
                | TransportFailure::Failed {
                    kind: TransportErrorKind::Connect,
                    ..
                }
        )
    }

    /// The public error of this failure.
    pub(crate) fn into_error(self, request_id: String) -> Error {
        match self {
            TransportFailure::Timeout => Error::Timeout { request_id },
            TransportFailure::Failed { kind, message } => Error::Transport {
                kind,
                message,
                request_id,
            },
            TransportFailure::OtherModeBody { built_by, sent_by } => Error::invalid(
                "body",
                format!("a body built with {built_by} cannot be sent by the {sent_by} client"),
            ),
        }
    }
}
