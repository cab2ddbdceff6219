//! luna-image-store (prefix `/1`, reference `image-store.md`): buckets, images and objects with
//! their content type, `Luna-Meta-*` metadata, TTL expiry and the 1000-id bulk-delete limit.

use crate::context::{created, json_response, no_content, ok, App, Req, Scope};
use crate::errors::{ApiError, ApiResult};
use crate::openapi::Routes;
use crate::query::parse_uuid;
use crate::time_format::{format_time, now};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// API version prefix.
pub const PREFIX: &str = "/1";
/// Ids in one bulk delete.
const BULK_DELETE_MAX: usize = 1000;
/// Prefix of user metadata headers.
const META_HEADER_PREFIX: &str = "luna-meta-";
/// Response header of the expiry time of an item with a TTL.
const EXPIRY_HEADER: &str = "x-luna-expiry-date";

/// The luna-image-store state: buckets by name.
#[derive(Default)]
pub struct ImageStoreState {
    buckets: BTreeMap<String, Bucket>,
}

impl ImageStoreState {
    /// A live image of `bucket` visible to `scope`: its content type and bytes.
    pub fn image(&mut self, bucket: &str, id: Uuid, scope: &Scope) -> Option<(String, Bytes)> {
        let b = self.buckets.get_mut(bucket)?;
        live(b, Kind::Image, id, scope)
            .ok()
            .map(|blob| (blob.content_type.clone(), blob.body.clone()))
    }

    /// A live image with this id in any bucket (buckets in name order).
    pub fn find_image(&mut self, id: Uuid, scope: &Scope) -> Option<(String, Bytes)> {
        let names: Vec<String> = self.buckets.keys().cloned().collect();
        names.iter().find_map(|name| self.image(name, id, scope))
    }

    /// Stores an image (the services' samples and source images), creating the bucket when
    /// missing; returns its URL path.
    pub fn put_image(
        &mut self,
        bucket: &str,
        id: Uuid,
        account_id: Uuid,
        content_type: &str,
        body: Bytes,
    ) -> String {
        self.buckets
            .entry(bucket.to_owned())
            .or_default()
            .images
            .insert(
                id,
                Blob {
                    account_id,
                    content_type: content_type.to_owned(),
                    body,
                    meta: Vec::new(),
                    expires: None,
                },
            );
        format!("{PREFIX}/buckets/{bucket}/images/{id}")
    }

    fn bucket_mut(&mut self, name: &str) -> ApiResult<&mut Bucket> {
        self.buckets
            .get_mut(name)
            .ok_or_else(|| bucket_not_found(name))
    }
}

#[derive(Default)]
struct Bucket {
    images: HashMap<Uuid, Blob>,
    objects: HashMap<Uuid, Blob>,
}

#[derive(Clone)]
struct Blob {
    account_id: Uuid,
    content_type: String,
    body: Bytes,
    meta: Vec<(HeaderName, HeaderValue)>,
    expires: Option<OffsetDateTime>,
}

/// Images or objects.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Image,
    Object,
}

impl Kind {
    fn plural(self) -> &'static str {
        match self {
            Kind::Image => "images",
            Kind::Object => "objects",
        }
    }

    /// The query of `GET` / `HEAD` of one item: images return their `Luna-Meta-*` headers on
    /// `with_meta=1` (reference `image-store.md` §5), objects always do.
    fn read_query(self) -> &'static [&'static str] {
        match self {
            Kind::Image => &["with_meta"],
            Kind::Object => &[],
        }
    }

    fn id_member(self) -> &'static str {
        match self {
            Kind::Image => "image_id",
            Kind::Object => "object_id",
        }
    }

    fn not_found(self, id: Uuid) -> ApiError {
        match self {
            Kind::Image => ApiError::not_found(13003, "Image", id),
            Kind::Object => ApiError::not_found(13007, "Object", id),
        }
    }

    fn items(self, bucket: &mut Bucket) -> &mut HashMap<Uuid, Blob> {
        match self {
            Kind::Image => &mut bucket.images,
            Kind::Object => &mut bucket.objects,
        }
    }
}

/// The luna-image-store routes and their spec entries.
pub fn routes() -> Routes {
    let routes = Routes::new()
        .route(
            "/1/buckets",
            get(list_buckets).post(create_bucket),
            &[
                ("post", "create a bucket (?bucket=<name>)", "201"),
                ("get", "list buckets", "200"),
            ],
        )
        .required_query("post", &["bucket"])
        .route(
            "/1/buckets/{bucket}",
            get(bucket_page).delete(delete_bucket),
            &[
                ("get", "a bucket", "200"),
                ("head", "check a bucket", "200"),
                ("delete", "delete a bucket", "202"),
            ],
        );
    [Kind::Image, Kind::Object]
        .into_iter()
        .fold(routes, |routes, kind| {
            let plural = kind.plural();
            routes
                .route(
                    &format!("/1/buckets/{{bucket}}/{plural}"),
                    post(move |s, p, r| post_item(s, p, r, kind))
                        .delete(move |s, p, r| bulk_delete(s, p, r, kind)),
                    &[
                        ("post", "store one (the service picks the id)", "201"),
                        ("delete", "delete up to 1000 by ids", "204"),
                    ],
                )
                .query("post", &["ttl"])
                .route(
                    &format!("/1/buckets/{{bucket}}/{plural}/{{id}}"),
                    get(move |s, p, r| get_item(s, p, r, kind))
                        .put(move |s, p, r| put_item(s, p, r, kind))
                        .delete(move |s, p, r| delete_item(s, p, r, kind)),
                    &[
                        ("get", "get one", "200"),
                        ("head", "check one", "200"),
                        ("put", "store one under an id", "200"),
                        ("delete", "delete one", "204"),
                    ],
                )
                .query("put", &["ttl"])
                .query("get", kind.read_query())
                .query("head", kind.read_query())
        })
}

/// S3 bucket naming (3–63 of `a-z 0-9 . -`, alphanumeric at both ends).
fn check_bucket_name(name: &str) -> ApiResult<()> {
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    let ends = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric())
        && name
            .bytes()
            .last()
            .is_some_and(|b| b.is_ascii_alphanumeric());
    if (3..=63).contains(&name.len()) && ok_chars && ends {
        Ok(())
    } else {
        Err(ApiError::bad_query(
            "bucket",
            format!("'{name}' breaks the S3 bucket naming rules"),
        ))
    }
}

fn bucket_not_found(name: &str) -> ApiError {
    ApiError::not_found(13005, "Bucket", name)
}

async fn create_bucket(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let params = req.params(&["bucket"])?;
    let name = params
        .str("bucket")
        .ok_or_else(|| ApiError::missing_query("bucket"))?;
    check_bucket_name(name)?;
    let mut state = app.store.images();
    if state.buckets.contains_key(name) {
        return Err(ApiError::conflict(
            13006,
            format!("Bucket with name '{name}' already exist"),
        ));
    }
    state.buckets.insert(name.to_owned(), Bucket::default());
    Ok(created(
        &format!("{PREFIX}/buckets/{name}"),
        json!({"bucket": name}),
    ))
}

async fn list_buckets(State(app): State<App>, req: Req) -> ApiResult<Response> {
    req.params(&[])?;
    let names: Vec<String> = app.store.images().buckets.keys().cloned().collect();
    Ok(ok(json!({ "buckets": names })))
}

/// `GET`/`HEAD /buckets/{bucket}`: 200 when the bucket exists.
async fn bucket_page(
    State(app): State<App>,
    Path(name): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    req.params(&[])?;
    let state = app.store.images();
    let bucket = state
        .buckets
        .get(&name)
        .ok_or_else(|| bucket_not_found(&name))?;
    Ok(ok(
        json!({"bucket": name, "images": bucket.images.len(), "objects": bucket.objects.len()}),
    ))
}

async fn delete_bucket(
    State(app): State<App>,
    Path(name): Path<String>,
    req: Req,
) -> ApiResult<Response> {
    req.params(&[])?;
    let mut state = app.store.images();
    state
        .buckets
        .remove(&name)
        .ok_or_else(|| bucket_not_found(&name))?;
    Ok(StatusCode::ACCEPTED.into_response())
}

/// Reads the upload: content type (images: `image/*`), body, `Luna-Meta-*` headers and `ttl`.
fn read_blob(req: &Req, kind: Kind) -> ApiResult<Blob> {
    let params = req.params(&["ttl"])?;
    let owner = req.owner()?;
    let ttl = params.int("ttl", 1, i64::from(u32::MAX))?;
    let content_type = req.content_type().unwrap_or_else(|| match kind {
        Kind::Image => "image/jpeg".to_owned(),
        Kind::Object => "application/json".to_owned(),
    });
    if kind == Kind::Image && !content_type.starts_with("image/") {
        return Err(ApiError::bad_content_type(&content_type));
    }
    if req.body.is_empty() {
        return Err(ApiError::bad_input("Request does not contain data"));
    }
    if content_type == "application/json" && serde_json::from_slice::<Value>(&req.body).is_err() {
        return Err(ApiError::invalid(
            12025,
            "Content type 'application/json' does not match the data",
        ));
    }
    let meta = req
        .headers
        .iter()
        .filter(|(name, _)| name.as_str().starts_with(META_HEADER_PREFIX))
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    Ok(Blob {
        account_id: owner,
        content_type,
        body: req.body.clone(),
        meta,
        expires: ttl.map(|s| now() + Duration::seconds(s)),
    })
}

/// Stores the upload of `req` under `id`; returns its URL and the answer body.
fn store_item(
    app: &App,
    bucket: &str,
    req: &Req,
    kind: Kind,
    id: Uuid,
) -> ApiResult<(String, Value)> {
    let blob = read_blob(req, kind)?;
    let mut state = app.store.images();
    kind.items(state.bucket_mut(bucket)?).insert(id, blob);
    let url = format!("{PREFIX}/buckets/{bucket}/{}/{id}", kind.plural());
    let body = json!({ kind.id_member(): id, "url": url });
    Ok((url, body))
}

async fn post_item(
    State(app): State<App>,
    Path(bucket): Path<String>,
    req: Req,
    kind: Kind,
) -> ApiResult<Response> {
    let (url, body) = store_item(&app, &bucket, &req, kind, Uuid::new_v4())?;
    Ok(created(&url, body))
}

async fn put_item(
    State(app): State<App>,
    Path((bucket, id)): Path<(String, String)>,
    req: Req,
    kind: Kind,
) -> ApiResult<Response> {
    let id = parse_uuid(kind.id_member(), &id)?;
    let (_, body) = store_item(&app, &bucket, &req, kind, id)?;
    Ok(json_response(StatusCode::OK, body))
}

/// A live item visible to the request (expired items are dropped on the way).
fn live<'a>(b: &'a mut Bucket, kind: Kind, id: Uuid, scope: &Scope) -> ApiResult<&'a Blob> {
    let items = kind.items(b);
    if items
        .get(&id)
        .is_some_and(|blob| blob.expires.is_some_and(|t| t <= now()))
    {
        items.remove(&id);
    }
    items
        .get(&id)
        .filter(|blob| scope.sees(blob.account_id))
        .ok_or_else(|| kind.not_found(id))
}

async fn get_item(
    State(app): State<App>,
    Path((bucket, id)): Path<(String, String)>,
    req: Req,
    kind: Kind,
) -> ApiResult<Response> {
    let (params, scope) = req.scoped(kind.read_query())?;
    let with_meta = kind == Kind::Object || params.flag("with_meta")?.unwrap_or(false);
    let id = parse_uuid(kind.id_member(), &id)?;
    let mut state = app.store.images();
    let b = state.bucket_mut(&bucket)?;
    let blob = live(b, kind, id, &scope)?;
    let mut response = (StatusCode::OK, blob.body.clone()).into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&blob.content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Some(t) = blob.expires {
        if let Ok(v) = HeaderValue::from_str(&format_time(t)) {
            headers.insert(EXPIRY_HEADER, v);
        }
    }
    if kind == Kind::Object {
        let disposition = format!(
            "attachment; filename={id}.{}",
            extension(&blob.content_type)
        );
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            headers.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    if with_meta {
        for (name, value) in &blob.meta {
            headers.insert(name.clone(), value.clone());
        }
    }
    Ok(response)
}

/// The file extension of a MIME type (`bin` when unknown, LP 5.42).
fn extension(content_type: &str) -> &'static str {
    match content_type {
        "application/json" => "json",
        "text/plain" | "plain/text" => "txt",
        "application/zip" => "zip",
        "application/pdf" => "pdf",
        "video/mp4" => "mp4",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "bin",
    }
}

async fn delete_item(
    State(app): State<App>,
    Path((bucket, id)): Path<(String, String)>,
    req: Req,
    kind: Kind,
) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let id = parse_uuid(kind.id_member(), &id)?;
    let mut state = app.store.images();
    let b = state.bucket_mut(&bucket)?;
    let items = kind.items(b);
    if items
        .get(&id)
        .is_some_and(|blob| scope.sees(blob.account_id))
    {
        items.remove(&id);
    }
    Ok(no_content())
}

async fn bulk_delete(
    State(app): State<App>,
    Path(bucket): Path<String>,
    req: Req,
    kind: Kind,
) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let body = req.json_object()?;
    let member = kind.plural();
    let ids = crate::faces::model::uuid_array(&body, member, "")?;
    if !body.contains_key(member) {
        return Err(ApiError::bad_json_at(member, "required"));
    }
    if ids.len() > BULK_DELETE_MAX {
        return Err(ApiError::bad_json_at(
            member,
            format!("at most {BULK_DELETE_MAX} ids"),
        ));
    }
    let mut state = app.store.images();
    let b = state.bucket_mut(&bucket)?;
    let items = kind.items(b);
    for id in ids {
        if items
            .get(&id)
            .is_some_and(|blob| scope.sees(blob.account_id))
        {
            items.remove(&id);
        }
    }
    Ok(no_content())
}
