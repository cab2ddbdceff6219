//! Matching over the stores: pure functions that luna-python-matcher (and luna-handlers' match
//! policies) build on.
//!
//! * **References** ([`ReferenceSpec`]) — a face, an event or a temporary attribute by id, or a
//!   descriptor given in the request (SDK or raw form); [`ReferenceSpec::resolve`] turns one into
//!   descriptors ([`Reference`]), or into the LUNA error of a missing object.
//! * **Candidates** ([`CandidateSet`]) — `{"filters": {"origin": "faces" | "events" |
//!   "attributes", ...}, "limit", "threshold", "targets"}`; the filters are those of `GET /faces`
//!   (faces), `GET /events` (events, lists as arrays, `null` items, `meta` as an object) and
//!   [`ATTRIBUTE_FILTERS`] (attributes), each with an `account_id` member besides, read by
//!   [`CandidateFilter::from_json`]. Only objects with a descriptor of the wanted kind
//!   ([`DescriptorKind`]) are candidates: faces with an attribute, live temporary attributes,
//!   events with face (or body) descriptors.
//! * **Similarity** — [`best_similarity`]: the [`similarity`] of the reference's and the
//!   candidate's descriptors of one version (the default face version 62 when both have it,
//!   else the lowest common one); objects without a common version are no candidates.
//! * **Ranking** — [`rank`]: similarity ≥ `threshold`, by similarity (highest first; ties by
//!   origin and id), at most `limit`.
//!
//! Locks: each function takes the state it reads; [`CandidateFilter::collect`] and
//! [`ReferenceSpec::resolve`] lock one part of the [`Store`] at a time, never two, and never
//! keep a lock after they return.

use crate::context::Scope;
use crate::descriptors::{Descriptor, DEFAULT_FACE_VERSION};
use crate::errors::{ApiError, ApiResult};
use crate::events::filters::{accepted_names as event_filter_names, EventFilter};
use crate::events::model::{StoredEvent, EVENT_FIELDS};
use crate::events::EventsState;
use crate::faces::model::{Face, FacesState, TempAttribute, FACE_TARGETS};
use crate::faces::{FaceFilter, FACE_FILTERS};
use crate::query::{parse_uuid, Params};
use crate::recognition::similarity;
use crate::store::Store;
use crate::time_format::{format_time, now};
use serde_json::{json, Map, Value};
use std::cmp::Ordering;
use uuid::Uuid;

/// Default `limit` of a candidate set (unknown in the reference; LUNA match policies use 3).
pub const LIMIT_DEFAULT: usize = 3;
/// Largest `limit` (unknown in the reference, `PLATFORM_LIMITS.MATCH`; the SDK checks 1000).
pub const LIMIT_MAX: usize = 1000;
/// The filters of `origin: "attributes"` (unknown in the reference; the SDK's names).
pub const ATTRIBUTE_FILTERS: &[&str] = &["attribute_ids", "create_time__gte", "create_time__lt"];
/// Members of an attribute in a match result.
pub const ATTRIBUTE_RESULT_FIELDS: &[&str] = &["attribute_id", "account_id", "create_time"];

/// Which descriptors are matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescriptorKind {
    /// Face descriptors (faces, attributes and events are candidates).
    Face,
    /// Body descriptors (events only).
    Body,
}

/// Where candidates (and cross-matching references) come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// luna-faces faces.
    Faces,
    /// luna-events events.
    Events,
    /// luna-faces temporary attributes.
    Attributes,
}

impl Origin {
    /// The wire name of the origin (`filters.origin`).
    pub fn name(self) -> &'static str {
        match self {
            Origin::Faces => "faces",
            Origin::Events => "events",
            Origin::Attributes => "attributes",
        }
    }

    /// The member naming one object of this origin in results (`face`, `event`, `attribute`),
    /// also the reference `type` of an id reference.
    pub fn singular(self) -> &'static str {
        match self {
            Origin::Faces => "face",
            Origin::Events => "event",
            Origin::Attributes => "attribute",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [Origin::Faces, Origin::Events, Origin::Attributes]
            .into_iter()
            .find(|o| o.name() == name)
    }
}

/// An object that has descriptors: a candidate, or a reference of cross-matching.
#[derive(Clone, Debug)]
pub struct MatchObject {
    /// Where it is stored.
    pub origin: Origin,
    /// Its id.
    pub id: Uuid,
    /// The object as a match result shows it (face fields, event fields, attribute fields).
    pub json: Map<String, Value>,
    /// Its descriptors of the matched kind.
    pub descriptors: Vec<Descriptor>,
}

/// One candidate found for a reference.
#[derive(Clone, Debug)]
pub struct Match {
    /// The candidate.
    pub object: MatchObject,
    /// Its similarity to the reference, in `[0, 1]`.
    pub similarity: f64,
}

impl Match {
    /// `{"face" | "event" | "attribute": {...}, "similarity": s}`, the object reduced to
    /// `targets` when given.
    pub fn to_json(&self, targets: Option<&[String]>) -> Value {
        let mut object = self.object.json.clone();
        if let Some(targets) = targets {
            object.retain(|k, _| targets.iter().any(|t| t == k));
        }
        let mut out = Map::new();
        out.insert(self.object.origin.singular().into(), Value::Object(object));
        out.insert("similarity".into(), json!(self.similarity));
        Value::Object(out)
    }
}

/// The similarity of two descriptor sets: on the default face version when both have it,
/// else on their lowest common version; `None` without a common version.
pub fn best_similarity(reference: &[Descriptor], candidate: &[Descriptor]) -> Option<f64> {
    let common = |d: &&Descriptor| candidate.iter().any(|c| c.version == d.version);
    let chosen = reference
        .iter()
        .filter(common)
        .find(|d| d.version == DEFAULT_FACE_VERSION)
        .or_else(|| reference.iter().filter(common).min_by_key(|d| d.version))?;
    let other = candidate.iter().find(|c| c.version == chosen.version)?;
    similarity(chosen, other)
}

/// Scores `candidates` against `reference`: those with a common descriptor version and a
/// similarity ≥ `threshold`, highest first (ties by origin and id), at most `limit`.
pub fn rank(
    reference: &[Descriptor],
    candidates: impl IntoIterator<Item = MatchObject>,
    limit: usize,
    threshold: f64,
) -> Vec<Match> {
    let candidates: Vec<MatchObject> = candidates.into_iter().collect();
    rank_among(reference, candidates.iter(), limit, threshold)
}

/// [`rank`] over borrowed candidates: only the kept ones are copied into the answer.
pub fn rank_among<'a>(
    reference: &[Descriptor],
    candidates: impl IntoIterator<Item = &'a MatchObject>,
    limit: usize,
    threshold: f64,
) -> Vec<Match> {
    let mut scored: Vec<(&MatchObject, f64)> = candidates
        .into_iter()
        .filter_map(|object| {
            let similarity = best_similarity(reference, &object.descriptors)?;
            (similarity >= threshold).then_some((object, similarity))
        })
        .collect();
    scored.sort_by(|(a, sa), (b, sb)| {
        sb.partial_cmp(sa)
            .unwrap_or(Ordering::Equal)
            .then(a.origin.cmp(&b.origin))
            .then(a.id.cmp(&b.id))
    });
    scored.truncate(limit);
    scored
        .into_iter()
        .map(|(object, similarity)| Match {
            object: object.clone(),
            similarity,
        })
        .collect()
}

/// The text of one JSON filter value, as the same filter is written in a query string.
fn filter_text(value: &Value, path: &str) -> ApiResult<String> {
    let scalar = |v: &Value| -> ApiResult<String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(if *b { "1" } else { "0" }.to_owned()),
            Value::Null => Ok("null".to_owned()),
            _ => Err(ApiError::bad_json_at(
                path,
                "expected a string, a number, null or an array of them",
            )),
        }
    };
    match value {
        Value::Array(items) => {
            if items.is_empty() {
                return Err(ApiError::bad_json_at(path, "an empty list"));
            }
            Ok(items
                .iter()
                .map(scalar)
                .collect::<ApiResult<Vec<_>>>()?
                .join(","))
        }
        other => scalar(other),
    }
}

/// The members of a filters object (without `origin`) as query pairs; `meta` is an object of
/// `"<path>__<operator>:<type>": operand`.
fn filter_pairs(map: &Map<String, Value>, path: &str) -> ApiResult<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for (name, value) in map {
        let at = format!("{path}.{name}");
        match name.as_str() {
            "origin" => {}
            "meta" => {
                let meta = value
                    .as_object()
                    .ok_or_else(|| ApiError::bad_json_at(&at, "expected an object"))?;
                for (key, operand) in meta {
                    pairs.push((
                        format!("meta.{key}"),
                        filter_text(operand, &format!("{at}.{key}"))?,
                    ));
                }
            }
            _ => pairs.push((name.clone(), filter_text(value, &at)?)),
        }
    }
    Ok(pairs)
}

/// The filters of temporary attributes ([`ATTRIBUTE_FILTERS`]).
#[derive(Debug)]
pub struct AttributeFilter {
    scope: Scope,
    attribute_ids: Option<Vec<Uuid>>,
    create_time_gte: Option<time::OffsetDateTime>,
    create_time_lt: Option<time::OffsetDateTime>,
}

impl AttributeFilter {
    /// Reads the [`ATTRIBUTE_FILTERS`] of `params`; only attributes `scope` sees pass.
    pub fn with_scope(params: &Params, scope: Scope) -> ApiResult<Self> {
        Ok(Self {
            scope,
            attribute_ids: params.uuids("attribute_ids")?,
            create_time_gte: params.time("create_time__gte")?,
            create_time_lt: params.time("create_time__lt")?,
        })
    }

    /// Whether a live attribute passes every filter.
    pub fn matches(&self, a: &TempAttribute) -> bool {
        let created = a.data.create_time;
        a.expires > now()
            && self.scope.sees(a.account_id)
            && self
                .attribute_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&a.attribute_id))
            && self
                .create_time_gte
                .is_none_or(|t| created.is_some_and(|c| c >= t))
            && self
                .create_time_lt
                .is_none_or(|t| created.is_some_and(|c| c < t))
    }
}

/// The filters of one candidate (or cross-matching reference) set, by origin.
#[derive(Debug)]
pub enum CandidateFilter {
    /// `origin: "faces"`.
    Faces(FaceFilter),
    /// `origin: "events"`.
    Events(EventFilter),
    /// `origin: "attributes"`.
    Attributes(AttributeFilter),
}

impl CandidateFilter {
    /// Reads a filters object at `path` (for errors): `origin` and that origin's filters, plus
    /// `account_id`, which narrows `scope`. Body matching (`kind` [`DescriptorKind::Body`])
    /// takes events only (error 12022 otherwise, as for any bad member).
    pub fn from_json(
        value: &Value,
        path: &str,
        kind: DescriptorKind,
        scope: &Scope,
    ) -> ApiResult<Self> {
        let map = value
            .as_object()
            .ok_or_else(|| ApiError::bad_json_at(path, "filters must be an object"))?;
        let origin_at = format!("{path}.origin");
        let origin = map
            .get("origin")
            .and_then(Value::as_str)
            .and_then(Origin::parse)
            .ok_or_else(|| {
                ApiError::bad_json_at(&origin_at, "'origin' must be faces, events or attributes")
            })?;
        if kind == DescriptorKind::Body && origin != Origin::Events {
            return Err(ApiError::bad_json_at(
                &origin_at,
                format!(
                    "bodies matching cannot work with {} as candidates",
                    origin.name()
                ),
            ));
        }
        let mut allowed: Vec<&str> = match origin {
            Origin::Faces => FACE_FILTERS.to_vec(),
            Origin::Events => event_filter_names(),
            Origin::Attributes => ATTRIBUTE_FILTERS.to_vec(),
        };
        allowed.push("account_id");
        let bad = |e: ApiError| ApiError::bad_json_at(path, e.detail);
        let params = Params::from_pairs(filter_pairs(map, path)?, &allowed).map_err(bad)?;
        let mut scope = scope.clone();
        if let Some(account) = params.uuid("account_id").map_err(bad)? {
            scope = scope.and(account);
        }
        Ok(match origin {
            Origin::Faces => Self::Faces(FaceFilter::with_scope(&params, scope).map_err(bad)?),
            Origin::Events => Self::Events(EventFilter::read(&params, scope).map_err(bad)?),
            Origin::Attributes => {
                Self::Attributes(AttributeFilter::with_scope(&params, scope).map_err(bad)?)
            }
        })
    }

    /// The origin of the set.
    pub fn origin(&self) -> Origin {
        match self {
            Self::Faces(_) => Origin::Faces,
            Self::Events(_) => Origin::Events,
            Self::Attributes(_) => Origin::Attributes,
        }
    }

    /// The faces or attributes that pass, with their descriptors (face origins only).
    pub fn collect_faces(&self, state: &FacesState) -> Vec<MatchObject> {
        match self {
            Self::Faces(filter) => state
                .faces
                .values()
                .filter(|f| filter.matches(f))
                .filter_map(face_object)
                .collect(),
            Self::Attributes(filter) => {
                let mut found: Vec<MatchObject> = state
                    .attributes
                    .values()
                    .filter(|a| filter.matches(a))
                    .filter_map(attribute_object)
                    .collect();
                found.sort_by_key(|o| o.id);
                found
            }
            Self::Events(_) => Vec::new(),
        }
    }

    /// The events that pass, with their descriptors of `kind` (event origins only).
    pub fn collect_events(&self, state: &EventsState, kind: DescriptorKind) -> Vec<MatchObject> {
        match self {
            Self::Events(filter) => state
                .iter()
                .filter(|e| filter.matches(e))
                .filter_map(|e| event_object(e, kind))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Every object of the set with descriptors of `kind` (locks the one part of `store` the
    /// origin needs).
    pub fn collect(&self, store: &Store, kind: DescriptorKind) -> Vec<MatchObject> {
        match self.origin() {
            Origin::Events => self.collect_events(&store.events(), kind),
            Origin::Faces | Origin::Attributes => self.collect_faces(&store.faces()),
        }
    }
}

/// A face as a candidate (`None` without descriptors).
pub fn face_object(face: &Face) -> Option<MatchObject> {
    let descriptors = face.attribute.as_ref()?.descriptors.clone();
    (!descriptors.is_empty()).then(|| MatchObject {
        origin: Origin::Faces,
        id: face.face_id,
        json: face.to_json(),
        descriptors,
    })
}

/// A temporary attribute as a candidate (`None` without descriptors).
pub fn attribute_object(attribute: &TempAttribute) -> Option<MatchObject> {
    let descriptors = attribute.data.descriptors.clone();
    let mut json = Map::new();
    json.insert("attribute_id".into(), json!(attribute.attribute_id));
    json.insert("account_id".into(), json!(attribute.account_id));
    json.insert(
        "create_time".into(),
        json!(attribute.data.create_time.map(format_time)),
    );
    (!descriptors.is_empty()).then_some(MatchObject {
        origin: Origin::Attributes,
        id: attribute.attribute_id,
        json,
        descriptors,
    })
}

/// An event as a candidate (`None` without descriptors of `kind`).
pub fn event_object(event: &StoredEvent, kind: DescriptorKind) -> Option<MatchObject> {
    let descriptors = match kind {
        DescriptorKind::Face => event.face_descriptors.clone(),
        DescriptorKind::Body => event.body_descriptors.clone(),
    };
    let all: Vec<String> = EVENT_FIELDS.iter().map(|s| (*s).to_owned()).collect();
    let json = match event.to_json(&all) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    (!descriptors.is_empty()).then_some(MatchObject {
        origin: Origin::Events,
        id: event.event_id,
        json,
        descriptors,
    })
}

/// One candidate set of a matching request.
#[derive(Debug)]
pub struct CandidateSet {
    /// The filters as given (echoed in answers).
    pub filters_json: Value,
    /// The filters.
    pub filter: CandidateFilter,
    /// At most this many candidates per reference.
    pub limit: usize,
    /// Smallest similarity of a candidate.
    pub threshold: f64,
    /// Object members in results (`None`: all).
    pub targets: Option<Vec<String>>,
}

/// Reads an optional `limit` member: 1 to [`LIMIT_MAX`], [`LIMIT_DEFAULT`] when absent.
pub fn read_limit(map: &Map<String, Value>, path: &str) -> ApiResult<usize> {
    match map.get("limit") {
        None | Some(Value::Null) => Ok(LIMIT_DEFAULT),
        Some(v) => v
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| (1..=LIMIT_MAX).contains(n))
            .ok_or_else(|| {
                ApiError::bad_json_at(
                    &format!("{path}limit"),
                    format!("expected an integer in 1..={LIMIT_MAX}"),
                )
            }),
    }
}

/// Reads an optional `threshold` member: a number in `[0, 1]`, 0 when absent.
pub fn read_threshold(map: &Map<String, Value>, path: &str) -> ApiResult<f64> {
    match map.get("threshold") {
        None | Some(Value::Null) => Ok(0.0),
        Some(v) => v
            .as_f64()
            .filter(|n| (0.0..=1.0).contains(n))
            .ok_or_else(|| {
                ApiError::bad_json_at(&format!("{path}threshold"), "expected a number in 0..=1")
            }),
    }
}

impl CandidateSet {
    /// Reads `{"filters", "limit"?, "threshold"?, "targets"?}` at `path` (e.g.
    /// `candidates.0`).
    pub fn from_json(
        value: &Value,
        path: &str,
        kind: DescriptorKind,
        scope: &Scope,
    ) -> ApiResult<Self> {
        let map = value
            .as_object()
            .ok_or_else(|| ApiError::bad_json_at(path, "a candidate set is an object"))?;
        if let Some(bad) = map
            .keys()
            .find(|k| !["filters", "limit", "threshold", "targets"].contains(&k.as_str()))
        {
            return Err(ApiError::bad_json_at(
                &format!("{path}.{bad}"),
                "additional properties are not allowed",
            ));
        }
        let filters_json = map
            .get("filters")
            .cloned()
            .ok_or_else(|| ApiError::bad_json_at(&format!("{path}.filters"), "required"))?;
        let filter =
            CandidateFilter::from_json(&filters_json, &format!("{path}.filters"), kind, scope)?;
        let prefix = format!("{path}.");
        let targets = match map.get("targets") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => {
                let allowed: &[&str] = match filter.origin() {
                    Origin::Faces => FACE_TARGETS,
                    Origin::Events => EVENT_FIELDS,
                    Origin::Attributes => ATTRIBUTE_RESULT_FIELDS,
                };
                let names = items
                    .iter()
                    .map(|t| {
                        t.as_str()
                            .filter(|t| allowed.contains(t))
                            .map(str::to_owned)
                    })
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| {
                        ApiError::bad_json_at(
                            &format!("{path}.targets"),
                            format!("valid targets are {}", allowed.join(", ")),
                        )
                    })?;
                Some(names)
            }
            Some(_) => {
                return Err(ApiError::bad_json_at(
                    &format!("{path}.targets"),
                    "expected an array",
                ))
            }
        };
        Ok(Self {
            filters_json,
            limit: read_limit(map, &prefix)?,
            threshold: read_threshold(map, &prefix)?,
            filter,
            targets,
        })
    }

    /// The candidates of the set for `reference`, ranked ([`rank`]).
    pub fn find(&self, store: &Store, reference: &Reference, kind: DescriptorKind) -> Vec<Match> {
        rank(
            &reference.descriptors,
            self.filter.collect(store, kind),
            self.limit,
            self.threshold,
        )
    }

    /// `{"filters": <as given>, "result": [match...]}`.
    pub fn answer(&self, matches: &[Match]) -> Value {
        json!({
            "filters": self.filters_json,
            "result": matches
                .iter()
                .map(|m| m.to_json(self.targets.as_deref()))
                .collect::<Vec<_>>(),
        })
    }
}

/// What a reference names, as read from a request (before any lookup).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReferenceSpec {
    /// `{"type": "face" | "event" | "attribute", "id": <uuid>}`.
    Object(Origin, Uuid),
    /// `{"type": "sdk_descriptor" | "raw_descriptor", "id": <label>, "data": ...}`.
    Descriptor {
        /// The caller's label.
        id: String,
        /// `sdk_descriptor` or `raw_descriptor`.
        kind: &'static str,
        /// The descriptor.
        descriptor: Descriptor,
    },
}

/// A reference with its descriptors.
#[derive(Clone, Debug)]
pub struct Reference {
    /// `{"id", "type"}` as answered.
    pub key: Value,
    /// The object, for id references.
    pub object: Option<(Origin, Uuid)>,
    /// The descriptors of the matched kind.
    pub descriptors: Vec<Descriptor>,
}

impl ReferenceSpec {
    /// Reads `{"type", "id", "data"?}` at `path`; body matching takes events and descriptors
    /// only. `data` is the base64 SDK descriptor (`sdk_descriptor`) or `{"descriptor",
    /// "version"}` (`raw_descriptor`).
    pub fn from_json(value: &Value, path: &str, kind: DescriptorKind) -> ApiResult<Self> {
        let map = value
            .as_object()
            .ok_or_else(|| ApiError::bad_json_at(path, "a reference is an object"))?;
        if let Some(bad) = map
            .keys()
            .find(|k| !["type", "id", "data"].contains(&k.as_str()))
        {
            return Err(ApiError::bad_json_at(
                &format!("{path}.{bad}"),
                "additional properties are not allowed",
            ));
        }
        let kinds: &[&str] = match kind {
            DescriptorKind::Face => &[
                "face",
                "event",
                "attribute",
                "sdk_descriptor",
                "raw_descriptor",
            ],
            DescriptorKind::Body => &["event", "sdk_descriptor", "raw_descriptor"],
        };
        let type_at = format!("{path}.type");
        let kind_name = map
            .get("type")
            .and_then(Value::as_str)
            .and_then(|t| kinds.iter().find(|k| **k == t))
            .ok_or_else(|| {
                ApiError::bad_json_at(&type_at, format!("expected one of {}", kinds.join(", ")))
            })?;
        let id_at = format!("{path}.id");
        let id = map
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ApiError::bad_json_at(&id_at, "a non-empty string is required"))?;
        let data = map.get("data");
        match *kind_name {
            "sdk_descriptor" | "raw_descriptor" => {
                let data_at = format!("{path}.data");
                let data = data.ok_or_else(|| ApiError::bad_json_at(&data_at, "required"))?;
                let sdk = *kind_name == "sdk_descriptor";
                if sdk != data.is_string() {
                    return Err(ApiError::bad_json_at(
                        &data_at,
                        if sdk {
                            "an sdk_descriptor is a base64 string"
                        } else {
                            "a raw_descriptor is {\"descriptor\", \"version\"}"
                        },
                    ));
                }
                Ok(Self::Descriptor {
                    id: id.to_owned(),
                    kind: kind_name,
                    descriptor: Descriptor::from_json(data, &data_at)?,
                })
            }
            object => {
                if data.is_some() {
                    return Err(ApiError::bad_json_at(
                        &format!("{path}.data"),
                        "only descriptor references carry data",
                    ));
                }
                let origin = match object {
                    "face" => Origin::Faces,
                    "event" => Origin::Events,
                    _ => Origin::Attributes,
                };
                let uuid = parse_uuid("id", id)
                    .map_err(|_| ApiError::bad_json_at(&id_at, "not a valid uuid"))?;
                Ok(Self::Object(origin, uuid))
            }
        }
    }

    /// `{"id", "type"}` of the reference.
    pub fn key(&self) -> Value {
        match self {
            Self::Object(origin, id) => json!({"id": id, "type": origin.singular()}),
            Self::Descriptor { id, kind, .. } => json!({"id": id, "type": kind}),
        }
    }

    /// Looks the reference up for `scope`: its descriptors of `kind`, or the LUNA error of a
    /// missing object (22002 face, 23001 event, 22011 attribute) or of an object without such
    /// descriptors (22011 face without attribute, 23006 / 23007 event without face / body
    /// descriptors).
    pub fn resolve(
        &self,
        store: &Store,
        scope: &Scope,
        kind: DescriptorKind,
    ) -> ApiResult<Reference> {
        let descriptors = match self {
            Self::Descriptor { descriptor, .. } => vec![descriptor.clone()],
            Self::Object(Origin::Faces, id) => {
                let faces = store.faces();
                let face = faces
                    .faces
                    .get(id)
                    .filter(|f| scope.sees(f.account_id))
                    .ok_or_else(|| ApiError::not_found(22002, "Face", id))?;
                face.attribute
                    .as_ref()
                    .map(|a| a.descriptors.clone())
                    .filter(|d| !d.is_empty())
                    .ok_or_else(|| ApiError::not_found(22011, "Attributes of face", id))?
            }
            Self::Object(Origin::Attributes, id) => {
                let faces = store.faces();
                faces
                    .attributes
                    .get(id)
                    .filter(|a| a.expires > now() && scope.sees(a.account_id))
                    .map(|a| a.data.descriptors.clone())
                    .filter(|d| !d.is_empty())
                    .ok_or_else(|| ApiError::not_found(22011, "Attributes", id))?
            }
            Self::Object(Origin::Events, id) => {
                let events = store.events();
                let event = events.get(*id, scope)?;
                let (found, code, what) = match kind {
                    DescriptorKind::Face => {
                        (&event.face_descriptors, 23006, "Face descriptor of event")
                    }
                    DescriptorKind::Body => {
                        (&event.body_descriptors, 23007, "Human descriptor of event")
                    }
                };
                if found.is_empty() {
                    return Err(ApiError::not_found(code, what, id));
                }
                found.clone()
            }
        };
        Ok(Reference {
            key: self.key(),
            object: match self {
                Self::Object(origin, id) => Some((*origin, *id)),
                Self::Descriptor { .. } => None,
            },
            descriptors,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faces::model::{AttributeData, List};
    use crate::recognition::Subject;
    use std::collections::BTreeMap;

    const VERSION: u32 = 59;

    fn descriptor(identity: &str, variant: u32) -> Descriptor {
        Subject::synthetic(identity, variant).descriptor(VERSION)
    }

    fn face(account: Uuid, identity: &str, lists: Vec<Uuid>) -> Face {
        Face {
            face_id: Uuid::new_v4(),
            account_id: account,
            event_id: None,
            user_data: identity.to_owned(),
            external_id: format!("ext-{identity}"),
            avatar: String::new(),
            create_time: now(),
            lists,
            attribute: Some(AttributeData {
                descriptors: vec![descriptor(identity, 0)],
                create_time: Some(now()),
                ..AttributeData::default()
            }),
            source_attribute: None,
        }
    }

    fn store_with_faces(account: Uuid, list: Uuid, people: &[&str]) -> (Store, Vec<Uuid>) {
        let store = Store::default();
        let mut ids = Vec::new();
        {
            let mut faces = store.faces();
            let mut links = BTreeMap::new();
            for (i, person) in people.iter().enumerate() {
                let f = face(account, person, vec![list]);
                links.insert(f.face_id, i as i64);
                ids.push(f.face_id);
                faces.faces.insert(f.face_id, f);
            }
            faces.lists.insert(
                list,
                List {
                    list_id: list,
                    account_id: account,
                    user_data: String::new(),
                    create_time: now(),
                    last_update_time: now(),
                    links,
                },
            );
        }
        (store, ids)
    }

    fn set(filters: Value, limit: Option<u64>, threshold: Option<f64>) -> CandidateSet {
        let mut body = json!({ "filters": filters });
        if let Some(l) = limit {
            body["limit"] = json!(l);
        }
        if let Some(t) = threshold {
            body["threshold"] = json!(t);
        }
        CandidateSet::from_json(
            &body,
            "candidates.0",
            DescriptorKind::Face,
            &Scope::default(),
        )
        .expect("a valid set")
    }

    #[test]
    fn best_similarity_uses_a_common_version() {
        let a = descriptor("alice", 1);
        let other_version = Subject::synthetic("alice", 1).descriptor(62);
        assert!(
            best_similarity(std::slice::from_ref(&a), &[descriptor("alice", 2)]).unwrap() >= 0.9
        );
        assert!(best_similarity(std::slice::from_ref(&a), &[descriptor("bob", 0)]).unwrap() < 0.5);
        assert_eq!(
            best_similarity(
                std::slice::from_ref(&a),
                std::slice::from_ref(&other_version)
            ),
            None
        );
        let both = [a, other_version];
        let candidate = [Subject::synthetic("alice", 3).descriptor(62)];
        assert!(best_similarity(&both, &candidate).unwrap() >= 0.9);
    }

    #[test]
    fn rank_applies_threshold_order_and_limit() {
        let (store, ids) = store_with_faces(
            Uuid::new_v4(),
            Uuid::new_v4(),
            &["alice", "bob", "carol", "dave"],
        );
        let objects = set(json!({"origin": "faces"}), None, None)
            .filter
            .collect(&store, DescriptorKind::Face);
        assert_eq!(objects.len(), 4);
        let reference = [descriptor("carol", 7)];
        let all = rank(&reference, objects.clone(), 10, 0.0);
        assert_eq!(all.len(), 4);
        assert_eq!(all[0].object.id, ids[2]);
        assert!(all[0].similarity >= 0.9, "{}", all[0].similarity);
        assert!(all.windows(2).all(|w| w[0].similarity >= w[1].similarity));
        assert!(all[1..].iter().all(|m| m.similarity < 0.5));
        let strict = rank(&reference, objects.clone(), 10, 0.5);
        assert_eq!(strict.len(), 1);
        assert_eq!(rank(&reference, objects.clone(), 2, 0.0).len(), 2);
        assert!(rank(&[descriptor("stranger", 0)], objects, 10, 0.5).is_empty());
    }

    #[test]
    fn face_filters_select_candidates() {
        let account = Uuid::new_v4();
        let list = Uuid::new_v4();
        let (store, ids) = store_with_faces(account, list, &["alice", "bob"]);
        store
            .faces()
            .faces
            .insert(Uuid::new_v4(), face(Uuid::new_v4(), "alice", vec![]));
        let count = |filters: Value| {
            set(filters, Some(1000), None)
                .filter
                .collect(&store, DescriptorKind::Face)
                .len()
        };
        assert_eq!(count(json!({"origin": "faces"})), 3);
        assert_eq!(
            count(json!({"origin": "faces", "list_id": list.to_string()})),
            2
        );
        assert_eq!(
            count(json!({"origin": "faces", "account_id": account.to_string()})),
            2
        );
        assert_eq!(
            count(json!({"origin": "faces", "face_ids": [ids[1].to_string()]})),
            1
        );
        assert_eq!(
            count(json!({"origin": "faces", "external_ids": ["ext-alice"]})),
            2
        );
        assert_eq!(count(json!({"origin": "faces", "user_data": "BO"})), 1);
        // A scope narrows every set.
        let scoped = CandidateSet::from_json(
            &json!({"filters": {"origin": "faces"}}),
            "candidates.0",
            DescriptorKind::Face,
            &Scope::of(account),
        )
        .expect("valid");
        assert_eq!(scoped.filter.collect(&store, DescriptorKind::Face).len(), 2);
    }

    fn event(account: Uuid, identity: &str, source: &str, body: bool) -> StoredEvent {
        let mut value = json!({
            "account_id": account.to_string(),
            "source": source,
            "face_descriptors": [descriptor(identity, 1).to_json(crate::descriptors::DescriptorFormat::Sdk)],
            "meta": {"camera": {"floor": 2}},
        });
        if body {
            value["body_descriptors"] =
                json!([descriptor(identity, 2).to_json(crate::descriptors::DescriptorFormat::Raw)]);
        }
        StoredEvent::from_json(&value, "events.0", None).expect("a valid event")
    }

    #[test]
    fn event_filters_select_candidates_and_body_descriptors() {
        let account = Uuid::new_v4();
        let store = Store::default();
        let events = [
            event(account, "alice", "door", false),
            event(account, "alice", "gate", true),
            event(account, "bob", "door", true),
        ];
        let ids: Vec<Uuid> = events.iter().map(|e| e.event_id).collect();
        store
            .events()
            .store_events(events.into_iter().collect())
            .expect("stored");
        let collect = |filters: Value, kind: DescriptorKind| {
            CandidateFilter::from_json(&filters, "f", kind, &Scope::default())
                .expect("valid")
                .collect(&store, kind)
                .into_iter()
                .map(|o| o.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            collect(json!({"origin": "events"}), DescriptorKind::Face).len(),
            3
        );
        assert_eq!(
            collect(json!({"origin": "events"}), DescriptorKind::Body).len(),
            2
        );
        let doors = collect(
            json!({"origin": "events", "sources": ["door"]}),
            DescriptorKind::Face,
        );
        assert_eq!(doors.len(), 2);
        assert!(doors.contains(&ids[0]) && doors.contains(&ids[2]));
        let meta = collect(
            json!({"origin": "events", "meta": {"camera.floor__eq:integer": 2}}),
            DescriptorKind::Face,
        );
        assert_eq!(meta.len(), 3);
        let none = collect(
            json!({"origin": "events", "meta": {"camera.floor__gt:integer": 2}}),
            DescriptorKind::Face,
        );
        assert!(none.is_empty());
        assert_eq!(
            collect(
                json!({"origin": "events", "event_ids": [ids[1].to_string()]}),
                DescriptorKind::Body
            ),
            vec![ids[1]]
        );
        // Reference by event, matched against faces' descriptors of the same version.
        let reference = ReferenceSpec::Object(Origin::Events, ids[2])
            .resolve(&store, &Scope::default(), DescriptorKind::Face)
            .expect("found");
        let matches = rank(
            &reference.descriptors,
            CandidateFilter::from_json(
                &json!({"origin": "events"}),
                "f",
                DescriptorKind::Face,
                &Scope::default(),
            )
            .expect("valid")
            .collect(&store, DescriptorKind::Face),
            3,
            0.9,
        );
        assert_eq!(matches.len(), 1);
        assert_eq!(matches[0].object.id, ids[2]);
        assert!((matches[0].similarity - 1.0).abs() < 1e-9);
        let missing = ReferenceSpec::Object(Origin::Events, ids[0])
            .resolve(&store, &Scope::default(), DescriptorKind::Body)
            .unwrap_err();
        assert_eq!(missing.code, 23007);
    }

    #[test]
    fn bad_filters_and_sets_are_json_errors() {
        let scope = Scope::default();
        for bad in [
            json!({"filters": {"origin": "planets"}}),
            json!({"filters": {"origin": "faces", "colour": "red"}}),
            json!({"filters": {"origin": "faces", "list_id": "nope"}}),
            json!({"filters": {"origin": "events", "sources": []}}),
            json!({"filters": {"origin": "events", "meta": {"a__zz:string": "x"}}}),
            json!({"filters": {"origin": "faces"}, "limit": 0}),
            json!({"filters": {"origin": "faces"}, "limit": 1001}),
            json!({"filters": {"origin": "faces"}, "threshold": 1.5}),
            json!({"filters": {"origin": "faces"}, "targets": ["nope"]}),
            json!({"filters": {"origin": "faces"}, "extra": 1}),
            json!({"limit": 3}),
        ] {
            let error = CandidateSet::from_json(&bad, "candidates.0", DescriptorKind::Face, &scope)
                .unwrap_err();
            assert_eq!(error.code, 12022, "{bad}: {error:?}");
        }
        let faces_for_bodies = CandidateSet::from_json(
            &json!({"filters": {"origin": "faces"}}),
            "candidates.0",
            DescriptorKind::Body,
            &scope,
        )
        .unwrap_err();
        assert_eq!(faces_for_bodies.code, 12022);
    }

    #[test]
    fn references_read_and_resolve() {
        let account = Uuid::new_v4();
        let (store, ids) = store_with_faces(account, Uuid::new_v4(), &["alice"]);
        let sdk = descriptor("alice", 4).to_json(crate::descriptors::DescriptorFormat::Sdk);
        let raw = descriptor("alice", 4).to_json(crate::descriptors::DescriptorFormat::Raw);
        let spec = ReferenceSpec::from_json(
            &json!({"type": "sdk_descriptor", "id": "probe", "data": sdk}),
            "references.0",
            DescriptorKind::Face,
        )
        .expect("valid");
        assert_eq!(spec.key(), json!({"id": "probe", "type": "sdk_descriptor"}));
        let raw_spec = ReferenceSpec::from_json(
            &json!({"type": "raw_descriptor", "id": "probe", "data": raw}),
            "references.0",
            DescriptorKind::Face,
        )
        .expect("valid");
        let a = spec
            .resolve(&store, &Scope::default(), DescriptorKind::Face)
            .expect("ok");
        let b = raw_spec
            .resolve(&store, &Scope::default(), DescriptorKind::Face)
            .expect("ok");
        assert_eq!(a.descriptors, b.descriptors);
        let by_face = ReferenceSpec::from_json(
            &json!({"type": "face", "id": ids[0].to_string()}),
            "references.0",
            DescriptorKind::Face,
        )
        .expect("valid");
        let face_ref = by_face
            .resolve(&store, &Scope::of(account), DescriptorKind::Face)
            .expect("ok");
        assert!(best_similarity(&face_ref.descriptors, &a.descriptors).unwrap() >= 0.9);
        let hidden = by_face
            .resolve(&store, &Scope::of(Uuid::new_v4()), DescriptorKind::Face)
            .unwrap_err();
        assert_eq!(hidden.code, 22002);
        let attribute = ReferenceSpec::Object(Origin::Attributes, Uuid::new_v4())
            .resolve(&store, &Scope::default(), DescriptorKind::Face)
            .unwrap_err();
        assert_eq!(attribute.code, 22011);
        for bad in [
            json!({"type": "face", "id": "not-a-uuid"}),
            json!({"type": "faces", "id": ids[0].to_string()}),
            json!({"type": "sdk_descriptor", "id": "x"}),
            json!({"type": "sdk_descriptor", "id": "x", "data": "AAAA"}),
            json!({"type": "raw_descriptor", "id": "x", "data": sdk}),
            json!({"type": "sdk_descriptor", "id": "", "data": sdk}),
            json!({"type": "face", "id": ids[0].to_string(), "data": sdk}),
        ] {
            let error =
                ReferenceSpec::from_json(&bad, "references.0", DescriptorKind::Face).unwrap_err();
            assert_eq!(error.code, 12022, "{bad}");
        }
        let face_for_bodies = ReferenceSpec::from_json(
            &json!({"type": "face", "id": ids[0].to_string()}),
            "references.0",
            DescriptorKind::Body,
        )
        .unwrap_err();
        assert_eq!(face_for_bodies.code, 12022);
    }

    #[test]
    fn attributes_are_candidates_while_alive() {
        let store = Store::default();
        let account = Uuid::new_v4();
        let live = Uuid::new_v4();
        let dead = Uuid::new_v4();
        for (id, expires) in [
            (live, now() + time::Duration::minutes(5)),
            (dead, now() - time::Duration::seconds(1)),
        ] {
            store.faces().attributes.insert(
                id,
                TempAttribute {
                    attribute_id: id,
                    account_id: account,
                    data: AttributeData {
                        descriptors: vec![descriptor("erin", 0)],
                        create_time: Some(now()),
                        ..AttributeData::default()
                    },
                    expires,
                },
            );
        }
        let found = set(json!({"origin": "attributes"}), None, None)
            .filter
            .collect(&store, DescriptorKind::Face);
        assert_eq!(found.iter().map(|o| o.id).collect::<Vec<_>>(), vec![live]);
        let m = rank(&[descriptor("erin", 5)], found, 3, 0.9);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].to_json(None)["attribute"]["attribute_id"], json!(live));
        let picked = set(
            json!({"origin": "attributes", "attribute_ids": [dead.to_string()]}),
            None,
            None,
        );
        assert!(picked
            .filter
            .collect(&store, DescriptorKind::Face)
            .is_empty());
    }
}
