//! Page iteration under one name in both modes: `Pages` is an [`Iterator`] for the blocking
//! client and a `futures::Stream` for the async one. Each paged resource implements
//! [`PageSource`] once (with `maybe-async`, compiled once per mode); the mode-specific part is
//! the `pages.rs` of each mode.

use std::collections::VecDeque;

use super::maybe_async;
use crate::error::{Error, Result};

pub(crate) use super::pages::Pages;

/// A resource that can be fetched page by page (pages numbered from 1).
#[maybe_async(AFIT)]
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
pub(crate) struct Pager<S: PageSource> {
    pub(crate) source: S,
    pub(crate) next_page: u32,
    pub(crate) buffer: VecDeque<S::Item>,
    pub(crate) done: bool,
}

impl<S: PageSource> Pager<S> {
    pub(crate) fn new(source: S) -> Self {
        Pager {
            source,
            next_page: 1,
            buffer: VecDeque::new(),
            done: false,
        }
    }

    /// Records a fetched page; returns the error to yield, if any.
    pub(crate) fn absorb(&mut self, page: Result<Vec<S::Item>>) -> Option<Error> {
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

