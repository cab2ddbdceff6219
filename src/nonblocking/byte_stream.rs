//! [`ByteStream`] of the async client: a response body read incrementally, as a `Stream`.

use std::fmt;

use bytes::Bytes;

use super::transport::ResponseStream;
use crate::error::Result;

/// A response body read incrementally, as a `futures::Stream<Item = Result<Bytes>>`. The
/// client's (or the call's) `max_response_bytes` cap applies to the bytes read.
pub struct ByteStream {
    inner: std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Bytes>> + Send>>,
}

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
