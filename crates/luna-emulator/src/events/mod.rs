//! luna-events (prefix `/2`, reference `events.md`): save, read, filter, sort, count, delete
//! events, their descriptors, and statistics.

pub mod filters;
pub mod model;
pub mod stats;

use crate::context::{created, ok, App, Req, Scope};
use crate::descriptors::{Descriptor, DescriptorFormat};
use crate::errors::{ApiError, ApiResult};
use crate::faces::model::read_targets;
use crate::openapi::Routes;
use crate::paging::Paging;
use crate::query::parse_uuid;
use crate::time_format::parse_time;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use filters::EventFilter;
use model::{StoredEvent, EVENT_FIELDS};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::sync::broadcast;
use uuid::Uuid;

/// API version prefix (unknown in the reference; the SDK's wire notes use `/2`).
pub const PREFIX: &str = "/2";
/// `page_size` maximum of `GET /events` (unknown in the reference; the SDK checks 1000).
const PAGE_SIZE_MAX: i64 = 1000;
/// Events in one `POST /events`.
const SAVE_MAX: usize = 1000;
/// The member of the save body holding the events.
const SAVE_MEMBER: &str = "events";

/// Events a slow subscriber may fall behind by before it misses some (luna-sender).
pub const FEED_CAPACITY: usize = 4096;

/// The feed of stored (and published) events that luna-sender subscribers read.
pub type EventFeed = broadcast::Sender<Arc<StoredEvent>>;

/// The luna-events state: events in `(create_time, event_id)` order, an id index, and the feed
/// every stored event is published on.
pub struct EventsState {
    events: BTreeMap<(OffsetDateTime, Uuid), StoredEvent>,
    index: HashMap<Uuid, OffsetDateTime>,
    feed: EventFeed,
}

impl Default for EventsState {
    fn default() -> Self {
        Self {
            events: BTreeMap::new(),
            index: HashMap::new(),
            feed: broadcast::channel(FEED_CAPACITY).0,
        }
    }
}

impl EventsState {
    /// Drops every event; subscribers of the feed stay subscribed.
    pub fn clear(&mut self) {
        self.events.clear();
        self.index.clear();
    }

    /// A new subscriber of the feed: it receives every event stored (or published) from now.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<StoredEvent>> {
        self.feed.subscribe()
    }

    /// Sends `event` to the feed's subscribers without storing it (luna-sender's publish).
    pub fn publish(&self, event: &StoredEvent) {
        if self.feed.receiver_count() > 0 {
            let _ = self.feed.send(Arc::new(event.clone()));
        }
    }

    /// Every stored event, in `(create_time, event_id)` order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &StoredEvent> {
        self.events.values()
    }

    /// Stores `events`, all or none: an id already stored or given twice is a 409 (code
    /// 12031). The one way events enter the store (`POST /events` and luna-handlers use it),
    /// so every stored event is also published on the feed (luna-sender). Answers
    /// `{"event_id", "url"}` per event, in order.
    pub fn store_events(&mut self, events: Vec<StoredEvent>) -> ApiResult<Vec<Value>> {
        let mut seen = std::collections::HashSet::new();
        for e in &events {
            if self.index.contains_key(&e.event_id) || !seen.insert(e.event_id) {
                return Err(ApiError::conflict(
                    12031,
                    format!("Event with id '{}' already exists", e.event_id),
                ));
            }
        }
        let mut answer = Vec::with_capacity(events.len());
        for e in events {
            answer.push(json!({"event_id": e.event_id, "url": event_url(e.event_id)}));
            self.publish(&e);
            self.index.insert(e.event_id, e.create_time);
            self.events.insert((e.create_time, e.event_id), e);
        }
        Ok(answer)
    }

    /// Changes the stored event `id` in place (luna-handlers' upgrade: descriptors and basic
    /// attributes re-extracted from its samples); 23001 when it is not stored.
    pub fn modify<T>(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut StoredEvent) -> T,
    ) -> ApiResult<T> {
        self.index
            .get(&id)
            .and_then(|t| self.events.get_mut(&(*t, id)))
            .map(change)
            .ok_or_else(|| ApiError::not_found(23001, "Event", id))
    }

    /// The event `id` if `scope` sees it (23001 otherwise).
    pub fn get(&self, id: Uuid, scope: &Scope) -> ApiResult<&StoredEvent> {
        self.index
            .get(&id)
            .and_then(|t| self.events.get(&(*t, id)))
            .filter(|e| scope.sees(e.account_id))
            .ok_or_else(|| ApiError::not_found(23001, "Event", id))
    }
}

/// The path of an event (`/2/events/{id}`), its `url` in answers.
pub fn event_url(id: Uuid) -> String {
    format!("{PREFIX}/events/{id}")
}

/// The luna-events routes and their spec entries.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/2/events",
            get(get_events).post(save_events).delete(delete_events),
            &[
                ("post", "save events", "201"),
                (
                    "get",
                    "events by filters, sorted by create_time, paged",
                    "200",
                ),
                ("delete", "delete events by filters", "200"),
            ],
        )
        .query("post", &["wait_events_saving"])
        .query("get", &filters::accepted_names())
        .query("get", &["page", "page_size", "order", "target"])
        .route(
            "/2/events/stats",
            post(events_stats),
            &[("post", "event statistics", "200")],
        )
        .route(
            "/2/events/{event_id}",
            get(get_event),
            &[
                ("get", "get an event", "200"),
                ("head", "check an event", "200"),
            ],
        )
        .query("get", &["target"])
        .route(
            "/2/events/{event_id}/descriptor",
            get(get_descriptor),
            &[("get", "descriptor of an event", "200")],
        )
        .query("get", &["descriptor_version", "descriptor_type"])
}

async fn save_events(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let params = req.params(&["wait_events_saving"])?;
    params.flag("wait_events_saving")?;
    let body = req.json_object()?;
    if let Some(bad) = body.keys().find(|k| *k != SAVE_MEMBER) {
        return Err(ApiError::bad_json_at(
            bad,
            "additional properties are not allowed",
        ));
    }
    let items = body
        .get(SAVE_MEMBER)
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::bad_json_at(SAVE_MEMBER, "an array of events is required"))?;
    if !(1..=SAVE_MAX).contains(&items.len()) {
        return Err(ApiError::bad_json_at(SAVE_MEMBER, "1 to 1000 events"));
    }
    let events = items
        .iter()
        .enumerate()
        .map(|(i, e)| StoredEvent::from_json(e, &format!("{SAVE_MEMBER}.{i}"), req.owner().ok()))
        .collect::<ApiResult<Vec<_>>>()?;
    let answer = app.store.events().store_events(events)?;
    Ok(created(
        &format!("{PREFIX}/events"),
        json!({ "events": answer }),
    ))
}

async fn get_events(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let mut names = filters::accepted_names();
    names.extend(["page", "page_size", "order", "target"]);
    let params = req.params(&names)?;
    let filter = EventFilter::read(&params, req.scope(&params)?)?;
    let paging = Paging::read(&params, PAGE_SIZE_MAX, false)?;
    let descending = params.one_of("order", &["asc", "desc"])?.as_deref() != Some("asc");
    let targets = read_targets(params.str("target"), EVENT_FIELDS, 23005)?;
    let state = app.store.events();
    let skip = (paging.page - 1).saturating_mul(paging.page_size);
    let matching = state.events.values().filter(|e| filter.matches(e));
    let page: Vec<Value> = if descending {
        matching
            .rev()
            .skip(skip)
            .take(paging.page_size)
            .map(|e| e.to_json(&targets))
            .collect()
    } else {
        matching
            .skip(skip)
            .take(paging.page_size)
            .map(|e| e.to_json(&targets))
            .collect()
    };
    Ok(ok(json!({ "events": page })))
}

async fn get_event(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["target"])?;
    let event_id = parse_uuid("event_id", &id)?;
    let targets = read_targets(params.str("target"), EVENT_FIELDS, 23005)?;
    let state = app.store.events();
    Ok(ok(state.get(event_id, &scope)?.to_json(&targets)))
}

async fn get_descriptor(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let params = req.params(&["descriptor_version", "descriptor_type"])?;
    let event_id = parse_uuid("event_id", &id)?;
    let version = params
        .int("descriptor_version", 1, i64::from(u32::MAX))?
        .map(|v| u32::try_from(v).unwrap_or(u32::MAX));
    let body = params
        .one_of("descriptor_type", &["face", "body"])?
        .as_deref()
        == Some("body");
    let scope = req.scope(&params)?;
    let state = app.store.events();
    let event = state.get(event_id, &scope)?;
    let all = if body {
        &event.body_descriptors
    } else {
        &event.face_descriptors
    };
    let found = match version {
        Some(v) => all.iter().find(|d| d.version == v),
        None => all.iter().min_by_key(|d| d.version),
    };
    let Some(descriptor) = found else {
        let (code, kind) = if body {
            (23007, "Human")
        } else {
            (23006, "Face")
        };
        let what = format!(
            "{kind} descriptor of version {} of event",
            version.map_or("any".into(), |v| v.to_string())
        );
        return Err(ApiError::not_found(code, &what, event_id));
    };
    Ok(descriptor_answer(descriptor, &req))
}

/// SDK bytes (`application/octet-stream`) unless the caller accepts only JSON, then the raw
/// form `{"descriptor": <base64 payload>, "version": n}`.
fn descriptor_answer(descriptor: &Descriptor, req: &Req) -> Response {
    let accept = req
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("*/*");
    let binary = accept.contains("application/octet-stream") || accept.contains("*/*");
    if binary {
        let mut response = (StatusCode::OK, descriptor.sdk_bytes()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        );
        response
    } else {
        ok(descriptor.to_json(DescriptorFormat::Raw))
    }
}

const DELETE_FILTERS: &[&str] = &[
    "handler_id",
    "create_time__gte",
    "create_time__lt",
    "insert_time__gte",
    "insert_time__lt",
    "account_id",
];

async fn delete_events(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let params = req.params(&[])?;
    let mut scope = req.scope(&params)?;
    let body = req.json_object()?;
    if let Some(bad) = body.keys().find(|k| *k != "filters" && *k != "target") {
        return Err(ApiError::bad_json_at(
            bad,
            "additional properties are not allowed",
        ));
    }
    let filters = body
        .get("filters")
        .and_then(Value::as_object)
        .ok_or_else(|| ApiError::bad_json_at("filters", "an object is required"))?;
    if let Some(bad) = filters
        .keys()
        .find(|k| !DELETE_FILTERS.contains(&k.as_str()))
    {
        return Err(ApiError::bad_json_at(
            &format!("filters.{bad}"),
            "unknown filter",
        ));
    }
    if !filters.keys().any(|k| k != "account_id") {
        return Err(ApiError::bad_json_at(
            "filters",
            "at least one filter besides account_id",
        ));
    }
    let text = |name: &str| -> ApiResult<Option<&str>> {
        match filters.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(ApiError::bad_json_at(
                &format!("filters.{name}"),
                "expected a string",
            )),
        }
    };
    let time = |name: &str| -> ApiResult<Option<OffsetDateTime>> {
        text(name)?
            .map(|s| {
                parse_time(s).ok_or_else(|| {
                    ApiError::bad_json_at(&format!("filters.{name}"), "not an RFC 3339 time")
                })
            })
            .transpose()
    };
    if let Some(account) = text("account_id")? {
        let account = parse_uuid("account_id", account)
            .map_err(|_| ApiError::bad_json_at("filters.account_id", "bad uuid"))?;
        scope = scope.and(account);
    }
    let handler = text("handler_id")?.map(str::to_owned);
    let (c_gte, c_lt) = (time("create_time__gte")?, time("create_time__lt")?);
    let (i_gte, i_lt) = (time("insert_time__gte")?, time("insert_time__lt")?);
    let mut state = app.store.events();
    let doomed: Vec<(OffsetDateTime, Uuid)> = state
        .events
        .values()
        .filter(|e| {
            scope.sees(e.account_id)
                && handler
                    .as_deref()
                    .is_none_or(|h| e.json.get("handler_id").and_then(Value::as_str) == Some(h))
                && c_gte.is_none_or(|t| e.create_time >= t)
                && c_lt.is_none_or(|t| e.create_time < t)
                && i_gte.is_none_or(|t| e.insert_time >= t)
                && i_lt.is_none_or(|t| e.insert_time < t)
        })
        .map(|e| (e.create_time, e.event_id))
        .collect();
    let targets = ["event_id", "face_detections", "body_detections"].map(str::to_owned);
    let mut deleted = Vec::with_capacity(doomed.len());
    for key in doomed {
        if let Some(e) = state.events.remove(&key) {
            state.index.remove(&e.event_id);
            deleted.push(e.to_json(&targets));
        }
    }
    Ok(ok(json!({ "events": deleted })))
}

async fn events_stats(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let query = stats::StatQuery::read(&req.json_object()?)?;
    let state = app.store.events();
    Ok(ok(query.run(
        state.events.values().filter(|e| scope.sees(e.account_id)),
    )))
}
