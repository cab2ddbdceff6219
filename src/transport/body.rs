//! Request bodies that are not a single buffer: [`UploadBody`] (bytes shared without copying, or
//! a stream read while sending), shared by both clients. A streamed body is a reader (blocking
//! client) or a `Stream` (async client); each backend takes its own kind and refuses the other
//! before sending anything. The response side (`ByteStream`) is per mode.

use std::fmt;

use bytes::Bytes;

use super::TransportFailure;

/// The body of an upload: caller-owned bytes sent as they are (never copied by this crate), or
/// a stream read while the request is sent (for large images and objects).
///
/// Built from [`Bytes`], `Vec<u8>`, `&'static [u8]`, `String` or `&'static str` (all without
/// copying), from a reader for the blocking client (`UploadBody::from_reader`, feature
/// `blocking`), or from a `Stream` / `AsyncRead` for the async client
/// (`UploadBody::from_stream`, `UploadBody::from_async_read`, feature `async`); a streamed
/// body given to the other client is refused with [`Error::InvalidArgument`](crate::Error)
/// before anything is sent. A streamed body is sent with chunked transfer encoding and is never
/// retried (it cannot be replayed).
pub struct UploadBody {
    pub(crate) repr: RequestBody,
}

/// What the transport sends.
pub(crate) enum RequestBody {
    Bytes(Bytes),
    /// Buffers sent one after the other, never joined (a multipart body: the parts' heads and
    /// the caller's images); its length is known, and it can be sent again.
    Parts(Vec<Bytes>),
    Stream(BodyStream),
}

impl RequestBody {
    /// A copy for another attempt: shares the bytes; `None` for a stream.
    pub(crate) fn try_clone(&self) -> Option<RequestBody> {
        match self {
            RequestBody::Bytes(bytes) => Some(RequestBody::Bytes(bytes.clone())),
            RequestBody::Parts(chunks) => Some(RequestBody::Parts(chunks.clone())),
            RequestBody::Stream(_) => None,
        }
    }

    /// The length sent as `Content-Length`, when known.
    pub(crate) fn len(&self) -> Option<u64> {
        match self {
            RequestBody::Bytes(bytes) => Some(bytes.len() as u64),
            RequestBody::Parts(chunks) => Some(chunks.iter().map(|c| c.len() as u64).sum()),
            RequestBody::Stream(stream) => stream.len,
        }
    }

    /// The whole body in one buffer (tests only; `None` for a stream).
    #[cfg(test)]
    pub(crate) fn to_vec(&self) -> Vec<u8> {
        match self {
            RequestBody::Bytes(bytes) => bytes.to_vec(),
            RequestBody::Parts(chunks) => chunks.concat(),
            RequestBody::Stream(_) => panic!("a streamed body is not in memory"),
        }
    }
}

impl From<Bytes> for RequestBody {
    fn from(bytes: Bytes) -> Self {
        RequestBody::Bytes(bytes)
    }
}

/// A [`RequestBody::Parts`] body as a reader (the blocking client sends it through ureq's
/// send buffer, part after part, without joining the parts).
#[cfg(feature = "blocking")]
pub(crate) struct PartsReader {
    chunks: std::collections::VecDeque<Bytes>,
}

#[cfg(feature = "blocking")]
impl PartsReader {
    pub(crate) fn new(chunks: Vec<Bytes>) -> Self {
        PartsReader {
            chunks: chunks.into(),
        }
    }
}

#[cfg(feature = "blocking")]
impl std::io::Read for PartsReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while let Some(chunk) = self.chunks.front_mut() {
            if chunk.is_empty() {
                self.chunks.pop_front();
                continue;
            }
            let n = chunk.len().min(buf.len());
            buf[..n].copy_from_slice(&chunk[..n]);
            bytes::Buf::advance(chunk, n);
            return Ok(n);
        }
        Ok(0)
    }
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestBody::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            RequestBody::Parts(chunks) => write!(
                f,
                "Parts({} parts, {} bytes)",
                chunks.len(),
                chunks.iter().map(Bytes::len).sum::<usize>()
            ),
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
    /// The bytes of a body of one buffer (`None` for a stream).
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.repr {
            RequestBody::Bytes(bytes) => Some(bytes),
            RequestBody::Parts(_) | RequestBody::Stream(_) => None,
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
        self.repr.len()
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

/// A streamed request body and its length when known.
pub(crate) struct BodyStream {
    pub(crate) source: BodySource,
    pub(crate) len: Option<u64>,
}

/// Where a streamed request body comes from: a reader (blocking client) or a stream of chunks
/// (async client).
pub(crate) enum BodySource {
    #[cfg(feature = "blocking")]
    Reader(Box<dyn std::io::Read + Send + 'static>),
    #[cfg(feature = "async")]
    Stream(
        std::pin::Pin<
            Box<dyn futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static>,
        >,
    ),
}

impl BodySource {
    /// The reader of a body for the blocking client.
    #[cfg(feature = "blocking")]
    pub(crate) fn into_reader(
        self,
    ) -> Result<Box<dyn std::io::Read + Send + 'static>, TransportFailure> {
        match self {
            BodySource::Reader(reader) => Ok(reader),
            #[cfg(feature = "async")]
            BodySource::Stream(_) => Err(TransportFailure::OtherModeBody {
                built_by: "UploadBody::from_stream or UploadBody::from_async_read",
                sent_by: "blocking",
            }),
        }
    }

    /// The stream of a body for the async client.
    #[cfg(feature = "async")]
    #[allow(clippy::type_complexity)]
    pub(crate) fn into_stream(
        self,
    ) -> Result<
        std::pin::Pin<
            Box<dyn futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static>,
        >,
        TransportFailure,
    > {
        match self {
            BodySource::Stream(stream) => Ok(stream),
            #[cfg(feature = "blocking")]
            BodySource::Reader(_) => Err(TransportFailure::OtherModeBody {
                built_by: "UploadBody::from_reader",
                sent_by: "async",
            }),
        }
    }
}

#[cfg(feature = "blocking")]
impl UploadBody {
    /// A body read from `reader` while the request is sent (a `File`, a socket, ...), in
    /// chunks, without loading it in memory. For the blocking client.
    #[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
    pub fn from_reader(reader: impl std::io::Read + Send + 'static) -> Self {
        UploadBody {
            repr: RequestBody::Stream(BodyStream {
                source: BodySource::Reader(Box::new(reader)),
                len: None,
            }),
        }
    }
}

#[cfg(feature = "async")]
impl UploadBody {
    /// A body read from `stream` while the request is sent. For the async client.
    #[cfg_attr(docsrs, doc(cfg(feature = "async")))]
    pub fn from_stream(
        stream: impl futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static,
    ) -> Self {
        UploadBody {
            repr: RequestBody::Stream(BodyStream {
                source: BodySource::Stream(Box::pin(stream)),
                len: None,
            }),
        }
    }

    /// A body read from `reader` (e.g. a `tokio::fs::File`) while the request is sent, in
    /// chunks of 64 KiB, without loading it in memory. For the async client.
    #[cfg_attr(docsrs, doc(cfg(feature = "async")))]
    pub fn from_async_read(reader: impl tokio::io::AsyncRead + Send + 'static) -> Self {
        const CHUNK: usize = 64 * 1024;
        let stream = tokio_util::io::ReaderStream::with_capacity(reader, CHUNK);
        Self::from_stream(stream)
    }
}

// A body can move between threads (async tasks are spawned on multi-threaded runtimes).
const _: fn() = || {
    fn is_send<T: Send>() {}
    is_send::<UploadBody>();
};
