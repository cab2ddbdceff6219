//! Page iteration under one name in both modes: `Pages` is an [`Iterator`] for the blocking
//! client and a `futures::Stream` for the async one. Each paged resource implements
//! [`PageSource`] once (with `maybe-async`, compiled once per mode); resources paged by page
//! number implement the smaller [`NumberedSource`] and get the page counter and the repeat
//! guard of [`Numbered`]. The mode-specific part is the `pages.rs` of each mode.

use std::collections::VecDeque;

use super::maybe_async;
use crate::call::Reply;
use crate::error::{Error, Result};
use crate::repeat_guard::RepeatGuard;

pub(crate) use super::pages::Pages;

/// A resource read page after page by a cursor the source keeps itself.
#[maybe_async(AFIT)]
pub(crate) trait PageSource: Send + 'static {
    /// Item type.
    type Item: Send + 'static;
    /// Fetches the next page; `None` once every item was returned. An error ends iteration.
    fn next_page(
        &mut self,
    ) -> impl std::future::Future<Output = Result<Option<Vec<Self::Item>>>> + Send;
}

/// A resource fetched by page number (from 1) and page size; a short page is the last one.
#[maybe_async(AFIT)]
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

#[maybe_async(AFIT)]
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

impl<T: Clone + PartialEq + Send + 'static> Pages<T> {
    /// Page-number iteration of `source`.
    pub(crate) fn numbered<S: NumberedSource<Item = T>>(source: S) -> Self {
        Self::new(Numbered::new(source))
    }
}

/// Iteration state shared by both modes.
pub(crate) struct Pager<S: PageSource> {
    pub(crate) source: S,
    pub(crate) buffer: VecDeque<S::Item>,
    pub(crate) done: bool,
}

impl<S: PageSource> Pager<S> {
    pub(crate) fn new(source: S) -> Self {
        Pager {
            source,
            buffer: VecDeque::new(),
            done: false,
        }
    }

    /// Records a fetched page; returns the error to yield, if any.
    pub(crate) fn absorb(&mut self, page: Result<Option<Vec<S::Item>>>) -> Option<Error> {
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
