//! luna-faces (prefix `/3`, reference `faces.md`): faces, lists, links, attributes.

pub mod model;

pub use model::FacesState;

use crate::context::{created, no_content, ok, App, Req, Scope};
use crate::descriptors::DescriptorFormat;
use crate::errors::{ApiError, ApiResult};
use crate::openapi::Routes;
use crate::paging::Paging;
use crate::query::{parse_uuid, Params};
use crate::time_format::now;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, patch};
use model::*;
use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// API version prefix.
pub const PREFIX: &str = "/3";
/// `page_size` maximum of `GET /faces` (faces 4.5.0).
const FACES_PAGE_SIZE_MAX: i64 = 1000;
/// `page_size` maximum of `GET /lists`.
const LISTS_PAGE_SIZE_MAX: i64 = 10_000;
/// Temporary attribute lifetime: default and maximum, seconds (faces 3.0.0).
const TTL_DEFAULT: i64 = 300;
const TTL_MAX: i64 = 86_400;
/// Default `limit` of `GET /lists/{id}/attributes`.
const LINKS_LIMIT_DEFAULT: i64 = 1000;
const LINKS_LIMIT_MAX: i64 = 10_000;
/// Ids in one `DELETE /faces`, `DELETE /lists` or linker body.
const IDS_MAX: usize = 1000;

/// The filters of `GET /faces` and `GET /faces/count` (also the faces filters of matching).
pub const FACE_FILTERS: &[&str] = &[
    "user_data",
    "event_id",
    "list_id",
    "face_ids",
    "create_time__lt",
    "create_time__gte",
    "attribute_ids",
    "external_ids",
    "face_id__gte",
    "face_id__lt",
];
const LIST_FILTERS: &[&str] = &[
    "user_data",
    "user_data__eq",
    "create_time__lt",
    "create_time__gte",
    "last_update_time__lt",
    "last_update_time__gte",
    "list_ids",
    "list_id__lt",
    "list_id__gte",
];

/// The luna-faces routes and their spec entries.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/3/faces",
            get(get_faces).post(create_face).delete(delete_faces),
            &[
                ("post", "create a face", "201"),
                ("get", "faces by filters, paged", "200"),
                ("delete", "delete faces by ids", "204"),
            ],
        )
        .query("get", FACE_FILTERS)
        .query("get", &["page", "page_size", "targets"])
        .query("delete", &["ignore"])
        .route(
            "/3/faces/count",
            get(count_faces),
            &[("get", "count faces by filters", "200")],
        )
        .query("get", FACE_FILTERS)
        .route(
            "/3/faces/{face_id}",
            get(get_face)
                .put(put_face)
                .patch(patch_face)
                .delete(delete_face),
            &[
                ("get", "get a face", "200"),
                ("head", "check a face", "200"),
                ("put", "create (201) or replace (200) a face", "201"),
                ("patch", "update a face", "204"),
                ("delete", "delete a face", "204"),
            ],
        )
        .query("get", &["targets"])
        .route(
            "/3/faces/{face_id}/attributes",
            get(get_face_attributes)
                .put(put_face_attributes)
                .patch(patch_face_attributes)
                .delete(delete_face_attributes),
            &[
                ("get", "face attributes", "200"),
                ("put", "replace face attributes", "204"),
                ("patch", "update face attributes", "204"),
                ("delete", "delete face attributes", "204"),
            ],
        )
        .query(
            "get",
            &["targets", "descriptor_version", "descriptor_format"],
        )
        .route(
            "/3/faces/{face_id}/attributes/samples",
            get(get_face_samples),
            &[("get", "face attribute samples", "200")],
        )
        .route(
            "/3/lists",
            get(get_lists).post(create_list).delete(delete_lists),
            &[
                ("post", "create a list", "201"),
                ("get", "lists by filters, paged", "200"),
                ("delete", "delete lists by ids", "204"),
            ],
        )
        .query("post", &["list_id"])
        .query("get", LIST_FILTERS)
        .query("get", &["page", "page_size"])
        .query("delete", &["with_faces"])
        .route(
            "/3/lists/count",
            get(count_lists),
            &[("get", "count lists by filters", "200")],
        )
        .query("get", LIST_FILTERS)
        .route(
            "/3/lists/{list_id}",
            get(get_list).patch(patch_list).delete(delete_list),
            &[
                ("get", "get a list with a page of its faces", "200"),
                ("head", "check a list", "200"),
                ("patch", "update a list", "204"),
                ("delete", "delete a list", "204"),
            ],
        )
        .query("get", &["page", "page_size"])
        .query("delete", &["with_faces"])
        .route(
            "/3/lists/{list_id}/attributes",
            get(get_list_attributes),
            &[("get", "attributes linked to a list", "200")],
        )
        .query("get", &["link_key__lt", "link_key__gte", "limit", "parity"])
        .route(
            "/3/linker",
            patch(linker),
            &[("patch", "attach or detach faces", "204")],
        )
        .route(
            "/3/attributes",
            get(get_attributes).post(create_attribute),
            &[
                ("post", "create a temporary attribute", "201"),
                ("get", "temporary attributes by ids", "200"),
            ],
        )
        .query("post", &["ttl"])
        .required_query("get", &["attribute_ids"])
        .query("get", &["targets", "descriptor_version"])
        .route(
            "/3/attributes/{attribute_id}",
            get(get_attribute)
                .put(put_attribute)
                .delete(delete_attribute),
            &[
                ("get", "get a temporary attribute", "200"),
                ("head", "check a temporary attribute", "200"),
                ("put", "put a temporary attribute", "204"),
                ("delete", "delete a temporary attribute", "204"),
            ],
        )
        .query("get", &["targets", "descriptor_version"])
        .query("put", &["ttl", "force"])
        .route(
            "/3/attributes/{attribute_id}/samples",
            get(get_attribute_samples),
            &[("get", "attribute samples", "200")],
        )
}

fn path_id(name: &str, value: &str) -> ApiResult<Uuid> {
    parse_uuid(name, value)
}

fn face_not_found(id: Uuid) -> ApiError {
    ApiError::not_found(22002, "Face", id)
}

fn list_not_found(id: Uuid) -> ApiError {
    ApiError::not_found(22003, "List", id)
}

fn attribute_not_found(id: Uuid) -> ApiError {
    ApiError::not_found(22011, "Attributes", id)
}

fn face_url(id: Uuid) -> String {
    format!("{PREFIX}/faces/{id}")
}

impl FacesState {
    fn face(&self, id: Uuid, scope: &Scope) -> ApiResult<&Face> {
        self.faces
            .get(&id)
            .filter(|f| scope.sees(f.account_id))
            .ok_or_else(|| face_not_found(id))
    }

    fn face_mut(&mut self, id: Uuid, scope: &Scope) -> ApiResult<&mut Face> {
        self.faces
            .get_mut(&id)
            .filter(|f| scope.sees(f.account_id))
            .ok_or_else(|| face_not_found(id))
    }

    fn list(&self, id: Uuid, scope: &Scope) -> ApiResult<&List> {
        self.lists
            .get(&id)
            .filter(|l| scope.sees(l.account_id))
            .ok_or_else(|| list_not_found(id))
    }

    /// A live temporary attribute (expired ones are dropped on the way).
    fn attribute(&mut self, id: Uuid, scope: &Scope) -> Option<&TempAttribute> {
        let expired = self.attributes.get(&id).is_some_and(|a| a.expires <= now());
        if expired {
            self.attributes.remove(&id);
        }
        self.attributes
            .get(&id)
            .filter(|a| scope.sees(a.account_id))
    }

    /// Links a face to a list (a new link key; the list's last update time changes).
    pub fn link(&mut self, list_id: Uuid, face_id: Uuid) {
        self.last_link_key += 1;
        let key = self.last_link_key;
        if let Some(list) = self.lists.get_mut(&list_id) {
            if list.links.insert(face_id, key).is_none() {
                list.last_update_time = now();
            }
        }
        if let Some(face) = self.faces.get_mut(&face_id) {
            if !face.lists.contains(&list_id) {
                face.lists.push(list_id);
            }
        }
    }

    fn unlink(&mut self, list_id: Uuid, face_id: Uuid) {
        if let Some(list) = self.lists.get_mut(&list_id) {
            if list.links.remove(&face_id).is_some() {
                list.last_update_time = now();
            }
        }
        if let Some(face) = self.faces.get_mut(&face_id) {
            face.lists.retain(|l| *l != list_id);
        }
    }

    fn remove_face(&mut self, face_id: Uuid) {
        if let Some(face) = self.faces.remove(&face_id) {
            for list_id in face.lists {
                if let Some(list) = self.lists.get_mut(&list_id) {
                    list.links.remove(&face_id);
                    list.last_update_time = now();
                }
            }
        }
    }

    fn remove_list(&mut self, list_id: Uuid, with_faces: bool) {
        if let Some(list) = self.lists.remove(&list_id) {
            for face_id in list.links.keys() {
                if with_faces {
                    self.remove_face(*face_id);
                } else if let Some(face) = self.faces.get_mut(face_id) {
                    face.lists.retain(|l| *l != list_id);
                }
            }
        }
    }

    /// Resolves the `attribute` member of a face body: a reference to a temporary attribute
    /// (copied; 22010 when missing, 22001 when another face uses it) or explicit data.
    fn resolve_attribute(
        &mut self,
        value: Option<&Value>,
        scope: &Scope,
        face_id: Uuid,
    ) -> ApiResult<(Option<AttributeData>, Option<Uuid>)> {
        let Some(value) = value else {
            return Ok((None, None));
        };
        let map = value
            .as_object()
            .ok_or_else(|| ApiError::bad_json_at("attribute", "expected an object"))?;
        if map.contains_key("attribute_id") {
            only_members(map, &["attribute_id"])?;
            let id = optional_uuid(map, "attribute_id")?
                .ok_or_else(|| ApiError::bad_json_at("attribute.attribute_id", "required"))?;
            let used = self
                .faces
                .values()
                .any(|f| f.source_attribute == Some(id) && f.face_id != face_id);
            if used {
                return Err(ApiError::conflict(
                    22001,
                    format!("Attribute '{id}' is already used by another face"),
                ));
            }
            let data = self
                .attribute(id, scope)
                .map(|a| a.data.clone())
                .ok_or_else(|| ApiError::not_found(22010, "Attributes for update", id))?;
            return Ok((Some(data), Some(id)));
        }
        Ok((
            Some(AttributeData::from_json(map, "attribute.", false)?),
            None,
        ))
    }

    /// Checks that every list exists for the account (22005 otherwise).
    pub fn check_lists(&self, ids: &[Uuid], scope: &Scope) -> ApiResult<()> {
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| self.list(**id, scope).is_err())
            .map(Uuid::to_string)
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(ApiError::some_not_found(22005, "lists", &missing))
        }
    }
}

/// A new or replacing face from a `POST /faces` / `PUT /faces/{id}` body.
fn build_face(state: &mut FacesState, req: &Req, face_id: Uuid) -> ApiResult<(Face, Vec<Uuid>)> {
    let owner = req.owner()?;
    let scope = Scope::of(owner);
    let body = req.json_object()?;
    only_members(
        &body,
        &[
            "event_id",
            "external_id",
            "user_data",
            "avatar",
            "lists",
            "attribute",
        ],
    )?;
    let avatar = bounded_string(&body, "avatar", AVATAR_MAX)?.unwrap_or_default();
    check_avatar(&avatar)?;
    let lists = uuid_array(&body, "lists", "")?;
    if body.contains_key("lists") && !(1..=FACE_LISTS_MAX).contains(&lists.len()) {
        return Err(ApiError::bad_json_at("lists", "1 to 1000 list ids"));
    }
    state.check_lists(&lists, &scope)?;
    let (attribute, source_attribute) =
        state.resolve_attribute(body.get("attribute"), &scope, face_id)?;
    let face = Face {
        face_id,
        account_id: owner,
        event_id: optional_uuid(&body, "event_id")?,
        user_data: bounded_string(&body, "user_data", USER_DATA_MAX)?.unwrap_or_default(),
        external_id: bounded_string(&body, "external_id", EXTERNAL_ID_MAX)?.unwrap_or_default(),
        avatar,
        create_time: now(),
        lists: Vec::new(),
        attribute,
        source_attribute,
    };
    Ok((face, lists))
}

fn insert_face(state: &mut FacesState, face: Face, lists: Vec<Uuid>) {
    let face_id = face.face_id;
    state.faces.insert(face_id, face);
    for list_id in lists {
        state.link(list_id, face_id);
    }
}

async fn create_face(State(app): State<App>, req: Req) -> ApiResult<Response> {
    req.params(&[])?;
    let mut state = app.store.faces();
    let face_id = Uuid::new_v4();
    let (face, lists) = build_face(&mut state, &req, face_id)?;
    insert_face(&mut state, face, lists);
    let url = face_url(face_id);
    Ok(created(&url, json!({"face_id": face_id, "url": url})))
}

async fn put_face(State(app): State<App>, Path(id): Path<String>, req: Req) -> ApiResult<Response> {
    req.params(&[])?;
    let face_id = path_id("face_id", &id)?;
    let mut state = app.store.faces();
    let (face, lists) = build_face(&mut state, &req, face_id)?;
    let replaced = match state.faces.get(&face_id) {
        Some(old) if old.account_id != face.account_id => return Err(face_not_found(face_id)),
        Some(_) => true,
        None => false,
    };
    state.remove_face(face_id);
    insert_face(&mut state, face, lists);
    let url = face_url(face_id);
    let status = if replaced {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok(crate::context::json_response(
        status,
        json!({"face_id": face_id, "url": url}),
    ))
}

async fn get_face(State(app): State<App>, Path(id): Path<String>, req: Req) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["targets"])?;
    let face_id = path_id("face_id", &id)?;
    let targets = read_targets(params.str("targets"), FACE_TARGETS, 22016)?;
    let state = app.store.faces();
    let face = state.face(face_id, &scope)?;
    Ok(ok(select(face.to_json(), &targets)))
}

async fn patch_face(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let face_id = path_id("face_id", &id)?;
    let body = req.json_object()?;
    only_members(&body, &["event_id", "user_data", "external_id", "avatar"])?;
    let user_data = bounded_string(&body, "user_data", USER_DATA_MAX)?;
    let external_id = bounded_string(&body, "external_id", EXTERNAL_ID_MAX)?;
    let avatar = bounded_string(&body, "avatar", AVATAR_MAX)?;
    if let Some(avatar) = &avatar {
        check_avatar(avatar)?;
    }
    let event_id = optional_uuid(&body, "event_id")?;
    let mut state = app.store.faces();
    let face = state.face_mut(face_id, &scope)?;
    if body.contains_key("event_id") {
        face.event_id = event_id;
    }
    if let Some(v) = user_data {
        face.user_data = v;
    }
    if let Some(v) = external_id {
        face.external_id = v;
    }
    if let Some(v) = avatar {
        face.avatar = v;
    }
    Ok(no_content())
}

async fn delete_face(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let face_id = path_id("face_id", &id)?;
    let mut state = app.store.faces();
    state.face(face_id, &scope)?;
    state.remove_face(face_id);
    Ok(no_content())
}

/// Reads `{"<member>": [ids]}` with 1..=1000 ids.
fn body_ids(req: &Req, member: &str) -> ApiResult<Vec<Uuid>> {
    let body = req.json_object()?;
    only_members(&body, &[member])?;
    if !body.contains_key(member) {
        return Err(ApiError::bad_json_at(member, "required"));
    }
    let ids = uuid_array(&body, member, "")?;
    if !(1..=IDS_MAX).contains(&ids.len()) {
        return Err(ApiError::bad_json_at(member, "1 to 1000 ids"));
    }
    Ok(ids)
}

async fn delete_faces(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["ignore"])?;
    let ignore = params.flag("ignore")?.unwrap_or(false);
    let ids = body_ids(&req, "face_ids")?;
    let mut state = app.store.faces();
    let missing: Vec<String> = ids
        .iter()
        .filter(|id| state.face(**id, &scope).is_err())
        .map(Uuid::to_string)
        .collect();
    if !missing.is_empty() && !ignore {
        return Err(ApiError::some_not_found(22004, "faces", &missing));
    }
    for id in ids {
        if state.face(id, &scope).is_ok() {
            state.remove_face(id);
        }
    }
    Ok(no_content())
}

/// The filters of `GET /faces` and `GET /faces/count` ([`FACE_FILTERS`]), also used to select
/// matching candidates.
#[derive(Debug)]
pub struct FaceFilter {
    scope: Scope,
    user_data: Option<String>,
    event_id: Option<Uuid>,
    list_id: Option<Uuid>,
    face_ids: Option<Vec<Uuid>>,
    create_time_lt: Option<OffsetDateTime>,
    create_time_gte: Option<OffsetDateTime>,
    attribute_ids: Option<Vec<Uuid>>,
    external_ids: Option<Vec<String>>,
    face_id_gte: Option<Uuid>,
    face_id_lt: Option<Uuid>,
}

impl FaceFilter {
    fn read(params: &Params, req: &Req) -> ApiResult<Self> {
        Self::with_scope(params, req.scope(params)?)
    }

    /// Reads the [`FACE_FILTERS`] of `params`; only faces `scope` sees pass.
    pub fn with_scope(params: &Params, scope: Scope) -> ApiResult<Self> {
        Ok(Self {
            scope,
            user_data: params.str("user_data").map(str::to_lowercase),
            event_id: params.uuid("event_id")?,
            list_id: params.uuid("list_id")?,
            face_ids: params.uuids("face_ids")?,
            create_time_lt: params.time("create_time__lt")?,
            create_time_gte: params.time("create_time__gte")?,
            attribute_ids: params.uuids("attribute_ids")?,
            external_ids: params
                .list("external_ids")?
                .map(|v| v.into_iter().map(str::to_owned).collect()),
            face_id_gte: params.uuid("face_id__gte")?,
            face_id_lt: params.uuid("face_id__lt")?,
        })
    }

    /// Whether the face passes every filter.
    pub fn matches(&self, f: &Face) -> bool {
        self.scope.sees(f.account_id)
            && self
                .user_data
                .as_ref()
                .is_none_or(|u| f.user_data.to_lowercase().contains(u))
            && self.event_id.is_none_or(|e| f.event_id == Some(e))
            && self.list_id.is_none_or(|l| f.lists.contains(&l))
            && self
                .face_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&f.face_id))
            && self.create_time_lt.is_none_or(|t| f.create_time < t)
            && self.create_time_gte.is_none_or(|t| f.create_time >= t)
            && self
                .attribute_ids
                .as_ref()
                .is_none_or(|ids| f.source_attribute.is_some_and(|a| ids.contains(&a)))
            && self
                .external_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&f.external_id))
            && self.face_id_gte.is_none_or(|id| f.face_id >= id)
            && self.face_id_lt.is_none_or(|id| f.face_id < id)
    }
}

fn with_paging_names<'a>(filters: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    filters.iter().chain(extra).copied().collect()
}

async fn get_faces(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let params = req.params(&with_paging_names(
        FACE_FILTERS,
        &["page", "page_size", "targets"],
    ))?;
    let filter = FaceFilter::read(&params, &req)?;
    let paging = Paging::read(&params, FACES_PAGE_SIZE_MAX, true)?;
    let targets = read_targets(params.str("targets"), FACE_TARGETS, 22016)?;
    let state = app.store.faces();
    let matching: Vec<&Face> = state.faces.values().filter(|f| filter.matches(f)).collect();
    let faces: Vec<Value> = paging
        .slice(matching)
        .into_iter()
        .map(|f| select(f.to_json(), &targets))
        .collect();
    Ok(ok(json!({ "faces": faces })))
}

async fn count_faces(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let params = req.params(FACE_FILTERS)?;
    let filter = FaceFilter::read(&params, &req)?;
    let state = app.store.faces();
    let count = state.faces.values().filter(|f| filter.matches(f)).count();
    Ok(ok(json!({ "faces_count": count })))
}

/// Reads `descriptor_version` and `descriptor_format`.
fn descriptor_choice(params: &Params) -> ApiResult<(Option<u32>, DescriptorFormat)> {
    let version = params
        .int("descriptor_version", 1, i64::from(u32::MAX))?
        .map(|v| u32::try_from(v).unwrap_or(u32::MAX));
    let format = match params
        .one_of("descriptor_format", &["sdk", "raw"])?
        .as_deref()
    {
        Some("raw") => DescriptorFormat::Raw,
        _ => DescriptorFormat::Sdk,
    };
    Ok((version, format))
}

async fn get_face_attributes(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["targets", "descriptor_version", "descriptor_format"])?;
    let face_id = path_id("face_id", &id)?;
    let targets = read_targets(params.str("targets"), FACE_ATTRIBUTE_TARGETS, 22016)?;
    let (version, format) = descriptor_choice(&params)?;
    let state = app.store.faces();
    let face = state.face(face_id, &scope)?;
    let data = face
        .attribute
        .as_ref()
        .ok_or_else(|| attribute_not_found(face_id))?;
    Ok(ok(select(data.to_json(true, version, format)?, &targets)))
}

async fn put_face_attributes(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    write_face_attributes(app, id, req, false)
}

async fn patch_face_attributes(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    write_face_attributes(app, id, req, true)
}

fn write_face_attributes(app: App, id: String, req: Req, partial: bool) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let face_id = path_id("face_id", &id)?;
    let body = req.json_object()?;
    let mut state = app.store.faces();
    state.face(face_id, &scope)?;
    let body_value = Value::Object(body.clone());
    let partial_data = if partial && !body.contains_key("attribute_id") {
        Some(AttributeData::from_json(&body, "", true)?)
    } else {
        None
    };
    let (data, source) = match partial_data {
        Some(update) => {
            let face = state.face_mut(face_id, &scope)?;
            let mut data = face.attribute.clone().unwrap_or_default();
            data.merge(update, &body);
            if data.descriptors.is_empty() && data.basic_attributes.is_none() {
                return Err(ApiError::invalid(
                    22022,
                    "Attribute must contain at least one of 'descriptors' or 'basic_attributes'",
                ));
            }
            (Some(data), face.source_attribute)
        }
        None => state.resolve_attribute(Some(&body_value), &scope, face_id)?,
    };
    let face = state.face_mut(face_id, &scope)?;
    face.attribute = data;
    face.source_attribute = source;
    Ok(no_content())
}

async fn delete_face_attributes(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let face_id = path_id("face_id", &id)?;
    let mut state = app.store.faces();
    let face = state.face_mut(face_id, &scope)?;
    face.attribute = None;
    face.source_attribute = None;
    Ok(no_content())
}

async fn get_face_samples(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let face_id = path_id("face_id", &id)?;
    let state = app.store.faces();
    let face = state.face(face_id, &scope)?;
    let data = face
        .attribute
        .as_ref()
        .ok_or_else(|| attribute_not_found(face_id))?;
    Ok(ok(data.samples_json()))
}

fn user_data_body(req: &Req) -> ApiResult<String> {
    let body = req.json_object()?;
    only_members(&body, &["user_data"])?;
    Ok(bounded_string(&body, "user_data", USER_DATA_MAX)?.unwrap_or_default())
}

async fn create_list(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let params = req.params(&["list_id"])?;
    let owner = req.owner()?;
    let list_id = params.uuid("list_id")?.unwrap_or_else(Uuid::new_v4);
    let user_data = user_data_body(&req)?;
    let mut state = app.store.faces();
    if state.lists.contains_key(&list_id) {
        return Err(ApiError::conflict(
            22026,
            format!("List with id '{list_id}' already exists"),
        ));
    }
    let time = now();
    state.lists.insert(
        list_id,
        List {
            list_id,
            account_id: owner,
            user_data,
            create_time: time,
            last_update_time: time,
            links: Default::default(),
        },
    );
    let url = format!("{PREFIX}/lists/{list_id}");
    Ok(created(&url, json!({"list_id": list_id, "url": url})))
}

async fn get_list(State(app): State<App>, Path(id): Path<String>, req: Req) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["page", "page_size"])?;
    let list_id = path_id("list_id", &id)?;
    let paging = Paging::read(&params, FACES_PAGE_SIZE_MAX, false)?;
    let state = app.store.faces();
    let list = state.list(list_id, &scope)?;
    let faces: Vec<Value> = paging
        .slice(list.links.keys().collect())
        .into_iter()
        .filter_map(|id| state.faces.get(id))
        .map(|f| Value::Object(f.to_json()))
        .collect();
    let mut body = list.to_json();
    body.insert("faces".into(), Value::Array(faces));
    body.insert("faces_count".into(), json!(list.links.len()));
    Ok(ok(Value::Object(body)))
}

async fn patch_list(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let list_id = path_id("list_id", &id)?;
    let body = req.json_object()?;
    if !body.contains_key("user_data") {
        return Err(ApiError::bad_json_at("user_data", "required"));
    }
    let user_data = user_data_body(&req)?;
    let mut state = app.store.faces();
    state.list(list_id, &scope)?;
    if let Some(list) = state.lists.get_mut(&list_id) {
        list.user_data = user_data;
        list.last_update_time = now();
    }
    Ok(no_content())
}

async fn delete_list(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["with_faces"])?;
    let list_id = path_id("list_id", &id)?;
    let with_faces = params.flag("with_faces")?.unwrap_or(false);
    let mut state = app.store.faces();
    state.list(list_id, &scope)?;
    state.remove_list(list_id, with_faces);
    Ok(no_content())
}

async fn delete_lists(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["with_faces"])?;
    let with_faces = params.flag("with_faces")?.unwrap_or(false);
    let ids = body_ids(&req, "list_ids")?;
    let mut state = app.store.faces();
    state.check_lists(&ids, &scope)?;
    for id in ids {
        state.remove_list(id, with_faces);
    }
    Ok(no_content())
}

/// The filters of `GET /lists` and `GET /lists/count`.
struct ListFilter {
    scope: Scope,
    user_data: Option<String>,
    user_data_eq: Option<String>,
    create_time_lt: Option<OffsetDateTime>,
    create_time_gte: Option<OffsetDateTime>,
    update_lt: Option<OffsetDateTime>,
    update_gte: Option<OffsetDateTime>,
    list_ids: Option<Vec<Uuid>>,
    list_id_lt: Option<Uuid>,
    list_id_gte: Option<Uuid>,
}

impl ListFilter {
    fn read(params: &Params, req: &Req) -> ApiResult<Self> {
        Ok(Self {
            scope: req.scope(params)?,
            user_data: params.str("user_data").map(str::to_owned),
            user_data_eq: params.str("user_data__eq").map(str::to_owned),
            create_time_lt: params.time("create_time__lt")?,
            create_time_gte: params.time("create_time__gte")?,
            update_lt: params.time("last_update_time__lt")?,
            update_gte: params.time("last_update_time__gte")?,
            list_ids: params.uuids("list_ids")?,
            list_id_lt: params.uuid("list_id__lt")?,
            list_id_gte: params.uuid("list_id__gte")?,
        })
    }

    fn matches(&self, l: &List) -> bool {
        self.scope.sees(l.account_id)
            && self
                .user_data
                .as_ref()
                .is_none_or(|u| l.user_data.contains(u.as_str()))
            && self.user_data_eq.as_ref().is_none_or(|u| l.user_data == *u)
            && self.create_time_lt.is_none_or(|t| l.create_time < t)
            && self.create_time_gte.is_none_or(|t| l.create_time >= t)
            && self.update_lt.is_none_or(|t| l.last_update_time < t)
            && self.update_gte.is_none_or(|t| l.last_update_time >= t)
            && self
                .list_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&l.list_id))
            && self.list_id_lt.is_none_or(|id| l.list_id < id)
            && self.list_id_gte.is_none_or(|id| l.list_id >= id)
    }
}

async fn get_lists(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let params = req.params(&with_paging_names(LIST_FILTERS, &["page", "page_size"]))?;
    let filter = ListFilter::read(&params, &req)?;
    let paging = Paging::read(&params, LISTS_PAGE_SIZE_MAX, false)?;
    let state = app.store.faces();
    let matching: Vec<&List> = state.lists.values().filter(|l| filter.matches(l)).collect();
    let lists: Vec<Value> = paging
        .slice(matching)
        .into_iter()
        .map(|l| Value::Object(l.to_json()))
        .collect();
    Ok(ok(json!({ "lists": lists })))
}

async fn count_lists(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let params = req.params(LIST_FILTERS)?;
    let filter = ListFilter::read(&params, &req)?;
    let state = app.store.faces();
    let count = state.lists.values().filter(|l| filter.matches(l)).count();
    Ok(ok(json!({ "lists_count": count })))
}

async fn get_list_attributes(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["link_key__lt", "link_key__gte", "limit", "parity"])?;
    let list_id = path_id("list_id", &id)?;
    let lt = params.int("link_key__lt", 0, i64::MAX)?;
    let gte = params.int("link_key__gte", 0, i64::MAX)?;
    let limit = params
        .int("limit", 1, LINKS_LIMIT_MAX)?
        .unwrap_or(LINKS_LIMIT_DEFAULT);
    params.flag("parity")?;
    let state = app.store.faces();
    let list = state.list(list_id, &scope)?;
    let mut links: Vec<(i64, Uuid)> = list
        .links
        .iter()
        .map(|(face, key)| (*key, *face))
        .filter(|(key, _)| lt.is_none_or(|lt| *key < lt) && gte.is_none_or(|g| *key >= g))
        .filter(|(_, face)| state.faces.get(face).is_some_and(|f| f.attribute.is_some()))
        .collect();
    links.sort();
    let entries: Vec<Value> = links
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|(key, face)| json!({"attribute_id": face, "face_id": face, "link_key": key}))
        .collect();
    Ok(ok(Value::Array(entries)))
}

async fn linker(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let body = req.json_object()?;
    only_members(&body, &["action", "list_id", "face_ids"])?;
    let attach = match body.get("action").and_then(Value::as_str) {
        Some("attach") => true,
        Some("detach") => false,
        _ => return Err(ApiError::bad_json_at("action", "'attach' or 'detach'")),
    };
    let list_id = optional_uuid(&body, "list_id")?
        .ok_or_else(|| ApiError::bad_json_at("list_id", "required"))?;
    let face_ids = uuid_array(&body, "face_ids", "")?;
    if !(1..=IDS_MAX).contains(&face_ids.len()) {
        return Err(ApiError::bad_json_at("face_ids", "1 to 1000 ids"));
    }
    let mut state = app.store.faces();
    state
        .list(list_id, &scope)
        .map_err(|e| e.with_status(StatusCode::BAD_REQUEST))?;
    let missing: Vec<String> = face_ids
        .iter()
        .filter(|id| state.face(**id, &scope).is_err())
        .map(Uuid::to_string)
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::some_not_found(22004, "faces", &missing));
    }
    for face_id in face_ids {
        if attach {
            let linked = state
                .lists
                .get(&list_id)
                .is_some_and(|l| l.links.contains_key(&face_id));
            if !linked {
                state.link(list_id, face_id);
            }
        } else {
            state.unlink(list_id, face_id);
        }
    }
    Ok(no_content())
}

/// Reads the body and `ttl` of `POST`/`PUT /attributes`.
fn temp_attribute(req: &Req, params: &Params, attribute_id: Uuid) -> ApiResult<TempAttribute> {
    let owner = req.owner()?;
    let ttl = params.int("ttl", 1, TTL_MAX)?.unwrap_or(TTL_DEFAULT);
    let body = req.json_object()?;
    Ok(TempAttribute {
        attribute_id,
        account_id: owner,
        data: AttributeData::from_json(&body, "", false)?,
        expires: now() + Duration::seconds(ttl),
    })
}

async fn create_attribute(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let params = req.params(&["ttl"])?;
    let attribute_id = Uuid::new_v4();
    let attribute = temp_attribute(&req, &params, attribute_id)?;
    app.store.faces().attributes.insert(attribute_id, attribute);
    let url = format!("{PREFIX}/attributes/{attribute_id}");
    Ok(created(
        &url,
        json!({"attribute_id": attribute_id, "url": url}),
    ))
}

async fn put_attribute(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let params = req.params(&["ttl", "force"])?;
    let attribute_id = path_id("attribute_id", &id)?;
    let force = params.flag("force")?.unwrap_or(false);
    let attribute = temp_attribute(&req, &params, attribute_id)?;
    let mut state = app.store.faces();
    let exists = state.attribute(attribute_id, &Scope::default()).is_some();
    if exists && !force {
        return Err(ApiError::conflict(
            12031,
            format!("Attribute with id '{attribute_id}' already exists (use force=1)"),
        ));
    }
    state.attributes.insert(attribute_id, attribute);
    Ok(no_content())
}

fn attribute_json(a: &TempAttribute, params: &Params) -> ApiResult<Value> {
    let targets = read_targets(params.str("targets"), ATTRIBUTE_TARGETS, 22016)?;
    let (version, _) = descriptor_choice(params)?;
    let mut map = a.data.to_json(false, version, DescriptorFormat::Sdk)?;
    map.insert("attribute_id".into(), json!(a.attribute_id));
    map.insert("account_id".into(), json!(a.account_id));
    Ok(select(map, &targets))
}

async fn get_attributes(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let params = req.params(&["attribute_ids", "targets", "descriptor_version"])?;
    let ids = params
        .uuids("attribute_ids")?
        .ok_or_else(|| ApiError::missing_query("attribute_ids"))?;
    let scope = req.scope(&params)?;
    let mut state = app.store.faces();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(a) = state.attribute(id, &scope) {
            out.push(attribute_json(a, &params)?);
        }
    }
    Ok(ok(json!({ "attributes": out })))
}

async fn get_attribute(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["targets", "descriptor_version"])?;
    let attribute_id = path_id("attribute_id", &id)?;
    let mut state = app.store.faces();
    let a = state
        .attribute(attribute_id, &scope)
        .ok_or_else(|| attribute_not_found(attribute_id))?;
    Ok(ok(attribute_json(a, &params)?))
}

async fn delete_attribute(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let attribute_id = path_id("attribute_id", &id)?;
    let mut state = app.store.faces();
    if state.attribute(attribute_id, &scope).is_none() {
        return Err(attribute_not_found(attribute_id));
    }
    state.attributes.remove(&attribute_id);
    Ok(no_content())
}

async fn get_attribute_samples(
    State(app): State<App>,
    Path(id): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let attribute_id = path_id("attribute_id", &id)?;
    let mut state = app.store.faces();
    let a = state
        .attribute(attribute_id, &scope)
        .ok_or_else(|| attribute_not_found(attribute_id))?;
    Ok(ok(a.data.samples_json()))
}
