//! The repeat guard of every iteration: refuses a full page that repeats the page before it, the
//! answer of a service that ignores the paging parameters (which would otherwise be iterated
//! forever). Mode-free: both clients' pagers and the event cursor use it.

use crate::call::Reply;
use crate::error::Result;

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

/// Refuses a full page that repeats the page before it.
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
