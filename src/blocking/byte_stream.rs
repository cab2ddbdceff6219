//! [`ByteStream`] of the blocking client: a response body read incrementally, as a reader.

use std::fmt;

use bytes::Bytes;

use super::transport::ResponseStream;
use crate::error::Result;
use crate::transport::TransportFailure;

/// A response body read incrementally, as an [`std::io::Read`]. The client's (or the call's)
/// `max_response_bytes` cap applies to the bytes read.
pub struct ByteStream {
    inner: ResponseStream,
    request_id: String,
    /// The request as errors name it.
    request: String,
}

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

impl std::io::Read for ByteStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).map_err(|failure| {
            let kind = match &failure {
                TransportFailure::Timeout => std::io::ErrorKind::TimedOut,
                _ => std::io::ErrorKind::Other,
            };
            std::io::Error::new(
                kind,
                failure.into_error(self.request_id.clone(), &self.request),
            )
        })
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}
