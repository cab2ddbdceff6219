//! luna-handlers (prefix `/1`, reference `handlers.md`): handlers and verifiers (CRUD, counts,
//! paging, validation), emitting events through the policy pipeline ([`pipeline`]), raw and
//! stream events, the detector, the extractor, object upgrade, verifications.

pub mod pipeline;
pub mod policies;

use crate::context::{created, json_response, no_content, ok, App, Req, Scope};
use crate::descriptors::{Descriptor, DEFAULT_FACE_VERSION};
use crate::errors::{ApiError, ApiResult};
use crate::estimation::FaceEstimator;
use crate::events::event_url;
use crate::events::model::StoredEvent;
use crate::faces::model::{AttributeData, TempAttribute};
use crate::inputs::{self, FACE_SAMPLES_BUCKET};
use crate::matching::{best_similarity, DescriptorKind, Origin, ReferenceSpec};
use crate::openapi::Routes;
use crate::paging::Paging;
use crate::query::{parse_uuid, Params};
use crate::recognition::{detect, Subject};
use crate::time_format::{format_time, now, parse_time};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use pipeline::{analyse, failed_image, EventContext};
use policies::{DetectPolicy, ExtractPolicy, Policies};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// API version prefix.
pub const PREFIX: &str = "/1";
/// Largest `page_size` of handler and verifier lists (LUNA's usual cap).
const PAGE_SIZE_MAX: i64 = 100;
/// Longest `description`, `user_data`, `source`.
const TEXT_MAX: usize = 128;

/// A handler.
#[derive(Clone, Debug)]
pub struct Handler {
    /// Id.
    pub handler_id: Uuid,
    /// Owner.
    pub account_id: Uuid,
    /// Description.
    pub description: String,
    /// 0 static, 1 dynamic, 2 lambda.
    pub handler_type: i64,
    /// Lambda of a lambda handler.
    pub lambda_id: Option<Uuid>,
    /// Policies as given (`null` for dynamic and lambda handlers).
    pub policies: Value,
    /// Creation time.
    pub create_time: OffsetDateTime,
    /// Last change.
    pub last_update_time: OffsetDateTime,
}

/// A verifier.
#[derive(Clone, Debug)]
pub struct Verifier {
    /// Id.
    pub verifier_id: Uuid,
    /// Owner.
    pub account_id: Uuid,
    /// Description.
    pub description: String,
    /// Policies as given.
    pub policies: Value,
    /// Creation time.
    pub create_time: OffsetDateTime,
    /// Last change.
    pub last_update_time: OffsetDateTime,
}

/// The luna-handlers state.
#[derive(Default)]
pub struct HandlersState {
    handlers: BTreeMap<Uuid, Handler>,
    verifiers: BTreeMap<Uuid, Verifier>,
}

impl Handler {
    fn to_json(&self) -> Value {
        json!({
            "handler_id": self.handler_id,
            "account_id": self.account_id,
            "description": self.description,
            "handler_type": self.handler_type,
            "lambda_id": self.lambda_id,
            "policies": self.policies,
            "create_time": format_time(self.create_time),
            "last_update_time": format_time(self.last_update_time),
        })
    }
}

impl Verifier {
    fn to_json(&self) -> Value {
        json!({
            "verifier_id": self.verifier_id,
            "account_id": self.account_id,
            "description": self.description,
            "policies": self.policies,
            "create_time": format_time(self.create_time),
            "last_update_time": format_time(self.last_update_time),
        })
    }
}

/// The luna-handlers routes and their spec entries.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/1/handlers",
            get(get_handlers).post(create_handler),
            &[
                ("post", "create a handler", "201"),
                ("get", "handlers by description and type, paged", "200"),
            ],
        )
        .route(
            "/1/handlers/count",
            get(count_handlers),
            &[("get", "count handlers", "200")],
        )
        .route(
            "/1/handlers/validator",
            post(validate_handler),
            &[("post", "validate handler policies", "204")],
        )
        .route(
            "/1/handlers/{handler_id}",
            get(get_handler).put(put_handler).delete(delete_handler),
            &[
                ("get", "get a handler", "200"),
                ("head", "check a handler", "200"),
                ("put", "replace a handler", "204"),
                ("delete", "delete a handler", "204"),
            ],
        )
        .route(
            "/1/handlers/{handler_id}/events",
            post(emit_events),
            &[(
                "post",
                "emit events: run the handler's policies on images",
                "201",
            )],
        )
        .route(
            "/1/handlers/{handler_id}/events/raw",
            post(save_raw_event),
            &[("post", "save one event as given", "201")],
        )
        .route(
            "/1/handlers/{handler_id}/stream_events",
            post(emit_stream_events),
            &[("post", "emit events of stream sources", "201")],
        )
        .route(
            "/1/detector",
            post(detector),
            &[("post", "detect faces and store their samples", "201")],
        )
        .route(
            "/1/extractor",
            post(extractor),
            &[("post", "extract attributes from samples", "201")],
        )
        .route(
            "/1/upgrade",
            post(upgrade),
            &[(
                "post",
                "extract a face's or event's descriptor of another version from its samples",
                "200",
            )],
        )
        .route(
            "/1/verifiers",
            get(get_verifiers).post(create_verifier),
            &[
                ("post", "create a verifier", "201"),
                ("get", "verifiers by description, paged", "200"),
            ],
        )
        .route(
            "/1/verifiers/count",
            get(count_verifiers),
            &[("get", "count verifiers", "200")],
        )
        .route(
            "/1/verifiers/{verifier_id}",
            get(get_verifier).put(put_verifier).delete(delete_verifier),
            &[
                ("get", "get a verifier", "200"),
                ("head", "check a verifier", "200"),
                ("put", "replace a verifier", "200"),
                ("delete", "delete a verifier", "204"),
            ],
        )
        .route(
            "/1/verifiers/{verifier_id}/verifications",
            post(verify_data),
            &[(
                "post",
                "verify images or descriptors against faces, events or attributes",
                "201",
            )],
        )
        .route(
            "/1/verifiers/{verifier_id}/raw",
            post(verify_raw),
            &[("post", "verify descriptors against descriptors", "200")],
        )
}

fn path_id(name: &str, value: &str) -> ApiResult<Uuid> {
    parse_uuid(name, value)
}

fn handler_not_found(id: Uuid) -> ApiError {
    ApiError::not_found(34000, "Handler", id)
}

fn verifier_not_found(id: Uuid) -> ApiError {
    ApiError::not_found(34004, "Verifier", id)
}

fn text(map: &Map<String, Value>, name: &str) -> ApiResult<Option<String>> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= TEXT_MAX => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::bad_json_at(
            name,
            format!("expected a string of at most {TEXT_MAX} characters"),
        )),
    }
}

fn only(map: &Map<String, Value>, members: &[&str]) -> ApiResult<()> {
    match map.keys().find(|k| !members.contains(&k.as_str())) {
        Some(bad) => Err(ApiError::bad_json_at(
            bad,
            "additional properties are not allowed",
        )),
        None => Ok(()),
    }
}

/// Checks that the lists named by `policies` exist for `owner` (22005 otherwise).
fn check_policy_lists(app: &App, policies: &Value, owner: Uuid) -> ApiResult<()> {
    app.store
        .faces()
        .check_lists(&Policies::lists(policies), &Scope::of(owner))
}

/// A handler from a create / replace body.
fn read_handler(app: &App, req: &Req, handler_id: Uuid) -> ApiResult<Handler> {
    let owner = req.owner()?;
    let body = req.json_object()?;
    only(
        &body,
        &["policies", "handler_type", "lambda_id", "description"],
    )?;
    let handler_type = match body.get("handler_type") {
        None | Some(Value::Null) => 0,
        Some(v) => v
            .as_i64()
            .filter(|t| (0..=2).contains(t))
            .ok_or_else(|| ApiError::bad_json_at("handler_type", "expected 0, 1 or 2"))?,
    };
    let lambda_id = match body.get("lambda_id") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_str()
                .and_then(|s| Uuid::try_parse(s).ok())
                .ok_or_else(|| ApiError::bad_json_at("lambda_id", "expected a uuid"))?,
        ),
    };
    let policies = match handler_type {
        0 => {
            let policies = body
                .get("policies")
                .filter(|p| !p.is_null())
                .ok_or_else(|| {
                    ApiError::bad_json_at("policies", "required for a static handler")
                })?;
            Policies::handler(policies, "policies", owner)?;
            check_policy_lists(app, policies, owner)?;
            policies.clone()
        }
        1 => Value::Null,
        _ => {
            if lambda_id.is_none() {
                return Err(ApiError::bad_json_at(
                    "lambda_id",
                    "required for a lambda handler",
                ));
            }
            Value::Null
        }
    };
    let t = now();
    Ok(Handler {
        handler_id,
        account_id: owner,
        description: text(&body, "description")?.unwrap_or_default(),
        handler_type,
        lambda_id,
        policies,
        create_time: t,
        last_update_time: t,
    })
}

async fn create_handler(State(app): State<App>, req: Req) -> ApiResult<Response> {
    req.params(&[])?;
    let handler = read_handler(&app, &req, Uuid::new_v4())?;
    let id = handler.handler_id;
    app.store.handlers().handlers.insert(id, handler);
    let url = format!("{PREFIX}/handlers/{id}");
    Ok(created(&url, json!({"handler_id": id, "url": url})))
}

async fn put_handler(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    req.params(&[])?;
    let id = path_id("handler_id", &id)?;
    let mut handler = read_handler(&app, &req, id)?;
    let mut state = app.store.handlers();
    let old = state
        .handlers
        .get(&id)
        .filter(|h| h.account_id == handler.account_id)
        .ok_or_else(|| handler_not_found(id))?;
    handler.create_time = old.create_time;
    state.handlers.insert(id, handler);
    Ok(no_content())
}

async fn get_handler(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let id = path_id("handler_id", &id)?;
    let state = app.store.handlers();
    let handler = state
        .handlers
        .get(&id)
        .filter(|h| scope.sees(h.account_id))
        .ok_or_else(|| handler_not_found(id))?;
    Ok(ok(handler.to_json()))
}

async fn delete_handler(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let id = path_id("handler_id", &id)?;
    let mut state = app.store.handlers();
    if !state
        .handlers
        .get(&id)
        .is_some_and(|h| scope.sees(h.account_id))
    {
        return Err(handler_not_found(id));
    }
    state.handlers.remove(&id);
    Ok(no_content())
}

fn handler_matches(h: &Handler, scope: &Scope, params: &Params) -> ApiResult<bool> {
    let description = params.str("description");
    let handler_type = params.int("handler_type", 0, 2)?;
    Ok(scope.sees(h.account_id)
        && description.is_none_or(|d| h.description.contains(d))
        && handler_type.is_none_or(|t| h.handler_type == t))
}

fn sorted_handlers(app: &App, scope: &Scope, params: &Params) -> ApiResult<Vec<Value>> {
    let state = app.store.handlers();
    let mut found: Vec<&Handler> = Vec::new();
    for h in state.handlers.values() {
        if handler_matches(h, scope, params)? {
            found.push(h);
        }
    }
    found.sort_by_key(|h| (h.create_time, h.handler_id));
    Ok(found.into_iter().map(Handler::to_json).collect())
}

async fn get_handlers(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["description", "handler_type", "page", "page_size"])?;
    let paging = Paging::read(&params, PAGE_SIZE_MAX, false)?;
    let all = sorted_handlers(&app, &scope, &params)?;
    Ok(ok(json!({"handlers": paging.slice(all)})))
}

async fn count_handlers(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["description", "handler_type"])?;
    let count = sorted_handlers(&app, &scope, &params)?.len();
    Ok(ok(json!({"handlers_count": count})))
}

async fn validate_handler(req: Req) -> ApiResult<Response> {
    req.params(&[])?;
    let body = req.json_object()?;
    only(&body, &["policies"])?;
    let policies = body
        .get("policies")
        .ok_or_else(|| ApiError::bad_json_at("policies", "required"))?;
    let owner = req
        .header_account
        .or(req.default_account)
        .unwrap_or_default();
    Policies::handler(policies, "policies", owner)?;
    Ok(no_content())
}

// ------------------------------------------------------------------------------------------
// Emitting events

/// The query names of `emit_events`.
const EMIT_PARAMS: [&str; 16] = [
    "external_id",
    "user_data",
    "aggregate_attributes",
    "source",
    "stream_id",
    "city",
    "area",
    "district",
    "street",
    "house_number",
    "tags",
    "latitude",
    "longitude",
    "image_type",
    "track_id",
    "use_exif_info",
];

fn header_time(req: &Req, name: &str) -> ApiResult<Option<OffsetDateTime>> {
    match req.headers.get(name) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(parse_time)
            .map(Some)
            .ok_or_else(|| ApiError::bad_input(format!("{name} is not an RFC 3339 time"))),
    }
}

fn bounded(params: &Params, name: &str) -> ApiResult<Option<String>> {
    match params.str(name) {
        Some(v) if v.chars().count() > TEXT_MAX => Err(ApiError::bad_query(
            name,
            format!("longer than {TEXT_MAX} characters"),
        )),
        v => Ok(v.map(str::to_owned)),
    }
}

fn event_context(
    req: &Req,
    params: &Params,
    owner: Uuid,
    handler_id: Uuid,
) -> ApiResult<EventContext> {
    let mut location = Map::new();
    for name in ["city", "area", "district", "street", "house_number"] {
        if let Some(v) = bounded(params, name)? {
            location.insert(name.into(), json!(v));
        }
    }
    let latitude = params.number("latitude", -90.0, 90.0)?;
    let longitude = params.number("longitude", -180.0, 180.0)?;
    match (latitude, longitude) {
        (Some(latitude), Some(longitude)) => {
            location.insert(
                "geo_position".into(),
                json!({"latitude": latitude, "longitude": longitude}),
            );
        }
        (None, None) => {}
        _ => {
            return Err(ApiError::bad_query(
                "latitude",
                "give both latitude and longitude, or none",
            ))
        }
    }
    let tags = params
        .list("tags")?
        .unwrap_or_default()
        .into_iter()
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(EventContext {
        owner,
        handler_id: Some(handler_id),
        external_id: bounded(params, "external_id")?,
        user_data: bounded(params, "user_data")?,
        source: bounded(params, "source")?,
        stream_id: params.uuid("stream_id")?,
        track_id: bounded(params, "track_id")?,
        tags,
        location: (!location.is_empty()).then_some(Value::Object(location)),
        meta: None,
        create_time: header_time(req, "luna-event-time")?,
        end_time: header_time(req, "luna-event-end-time")?,
    })
}

/// The handler of `id` for `owner` and its policies (dynamic handlers: `given`).
fn handler_policies(
    app: &App,
    id: Uuid,
    owner: Uuid,
    given: Option<&Value>,
) -> ApiResult<Policies> {
    let handler = app
        .store
        .handlers()
        .handlers
        .get(&id)
        .filter(|h| h.account_id == owner)
        .cloned()
        .ok_or_else(|| handler_not_found(id))?;
    match (handler.handler_type, given) {
        (0, None) => Policies::handler(&handler.policies, "policies", owner),
        (0, Some(_)) => Err(ApiError::bad_input(
            "Policies are given with the emit request of a static handler",
        )),
        (1, Some(policies)) => {
            check_policy_lists(app, policies, owner)?;
            Policies::handler(policies, "policies", owner)
        }
        (1, None) => Err(ApiError::bad_input(
            "A dynamic handler needs policies with the request (part or member 'policies')",
        )),
        _ => Err(ApiError::bad_input(
            "Lambda handlers are not modelled by luna-emulator",
        )),
    }
}

/// Stores events now (`wait`) or right after the answer.
fn store_events(app: &App, events: Vec<StoredEvent>, wait: bool) -> ApiResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    if wait {
        app.store.events().store_events(events)?;
    } else {
        let store = app.store.clone();
        tokio::spawn(async move {
            let _ = store.events().store_events(events);
        });
    }
    Ok(())
}

async fn emit_events(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let params = req.params(&EMIT_PARAMS)?;
    let handler_id = path_id("handler_id", &id)?;
    let owner = req.owner()?;
    let ctx = event_context(&req, &params, owner, handler_id)?;
    params.flag("use_exif_info")?;
    let aggregate = params.flag("aggregate_attributes")?.unwrap_or(false);
    let image_type = params.int("image_type", 0, 2)?.unwrap_or(0);
    let inputs = inputs::read(&req, &app, &["policies", "meta"])?;
    inputs.images_only()?;
    let policies = handler_policies(&app, handler_id, owner, inputs.members.get("policies"))?;
    let mut ctx = ctx;
    if let Some(meta) = inputs.members.get("meta") {
        if !meta.is_object() {
            return Err(ApiError::bad_json_at("meta", "expected an object"));
        }
        ctx.meta = Some(meta.clone());
    }
    let (answers, images, to_store) =
        emit(&app, &policies, inputs.images, image_type, aggregate, &ctx)?;
    store_events(&app, to_store, policies.storage.wait_saving)?;
    Ok(json_response(
        StatusCode::CREATED,
        json!({"events": answers, "images": images}),
    ))
}

type EmitResult = (Vec<Value>, Vec<Value>, Vec<StoredEvent>);

/// Runs `policies` on `inputs`: the events' answers, the images' statuses, the events to store.
fn emit(
    app: &App,
    policies: &Policies,
    inputs: Vec<inputs::Input>,
    image_type: i64,
    aggregate: bool,
    ctx: &EventContext,
) -> ApiResult<EmitResult> {
    let mut images = Vec::new();
    let mut analyses = Vec::new();
    for input in inputs {
        match analyse(input, image_type, &policies.detect, &policies.extract) {
            Err((filename, e)) => images.push(failed_image(&filename, &e)),
            Ok(a) => match a.filtered {
                Some(reason) => images.push(json!({
                    "filename": a.filename, "status": 1,
                    "filtered_detections": {"face_detections": [{"filter_reason": reason}]}
                })),
                None => {
                    images.push(json!({"filename": a.filename, "status": 1}));
                    analyses.push(a);
                }
            },
        }
    }
    let mut answers = Vec::new();
    let mut to_store = Vec::new();
    let mut push = |emitted: pipeline::Emitted| {
        answers.push(emitted.answer);
        to_store.extend(emitted.to_store);
    };
    if aggregate && !analyses.is_empty() {
        let kept: Vec<Value> = analyses
            .iter()
            .map(|a| {
                let mut e = Map::new();
                if let Some(r) = a.face_rect {
                    e.insert(
                        "face".into(),
                        json!({"detection": {"rect": r}, "attributes": a.face_attributes}),
                    );
                }
                if let Some(r) = a.body_rect {
                    e.insert(
                        "body".into(),
                        json!({"detection": {"rect": r}, "attributes": a.body_attributes}),
                    );
                }
                Value::Object(e)
            })
            .collect();
        let aggregated = crate::remote_sdk::aggregate(&kept);
        push(pipeline::run(
            app,
            policies,
            &analyses,
            ctx,
            Some(aggregated),
        )?);
    } else {
        for a in &analyses {
            push(pipeline::run(
                app,
                policies,
                std::slice::from_ref(a),
                ctx,
                None,
            )?);
        }
    }
    Ok((answers, images, to_store))
}

async fn save_raw_event(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let params = req.params(&["wait_saving"])?;
    let wait = params.flag("wait_saving")?.unwrap_or(false);
    let handler_id = path_id("handler_id", &id)?;
    let owner = req.owner()?;
    let known = app
        .store
        .handlers()
        .handlers
        .get(&handler_id)
        .is_some_and(|h| h.account_id == owner);
    if !known {
        return Err(handler_not_found(handler_id));
    }
    let mut body = req.json_object()?;
    for member in ["event_id", "url"] {
        if body.contains_key(member) {
            return Err(ApiError::bad_json_at(member, "set by the service"));
        }
    }
    body.insert("handler_id".into(), json!(handler_id));
    if !body.contains_key("account_id") {
        body.insert("account_id".into(), json!(owner));
    }
    let event = StoredEvent::from_json(&Value::Object(body), "", Some(owner))?;
    if event.account_id != owner {
        return Err(ApiError::bad_json_at(
            "account_id",
            "must be the request's account",
        ));
    }
    let event_id = event.event_id;
    store_events(&app, vec![event], wait)?;
    let url = event_url(event_id);
    Ok(created(&url, json!({"event_id": event_id, "url": url})))
}

/// `POST /handlers/{id}/stream_events`: `{"sources": [{"source_type": "raw_image" |
/// "detections", "source_data": base64 image, "filename", "face_detection_data",
/// "body_detection_data", "detect_time", "detect_ts", "image_origin"}]}`; each source with an
/// image is emitted like an image of `emit_events`; `detections` sources without an image
/// give no event (the emulator cannot estimate a bare box).
async fn emit_stream_events(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let params = req.params(&EMIT_PARAMS)?;
    let handler_id = path_id("handler_id", &id)?;
    let owner = req.owner()?;
    let mut ctx = event_context(&req, &params, owner, handler_id)?;
    let image_type = params.int("image_type", 0, 2)?.unwrap_or(0);
    let body = req.json_object()?;
    only(&body, &["sources", "meta", "policies"])?;
    let sources = body
        .get("sources")
        .and_then(Value::as_array)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::bad_json_at("sources", "a non-empty array is required"))?;
    if let Some(meta) = body.get("meta") {
        ctx.meta = Some(meta.clone());
    }
    let policies = handler_policies(&app, handler_id, owner, body.get("policies"))?;
    let mut list = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let at = format!("sources.{i}");
        let s = source
            .as_object()
            .ok_or_else(|| ApiError::bad_json_at(&at, "expected an object"))?;
        let kind = s
            .get("source_type")
            .and_then(Value::as_str)
            .unwrap_or("raw_image");
        if !["raw_image", "detections"].contains(&kind) {
            return Err(ApiError::bad_json_at(
                &format!("{at}.source_type"),
                "expected raw_image or detections",
            ));
        }
        if let Some(t) = s.get("detect_time") {
            t.as_str().and_then(parse_time).ok_or_else(|| {
                ApiError::bad_json_at(&format!("{at}.detect_time"), "expected an RFC 3339 time")
            })?;
        }
        let Some(data) = s.get("source_data").filter(|d| !d.is_null()) else {
            continue;
        };
        let bytes = data
            .as_str()
            .and_then(|d| STANDARD.decode(d).ok())
            .ok_or_else(|| {
                ApiError::bad_json_at(&format!("{at}.source_data"), "expected base64")
            })?;
        let filename = s
            .get("filename")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| i.to_string());
        list.push(inputs::Input {
            filename,
            image: Ok(Bytes::from(bytes)),
            sample: false,
            stored_id: None,
        });
    }
    let (answers, images, to_store) = emit(&app, &policies, list, image_type, false, &ctx)?;
    store_events(&app, to_store, policies.storage.wait_saving)?;
    Ok(json_response(
        StatusCode::CREATED,
        json!({"events": answers, "images": images}),
    ))
}

// ------------------------------------------------------------------------------------------
// Detector, extractor, upgrade

/// `/detector` flags and the face estimation each asks for.
const DETECTOR_FLAGS: [(&str, Option<FaceEstimator>); 11] = [
    ("estimate_head_pose", Some(FaceEstimator::HeadPose)),
    ("estimate_emotions", Some(FaceEstimator::Emotions)),
    ("estimate_mask", Some(FaceEstimator::Mask)),
    ("detect_landmarks68", Some(FaceEstimator::Landmarks68)),
    ("estimate_quality", Some(FaceEstimator::Quality)),
    ("estimate_face_quality", Some(FaceEstimator::Quality)),
    ("estimate_gaze", Some(FaceEstimator::Gaze)),
    (
        "estimate_eyes_attributes",
        Some(FaceEstimator::EyesAttributes),
    ),
    (
        "estimate_mouth_attributes",
        Some(FaceEstimator::MouthAttributes),
    ),
    ("extract_exif", None),
    ("use_exif_info", None),
];

async fn detector(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let mut names: Vec<&str> = DETECTOR_FLAGS.iter().map(|f| f.0).collect();
    names.extend([
        "multiface_policy",
        "pitch_threshold",
        "roll_threshold",
        "yaw_threshold",
        "warped_image",
        "image_type",
    ]);
    let params = req.params(&names)?;
    let owner = req.owner()?;
    params.int("multiface_policy", 0, 2)?;
    let mut detect_policy = DetectPolicy {
        detect_face: true,
        ..DetectPolicy::default()
    };
    for (name, estimator) in DETECTOR_FLAGS {
        if params.flag(name)? == Some(true) {
            if let Some(e) = estimator {
                if !detect_policy.face.contains(&e) {
                    detect_policy.face.push(e);
                }
            }
        }
    }
    let exif = params.flag("extract_exif")? == Some(true);
    let angle = |name| params.int(name, 0, 180).map(|v| v.map(|v| v as f64));
    detect_policy.filters.pitch = angle("pitch_threshold")?;
    detect_policy.filters.roll = angle("roll_threshold")?;
    detect_policy.filters.yaw = angle("yaw_threshold")?;
    let warped = params.flag("warped_image")?;
    let image_type = match (params.int("image_type", 0, 1)?, warped) {
        (Some(t), _) => t,
        (None, Some(w)) => i64::from(w),
        (None, None) => 0,
    };
    let extract = ExtractPolicy {
        face_descriptor: false,
        body_descriptor: false,
        basic_attributes: false,
        score_threshold: None,
    };
    let inputs = inputs::read(&req, &app, &[])?;
    inputs.images_only()?;
    let mut images = Vec::new();
    for input in inputs.images {
        match analyse(input, image_type, &detect_policy, &extract) {
            Err((filename, e)) => images.push(failed_image(&filename, &e)),
            Ok(a) => {
                let Some(rect) = a.face_rect else {
                    continue;
                };
                let face = json!({"detection": {"rect": rect, "attributes": a.face_attributes}});
                let (samples, filtered) = match a.filtered {
                    Some(reason) => (
                        vec![],
                        json!({"samples": [{"face": face, "filter_reason": reason}]}),
                    ),
                    None => {
                        let id = Uuid::new_v4();
                        let side = crate::estimation::FACE_WARP_SIDE;
                        let url = app.store.images().put_image(
                            FACE_SAMPLES_BUCKET,
                            id,
                            owner,
                            "image/png",
                            Bytes::from(a.detection.subject.warp(side, side)),
                        );
                        let mut face = face;
                        face["sample_id"] = json!(id);
                        face["url"] = json!(url);
                        (vec![json!({ "face": face })], json!({"samples": []}))
                    }
                };
                let mut image = json!({
                    "filename": a.filename,
                    "status": 1,
                    "detections": {"samples": samples, "filtered_detections": filtered},
                });
                if exif {
                    image["exif"] = json!({});
                }
                images.push(image);
            }
        }
    }
    Ok(json_response(
        StatusCode::CREATED,
        json!({ "images": images }),
    ))
}

/// The subject of a stored sample of `owner`.
fn sample_subject(app: &App, id: Uuid, scope: &Scope) -> ApiResult<Subject> {
    let mut images = app.store.images();
    let (_, bytes) = images
        .image(FACE_SAMPLES_BUCKET, id, scope)
        .or_else(|| images.find_image(id, scope))
        .ok_or_else(|| ApiError::image_load(format!("Sample '{id}' not found")))?;
    detect(&bytes)
        .map(|d| d.subject)
        .ok_or_else(|| ApiError::invalid_image(format!("Sample '{id}' is not a PNG or JPEG image")))
}

async fn extractor(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let params = req.params(&[
        "extract_descriptor",
        "extract_basic_attributes",
        "aggregate_attributes",
        "score_threshold",
        "ttl",
        "descriptor_version",
    ])?;
    let owner = req.owner()?;
    let descriptor = params.flag("extract_descriptor")?.unwrap_or(true);
    let basic = params.flag("extract_basic_attributes")?.unwrap_or(false);
    if !descriptor && !basic {
        return Err(ApiError::invalid(
            12031,
            "Nothing to extract: extract_descriptor and extract_basic_attributes are both 0",
        ));
    }
    let aggregate = params.flag("aggregate_attributes")?.unwrap_or(false);
    let threshold = params.number("score_threshold", 0.0, 1.0)?.unwrap_or(0.0);
    let ttl = params
        .int("ttl", 1, policies::ATTRIBUTE_TTL_MAX)?
        .unwrap_or(policies::ATTRIBUTE_TTL_DEFAULT);
    let version = params
        .int("descriptor_version", 1, i64::from(u32::MAX))?
        .map(|v| v as u32)
        .unwrap_or(DEFAULT_FACE_VERSION);
    let body = req.json()?;
    let ids = body
        .as_array()
        .filter(|a| !a.is_empty() && a.len() <= inputs::IMAGES_MAX)
        .ok_or_else(|| ApiError::bad_json_at("", "expected an array of 1 to 64 sample ids"))?
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_str()
                .and_then(|s| Uuid::try_parse(s).ok())
                .ok_or_else(|| ApiError::bad_json_at(&i.to_string(), "expected a sample id"))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let scope = Scope::of(owner);
    let subjects = ids
        .iter()
        .map(|id| sample_subject(&app, *id, &scope).map(|s| (*id, s)))
        .collect::<ApiResult<Vec<_>>>()?;
    let groups: Vec<Vec<(Uuid, Subject)>> = if aggregate {
        vec![subjects]
    } else {
        subjects.into_iter().map(|s| vec![s]).collect()
    };
    let mut answer = Vec::new();
    let mut faces = app.store.faces();
    for group in groups {
        let Some((_, subject)) = group.first() else {
            continue;
        };
        let found = subject.attributes();
        if found.quality < threshold {
            continue;
        }
        let sample_ids: Vec<Uuid> = group.iter().map(|g| g.0).collect();
        let d = subject.descriptor(version);
        let basic_attributes = json!({"age": found.age, "gender": found.gender,
                                      "ethnicity": found.ethnicity.code});
        let attribute_id = Uuid::new_v4();
        faces.attributes.insert(
            attribute_id,
            TempAttribute {
                attribute_id,
                account_id: owner,
                data: AttributeData {
                    descriptors: if descriptor { vec![d.clone()] } else { vec![] },
                    basic_attributes: basic.then(|| basic_attributes.clone()),
                    descriptor_samples: if descriptor {
                        sample_ids.clone()
                    } else {
                        vec![]
                    },
                    basic_attributes_samples: if basic { sample_ids.clone() } else { vec![] },
                    create_time: Some(now()),
                },
                expires: now() + Duration::seconds(ttl),
            },
        );
        let mut item = json!({
            "attribute_id": attribute_id,
            "url": format!("/3/attributes/{attribute_id}"),
            "sample_ids": sample_ids,
        });
        if descriptor {
            item["descriptor"] = json!({"sdk_descriptor": STANDARD.encode(d.sdk_bytes()),
                                        "version": d.version, "garbage_score": found.quality});
        }
        if basic {
            item["basic_attributes"] = basic_attributes;
        }
        answer.push(item);
    }
    Ok(json_response(StatusCode::CREATED, Value::Array(answer)))
}

/// `POST /1/upgrade` `{"face_id" | "event_id", "descriptor_version"?, "extract_descriptor"?,
/// "extract_basic_attributes"?}`: recomputes from the object's samples.
async fn upgrade(State(app): State<App>, req: Req) -> ApiResult<Response> {
    req.params(&[])?;
    let owner = req.owner()?;
    let scope = Scope::of(owner);
    let body = req.json_object()?;
    only(
        &body,
        &[
            "face_id",
            "event_id",
            "descriptor_version",
            "extract_descriptor",
            "extract_basic_attributes",
        ],
    )?;
    let flag = |name: &str, default: bool| -> ApiResult<bool> {
        match body.get(name) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => match v.as_i64().or(v.as_bool().map(i64::from)) {
                Some(0) => Ok(false),
                Some(1) => Ok(true),
                _ => Err(ApiError::bad_json_at(name, "expected 0 or 1")),
            },
        }
    };
    let descriptor = flag("extract_descriptor", true)?;
    let basic = flag("extract_basic_attributes", false)?;
    if !descriptor && !basic {
        return Err(ApiError::invalid(
            12031,
            "Nothing to extract: extract_descriptor and extract_basic_attributes are both 0",
        ));
    }
    let version = match body.get("descriptor_version") {
        None | Some(Value::Null) => DEFAULT_FACE_VERSION,
        Some(v) => v
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .filter(|v| *v > 0)
            .ok_or_else(|| {
                ApiError::bad_json_at("descriptor_version", "expected a positive integer")
            })?,
    };
    let id_of = |name: &str| -> ApiResult<Option<Uuid>> {
        match body.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_str()
                .and_then(|s| Uuid::try_parse(s).ok())
                .map(Some)
                .ok_or_else(|| ApiError::bad_json_at(name, "expected a uuid")),
        }
    };
    match (id_of("face_id")?, id_of("event_id")?) {
        (Some(face_id), None) => {
            let samples = {
                let faces = app.store.faces();
                let face = faces
                    .faces
                    .get(&face_id)
                    .filter(|f| scope.sees(f.account_id))
                    .ok_or_else(|| ApiError::not_found(22002, "Face", face_id))?;
                let a = face
                    .attribute
                    .as_ref()
                    .ok_or_else(|| ApiError::not_found(22011, "Attributes of face", face_id))?;
                let mut samples = a.descriptor_samples.clone();
                samples.extend(a.basic_attributes_samples.iter().copied());
                samples
            };
            let sample = *samples.first().ok_or_else(|| {
                ApiError::invalid(
                    12031,
                    format!("Face '{face_id}' has no samples to upgrade from"),
                )
            })?;
            let subject = sample_subject(&app, sample, &scope)?;
            let found = subject.attributes();
            let mut faces = app.store.faces();
            let a = faces
                .faces
                .get_mut(&face_id)
                .and_then(|f| f.attribute.as_mut())
                .ok_or_else(|| ApiError::not_found(22002, "Face", face_id))?;
            if descriptor {
                let d = subject.descriptor(version);
                a.descriptors.retain(|x| x.version != version);
                a.descriptors.push(d);
                a.descriptors.sort_by_key(|x| x.version);
            }
            if basic {
                a.basic_attributes = Some(json!({"age": found.age, "gender": found.gender,
                                                 "ethnicity": found.ethnicity.code}));
            }
            let versions: Vec<u32> = a.descriptors.iter().map(|d| d.version).collect();
            Ok(ok(
                json!({"face_id": face_id, "descriptor_versions": versions}),
            ))
        }
        (None, Some(event_id)) => {
            let sample = {
                let events = app.store.events();
                let event = events.get(event_id, &scope)?;
                event
                    .json
                    .get("face_detections")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .find_map(|d| {
                        d["sample_id"]
                            .as_str()
                            .and_then(|s| Uuid::try_parse(s).ok())
                    })
                    .ok_or_else(|| {
                        ApiError::invalid(
                            12031,
                            format!("Event '{event_id}' has no face samples to upgrade from"),
                        )
                    })?
            };
            let subject = sample_subject(&app, sample, &scope)?;
            let found = subject.attributes();
            let d = subject.descriptor(version);
            let versions = app.store.events().modify(event_id, |event| {
                if descriptor {
                    event.face_descriptors.retain(|x| x.version != version);
                    event.face_descriptors.push(d);
                    event.face_descriptors.sort_by_key(|x| x.version);
                }
                if basic {
                    event.json.insert("age".into(), json!(found.age));
                    event.json.insert("gender".into(), json!(found.gender));
                    event
                        .json
                        .insert("ethnic_group".into(), json!(found.ethnicity.code));
                }
                event
                    .face_descriptors
                    .iter()
                    .map(|x| x.version)
                    .collect::<Vec<u32>>()
            })?;
            Ok(ok(
                json!({"event_id": event_id, "descriptor_versions": versions}),
            ))
        }
        _ => Err(ApiError::bad_json_at(
            "",
            "exactly one of face_id and event_id is required",
        )),
    }
}

// ------------------------------------------------------------------------------------------
// Verifiers

fn read_verifier(req: &Req, verifier_id: Uuid) -> ApiResult<Verifier> {
    let owner = req.owner()?;
    if req.content_type().as_deref() != Some("application/json") {
        return Err(ApiError::bad_content_type(
            &req.content_type().unwrap_or_default(),
        ));
    }
    let body = req.json_object()?;
    only(&body, &["policies", "description"])?;
    let policies = body
        .get("policies")
        .ok_or_else(|| ApiError::bad_json_at("policies", "required"))?;
    Policies::verifier(policies, "policies")?;
    let t = now();
    Ok(Verifier {
        verifier_id,
        account_id: owner,
        description: text(&body, "description")?.unwrap_or_default(),
        policies: policies.clone(),
        create_time: t,
        last_update_time: t,
    })
}

async fn create_verifier(State(app): State<App>, req: Req) -> ApiResult<Response> {
    req.params(&[])?;
    let verifier = read_verifier(&req, Uuid::new_v4())?;
    let id = verifier.verifier_id;
    app.store.handlers().verifiers.insert(id, verifier);
    let url = format!("{PREFIX}/verifiers/{id}");
    Ok(created(&url, json!({"verifier_id": id, "url": url})))
}

async fn put_verifier(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    req.params(&[])?;
    let id = path_id("verifier_id", &id)?;
    let mut verifier = read_verifier(&req, id)?;
    let mut state = app.store.handlers();
    let old = state
        .verifiers
        .get(&id)
        .filter(|v| v.account_id == verifier.account_id)
        .ok_or_else(|| verifier_not_found(id))?;
    verifier.create_time = old.create_time;
    let answer =
        json!({"verifier_id": id, "last_update_time": format_time(verifier.last_update_time)});
    state.verifiers.insert(id, verifier);
    Ok(ok(answer))
}

async fn get_verifier(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let id = path_id("verifier_id", &id)?;
    let state = app.store.handlers();
    let v = state
        .verifiers
        .get(&id)
        .filter(|v| scope.sees(v.account_id))
        .ok_or_else(|| verifier_not_found(id))?;
    Ok(ok(v.to_json()))
}

async fn delete_verifier(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let id = path_id("verifier_id", &id)?;
    let mut state = app.store.handlers();
    if !state
        .verifiers
        .get(&id)
        .is_some_and(|v| scope.sees(v.account_id))
    {
        return Err(verifier_not_found(id));
    }
    state.verifiers.remove(&id);
    Ok(no_content())
}

fn sorted_verifiers(app: &App, scope: &Scope, params: &Params) -> Vec<Value> {
    let description = params.str("description");
    let state = app.store.handlers();
    let mut found: Vec<&Verifier> = state
        .verifiers
        .values()
        .filter(|v| {
            scope.sees(v.account_id) && description.is_none_or(|d| v.description.contains(d))
        })
        .collect();
    found.sort_by_key(|v| (v.create_time, v.verifier_id));
    found.into_iter().map(Verifier::to_json).collect()
}

async fn get_verifiers(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["description", "page", "page_size"])?;
    let paging = Paging::read(&params, PAGE_SIZE_MAX, false)?;
    Ok(ok(
        json!({"verifiers": paging.slice(sorted_verifiers(&app, &scope, &params))}),
    ))
}

async fn count_verifiers(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["description"])?;
    Ok(ok(
        json!({"verifiers_count": sorted_verifiers(&app, &scope, &params).len()}),
    ))
}

fn verifier_policies(app: &App, id: Uuid, owner: Uuid) -> ApiResult<Policies> {
    let policies = app
        .store
        .handlers()
        .verifiers
        .get(&id)
        .filter(|v| v.account_id == owner)
        .map(|v| v.policies.clone())
        .ok_or_else(|| verifier_not_found(id))?;
    Policies::verifier(&policies, "policies")
}

/// The objects to verify against: `(origin, id, descriptors, json)`.
type Target = (Origin, String, Vec<Descriptor>, Value);

fn verification_targets(app: &App, params: &Params, scope: &Scope) -> ApiResult<Vec<Target>> {
    let given: Vec<&str> = ["face_ids", "event_ids", "external_ids", "attribute_ids"]
        .into_iter()
        .filter(|n| params.str(n).is_some())
        .collect();
    if given.len() != 1 {
        return Err(ApiError::bad_query(
            "face_ids",
            "give exactly one of face_ids, event_ids, external_ids, attribute_ids",
        ));
    }
    let name = given[0];
    let items = params.list(name)?.unwrap_or_default();
    let mut out = Vec::new();
    if name == "external_ids" {
        let faces = app.store.faces();
        for external in items {
            for face in faces
                .faces
                .values()
                .filter(|f| f.external_id == external && scope.sees(f.account_id))
            {
                let d = face
                    .attribute
                    .as_ref()
                    .map(|a| a.descriptors.clone())
                    .unwrap_or_default();
                out.push((
                    Origin::Faces,
                    face.face_id.to_string(),
                    d,
                    Value::Object(face.to_json()),
                ));
            }
        }
        return Ok(out);
    }
    let origin = match name {
        "face_ids" => Origin::Faces,
        "event_ids" => Origin::Events,
        _ => Origin::Attributes,
    };
    for item in items {
        let id = parse_uuid(name, item)?;
        let reference =
            ReferenceSpec::Object(origin, id).resolve(&app.store, scope, DescriptorKind::Face)?;
        let key = format!("{}_id", origin.singular());
        out.push((
            origin,
            id.to_string(),
            reference.descriptors,
            json!({ key: id }),
        ));
    }
    Ok(out)
}

fn verifications(descriptor: &Descriptor, targets: &[Target], threshold: f64) -> Vec<Value> {
    targets
        .iter()
        .map(|(origin, _, descriptors, object)| {
            let s = best_similarity(std::slice::from_ref(descriptor), descriptors).unwrap_or(0.0);
            json!({origin.singular(): object, "similarity": s, "status": s >= threshold})
        })
        .collect()
}

async fn verify_data(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let params = req.params(&[
        "face_ids",
        "event_ids",
        "external_ids",
        "attribute_ids",
        "image_type",
        "use_exif_info",
    ])?;
    let verifier_id = path_id("verifier_id", &id)?;
    let owner = req.owner()?;
    let policies = verifier_policies(&app, verifier_id, owner)?;
    let image_type = params.int("image_type", 0, 1)?.unwrap_or(0);
    params.flag("use_exif_info")?;
    let scope = Scope::of(owner);
    let targets = verification_targets(&app, &params, &scope)?;
    let inputs = inputs::read(&req, &app, &[])?;
    let threshold = policies.verification_threshold;
    let mut extract = policies.extract;
    extract.face_descriptor = true;
    let mut images = Vec::new();
    for (filename, bytes) in inputs.descriptors {
        let value = json!(STANDARD.encode(&bytes));
        match Descriptor::from_json(&value, &filename) {
            Err(e) => images.push(failed_image(&filename, &e)),
            Ok(d) => images.push(json!({
                "filename": filename, "status": 1,
                "detections": {"face_detections": [{"verifications": verifications(&d, &targets, threshold)}]},
            })),
        }
    }
    for input in inputs.images {
        match analyse(input, image_type, &policies.detect, &extract) {
            Err((filename, e)) => images.push(failed_image(&filename, &e)),
            Ok(a) => {
                let (Some(rect), Some(d)) = (a.face_rect, a.descriptor.as_ref()) else {
                    images.push(json!({"filename": a.filename, "status": 1, "detections": {"face_detections": []}}));
                    continue;
                };
                let mut face = json!({
                    "detection": {"rect": rect, "attributes": a.face_attributes},
                    "verifications": verifications(d, &targets, threshold),
                });
                if policies.storage.face_sample.on {
                    let sample = Uuid::new_v4();
                    let side = crate::estimation::FACE_WARP_SIDE;
                    app.store.images().put_image(
                        FACE_SAMPLES_BUCKET,
                        sample,
                        owner,
                        "image/png",
                        Bytes::from(a.detection.subject.warp(side, side)),
                    );
                    face["sample_id"] = json!(sample);
                }
                if policies.storage.attribute.on {
                    let attribute_id = Uuid::new_v4();
                    app.store.faces().attributes.insert(
                        attribute_id,
                        TempAttribute {
                            attribute_id,
                            account_id: owner,
                            data: AttributeData {
                                descriptors: vec![d.clone()],
                                create_time: Some(now()),
                                ..AttributeData::default()
                            },
                            expires: now() + Duration::seconds(policies.storage.attribute_ttl),
                        },
                    );
                    face["attribute_id"] = json!(attribute_id);
                }
                let (filtered, kept) = match a.filtered {
                    Some(reason) => (json!([{"filter_reason": reason}]), vec![]),
                    None => (json!([]), vec![face]),
                };
                images.push(json!({
                    "filename": a.filename, "status": 1,
                    "detections": {"face_detections": kept, "filtered_detections": filtered},
                }));
            }
        }
    }
    Ok(json_response(
        StatusCode::CREATED,
        json!({ "images": images }),
    ))
}

async fn verify_raw(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    req.params(&[])?;
    let verifier_id = path_id("verifier_id", &id)?;
    let owner = req.owner()?;
    let policies = verifier_policies(&app, verifier_id, owner)?;
    let body = req.json_object()?;
    only(&body, &["candidates", "references"])?;
    let read = |name: &str| -> ApiResult<Vec<(Value, Descriptor)>> {
        let items = body
            .get(name)
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty() && a.len() <= 1000)
            .ok_or_else(|| {
                ApiError::bad_json_at(name, "expected an array of 1 to 1000 descriptors")
            })?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let at = format!("{name}.{i}");
                let spec = ReferenceSpec::from_json(item, &at, DescriptorKind::Face)?;
                let key = spec.key();
                match spec {
                    ReferenceSpec::Descriptor { descriptor, .. } => Ok((key, descriptor)),
                    ReferenceSpec::Object(..) => Err(ApiError::bad_json_at(
                        &format!("{at}.type"),
                        "expected sdk_descriptor or raw_descriptor",
                    )),
                }
            })
            .collect()
    };
    let candidates = read("candidates")?;
    let references = read("references")?;
    let threshold = policies.verification_threshold;
    let answer: Vec<Value> = references
        .iter()
        .map(|(key, reference)| {
            let matches: Vec<Value> = candidates
                .iter()
                .map(|(candidate, d)| {
                    let s = best_similarity(std::slice::from_ref(reference), std::slice::from_ref(d));
                    match s {
                        Some(s) => json!({"candidate": candidate, "similarity": s, "status": s >= threshold}),
                        None => json!({"candidate": candidate, "similarity": null, "status": false,
                                       "error": ApiError::invalid(12031, "descriptor versions differ").body()}),
                    }
                })
                .collect();
            json!({"reference": key, "matches": matches})
        })
        .collect();
    Ok(ok(Value::Array(answer)))
}

#[cfg(test)]
mod tests {
    use super::Policies;
    use serde_json::json;
    use uuid::Uuid;

    #[test]
    fn lists_of_policies_are_found() {
        let list = Uuid::new_v4();
        let other = Uuid::new_v4();
        let policies = json!({
            "match_policy": [{"label": "l", "candidates": {"origin": "faces", "list_id": other}}],
            "storage_policy": {"face_policy": {"link_to_lists_policy": [{"list_id": list}]}}
        });
        assert_eq!(Policies::lists(&policies), vec![list, other]);
    }
}
