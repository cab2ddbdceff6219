//! [`Pages`] of the blocking client: an [`Iterator`].

use super::pagination::{PageSource, Pager};
use crate::error::Result;

/// Every item of a paged resource, fetched page by page on demand, as an [`Iterator`]. It ends
/// after the last (short) page, or after yielding the first error.
pub struct Pages<T> {
    inner: Box<dyn Iterator<Item = Result<T>> + Send>,
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Pages<T> {
    pub(crate) fn new<S: PageSource<Item = T>>(source: S) -> Self {
        let mut pager = Pager::new(source);
        let iter = std::iter::from_fn(move || loop {
            if let Some(item) = pager.buffer.pop_front() {
                return Some(Ok(item));
            }
            if pager.done {
                return None;
            }
            let page = pager.source.fetch(pager.next_page);
            if let Some(error) = pager.absorb(page) {
                return Some(Err(error));
            }
        });
        Pages {
            inner: Box::new(iter),
        }
    }
}

impl<T> Iterator for Pages<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next()
    }
}
