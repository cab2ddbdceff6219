//! Async backend: reqwest on tokio. One `reqwest::Client` (and its pool) per `LunaClient`.
//!
//! Timeouts: the request timeout is reqwest's per-request timeout, one deadline from connecting
//! to the end of the body (streamed bodies included).

use std::future::Future;

use bytes::{Bytes, BytesMut};

use super::{
    is_closed, HttpRequest, HttpResponse, RequestBody, ResponseBody, TransportConfig,
    TransportFailure,
};
use crate::error::{Error, Result, TransportErrorKind};

#[derive(Clone, Debug)]
pub(crate) struct Backend {
    client: reqwest::Client,
    max_body: u64,
    /// The timeout the client was built with.
    default_timeout: std::time::Duration,
}

impl Backend {
    pub(crate) fn new(config: &TransportConfig) -> Result<Self> {
        let builder = reqwest::Client::builder();
        // reqwest is built without a bundled crypto provider: it gets a rustls configuration
        // built with an explicit one (nothing is installed process-wide).
        #[cfg(feature = "rustls")]
        let builder = builder.tls_backend_preconfigured(
            rustls::ClientConfig::clone(&*config.roots.rustls_config(&[b"h2", b"http/1.1"])?),
        );
        #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
        let builder = if config.roots.is_default() {
            builder
        } else {
            builder.tls_certs_only(
                config
                    .roots
                    .0
                    .iter()
                    .map(|der| reqwest::Certificate::from_der(der))
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .map_err(|e| Error::Config(format!("root certificate: {e}")))?,
            )
        };
        let client = builder
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            // Redirects are never followed (they become `Error::Redirect`).
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(config.max_idle_per_host)
            .user_agent(config.user_agent.clone())
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Backend {
            client,
            max_body: config.max_response_bytes,
            default_timeout: config.request_timeout,
        })
    }

    /// Sends `request` with `body` (the request's own, or a copy of it for a retry); the
    /// answer's body is read whole unless `streaming`.
    ///
    /// An async block rather than an `async fn`, which would keep the body twice in its future
    /// (the argument and its binding).
    #[allow(clippy::manual_async_fn)]
    pub(crate) fn send<'a>(
        &'a self,
        request: &'a mut HttpRequest,
        body: Option<RequestBody>,
        streaming: bool,
    ) -> impl Future<Output = std::result::Result<HttpResponse<ResponseStream>, TransportFailure>>
           + Send
           + 'a {
        async move {
            let limit = request.max_response_bytes.unwrap_or(self.max_body);
            // The request and the response head are taken apart inside blocks: a local that was
            // borrowed stays in the future (for the whole call) until its block ends, even once
            // moved away.
            let pending = {
                // The request is built whole (reqwest's builder would hash every header in again).
                let url = reqwest::Url::parse(request.url.as_str())
                    .map_err(|e| TransportFailure::caused_by(TransportErrorKind::Other, e))?;
                let mut http = reqwest::Request::new(request.method.clone(), url);
                // The request's own headers for its only attempt, else a copy (names and values
                // are shared: reference-counted or static).
                *http.headers_mut() = request.attempt_headers();
                // The client's own timeout applies unless the request has another.
                if request.timeout != self.default_timeout {
                    *http.timeout_mut() = Some(request.timeout);
                }
                *http.body_mut() = match body {
                    // `reqwest::Body::from(Bytes)` keeps the caller's buffer: no copy.
                    Some(RequestBody::Bytes(body)) => Some(body.into()),
                    // The parts as a stream of the caller's buffers (sent with their `Content-Length`).
                    Some(RequestBody::Parts(chunks)) => {
                        let chunks = chunks.into_iter().map(Ok::<Bytes, std::io::Error>);
                        Some(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
                    }
                    Some(RequestBody::Stream(stream)) => {
                        Some(reqwest::Body::wrap_stream(stream.source.into_stream()?))
                    }
                    None => None,
                };
                self.client.execute(http)
            };
            let response = pending.await.map_err(classify)?;
            let (status, headers, stream) = {
                let mut response = response;
                let status = response.status();
                let headers = std::mem::take(response.headers_mut());
                // An error answer over the cap is cut at the cap (it still tells the status).
                let truncate = !status.is_success();
                if !truncate && response.content_length().is_some_and(|n| n > limit) {
                    return Err(TransportFailure::body_too_large(limit));
                }
                let stream = ResponseStream {
                    response,
                    limit,
                    read: 0,
                    truncate,
                };
                (status, headers, stream)
            };
            let body = if streaming {
                ResponseBody::Streaming(stream)
            } else {
                ResponseBody::Complete(stream.collect().await?)
            };
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        }
    }
}

impl ResponseBody<ResponseStream> {
    /// The whole body, under the request's cap.
    pub(crate) async fn into_bytes(self) -> std::result::Result<Bytes, TransportFailure> {
        match self {
            ResponseBody::Complete(bytes) => Ok(bytes),
            ResponseBody::Streaming(stream) => stream.collect().await,
        }
    }
}

/// A response body still on the wire, read chunk by chunk under the cap.
pub(crate) struct ResponseStream {
    response: reqwest::Response,
    limit: u64,
    read: u64,
    /// Whether a body over the cap ends at the cap instead of failing.
    truncate: bool,
}

impl ResponseStream {
    /// The next chunk, `None` at the end.
    pub(crate) async fn next_chunk(
        &mut self,
    ) -> std::result::Result<Option<Bytes>, TransportFailure> {
        if self.truncate && self.read >= self.limit {
            return Ok(None);
        }
        match self.response.chunk().await.map_err(classify)? {
            Some(mut chunk) => {
                let room = self.limit - self.read;
                if chunk.len() as u64 > room {
                    if !self.truncate {
                        return Err(TransportFailure::body_too_large(self.limit));
                    }
                    chunk.truncate(room as usize);
                }
                self.read += chunk.len() as u64;
                Ok(Some(chunk))
            }
            None => Ok(None),
        }
    }

    /// Reads the rest of the body; a single-chunk body is kept as is (no copy), a longer one is
    /// joined in one buffer of the announced length (bounded by the cap).
    ///
    /// An async block over `self` rather than an `async fn`: the latter would keep the stream
    /// twice in its future (the argument and its binding).
    #[allow(clippy::manual_async_fn)]
    pub(crate) fn collect(
        mut self,
    ) -> impl Future<Output = std::result::Result<Bytes, TransportFailure>> + Send {
        async move {
            let announced = self
                .response
                .content_length()
                .map_or(0, |len| len.min(self.limit) as usize);
            let mut first: Option<Bytes> = None;
            let mut joined: Option<BytesMut> = None;
            while let Some(chunk) = self.next_chunk().await? {
                match (&mut first, &mut joined) {
                    (None, _) => first = Some(chunk),
                    (Some(head), None) => {
                        let mut buf =
                            BytesMut::with_capacity(announced.max(head.len() + chunk.len()));
                        buf.extend_from_slice(head);
                        buf.extend_from_slice(&chunk);
                        joined = Some(buf);
                    }
                    (Some(_), Some(buf)) => buf.extend_from_slice(&chunk),
                }
            }
            Ok(match (joined, first) {
                (Some(buf), _) => buf.freeze(),
                (None, Some(single)) => single,
                (None, None) => Bytes::new(),
            })
        }
    }
}

/// Whether the connection was closed before the answer's head (hyper's "incomplete message",
/// or a reset) while sending the request; errors reading a body are not.
fn closed_before_answer(error: &reqwest::Error) -> bool {
    if !error.is_request() {
        return false;
    }
    let mut cause = std::error::Error::source(error);
    while let Some(current) = cause {
        if let Some(hyper) = current.downcast_ref::<hyper::Error>() {
            if hyper.is_incomplete_message() {
                return true;
            }
        }
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            if is_closed(io) {
                return true;
            }
        }
        cause = current.source();
    }
    false
}

fn classify(error: reqwest::Error) -> TransportFailure {
    if error.is_timeout() {
        return TransportFailure::Timeout;
    }
    let kind = if error.is_connect() {
        TransportErrorKind::Connect
    } else if closed_before_answer(&error) {
        TransportErrorKind::Closed
    } else {
        TransportErrorKind::Other
    };
    // reqwest's Display names the URL with its query (values may be credentials): the URL is
    // left out here and the error names the request itself.
    TransportFailure::caused_by(kind, error.without_url())
}
