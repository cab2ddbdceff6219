//! Page iteration under one name in both modes: [`Pages`] is an [`Iterator`] in blocking builds
//! and a `futures::Stream` in async builds. Each paged resource implements [`PageSource`] once
//! (mode-free, with `maybe-async`); the mode-specific part is the small pair at the end.

use std::collections::VecDeque;

use crate::error::{Error, Result};

/// A resource that can be fetched page by page (pages numbered from 1).
#[maybe_async::maybe_async(AFIT)]
pub(crate) trait PageSource: Send + Sync + 'static {
    /// Item type.
    type Item: Send + 'static;
    /// Page size used to request pages; a shorter page is the last one.
    fn page_size(&self) -> u32;
    /// Fetches page `page`.
    fn fetch(
        &self,
        page: u32,
    ) -> impl std::future::Future<Output = Result<Vec<Self::Item>>> + Send;
}

/// Iteration state shared by both modes.
struct Pager<S: PageSource> {
    source: S,
    next_page: u32,
    buffer: VecDeque<S::Item>,
    done: bool,
}

impl<S: PageSource> Pager<S> {
    fn new(source: S) -> Self {
        Pager {
            source,
            next_page: 1,
            buffer: VecDeque::new(),
            done: false,
        }
    }

    /// Records a fetched page; returns the error to yield, if any.
    fn absorb(&mut self, page: Result<Vec<S::Item>>) -> Option<Error> {
        match page {
            Ok(items) => {
                self.done = items.len() < self.source.page_size() as usize;
                self.next_page += 1;
                self.buffer.extend(items);
                None
            }
            Err(error) => {
                self.done = true;
                Some(error)
            }
        }
    }
}

/// Every item of a paged resource, fetched page by page on demand.
///
/// In blocking builds this is an [`Iterator`]; in async builds a `futures::Stream` (use
/// `futures::StreamExt::next` or `TryStreamExt`). It ends after the last (short) page, or
/// after yielding the first error.
pub struct Pages<T> {
    #[cfg(feature = "blocking")]
    inner: Box<dyn Iterator<Item = Result<T>> + Send>,
    #[cfg(all(feature = "async", not(feature = "blocking")))]
    inner: std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<T>> + Send>>,
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

#[cfg(feature = "blocking")]
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

#[cfg(feature = "blocking")]
impl<T> Iterator for Pages<T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next()
    }
}

#[cfg(all(feature = "async", not(feature = "blocking")))]
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

#[cfg(all(feature = "async", not(feature = "blocking")))]
impl<T> futures_util::Stream for Pages<T> {
    type Item = Result<T>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}
