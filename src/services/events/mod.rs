//! The `Events` client of one mode; its mode-free parts (queries, constants) are in
//! [`crate::services::events`].


use std::sync::Mutex;

use http::header::ACCEPT;
use http::HeaderValue;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::call::{Call, Reply};
use super::client::LunaClient;
use super::context::ServiceContext;
use super::handle::service_handle_common;
use super::maybe_async;
use crate::descriptor::{Descriptor, RawDescriptor, SdkDescriptor, SDK_MAGIC};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::model::events::{
    DeletedEvent, DescriptorKind, Event, EventTarget, EventsPage, SavedEvents,
};
use super::pagination::{PageSource, Pages};
use crate::service::Service;
use crate::services::events::*;




/// The luna-events client. Get one with [`LunaClient::events`].
#[derive(Clone, Debug)]
pub struct Events {
    ctx: ServiceContext,
}

service_handle_common!(Events);

impl Events {
    pub(crate) fn new(client: LunaClient) -> Self {
        Events {
            ctx: client.context(Service::Events),
        }
    }

    /// Python `getAddress()`: the service base URL, `<origin>/<api_version>` (no request).
    pub fn get_address(&self) -> String {
        self.ctx.base_url()
    }

    /// Every event matching `query`, fetched page by page with keyset paging on the event id
    /// (`event_id__lt` after the last id of a page when the order is `desc`, `event_id__gte`
    /// just above it when `asc`), which stays correct while events are being added. An
    /// `Iterator` for the blocking client, a `Stream` for the async client.
    ///
    /// The page size is the query's (default [`DEFAULT_ITER_PAGE_SIZE`]); the query's page
    /// number is ignored; `event_id` is added to a `target` selection that lacks it. Iteration
    /// ends after a short page, or after the first error.
    pub fn iter_events(&self, query: EventsQuery) -> Pages<Event> {
        let page_size = query.limit().unwrap_or(DEFAULT_ITER_PAGE_SIZE);
        Pages::new(EventPages {
            events: self.clone(),
            query,
            page_size,
            last: Mutex::new(None),
        })
    }

    fn account(&self) -> Option<Uuid> {
        self.ctx.client.account_id()
    }
}

/// How the account scopes the calls that read, check or delete events: the client's account
/// id goes in the `account_id` query (besides the `Luna-Account-Id` header every request
/// carries). Kept here, in one place (see the wire notes).
fn scoped(call: Call) -> Call {
    call.with_account_query()
}

fn event_path(event_id: &Id) -> Result<String> {
    Ok(format!("/events/{}", event_id.resolve("event_id")?))
}

/// The `save_events` body: `{"events": [...]}`, each event with an id (generated when
/// missing) and the client's account when it has none.
fn save_body(events: &[Event], account: Option<Uuid>) -> Result<(Value, Vec<Uuid>)> {
    if events.is_empty() {
        return Err(Error::invalid("events", "at least one event is required"));
    }
    let mut ids = Vec::with_capacity(events.len());
    let mut items = Vec::with_capacity(events.len());
    for event in events {
        let id = event.event_id.unwrap_or_else(Uuid::new_v4);
        let mut item = serde_json::to_value(event)
            .map_err(|e| Error::invalid("events", format!("cannot serialize: {e}")))?;
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

/// Reads a descriptor answer by its content: SDK bytes (`"dp\0\0"` header), JSON (a base64
/// SDK string or `{"descriptor", "version"}`), or a bare payload whose version is the one
/// asked for.
fn decode_descriptor(reply: &Reply, version: Option<u32>) -> Result<Descriptor> {
    let fail = |message: String| {
        reply.decode_error(message)
    };
    let body = &reply.body;
    if body.starts_with(&SDK_MAGIC) {
        return SdkDescriptor::from_bytes(body.clone())
            .map(Descriptor::Sdk)
            .map_err(|e| fail(e.to_string()));
    }
    let is_json = reply
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"))
        || matches!(body.first(), Some(b'{' | b'"'));
    if is_json {
        let value: Value = reply.decode()?;
        // `{"descriptor": <b64>, "version": n}` is the raw form; `{"descriptor": x}` wraps one.
        let value = match value {
            Value::Object(map) if map.contains_key("version") => Value::Object(map),
            Value::Object(mut map) if map.contains_key("descriptor") => {
                map.remove("descriptor").unwrap_or(Value::Null)
            }
            other => other,
        };
        return serde_json::from_value(value).map_err(|e| fail(e.to_string()));
    }
    match version {
        Some(version) => RawDescriptor::new(body.clone(), version)
            .map(Descriptor::Raw)
            .map_err(|e| fail(e.to_string())),
        None => Err(fail(
            "a bare descriptor payload without a version; pass `descriptor_version`".into(),
        )),
    }
}

#[maybe_async]
impl Events {
    /// Python `saveEvents`: `POST /events` with `{"events": [...]}`; `wait_events_saving`
    /// becomes `wait_events_saving=1|0` (omitted when `None`: the service default, `1` since
    /// luna-events 4.27). With `Some(false)` the service only queues the events: a success
    /// does not guarantee they are stored.
    ///
    /// Events without an id get a new UUID v4; events without an account get the client's.
    /// Returns the ids sent, in order, and the service's answer.
    pub async fn save_events(
        &self,
        events: &[Event],
        wait_events_saving: Option<bool>,
    ) -> Result<SavedEvents> {
        let (body, event_ids) = save_body(events, self.account())?;
        let call = Call::post("/events")
            .query(|q| {
                q.push_flag_opt("wait_events_saving", wait_events_saving);
            })
            .json(&body)?;
        let reply = self.ctx.send(call).await?;
        Ok(SavedEvents {
            event_ids,
            reply: reply.decode_optional()?,
        })
    }

    /// Python `getEvents`: `GET /events` with filters, paging, order and targets.
    pub async fn get_events(&self, query: &EventsQuery) -> Result<EventsPage> {
        let call = scoped(Call::get("/events")).try_query(|q| query.write(q))?;
        self.ctx.json(call).await
    }

    /// Python `getEvent`: `GET /events/{event_id}` with an optional `target` selection
    /// (empty: the whole event).
    pub async fn get_event(&self, event_id: impl Into<Id>, targets: &[EventTarget]) -> Result<Event> {
        let call = scoped(Call::get(event_path(&event_id.into())?)).query(|q| {
            q.push_list("target", targets);
        });
        self.ctx.json(call).await
    }

    /// Python `headEvent`: `HEAD /events/{event_id}`; `false` when the event does not exist.
    pub async fn head_event(&self, event_id: impl Into<Id>) -> Result<bool> {
        let call = scoped(Call::head(event_path(&event_id.into())?));
        self.ctx.exists(call).await
    }

    /// Python `getEventDescriptor`: `GET /events/{event_id}/descriptor` with
    /// `descriptor_version` and `descriptor_type` (`face` / `body`) when given. Returns the
    /// descriptor in the form the service sent (SDK bytes, or a payload with its version).
    pub async fn get_event_descriptor(
        &self,
        event_id: impl Into<Id>,
        descriptor_version: Option<u32>,
        descriptor_type: Option<DescriptorKind>,
    ) -> Result<Descriptor> {
        let call = scoped(Call::get(format!("{}/descriptor", event_path(&event_id.into())?)))
            .query(|q| {
                q.push_opt("descriptor_version", descriptor_version)
                    .push_opt("descriptor_type", descriptor_type.as_ref());
            })
            .header(ACCEPT, HeaderValue::from_static(DESCRIPTOR_ACCEPT));
        let reply = self.ctx.send(call).await?;
        decode_descriptor(&reply, descriptor_version)
    }

    /// Python `deleteEvents`: `DELETE /events` with `{"filters": {...}, "target": [...]}`.
    /// Returns what was deleted per event (samples and source images to remove), or nothing
    /// when the service answers without a body.
    pub async fn delete_events(&self, query: &DeleteEventsQuery) -> Result<Vec<DeletedEvent>> {
        let body = query.to_body(self.account())?;
        let call = Call::delete("/events").json(&body)?;
        let reply = self.ctx.send(call).await?;
        reply.decode_items("events")
    }

    /// Python `getEventsStats`: `POST /events/stats` with the statistics query (the client's
    /// account joins its filters). The answer's layout is not published: it is returned as
    /// JSON.
    pub async fn get_events_stats(&self, query: &StatQuery) -> Result<Value> {
        let call = Call::post("/events/stats")
            .json(&query.to_body(self.account())?)?
            .retry_safe();
        self.ctx.json(call).await
    }
}

struct EventPages {
    events: Events,
    query: EventsQuery,
    page_size: u32,
    /// Id of the last event yielded so far: the keyset cursor.
    last: Mutex<Option<Uuid>>,
}

#[maybe_async(AFIT)]
impl PageSource for EventPages {
    type Item = Event;

    fn page_size(&self) -> u32 {
        self.page_size
    }

    async fn fetch(&self, _page: u32) -> Result<Vec<Event>> {
        let after = *self.last.lock().unwrap_or_else(|e| e.into_inner());
        let query = self.query.keyset(self.page_size, after);
        let events = self.events.get_events(&query).await?.events;
        if let Some(last) = events.last() {
            let Some(id) = last.event_id else {
                return Err(Error::decode(
                    http::StatusCode::OK,
                    b"",
                    String::new(),
                    "an event without `event_id`: keyset paging cannot continue",
                ));
            };
            *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(id);
        }
        Ok(events)
    }
}
