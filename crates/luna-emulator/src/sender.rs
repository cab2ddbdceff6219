//! luna-sender (prefix `/1`, reference `sender.md`): WebSocket subscriptions to events, fed by
//! every event the emulator stores (luna-events' `POST /events` and luna-handlers' events go
//! through [`EventsState::store_events`](crate::events::EventsState::store_events)), and a
//! publish route.
//!
//! * `GET /1/ws?<filters>` — a WebSocket upgrade; `Luna-Account-Id` is required (403, code
//!   29001). Each event of the header's account that passes every filter arrives as one JSON
//!   text frame: the event with all its fields (`event_id`, `create_time`, `face_detections`,
//!   `top_match`, `match_result`, `meta`, ...), as `GET /2/events/{id}` answers it. Filters
//!   ([`SUBSCRIPTION_FILTERS`]): lists comma-separated (`null` for "not estimated" where the
//!   events filter allows it); `object_similarity__gte/__lt` bound `top_match.similarity`;
//!   `matching_candidates_labels` takes events with a `match_result` item of one of the labels
//!   that has candidates (or a `top_match` of one of them); `stream_ids` take `stream_id`; every
//!   other name filters as the luna-events filter of the same name; meta filters
//!   `meta.<path>__<operator>:<type>`. A bad filter is refused before the upgrade (400, code
//!   12012); a request that is not a WebSocket upgrade is 400 (code 12031). A subscriber that
//!   falls more than [`FEED_CAPACITY`](crate::events::FEED_CAPACITY) events behind misses the oldest ones.
//! * `POST /1/publish?handler_id=<uuid>` — the emulator's stand-in for the publishing resource,
//!   whose path the reference does not know: the body is one event (the members of a luna-events
//!   event), `Luna-Account-Id` its account, `handler_id` its handler; it is sent to the
//!   subscribers **without being stored**; 201 `{"event_id"}`. luna-handlers'
//!   `POST /1/handlers/{handler_id}/events/raw` (documented; stores and publishes) is the
//!   other route.

use crate::context::{App, Req, Scope};
use crate::errors::{ApiError, ApiResult};
use crate::events::filters::EventFilter;
use crate::events::model::{value_at, StoredEvent, EVENT_FIELDS};
use crate::openapi::Routes;
use crate::query::{Params, META_FILTERS};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

/// API version prefix (unknown in the reference; the SDK's wire notes use `/1`).
pub const PREFIX: &str = "/1";

/// The query names of a subscription (besides meta filters) and the luna-events filter each
/// one maps to (`None`: a filter of its own).
pub const SUBSCRIPTION_FILTERS: &[(&str, Option<&str>)] = &[
    ("sources", Some("sources")),
    ("stream_ids", None),
    ("matching_candidates_labels", None),
    (
        "object_similarity__gte",
        Some("top_similar_object_similarity__gte"),
    ),
    (
        "object_similarity__lt",
        Some("top_similar_object_similarity__lt"),
    ),
    ("age__gte", Some("age__gte")),
    ("age__lt", Some("age__lt")),
    ("emotions", Some("emotions")),
    ("masks", Some("masks")),
    ("lower_garment_types", Some("lower_garment_types")),
    ("lower_garment_colors", Some("lower_garment_colors")),
    ("shoes_apparent_colors", Some("shoes_apparent_colors")),
    ("headwear_apparent_colors", Some("headwear_apparent_colors")),
    ("handler_ids", Some("handler_ids")),
    ("gender", Some("gender")),
    ("ethnic_groups", Some("ethnic_groups")),
    ("liveness", Some("liveness")),
    ("apparent_gender", Some("apparent_gender")),
    ("headwear_states", Some("headwear_states")),
    ("backpack_states", Some("backpack_states")),
    ("upper_clothing_colors", Some("upper_clothing_colors")),
    ("sleeve_lengths", Some("sleeve_lengths")),
];

/// The luna-sender routes and their spec entries.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/1/ws",
            get(subscribe),
            &[(
                "get",
                "subscribe to events over a WebSocket (filters in the query)",
                "101",
            )],
        )
        .route(
            "/1/publish",
            post(publish),
            &[(
                "post",
                "publish one event to the subscribers without storing it (emulator route)",
                "201",
            )],
        )
}

/// What one subscriber receives.
#[derive(Debug)]
pub struct Subscription {
    events: EventFilter,
    stream_ids: Option<Vec<String>>,
    labels: Option<Vec<String>>,
}

impl Subscription {
    /// Reads the filters of a subscription ([`SUBSCRIPTION_FILTERS`], meta filters) for the
    /// events `scope` sees.
    pub fn read(params: &Params, scope: Scope) -> ApiResult<Self> {
        let mut pairs = Vec::new();
        for (name, mapped) in SUBSCRIPTION_FILTERS {
            if let (Some(value), Some(mapped)) = (params.str(name), mapped) {
                pairs.push(((*mapped).to_owned(), value.to_owned()));
            }
        }
        pairs.extend(params.meta().map(|(n, v)| (n.to_owned(), v.to_owned())));
        let mut names = crate::events::filters::accepted_names();
        names.push(META_FILTERS);
        let rename = |e: ApiError| {
            let mut detail = e.detail.clone();
            for (name, mapped) in SUBSCRIPTION_FILTERS {
                if let Some(mapped) = mapped {
                    detail = detail.replace(&format!("'{mapped}'"), &format!("'{name}'"));
                }
            }
            ApiError { detail, ..e }
        };
        let events =
            EventFilter::read(&Params::from_pairs(pairs, &names)?, scope).map_err(rename)?;
        let text_list = |name: &str| -> ApiResult<Option<Vec<String>>> {
            Ok(params
                .list(name)?
                .map(|items| items.into_iter().map(str::to_owned).collect()))
        };
        let stream_ids = params
            .uuids("stream_ids")?
            .map(|ids| ids.iter().map(ToString::to_string).collect());
        Ok(Self {
            events,
            stream_ids,
            labels: text_list("matching_candidates_labels")?,
        })
    }

    /// Whether the subscriber receives `event`.
    pub fn accepts(&self, event: &StoredEvent) -> bool {
        let json = &event.json;
        self.events.matches(event)
            && self.stream_ids.as_ref().is_none_or(|ids| {
                json.get("stream_id")
                    .and_then(Value::as_str)
                    .is_some_and(|s| ids.iter().any(|i| i.eq_ignore_ascii_case(s)))
            })
            && self.labels.as_ref().is_none_or(|labels| {
                let listed = |label: Option<&Value>| {
                    label
                        .and_then(Value::as_str)
                        .is_some_and(|l| labels.iter().any(|x| x == l))
                };
                let in_results = json
                    .get("match_result")
                    .and_then(Value::as_array)
                    .is_some_and(|items| {
                        items.iter().any(|item| {
                            listed(item.get("label"))
                                && item
                                    .get("candidates")
                                    .and_then(Value::as_array)
                                    .is_some_and(|c| !c.is_empty())
                        })
                    });
                in_results || listed(value_at(json, &["top_match", "label"]))
            })
    }
}

/// An event as a subscriber receives it.
pub fn message(event: &StoredEvent) -> String {
    let all: Vec<String> = EVENT_FIELDS.iter().map(|s| (*s).to_owned()).collect();
    event.to_json(&all).to_string()
}

async fn subscribe(State(app): State<App>, request: Request) -> Response {
    match open(app, request).await {
        Ok(response) | Err(response) => response,
    }
}

async fn open(app: App, request: Request) -> Result<Response, Response> {
    let (mut parts, body) = request.into_parts();
    let upgrade = WebSocketUpgrade::from_request_parts(&mut parts, &app).await;
    let req = <Req as axum::extract::FromRequest<App>>::from_request(
        Request::from_parts(parts, body),
        &app,
    )
    .await
    .map_err(IntoResponse::into_response)?;
    let check = || -> ApiResult<Subscription> {
        let account = req.header_account.ok_or_else(|| {
            ApiError::forbidden(
                29001,
                "Forbidden. Cannot subscribe for events without 'Luna-Account-Id' header set",
            )
        })?;
        let mut names: Vec<&str> = SUBSCRIPTION_FILTERS.iter().map(|(n, _)| *n).collect();
        names.push(META_FILTERS);
        let params = req.params(&names)?;
        let mut scope = Scope::of(account);
        if let Some(query) = params.uuid("account_id")? {
            scope = scope.and(query);
        }
        Subscription::read(&params, scope)
    };
    let subscription = check().map_err(IntoResponse::into_response)?;
    let upgrade = upgrade.map_err(|rejection| {
        ApiError::bad_input(format!(
            "A WebSocket upgrade is required: {}",
            rejection.body_text()
        ))
        .into_response()
    })?;
    let feed = app.store.events().subscribe();
    Ok(upgrade
        .on_upgrade(move |socket| serve(socket, subscription, feed))
        .into_response())
}

/// Sends the accepted events until the client closes (pings are answered by the socket).
async fn serve(
    mut socket: WebSocket,
    subscription: Subscription,
    mut feed: tokio::sync::broadcast::Receiver<Arc<StoredEvent>>,
) {
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => {}
            },
            event = feed.recv() => match event {
                Ok(event) => {
                    if subscription.accepts(&event)
                        && socket.send(Message::text(message(&event))).await.is_err()
                    {
                        return;
                    }
                }
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => {
                    let _ = socket.send(Message::Close(None)).await;
                    return;
                }
            },
        }
    }
}

async fn publish(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let params = req.params(&["handler_id"])?;
    let handler = params
        .uuid("handler_id")?
        .ok_or_else(|| ApiError::missing_query("handler_id"))?;
    let account = req.owner()?;
    let mut body = req.json_object()?;
    if let Some(given) = body.get("handler_id") {
        if given.as_str() != Some(handler.to_string().as_str()) {
            return Err(ApiError::bad_json_at(
                "handler_id",
                "differs from the handler_id of the query",
            ));
        }
    }
    body.insert("handler_id".into(), json!(handler));
    let event = StoredEvent::from_json(&Value::Object(body), "event", Some(account))?;
    if event.account_id != account {
        return Err(ApiError::bad_json_at(
            "account_id",
            "differs from Luna-Account-Id",
        ));
    }
    app.store.events().publish(&event);
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        json!({"event_id": event.event_id}).to_string(),
    )
        .into_response())
}
