//! luna-python-matcher (prefix `/1`, reference `matcher.md`): matching of faces and bodies
//! against faces, events and attributes, raw matching of given descriptors, and cross-matching,
//! over the emulator's stores ([`crate::matching`]).
//!
//! Answers (their layout is unknown in the reference; the SDK's wire notes):
//!
//! * `POST /1/matcher/faces`, `/1/matcher/bodies` → 200, one entry per reference, in order:
//!   `{"reference": {"id", "type"}, "matches": [{"filters": <echo>, "result": [{"face" |
//!   "event" | "attribute": {...}, "similarity"}]}]}`; a reference that cannot be loaded gets
//!   `"matches": []` and `"error": <LUNA error>` instead of failing the request.
//! * `POST /1/matcher/raw` and `/1/crossmatcher/{faces,bodies}` → 200, one entry per reference:
//!   `{"reference": {"id", "type"}, "matches": [{"candidate": {"id", "type"}, "similarity"}]}`.

use crate::context::{ok, App, Req, Scope};
use crate::descriptors::Descriptor;
use crate::errors::{ApiError, ApiResult};
use crate::matching::{
    rank_among, read_limit, read_threshold, CandidateFilter, CandidateSet, DescriptorKind, Match,
    MatchObject, ReferenceSpec,
};
use crate::openapi::Routes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde_json::{json, Map, Value};

/// API version prefix (reference: `/1`).
pub const PREFIX: &str = "/1";

/// Sizes the matcher accepts (`PLATFORM_LIMITS.MATCH` / `.CROSS_MATCH`; their values are
/// unknown in the reference, these are the emulator's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatchLimits {
    /// References of one matching request (more: error 31007). Default 100.
    pub references: usize,
    /// Candidate sets of one matching request, raw candidates of one raw request (more: error
    /// 12022). Default 100 sets; raw candidates up to the cross-matching limit.
    pub candidate_sets: usize,
    /// Objects a cross-matching filter may select, on either side (more: error 31002).
    /// Default 1,000 (a million similarities at most).
    pub cross_match_objects: usize,
}

impl Default for MatchLimits {
    fn default() -> Self {
        Self {
            references: 100,
            candidate_sets: 100,
            cross_match_objects: 1000,
        }
    }
}

/// The luna-python-matcher routes and their spec entries.
pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/1/matcher/faces",
            post(match_faces),
            &[(
                "post",
                "match face references against faces, events and attributes",
                "200",
            )],
        )
        .route(
            "/1/matcher/bodies",
            post(match_bodies),
            &[("post", "match body references against events", "200")],
        )
        .route(
            "/1/matcher/raw",
            post(match_raw),
            &[("post", "match given descriptors with each other", "200")],
        )
        .route(
            "/1/crossmatcher/faces",
            post(crossmatch_faces),
            &[(
                "post",
                "cross-match faces, events or attributes selected by filters",
                "200",
            )],
        )
        .route(
            "/1/crossmatcher/bodies",
            post(crossmatch_bodies),
            &[(
                "post",
                "cross-match events selected by filters (bodies)",
                "200",
            )],
        )
}

/// 31007: more references than the limit.
fn too_many_references(limit: usize) -> ApiError {
    ApiError::invalid(
        31007,
        format!("Amount of references exceeds the limit of {limit}"),
    )
}

/// A required array member of `body` with 1 to `max` items.
fn array<'a>(body: &'a Map<String, Value>, name: &str, max: usize) -> ApiResult<&'a [Value]> {
    let items = body
        .get(name)
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::bad_json_at(name, "an array is required"))?;
    if items.is_empty() {
        return Err(ApiError::bad_json_at(name, "at least one item"));
    }
    if items.len() > max {
        return Err(ApiError::bad_json_at(name, format!("at most {max} items")));
    }
    Ok(items)
}

fn only_members(body: &Map<String, Value>, allowed: &[&str]) -> ApiResult<()> {
    match body.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(bad) => Err(ApiError::bad_json_at(
            bad,
            "additional properties are not allowed",
        )),
        None => Ok(()),
    }
}

async fn match_faces(State(app): State<App>, req: Req) -> ApiResult<Response> {
    off_the_reactor(move || match_objects(&app, &req, DescriptorKind::Face)).await
}

async fn match_bodies(State(app): State<App>, req: Req) -> ApiResult<Response> {
    off_the_reactor(move || match_objects(&app, &req, DescriptorKind::Body)).await
}

fn match_objects(app: &App, req: &Req, kind: DescriptorKind) -> ApiResult<Response> {
    let (_, scope) = req.scoped(&[])?;
    let body = req.json_object()?;
    only_members(&body, &["candidates", "references"])?;
    let references = body
        .get("references")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::bad_json_at("references", "an array is required"))?;
    if references.is_empty() {
        return Err(ApiError::bad_json_at("references", "at least one item"));
    }
    if references.len() > app.match_limits.references {
        return Err(too_many_references(app.match_limits.references));
    }
    let sets = array(&body, "candidates", app.match_limits.candidate_sets)?
        .iter()
        .enumerate()
        .map(|(i, c)| CandidateSet::from_json(c, &format!("candidates.{i}"), kind, &scope))
        .collect::<ApiResult<Vec<_>>>()?;
    let specs = references
        .iter()
        .enumerate()
        .map(|(i, r)| ReferenceSpec::from_json(r, &format!("references.{i}"), kind))
        .collect::<ApiResult<Vec<_>>>()?;
    // Each candidate set is collected once and ranked for every reference.
    let collected: Vec<Vec<MatchObject>> = sets
        .iter()
        .map(|s| s.filter.collect(&app.store, kind))
        .collect();
    let mut answer = Vec::with_capacity(specs.len());
    for spec in &specs {
        let entry = match spec.resolve(&app.store, &scope, kind) {
            Ok(reference) => {
                let matches: Vec<Value> = sets
                    .iter()
                    .zip(&collected)
                    .map(|(set, objects)| {
                        let found =
                            rank_among(&reference.descriptors, objects, set.limit, set.threshold);
                        set.answer(&found)
                    })
                    .collect();
                json!({"reference": spec.key(), "matches": matches})
            }
            Err(error) => json!({"reference": spec.key(), "matches": [], "error": error.body()}),
        };
        answer.push(entry);
    }
    Ok(ok(Value::Array(answer)))
}

/// `{"candidate": {"id", "type"}, "similarity"}`.
fn candidate_json(m: &Match) -> Value {
    json!({
        "candidate": {"id": m.object.id, "type": m.object.origin.singular()},
        "similarity": m.similarity,
    })
}

/// A descriptor given in a raw request, with its `{"id", "type"}`.
struct Given {
    key: Value,
    label: String,
    descriptor: Descriptor,
}

fn given(value: &Value, path: &str) -> ApiResult<Given> {
    let spec = ReferenceSpec::from_json(value, path, DescriptorKind::Body)?;
    match spec {
        ReferenceSpec::Descriptor {
            ref id,
            ref descriptor,
            ..
        } => Ok(Given {
            key: spec.key(),
            label: id.clone(),
            descriptor: descriptor.clone(),
        }),
        ReferenceSpec::Object(..) => Err(ApiError::bad_json_at(
            &format!("{path}.type"),
            "raw matching takes sdk_descriptor or raw_descriptor",
        )),
    }
}

async fn match_raw(State(app): State<App>, req: Req) -> ApiResult<Response> {
    off_the_reactor(move || raw(&app, &req)).await
}

/// Runs a matching on tokio's blocking pool, so that a long one does not hold up the other
/// requests of the service; a panic in it is answered as error 1.
async fn off_the_reactor(
    work: impl FnOnce() -> ApiResult<Response> + Send + 'static,
) -> ApiResult<Response> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| ApiError::internal("Internal server error: the matching failed"))?
}

fn raw(app: &App, req: &Req) -> ApiResult<Response> {
    req.params(&[])?;
    let body = req.json_object()?;
    only_members(&body, &["candidates", "references"])?;
    let references = body
        .get("references")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::bad_json_at("references", "an array is required"))?;
    if references.is_empty() {
        return Err(ApiError::bad_json_at("references", "at least one item"));
    }
    if references.len() > app.match_limits.references {
        return Err(too_many_references(app.match_limits.references));
    }
    let references = references
        .iter()
        .enumerate()
        .map(|(i, r)| given(r, &format!("references.{i}")))
        .collect::<ApiResult<Vec<_>>>()?;
    let candidates = array(&body, "candidates", app.match_limits.cross_match_objects)?
        .iter()
        .enumerate()
        .map(|(i, c)| given(c, &format!("candidates.{i}")))
        .collect::<ApiResult<Vec<_>>>()?;
    let version = references[0].descriptor.version;
    if let Some(other) = references
        .iter()
        .chain(&candidates)
        .find(|g| g.descriptor.version != version)
    {
        return Err(ApiError::bad_input(format!(
            "Descriptor '{}' has version {}, not the version {version} of the first reference: \
             all descriptors of one raw matching must have one version",
            other.label, other.descriptor.version
        )));
    }
    let answer: Vec<Value> = references
        .iter()
        .map(|r| {
            let mut scored: Vec<(usize, f64)> = candidates
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    crate::recognition::similarity(&r.descriptor, &c.descriptor).map(|s| (i, s))
                })
                .collect();
            scored.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
            let matches: Vec<Value> = scored
                .into_iter()
                .map(|(i, s)| json!({"candidate": candidates[i].key, "similarity": s}))
                .collect();
            json!({"reference": r.key, "matches": matches})
        })
        .collect();
    Ok(ok(Value::Array(answer)))
}

async fn crossmatch_faces(State(app): State<App>, req: Req) -> ApiResult<Response> {
    off_the_reactor(move || crossmatch(&app, &req, DescriptorKind::Face)).await
}

async fn crossmatch_bodies(State(app): State<App>, req: Req) -> ApiResult<Response> {
    off_the_reactor(move || crossmatch(&app, &req, DescriptorKind::Body)).await
}

/// Reads `{"filters": {...}}` of a cross-matching side.
fn side(
    body: &Map<String, Value>,
    name: &str,
    kind: DescriptorKind,
    scope: &Scope,
) -> ApiResult<CandidateFilter> {
    let map = body
        .get(name)
        .and_then(Value::as_object)
        .ok_or_else(|| ApiError::bad_json_at(name, "an object {\"filters\": {...}} is required"))?;
    if let Some(bad) = map.keys().find(|k| *k != "filters") {
        return Err(ApiError::bad_json_at(
            &format!("{name}.{bad}"),
            "additional properties are not allowed",
        ));
    }
    let filters = map
        .get("filters")
        .ok_or_else(|| ApiError::bad_json_at(&format!("{name}.filters"), "required"))?;
    CandidateFilter::from_json(filters, &format!("{name}.filters"), kind, scope)
}

fn crossmatch(app: &App, req: &Req, kind: DescriptorKind) -> ApiResult<Response> {
    let (params, scope) = req.scoped(&["sorting"])?;
    let sorted = params.flag("sorting")?.unwrap_or(true);
    let body = req.json_object()?;
    only_members(&body, &["candidates", "references", "limit", "threshold"])?;
    let candidates = side(&body, "candidates", kind, &scope)?;
    let references = side(&body, "references", kind, &scope)?;
    let limit = read_limit(&body, "")?;
    let threshold = read_threshold(&body, "")?;
    let max = app.match_limits.cross_match_objects;
    let candidates = candidates.collect(&app.store, kind);
    let references = references.collect(&app.store, kind);
    for (side, found) in [("candidates", &candidates), ("references", &references)] {
        if found.len() > max {
            return Err(ApiError::invalid(
                31002,
                format!(
                    "The {side} filters select {} objects, more than the limit of {max}",
                    found.len()
                ),
            ));
        }
    }
    let answer: Vec<Value> = references
        .iter()
        .map(|r| {
            let others = candidates
                .iter()
                .filter(|c| (c.origin, c.id) != (r.origin, r.id));
            let mut found = rank_among(&r.descriptors, others, limit, threshold);
            if !sorted {
                let position = |m: &Match| {
                    candidates
                        .iter()
                        .position(|c| (c.origin, c.id) == (m.object.origin, m.object.id))
                };
                found.sort_by_key(position);
            }
            json!({
                "reference": {"id": r.id, "type": r.origin.singular()},
                "matches": found.iter().map(candidate_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(ok(Value::Array(answer)))
}
