//! The cursor of `Events::iter_events` (compiled once per mode): keyset paging on `create_time`, the column luna-events sorts
//! by, with the ids already returned at the boundary time (event ids are random UUID v4 and
//! say nothing about the order).
//!
//! luna-events filters the creation time with `create_time__gte` (inclusive) and
//! `create_time__lt` (exclusive) only, so the two orders continue differently:
//!
//! * `asc`: the next request starts at the last time returned, `create_time__gte = T`; its
//!   first events are those at `T`, and the ones already returned are skipped. A page made
//!   entirely of events at `T` (more events share `T` than a page holds) continues with the
//!   next page number of that same request.
//! * `desc`: `create_time__lt = T` would skip the events at `T` that did not fit on the page,
//!   and there is no inclusive upper bound. So the events at `T` are finished first with an
//!   ascending request from `create_time__gte = T` (below the current upper bound), whose
//!   first events are exactly those at `T`, by page number until an event newer than `T`
//!   shows up; then the next page is `create_time__lt = T`, newest first.
//!
//! The caller's own `create_time__gte` / `create_time__lt` bound every request (the cursor
//! only narrows them). Events added while iterating are returned once if they fall in the
//! part of the window not yet read (with `asc`, new events are), never twice. A service that
//! ignores the window or the page number is caught (an error, not a loop).

use std::collections::HashSet;

use time::OffsetDateTime;
use uuid::Uuid;

use super::events::Events;
use super::maybe_async;
use super::pagination::PageSource;
use crate::call::Reply;
use crate::error::{Error, Result};
use crate::model::events::{Event, EventsPage};
use crate::repeat_guard::RepeatGuard;
use crate::services::events::{EventsQuery, Order};

type Window = (Option<OffsetDateTime>, Option<OffsetDateTime>);

/// The events at one creation time that may straddle a page boundary.
struct Tie {
    time: OffsetDateTime,
    /// Ids at `time` already returned.
    seen: HashSet<Uuid>,
    /// Page number of the request that reads this time (from 1).
    page: u32,
}

impl Tie {
    #[inline]
    fn start(time: OffsetDateTime, page: &[(Uuid, OffsetDateTime)]) -> Self {
        Tie {
            time,
            seen: page.iter().filter(|(_, t)| *t == time).map(|(id, _)| *id).collect(),
            page: 1,
        }
    }
}

/// Keyset iteration of `GET /events` (see the module documentation).
pub(crate) struct EventCursor {
    events: Events,
    query: EventsQuery,
    order: Order,
    page_size: u32,
    /// `desc`: nothing at or after this time remains to be read; `asc`: nothing before it.
    bound: Option<OffsetDateTime>,
    tie: Option<Tie>,
    guard: RepeatGuard<Uuid>,
    done: bool,
}

impl EventCursor {
    #[inline]
    pub(crate) fn new(events: Events, query: EventsQuery, page_size: u32) -> Self {
        EventCursor {
            order: query.order_value(),
            events,
            query,
            page_size,
            bound: None,
            tie: None,
            guard: RepeatGuard::new(),
            done: false,
        }
    }

    /// Window, order and page number of the next request.
    #[inline]
    fn next_request(&self) -> (Window, Order, u32) {
        let (gte, lt) = self.query.create_time_window();
        let page = self.tie.as_ref().map_or(1, |tie| tie.page);
        match (self.order, &self.tie) {
            (Order::Desc, None) => ((gte, earliest(lt, self.bound)), Order::Desc, 1),
            (Order::Desc, Some(tie)) => {
                ((latest(gte, Some(tie.time)), earliest(lt, self.bound)), Order::Asc, page)
            }
            (Order::Asc, _) => ((latest(gte, self.bound), lt), Order::Asc, page),
        }
    }

    /// Keeps the events of a page not returned yet and moves the cursor past it.
    #[inline]
    fn advance(&mut self, events: Vec<Event>, keys: &[(Uuid, OffsetDateTime)]) -> Vec<Event> {
        let full = events.len() >= self.page_size as usize;
        let last = keys.last().map(|(_, time)| *time);
        let mut fresh = Vec::with_capacity(events.len());
        for (event, (id, time)) in events.into_iter().zip(keys) {
            let new = match &mut self.tie {
                Some(tie) if tie.time == *time => tie.seen.insert(*id),
                // Past the boundary time of a descending walk: read by the newest-first pages.
                Some(_) if self.order == Order::Desc => false,
                _ => true,
            };
            if new {
                fresh.push(event);
            }
        }
        match (self.order, self.tie.take(), last) {
            (Order::Desc, Some(mut tie), last) => {
                if full && last == Some(tie.time) {
                    tie.page += 1;
                    self.tie = Some(tie);
                } else {
                    self.bound = Some(tie.time);
                }
            }
            (_, _, None) => self.done = true,
            (Order::Desc, None, Some(last)) => {
                self.done = !full;
                self.tie = Some(Tie::start(last, keys));
            }
            (Order::Asc, tie, Some(last)) => {
                self.done = !full;
                self.tie = match tie {
                    Some(mut tie) if tie.time == last => {
                        tie.page += 1;
                        Some(tie)
                    }
                    _ => {
                        self.bound = Some(last);
                        Some(Tie::start(last, keys))
                    }
                };
            }
        }
        fresh
    }
}

#[maybe_async(AFIT)]
impl PageSource for EventCursor {
    type Item = Event;

    #[inline]
    async fn next_page(&mut self) -> Result<Option<Vec<Event>>> {
        if self.done {
            return Ok(None);
        }
        let (window, order, page) = self.next_request();
        if page == 1 {
            self.guard.reset();
        }
        let query = self.query.cursor_request(window, order, page, self.page_size);
        let reply = self.events.ctx.send(self.events.list_call(&query)?).await?;
        let events = reply.decode::<EventsPage>()?.events;
        let keys = keys(&events, window, &reply)?;
        let ids: Vec<Uuid> = keys.iter().map(|(id, _)| *id).collect();
        self.guard.check(&ids, &reply)?;
        Ok(Some(self.advance(events, &keys)))
    }
}

/// The id and creation time of every event, each checked to lie in the requested window.
#[inline]
fn keys(events: &[Event], window: Window, reply: &Reply) -> Result<Vec<(Uuid, OffsetDateTime)>> {
    events
        .iter()
        .map(|event| {
            let (Some(id), Some(time)) = (event.event_id, event.create_time) else {
                return Err(missing_key(reply));
            };
            let inside = window.0.is_none_or(|gte| time >= gte) && window.1.is_none_or(|lt| time < lt);
            if !inside {
                return Err(reply.decode_error(format!(
                    "event {id} (create_time {time}) lies outside the requested create_time \
                     window: the service ignores it, iteration cannot continue"
                )));
            }
            Ok((id, time))
        })
        .collect()
}

#[inline]
fn missing_key(reply: &Reply) -> Error {
    reply.decode_error("an event without `event_id` or `create_time`: iteration cannot continue")
}

#[inline]
fn earliest(a: Option<OffsetDateTime>, b: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[inline]
fn latest(a: Option<OffsetDateTime>, b: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}
