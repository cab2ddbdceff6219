//! Request and response bodies that are not a single buffer: [`UploadBody`] (bytes shared
//! without copying, or a stream read while sending) and [`ByteStream`] (a response body read
//! incrementally). The mode-specific halves are the small `cfg` pairs below.

use std::fmt;

use bytes::Bytes;

use super::ResponseStream;
use crate::error::Result;

/// The body of an upload: caller-owned bytes sent as they are (never copied by this crate), or
/// a stream read while the request is sent (for large images and objects).
///
/// Built from [`Bytes`], `Vec<u8>`, `&'static [u8]`, `String` or `&'static str` (all without
/// copying), from a reader in blocking builds (`UploadBody::from_reader`), or from a
/// `Stream` / `AsyncRead` in async builds (`UploadBody::from_stream`,
/// `UploadBody::from_async_read`). A streamed body is sent with chunked transfer encoding and
/// is never retried (it cannot be replayed).
pub struct UploadBody {
    pub(crate) repr: RequestBody,
}

/// What the transport sends.
pub(crate) enum RequestBody {
    Bytes(Bytes),
    Stream(BodyStream),
}

impl RequestBody {
    /// A copy for another attempt: shares the bytes; `None` for a stream.
    pub(crate) fn try_clone(&self) -> Option<RequestBody> {
        match self {
            RequestBody::Bytes(bytes) => Some(RequestBody::Bytes(bytes.clone())),
            RequestBody::Stream(_) => None,
        }
    }
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestBody::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            RequestBody::Stream(_) => f.write_str("Stream"),
        }
    }
}

impl fmt::Debug for UploadBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UploadBody::{:?}", self.repr)
    }
}

impl UploadBody {
    /// The bytes of a non-streamed body.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.repr {
            RequestBody::Bytes(bytes) => Some(bytes),
            RequestBody::Stream(_) => None,
        }
    }

    /// Whether the body is read from a stream while sending.
    pub fn is_streamed(&self) -> bool {
        matches!(self.repr, RequestBody::Stream(_))
    }

    /// Declares the exact length of a streamed body: it is then sent with `Content-Length`
    /// instead of chunked transfer encoding (for servers that want the size up front). The
    /// stream must yield exactly `len` bytes, or the request fails. No effect on a body of
    /// bytes, whose length is always sent.
    pub fn with_length(mut self, len: u64) -> Self {
        if let RequestBody::Stream(stream) = &mut self.repr {
            stream.len = Some(len);
        }
        self
    }

    /// The length sent as `Content-Length`, when known.
    pub fn content_length(&self) -> Option<u64> {
        match &self.repr {
            RequestBody::Bytes(bytes) => Some(bytes.len() as u64),
            RequestBody::Stream(stream) => stream.len,
        }
    }
}

impl From<Bytes> for UploadBody {
    fn from(bytes: Bytes) -> Self {
        UploadBody {
            repr: RequestBody::Bytes(bytes),
        }
    }
}

impl From<Vec<u8>> for UploadBody {
    /// Takes the vector's buffer over (no copy).
    fn from(bytes: Vec<u8>) -> Self {
        Bytes::from(bytes).into()
    }
}

impl From<&'static [u8]> for UploadBody {
    fn from(bytes: &'static [u8]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

impl<const N: usize> From<&'static [u8; N]> for UploadBody {
    fn from(bytes: &'static [u8; N]) -> Self {
        Bytes::from_static(bytes).into()
    }
}

impl From<String> for UploadBody {
    fn from(text: String) -> Self {
        Bytes::from(text).into()
    }
}

impl From<&'static str> for UploadBody {
    fn from(text: &'static str) -> Self {
        Bytes::from_static(text.as_bytes()).into()
    }
}

// ---------------------------------------------------------------------------------------------
// blocking half

/// A streamed request body (blocking builds: a reader) and its length when known.
#[cfg(feature = "blocking")]
pub(crate) struct BodyStream {
    pub(crate) source: Box<dyn std::io::Read + Send + 'static>,
    pub(crate) len: Option<u64>,
}

#[cfg(feature = "blocking")]
impl UploadBody {
    /// A body read from `reader` while the request is sent (a `File`, a socket, ...), in
    /// chunks, without loading it in memory.
    pub fn from_reader(reader: impl std::io::Read + Send + 'static) -> Self {
        UploadBody {
            repr: RequestBody::Stream(BodyStream {
                source: Box::new(reader),
                len: None,
            }),
        }
    }
}

/// A response body read incrementally: an [`std::io::Read`] in blocking builds, a
/// `futures::Stream<Item = Result<Bytes>>` in async builds. The client's (or the call's)
/// `max_response_bytes` cap applies to the bytes read.
#[cfg(feature = "blocking")]
pub struct ByteStream {
    inner: ResponseStream,
    request_id: String,
    /// The request as errors name it.
    request: String,
}

#[cfg(feature = "blocking")]
impl ByteStream {
    pub(crate) fn new(inner: ResponseStream, request_id: String, request: String) -> Self {
        ByteStream {
            inner,
            request_id,
            request,
        }
    }

    /// Reads the rest of the body into memory (still under the cap).
    pub fn bytes(self) -> Result<Bytes> {
        let (request_id, request) = (self.request_id, self.request);
        self.inner
            .collect()
            .map_err(|failure| failure.into_error(request_id, &request))
    }
}

#[cfg(feature = "blocking")]
impl std::io::Read for ByteStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).map_err(|failure| {
            let kind = match &failure {
                super::TransportFailure::Timeout => std::io::ErrorKind::TimedOut,
                _ => std::io::ErrorKind::Other,
            };
            std::io::Error::new(
                kind,
                failure.into_error(self.request_id.clone(), &self.request),
            )
        })
    }
}

// ---------------------------------------------------------------------------------------------
// async half

/// A streamed request body (async builds: a stream of chunks) and its length when known.
#[cfg(all(feature = "async", not(feature = "blocking")))]
pub(crate) struct BodyStream {
    pub(crate) source: std::pin::Pin<
        Box<dyn futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static>,
    >,
    pub(crate) len: Option<u64>,
}

#[cfg(all(feature = "async", not(feature = "blocking")))]
impl UploadBody {
    /// A body read from `stream` while the request is sent.
    pub fn from_stream(
        stream: impl futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static,
    ) -> Self {
        UploadBody {
            repr: RequestBody::Stream(BodyStream {
                source: Box::pin(stream),
                len: None,
            }),
        }
    }

    /// A body read from `reader` (e.g. a `tokio::fs::File`) while the request is sent, in
    /// chunks of 64 KiB, without loading it in memory.
    pub fn from_async_read(reader: impl tokio::io::AsyncRead + Send + 'static) -> Self {
        const CHUNK: usize = 64 * 1024;
        let stream = tokio_util::io::ReaderStream::with_capacity(reader, CHUNK);
        Self::from_stream(stream)
    }
}

/// A response body read incrementally: an [`std::io::Read`] in blocking builds, a
/// `futures::Stream<Item = Result<Bytes>>` in async builds. The client's (or the call's)
/// `max_response_bytes` cap applies to the bytes read.
#[cfg(all(feature = "async", not(feature = "blocking")))]
pub struct ByteStream {
    inner: std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Bytes>> + Send>>,
}

#[cfg(all(feature = "async", not(feature = "blocking")))]
impl ByteStream {
    pub(crate) fn new(inner: ResponseStream, request_id: String, request: String) -> Self {
        let stream = futures_util::stream::unfold(Some(inner), move |state| {
            let request_id = request_id.clone();
            let request = request.clone();
            async move {
                let mut inner = state?;
                match inner.next_chunk().await {
                    Ok(Some(chunk)) => Some((Ok(chunk), Some(inner))),
                    Ok(None) => None,
                    Err(failure) => Some((Err(failure.into_error(request_id, &request)), None)),
                }
            }
        });
        ByteStream {
            inner: Box::pin(stream),
        }
    }

    /// Reads the rest of the body into memory (still under the cap).
    pub async fn bytes(mut self) -> Result<Bytes> {
        use futures_util::StreamExt as _;
        let mut joined = bytes::BytesMut::new();
        let mut single: Option<Bytes> = None;
        while let Some(chunk) = self.inner.next().await {
            let chunk = chunk?;
            match single.take() {
                None if joined.is_empty() => single = Some(chunk),
                None => joined.extend_from_slice(&chunk),
                Some(first) => {
                    joined.extend_from_slice(&first);
                    joined.extend_from_slice(&chunk);
                }
            }
        }
        Ok(single.unwrap_or_else(|| joined.freeze()))
    }
}

#[cfg(all(feature = "async", not(feature = "blocking")))]
impl futures_util::Stream for ByteStream {
    type Item = Result<Bytes>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

// Both bodies can move between threads (async tasks are spawned on multi-threaded runtimes).
const _: fn() = || {
    fn is_send<T: Send>() {}
    is_send::<UploadBody>();
    is_send::<ByteStream>();
};
