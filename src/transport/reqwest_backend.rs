//! Async backend: reqwest on tokio. One `reqwest::Client` (and its pool) per `LunaClient`.
//!
//! Timeouts: the request timeout is reqwest's per-request timeout, one deadline from connecting
//! to the end of the body (streamed bodies included).

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt as _};

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
    /// The request is built before the returned future (which is awaited at once): the
    /// future then holds reqwest's pending request only, not the body and the request it was
    /// built from (a future keeps room for everything it captures, for its whole life).
    pub(crate) fn send<'a>(
        &'a self,
        request: &'a mut HttpRequest,
        body: Option<RequestBody>,
        streaming: bool,
    ) -> impl Future<Output = std::result::Result<HttpResponse<ResponseStream>, TransportFailure>>
           + Send
           + 'a {
        let limit = request.max_response_bytes.unwrap_or(self.max_body);
        // A failure to build the request is boxed: it is rare, and the future holds it until
        // its first poll.
        let pending = self.execute(request, body).map_err(Box::new);
        async move {
            let response = pending.map_err(|failure| *failure)?.await.map_err(classify)?;
            // The response head is taken apart inside a block: a local that was borrowed stays
            // in the future (for the whole call) until its block ends, even once moved away.
            let (status, headers, body) = {
                let mut response = response;
                let status = response.status();
                let headers = std::mem::take(response.headers_mut());
                // An error answer over the cap is cut at the cap (it still tells the status).
                let truncate = !status.is_success();
                let announced = response.content_length();
                if !truncate && announced.is_some_and(|n| n > limit) {
                    return Err(TransportFailure::body_too_large(limit));
                }
                let body = CappedBody {
                    // The body alone (with reqwest's deadline): the rest of the response, an
                    // emptied header map among it, is dropped here.
                    chunks: response.bytes_stream(),
                    limit,
                    read: 0,
                    truncate,
                    announced: announced.map_or(0, |len| len.min(limit) as usize),
                };
                (status, headers, body)
            };
            let body = if streaming {
                ResponseBody::Streaming(body.boxed())
            } else {
                ResponseBody::Complete(body.collect().await?)
            };
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        }
    }

    /// reqwest's pending request for `request` with `body`.
    fn execute(
        &self,
        request: &mut HttpRequest,
        body: Option<RequestBody>,
    ) -> std::result::Result<
        impl Future<Output = reqwest::Result<reqwest::Response>> + Send,
        TransportFailure,
    > {
        // The request is built whole (reqwest's builder would hash every header in again).
        let url = reqwest::Url::parse(request.url.as_str())
            .map_err(|e| TransportFailure::caused_by(TransportErrorKind::Other, e))?;
        let mut http = reqwest::Request::new(request.method.clone(), url);
        // The request's own headers for its only attempt, else a copy (names and values are
        // shared: reference-counted or static).
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
        Ok(self.client.execute(http))
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

/// The chunks of a response body, as reqwest reads them (its deadline included).
type BoxedChunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send + Sync>>;

/// A response body still on the wire, handed out by the transport (`ByteStream`).
pub(crate) type ResponseStream = CappedBody<BoxedChunks>;

/// A response body still on the wire, read chunk by chunk under the cap. `S` is reqwest's
/// body stream: its own (unnamed) type while the transport reads the body whole (nothing to
/// allocate), boxed when the body is handed out.
pub(crate) struct CappedBody<S> {
    chunks: S,
    limit: u64,
    read: u64,
    /// Whether a body over the cap ends at the cap instead of failing.
    truncate: bool,
    /// The announced length (bounded by the cap), 0 when unknown.
    announced: usize,
}

impl<S> CappedBody<S>
where
    S: Stream<Item = reqwest::Result<Bytes>> + Unpin + Send + Sync + 'static,
{
    /// The same body with its stream boxed (a type to name).
    fn boxed(self) -> ResponseStream {
        CappedBody {
            chunks: Box::pin(self.chunks),
            limit: self.limit,
            read: self.read,
            truncate: self.truncate,
            announced: self.announced,
        }
    }
}

impl<S> CappedBody<S>
where
    S: Stream<Item = reqwest::Result<Bytes>> + Unpin,
{
    /// The next chunk, `None` at the end.
    pub(crate) fn next_chunk(
        &mut self,
    ) -> impl Future<Output = std::result::Result<Option<Bytes>, TransportFailure>> + '_ {
        std::future::poll_fn(|cx| self.poll_chunk(cx))
    }

    fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<std::result::Result<Option<Bytes>, TransportFailure>> {
        if self.truncate && self.read >= self.limit {
            return Poll::Ready(Ok(None));
        }
        Poll::Ready(match ready!(self.chunks.poll_next_unpin(cx)) {
            Some(Ok(mut chunk)) => {
                let room = self.limit - self.read;
                if chunk.len() as u64 > room {
                    if !self.truncate {
                        return Poll::Ready(Err(TransportFailure::body_too_large(self.limit)));
                    }
                    chunk.truncate(room as usize);
                }
                self.read += chunk.len() as u64;
                Ok(Some(chunk))
            }
            Some(Err(error)) => Err(classify(error)),
            None => Ok(None),
        })
    }

    /// Reads the rest of the body; a single-chunk body is kept as is (no copy), a longer one is
    /// joined in one buffer of the announced length (bounded by the cap).
    ///
    /// Polled by hand: the future is the body and what is read so far, nothing more.
    pub(crate) fn collect(
        mut self,
    ) -> impl Future<Output = std::result::Result<Bytes, TransportFailure>> {
        let mut read = Read::Nothing;
        std::future::poll_fn(move |cx| loop {
            let Some(chunk) = ready!(self.poll_chunk(cx))? else {
                return Poll::Ready(Ok(match std::mem::replace(&mut read, Read::Nothing) {
                    Read::Nothing => Bytes::new(),
                    Read::One(single) => single,
                    Read::Joined(buf) => buf.freeze(),
                }));
            };
            read = match std::mem::replace(&mut read, Read::Nothing) {
                Read::Nothing => Read::One(chunk),
                Read::One(head) => {
                    let mut buf =
                        BytesMut::with_capacity(self.announced.max(head.len() + chunk.len()));
                    buf.extend_from_slice(&head);
                    buf.extend_from_slice(&chunk);
                    Read::Joined(buf)
                }
                Read::Joined(mut buf) => {
                    buf.extend_from_slice(&chunk);
                    Read::Joined(buf)
                }
            };
        })
    }
}

/// What [`CappedBody::collect`] has read so far.
enum Read {
    Nothing,
    /// The first chunk, kept as is while it is the only one.
    One(Bytes),
    Joined(BytesMut),
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
