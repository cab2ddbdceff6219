//! Page iteration under one name in both modes: [`Pages`] is an [`Iterator`] in blocking builds
//! and a `futures::Stream` in async builds. Each paged resource implements [`PageSource`] once
//! (mode-free, with `maybe-async`); resources paged by page number implement the smaller
//! [`NumberedSource`] and get the page counter and the repeat guard of [`Numbered`]. The
//! mode-specific part is the small pair at the end.

use std::collections::VecDeque;

use crate::call::Reply;
use crate::error::Result;

/// A resource read page after page by a cursor the source keeps itself.
#[maybe_async::maybe_async(AFIT)]
pub(crate) trait PageSource: Send + 'static {
    /// Item type.
    type Item: Send + 'static;
    /// Fetches the next page; `None` once every item was returned. An error ends iteration.
    fn next_page(
        &mut self,
    ) -> impl std::future::Future<Output = Result<Option<Vec<Self::Item>>>> + Send;
}

/// A resource fetched by page number (from 1) and page size; a short page is the last one.
#[maybe_async::maybe_async(AFIT)]
pub(crate) trait NumberedSource: Send + Sync + 'static {
    /// Item type.
    type Item: Clone + PartialEq + Send + 'static;
    /// Page size used to request pages.
    fn page_size(&self) -> u32;
    /// Fetches page `page`: its items and the reply they were decoded from.
    fn fetch(
        &self,
        page: u32,
    ) -> impl std::future::Future<Output = Result<(Vec<Self::Item>, Reply)>> + Send;
}

/// What identifies a page well enough to see the service send it again: its length and its
/// first and last items.
#[derive(PartialEq)]
struct Signature<T> {
    len: usize,
    first: Option<T>,
    last: Option<T>,
}

impl<T: Clone> Signature<T> {
    fn of(items: &[T]) -> Self {
        Signature {
            len: items.len(),
            first: items.first().cloned(),
            last: items.last().cloned(),
        }
    }
}

/// Refuses a full page that repeats the page before it: the answer of a service that ignores
/// the paging parameters, which would otherwise be iterated forever.
pub(crate) struct RepeatGuard<T> {
    previous: Option<Signature<T>>,
}

impl<T: Clone + PartialEq> RepeatGuard<T> {
    pub(crate) fn new() -> Self {
        RepeatGuard { previous: None }
    }

    /// Forgets the previous page (the next request is not a continuation of it).
    pub(crate) fn reset(&mut self) {
        self.previous = None;
    }

    /// Records `items` (decoded from `reply`); an error when they repeat the previous page.
    pub(crate) fn check(&mut self, items: &[T], reply: &Reply) -> Result<()> {
        let signature = Signature::of(items);
        if !items.is_empty() && self.previous.as_ref() == Some(&signature) {
            return Err(reply.decode_error(
                "the service answered the next page with the same items as the previous one \
                 (it ignores the paging parameters); iteration stopped",
            ));
        }
        self.previous = Some(signature);
        Ok(())
    }
}

/// Page-number iteration of a [`NumberedSource`]: pages 1, 2, ... until a short page.
pub(crate) struct Numbered<S: NumberedSource> {
    source: S,
    next: u32,
    done: bool,
    guard: RepeatGuard<S::Item>,
}

impl<S: NumberedSource> Numbered<S> {
    pub(crate) fn new(source: S) -> Self {
        Numbered {
            source,
            next: 1,
            done: false,
            guard: RepeatGuard::new(),
        }
    }
}

#[maybe_async::maybe_async(AFIT)]
impl<S: NumberedSource> PageSource for Numbered<S> {
    type Item = S::Item;

    async fn next_page(&mut self) -> Result<Option<Vec<S::Item>>> {
        if self.done {
            return Ok(None);
        }
        let (items, reply) = self.source.fetch(self.next).await?;
        self.guard.check(&items, &reply)?;
        self.done = items.len() < self.source.page_size() as usize;
        self.next = self.next.saturating_add(1);
        Ok(Some(items))
    }
}

/// Iteration state shared by both modes.
struct Pager<S: PageSource> {
    source: S,
    buffer: VecDeque<S::Item>,
    done: bool,
}

impl<S: PageSource> Pager<S> {
    fn new(source: S) -> Self {
        Pager {
            source,
            buffer: VecDeque::new(),
            done: false,
        }
    }

    /// Records a fetched page; returns the error to yield, if any.
    fn absorb(&mut self, page: Result<Option<Vec<S::Item>>>) -> Option<crate::error::Error> {
        match page {
            Ok(Some(items)) => {
                self.buffer.extend(items);
                None
            }
            Ok(None) => {
                self.done = true;
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
/// `futures::StreamExt::next` or `TryStreamExt`). It ends after the last page, or after
/// yielding the first error — including the error raised when the service answers a page
/// with the items of the page before it (it ignores paging), so iteration always ends.
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

impl<T: Clone + PartialEq + Send + 'static> Pages<T> {
    /// Page-number iteration of `source`.
    pub(crate) fn numbered<S: NumberedSource<Item = T>>(source: S) -> Self {
        Self::new(Numbered::new(source))
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
            let page = pager.source.next_page();
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
                let page = pager.source.next_page().await;
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
