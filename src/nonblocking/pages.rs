//! [`Pages`] of the async client: a `futures::Stream`.

use super::pagination::{PageSource, Pager};
use crate::error::Result;

/// Every item of a paged resource, fetched page by page on demand, as a `futures::Stream` (use
/// `futures::StreamExt::next` or `TryStreamExt`). It ends after the last (short) page, or after
/// yielding the first error.
pub struct Pages<T> {
    inner: std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<T>> + Send>>,
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Pages<T> {
    pub(crate) fn new<S: PageSource<Item = T>>(source: S) -> Self {
        let stream = futures_util::stream::unfold(Pager::new(source), |mut pager| async move {
            loop {
                if let Some(item) = pager.buffer.pop_front() {
                    return Some((Ok(item), pager));
                }
                if pager.done {
                    return None;
                }
                let page = pager.source.fetch(pager.next_page).await;
                if let Some(error) = pager.absorb(page) {
                    return Some((Err(error), pager));
                }
            }
        });
        Pages {
            inner: Box::pin(stream),
        }
    }
}

impl<T> futures_util::Stream for Pages<T> {
    type Item = Result<T>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}
