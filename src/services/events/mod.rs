//! The `Events` client of one mode. Its mode-free data types (requests, constants, answers) are
//! in [`crate::model::events`]; its documentation (Python → Rust map) is
//! [`crate::services::events`]; the cursor of `iter_events` is `events/cursor.rs`.

#[allow(unused_imports)] // the blocking build rewrites `impl Future` away
use std::future::Future;
use bytes::Bytes;
use http::header::ACCEPT;
use http::HeaderValue;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::client::LunaClient;
use super::context::ServiceContext;
use super::event_cursor::EventCursor;
use super::handle::service_handle_common;
use super::maybe_async;
use crate::call::Call;
use crate::catalogue::events as ep;
use crate::error::{Error, Result};
use crate::id::Id;
use crate::model::events::{
    DeletedEvent, Event, EventTarget, EventsPage, SavedEvents,
};
use super::pagination::Pages;
use crate::service::Service;
use crate::model::common::{Saving, Targets};
use crate::services::events::*;

/// The luna-events client. Get one with [`LunaClient::events`].
#[derive(Clone, Debug)]
pub struct Events {
    pub(super) ctx: ServiceContext,
}

service_handle_common!(Events);

impl Events {
    #[inline]
    pub(crate) fn new(client: LunaClient) -> Self {
        Events {
            ctx: client.context(Service::Events),
        }
    }

    /// `GET /events` with the filters, paging and targets of `query`.
    pub(super) fn list_call(&self, query: &EventsQuery) -> Result<Call> {
        ep::GET_EVENTS.call(&[])?.try_query(|q| query.write(q))
    }

    #[inline]
    fn account(&self) -> Option<Uuid> {
        self.ctx.client.account_id()
    }
}

/// The `save_events` body: `{"events": [...]}`, each event with an id (generated when
/// missing) and the client's account when it has none.
#[inline]
fn save_body(events: &[Event], account: Option<Uuid>) -> Result<(Value, Vec<Uuid>)> {
    if events.is_empty() {
        return Err(Error::invalid("events", "at least one event is required"));
    }
    let mut ids = Vec::with_capacity(events.len());
    let mut items = Vec::with_capacity(events.len());
    for event in events {
        let id = event.event_id.unwrap_or_else(Uuid::new_v4);
        let mut item = crate::finite::to_value(event, "events")?;
        let map = item
            .as_object_mut()
            .expect("an event serializes to a JSON object");
        map.insert("event_id".into(), Value::String(id.to_string()));
        if let (None, Some(account)) = (event.account_id, account) {
            map.insert("account_id".into(), Value::String(account.to_string()));
        }
        ids.push(id);
        items.push(item);
    }
    let mut body = Map::new();
    body.insert(SAVE_EVENTS_MEMBER.into(), Value::Array(items));
    Ok((Value::Object(body), ids))
}

/// The API of [`Events`] as a trait (import it with the prelude): generic code and test
/// fakes can stand for the service handle. The async client's futures are `Send`.
#[maybe_async(AFIT)]
pub trait EventsApi: Send + Sync {
    /// Python `getAddress()`: the service base URL, `<origin>/<api_version>` (no request).
    fn get_address(&self) -> String;

    /// Every event matching `query`, each exactly once, fetched page by page with keyset
    /// paging on `create_time` (the column luna-events sorts by), in the query's order. An
    /// `Iterator` for the blocking client, a `Stream` for the async client.
    ///
    /// The next page starts at the creation time of the last event returned and skips the
    /// events already returned at that time; events sharing one time across a page boundary,
    /// even more of them than a page holds, are all returned once. With `desc` (the default)
    /// each full page costs one more request, which finishes the events at its last time. The
    /// query's `create_time__gte` / `create_time__lt` bound every request; its page number is
    /// ignored; `event_id` and `create_time` are added to a `target` selection that lacks
    /// them. Events added while iterating are never returned twice. The page size is the
    /// query's (default [`DEFAULT_ITER_PAGE_SIZE`]). Iteration ends after the last page, or
    /// after the first error (also raised when the service ignores the time window or the
    /// page number, instead of looping).
    fn iter_events(&self, query: EventsQuery) -> Pages<Event>;

    /// Python `saveEvents`: `POST /events` with `{"events": [...]}`; `saving` becomes
    /// `wait_events_saving=1|0` (omitted for [`Saving::ServiceDefault`]: `1` since luna-events
    /// 4.27). With [`Saving::Queue`] the service only queues the events: a success does not
    /// guarantee they are stored.
    ///
    /// Events without an id get a new UUID v4; events without an account get the client's.
    /// Returns the ids sent, in order, and the service's answer.
    fn save_events(
        &self,
        events: &[Event],
        saving: Saving,
    ) -> impl Future<Output = Result<SavedEvents>> + Send;

    /// Python `getEvents`: `GET /events` with filters, paging, order and targets.
    fn get_events(&self, query: &EventsQuery) -> impl Future<Output = Result<EventsPage>> + Send;

    /// Python `getEvent`: `GET /events/{event_id}` with an optional `target` selection
    /// (empty: the whole event).
    fn get_event(&self, event_id: impl Into<Id> + Send, targets: Targets<EventTarget>) -> impl Future<Output = Result<Event>> + Send;

    /// Python `headEvent`: `HEAD /events/{event_id}`; `false` when the event does not exist.
    fn head_event(&self, event_id: impl Into<Id> + Send) -> impl Future<Output = Result<bool>> + Send;

    /// Python `getEventDescriptor`: `GET /events/{event_id}/descriptor` with
    /// `descriptor_version` and `descriptor_type` (`face` / `body`) when set in `query`. Returns the
    /// answer's bytes as they are: the service answers the raw descriptor, whatever its
    /// first bytes (read an SDK blob with [`crate::SdkDescriptor::from_bytes`], a bare payload
    /// with [`crate::RawDescriptor::new`] and the version asked for).
    fn get_event_descriptor(
        &self,
        event_id: impl Into<Id> + Send,
        query: &DescriptorQuery,
    ) -> impl Future<Output = Result<Bytes>> + Send;

    /// Python `deleteEvents`: `DELETE /events` with `{"filters": {...}, "target": [...]}`.
    /// Returns what was deleted per event (samples and source images to remove), or nothing
    /// when the service answers without a body.
    fn delete_events(&self, query: &DeleteEventsQuery) -> impl Future<Output = Result<Vec<DeletedEvent>>> + Send;

    /// Python `getEventsStats`: `POST /events/stats` with the statistics query (the client's
    /// account joins its filters). The answer's layout is not published: it is returned as
    /// JSON.
    fn get_events_stats(&self, query: &StatQuery) -> impl Future<Output = Result<Value>> + Send;
}

#[maybe_async(AFIT)]
impl EventsApi for Events {
    #[inline]
    fn get_address(&self) -> String {
        self.ctx.base_url()
    }

    #[inline]
    fn iter_events(&self, query: EventsQuery) -> Pages<Event> {
        let page_size = query.limit().unwrap_or(DEFAULT_ITER_PAGE_SIZE);
        Pages::new(EventCursor::new(self.clone(), query, page_size))
    }

    #[inline]
    async fn save_events(
        &self,
        events: &[Event],
        saving: Saving,
    ) -> Result<SavedEvents> {
        let (body, event_ids) = save_body(events, self.account())?;
        let call = ep::SAVE_EVENTS
            .call(&[])?
            .query(|q| {
                q.push_flag_opt("wait_events_saving", saving.flag());
            })
            .json(&body)?;
        let reply = self.ctx.send(call).await?;
        Ok(SavedEvents {
            event_ids,
            reply: reply.decode_optional()?,
        })
    }

    #[inline]
    async fn get_events(&self, query: &EventsQuery) -> Result<EventsPage> {
        self.ctx.json(self.list_call(query)?).await
    }

    #[inline]
    async fn get_event(&self, event_id: impl Into<Id> + Send, targets: Targets<EventTarget>) -> Result<Event> {
        let call = ep::GET_EVENT.call_id(event_id)?.query(|q| {
            q.push_list("target", targets.fields());
        });
        self.ctx.json(call).await
    }

    #[inline]
    async fn head_event(&self, event_id: impl Into<Id> + Send) -> Result<bool> {
        let call = ep::HEAD_EVENT.call_id(event_id)?;
        self.ctx.exists(call).await
    }

    #[inline]
    async fn get_event_descriptor(
        &self,
        event_id: impl Into<Id> + Send,
        query: &DescriptorQuery,
    ) -> Result<Bytes> {
        let call = ep::GET_EVENT_DESCRIPTOR
            .call_id(event_id)?
            .query(|q| query.write(q))
            .header(ACCEPT, HeaderValue::from_static(DESCRIPTOR_ACCEPT));
        Ok(self.ctx.send(call).await?.body)
    }

    #[inline]
    async fn delete_events(&self, query: &DeleteEventsQuery) -> Result<Vec<DeletedEvent>> {
        let body = query.to_body(self.account())?;
        let call = ep::DELETE_EVENTS.call(&[])?.json(&body)?;
        let reply = self.ctx.send(call).await?;
        reply.decode_items("events")
    }

    #[inline]
    async fn get_events_stats(&self, query: &StatQuery) -> Result<Value> {
        let call = ep::GET_EVENTS_STATS
            .call(&[])?
            .json(&query.to_body(self.account())?)?;
        self.ctx.json(call).await
    }
}

