//! The policy pipeline of luna-handlers: detect → estimate / extract → match → conditional
//! tags → storage (samples and source images into the Image Store, temporary attributes and
//! faces linked to lists into luna-faces, events into luna-events through
//! [`crate::events::EventsState::store_events`]).
//!
//! One event per image (all images in one event with `aggregate_attributes=1`); an image that
//! cannot be read, shows no face (nor body) or whose face fails the detect policy's filters
//! gives no event and is reported in `images`.

use super::policies::{passes, DetectPolicy, ExtractPolicy, Policies};
use crate::context::{App, Scope};
use crate::descriptors::Descriptor;
use crate::errors::{ApiError, ApiResult};
use crate::estimation::{body_estimation, body_rect, face_estimation, FaceEstimator};
use crate::events::event_url;
use crate::events::model::StoredEvent;
use crate::faces::model::{AttributeData, Face, TempAttribute};
use crate::inputs::{Input, BODY_SAMPLES_BUCKET, FACE_SAMPLES_BUCKET, IMAGE_ORIGIN_BUCKET};
use crate::matching::{rank, DescriptorKind};
use crate::recognition::attributes::FaceAttributes;
use crate::recognition::{detect, FaceDetection, Rect};
use crate::time_format::{format_time, now};
use axum::body::Bytes;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Map, Value};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// What was found on one image.
pub struct Analysis {
    /// The image's name.
    pub filename: String,
    /// The image bytes.
    pub bytes: Bytes,
    /// The detection (subject, sizes).
    pub detection: FaceDetection,
    /// The attributes of the subject.
    pub found: FaceAttributes,
    /// Face box, when a face is detected.
    pub face_rect: Option<Rect>,
    /// Body box, when a body is detected.
    pub body_rect: Option<Rect>,
    /// Face estimations asked for.
    pub face_attributes: Map<String, Value>,
    /// Body estimations asked for.
    pub body_attributes: Map<String, Value>,
    /// Extracted face descriptor.
    pub descriptor: Option<Descriptor>,
    /// Extracted body descriptor.
    pub body_descriptor: Option<Descriptor>,
    /// Extracted basic attributes `{age, gender, ethnicity}`.
    pub basic_attributes: Option<Value>,
    /// The detect-policy filter the face failed.
    pub filtered: Option<&'static str>,
}

/// `{"filename", "status": 0, "error"}`.
pub fn failed_image(filename: &str, error: &ApiError) -> Value {
    json!({"filename": filename, "status": 0, "error": error.body()})
}

/// Detects and estimates one input (`image_type`: 0 raw, 1 face warp, 2 body warp; samples
/// are face warps).
pub fn analyse(
    input: Input,
    image_type: i64,
    detect_policy: &DetectPolicy,
    extract: &ExtractPolicy,
) -> Result<Analysis, (String, ApiError)> {
    let filename = input.filename;
    let bytes = match input.image {
        Ok(bytes) => bytes,
        Err(e) => return Err((filename, e)),
    };
    let Some(detection) = detect(&bytes) else {
        let e = ApiError::invalid_image(format!("'{filename}' is not a PNG or JPEG image"));
        return Err((filename, e));
    };
    let (w, h) = (detection.image_width, detection.image_height);
    let whole = Rect {
        x: 0,
        y: 0,
        width: w,
        height: h,
    };
    let image_type = if input.sample { 1 } else { image_type };
    let face_rect = match image_type {
        0 => Some(detection.rect),
        1 => Some(whole),
        _ => None,
    }
    .filter(|_| detect_policy.detect_face);
    let body_rect = match image_type {
        0 => Some(body_rect(w, h)),
        2 => Some(whole),
        _ => None,
    }
    .filter(|_| detect_policy.detect_body);
    let found = detection.subject.attributes();
    let mut face_attributes = Map::new();
    let mut descriptor = None;
    let mut basic_attributes = None;
    let mut filtered = None;
    if let Some(rect) = &face_rect {
        for estimator in &detect_policy.face {
            face_attributes.insert(
                estimator.key().into(),
                face_estimation(*estimator, &detection, rect, &found, None),
            );
        }
        if extract.face_descriptor && extract.score_threshold.is_none_or(|t| found.quality >= t) {
            descriptor = Some(
                detection
                    .subject
                    .descriptor(crate::descriptors::DEFAULT_FACE_VERSION),
            );
        }
        if extract.basic_attributes {
            basic_attributes = Some(face_estimation(
                FaceEstimator::BasicAttributes,
                &detection,
                rect,
                &found,
                None,
            ));
        }
        filtered = detect_policy.filters.rejects(&detection);
    }
    let mut body_attributes = Map::new();
    let mut body_descriptor = None;
    if body_rect.is_some() {
        for estimator in &detect_policy.body {
            body_attributes.insert(
                estimator.key().into(),
                body_estimation(*estimator, &detection, &found),
            );
        }
        if extract.body_descriptor {
            body_descriptor = Some(
                detection
                    .subject
                    .descriptor(crate::estimation::BODY_DESCRIPTOR_VERSION),
            );
        }
    }
    if face_rect.is_none() && body_rect.is_none() {
        let e = ApiError::invalid(
            12031,
            format!("No face or body detected on '{filename}' (detect policy)"),
        );
        return Err((filename, e));
    }
    Ok(Analysis {
        filename,
        bytes,
        detection,
        found,
        face_rect,
        body_rect,
        face_attributes,
        body_attributes,
        descriptor,
        body_descriptor,
        basic_attributes,
        filtered,
    })
}

/// The event members given by the emit request (query and headers).
#[derive(Clone, Debug, Default)]
pub struct EventContext {
    /// Owner of everything stored.
    pub owner: Uuid,
    /// The handler.
    pub handler_id: Option<Uuid>,
    /// `external_id`.
    pub external_id: Option<String>,
    /// `user_data`.
    pub user_data: Option<String>,
    /// `source`.
    pub source: Option<String>,
    /// `stream_id`.
    pub stream_id: Option<Uuid>,
    /// `track_id`.
    pub track_id: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `location` (city, area, ..., geo_position).
    pub location: Option<Value>,
    /// `meta`.
    pub meta: Option<Value>,
    /// `Luna-Event-Time`.
    pub create_time: Option<OffsetDateTime>,
    /// `Luna-Event-End-Time`.
    pub end_time: Option<OffsetDateTime>,
}

fn descriptor_json(d: &Descriptor) -> Value {
    json!(STANDARD.encode(d.sdk_bytes()))
}

/// The detection member of an event (`{"rect", "attributes"}`).
fn detection_json(rect: &Rect, attributes: &Map<String, Value>) -> Value {
    json!({"rect": rect, "attributes": attributes})
}

/// Builds the event of `analyses` (one, or several when aggregated) before matching and
/// storage.
fn event_json(analyses: &[Analysis], ctx: &EventContext, event_id: Uuid) -> Map<String, Value> {
    let t = ctx.create_time.unwrap_or_else(now);
    let mut e = Map::new();
    e.insert("event_id".into(), json!(event_id));
    e.insert("account_id".into(), json!(ctx.owner));
    if let Some(h) = ctx.handler_id {
        e.insert("handler_id".into(), json!(h));
    }
    e.insert("create_time".into(), json!(format_time(t)));
    e.insert(
        "end_time".into(),
        json!(format_time(ctx.end_time.unwrap_or(t))),
    );
    for (name, value) in [
        ("external_id", &ctx.external_id),
        ("user_data", &ctx.user_data),
        ("source", &ctx.source),
        ("track_id", &ctx.track_id),
    ] {
        if let Some(v) = value {
            e.insert(name.into(), json!(v));
        }
    }
    if let Some(s) = ctx.stream_id {
        e.insert("stream_id".into(), json!(s));
    }
    if !ctx.tags.is_empty() {
        e.insert("tags".into(), json!(ctx.tags));
    }
    if let Some(l) = &ctx.location {
        e.insert("location".into(), l.clone());
    }
    if let Some(m) = &ctx.meta {
        e.insert("meta".into(), m.clone());
    }
    let detect_time = json!(format_time(t));
    let faces: Vec<Value> = analyses
        .iter()
        .filter_map(|a| {
            a.face_rect.map(|r| {
                json!({"detect_time": detect_time, "filename": a.filename,
                       "detection": detection_json(&r, &a.face_attributes)})
            })
        })
        .collect();
    let bodies: Vec<Value> = analyses
        .iter()
        .filter_map(|a| {
            a.body_rect.map(|r| {
                json!({"detect_time": detect_time, "filename": a.filename,
                       "detection": detection_json(&r, &a.body_attributes)})
            })
        })
        .collect();
    if !faces.is_empty() {
        e.insert("face_detections".into(), Value::Array(faces));
    }
    if !bodies.is_empty() {
        e.insert("body_detections".into(), Value::Array(bodies));
    }
    let Some(first) = analyses.first() else {
        return e;
    };
    if first.face_rect.is_some() {
        let found = &first.found;
        if first.basic_attributes.is_some() {
            e.insert("age".into(), json!(found.age));
            e.insert("gender".into(), json!(found.gender));
            e.insert("ethnic_group".into(), json!(found.ethnicity.code));
        }
        let asked = |key: &str| first.face_attributes.contains_key(key);
        if asked("emotions") {
            e.insert("emotion".into(), json!(found.emotions.code));
        }
        if asked("mask") {
            e.insert("mask".into(), json!(found.mask.code));
        }
        if asked("liveness") {
            e.insert("liveness".into(), json!(found.liveness.prediction));
        }
        if let Some(d) = &first.face_attributes.get("deepfake") {
            e.insert("deepfake".into(), (*d).clone());
        }
        if let Some(d) = &first.descriptor {
            e.insert("face_descriptors".into(), json!([descriptor_json(d)]));
        }
    }
    if first.body_rect.is_some() {
        for (key, member) in [
            ("basic_attributes", "body_basic_attributes"),
            ("upper_body", "upper_body"),
            ("lower_body", "lower_body"),
            ("accessories", "accessories"),
        ] {
            if let Some(v) = first.body_attributes.get(key) {
                e.insert(member.into(), v.clone());
            }
        }
        if let Some(d) = &first.body_descriptor {
            e.insert("body_descriptors".into(), json!([descriptor_json(d)]));
        }
    }
    e
}

/// The event as luna-events would read it (for filters).
fn stored(e: &Map<String, Value>) -> ApiResult<StoredEvent> {
    StoredEvent::from_json(&Value::Object(e.clone()), "event", None)
}

/// What emitting produced for one event.
pub struct Emitted {
    /// The answer's event.
    pub answer: Value,
    /// The event to store, when the event policy stores it.
    pub to_store: Option<StoredEvent>,
}

/// Runs match, tags and storage policies on `analyses` (one event).
pub fn run(
    app: &App,
    policies: &Policies,
    analyses: &[Analysis],
    ctx: &EventContext,
    aggregate: Option<Value>,
) -> ApiResult<Emitted> {
    let event_id = Uuid::new_v4();
    let mut e = event_json(analyses, ctx, event_id);
    let scope = Scope::of(ctx.owner);
    // Match.
    let descriptor = analyses
        .iter()
        .find_map(|a| a.descriptor.clone())
        .or_else(|| {
            analyses.iter().find(|a| a.face_rect.is_some()).map(|a| {
                a.detection
                    .subject
                    .descriptor(crate::descriptors::DEFAULT_FACE_VERSION)
            })
        });
    let mut results: Vec<Value> = Vec::new();
    let mut top: Option<(f64, Value)> = None;
    for policy in &policies.matches {
        let current = stored(&e)?;
        if !passes(&policy.filters, &current) {
            continue;
        }
        let Some(descriptor) = &descriptor else {
            continue;
        };
        let candidates = policy.candidates.collect(&app.store, DescriptorKind::Face);
        let found = rank(
            std::slice::from_ref(descriptor),
            candidates,
            policy.limit,
            policy.threshold,
        );
        let list: Vec<Value> = found
            .iter()
            .map(|m| m.to_json(policy.targets.as_deref()))
            .collect();
        if let Some(best) = found.first() {
            if top.as_ref().is_none_or(|(s, _)| best.similarity > *s) {
                let mut t = Map::new();
                t.insert("label".into(), json!(policy.label));
                t.insert("similarity".into(), json!(best.similarity));
                let id_member = format!("{}_id", best.object.origin.singular());
                t.insert(id_member, json!(best.object.id));
                for member in ["external_id", "user_data"] {
                    if let Some(v) = best.object.json.get(member).filter(|v| !v.is_null()) {
                        t.insert(member.into(), v.clone());
                    }
                }
                top = Some((best.similarity, Value::Object(t)));
            }
        }
        results.push(json!({"label": policy.label, "candidates": list}));
        e.insert("match_result".into(), Value::Array(results.clone()));
    }
    if let Some((_, t)) = top {
        e.insert("top_match".into(), t);
    }
    // Conditional tags.
    let mut added = Vec::new();
    for (tag, filters) in &policies.tags {
        if passes(filters, &stored(&e)?) {
            added.push(tag.clone());
        }
    }
    if !added.is_empty() {
        let mut tags: Vec<Value> = e
            .get("tags")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for tag in added {
            if !tags.contains(&json!(tag)) {
                tags.push(json!(tag));
            }
        }
        e.insert("tags".into(), Value::Array(tags));
    }
    // Storage.
    let storage = &policies.storage;
    let current = stored(&e)?;
    let mut face_samples = Vec::new();
    let mut body_samples = Vec::new();
    let mut origins = Vec::new();
    {
        let mut images = app.store.images();
        for a in analyses {
            let (face_sample, body_sample, origin) = (
                a.face_rect.is_some() && storage.face_sample.runs(&current),
                a.body_rect.is_some() && storage.body_sample.runs(&current),
                storage.image_origin.runs(&current),
            );
            face_samples.push(face_sample.then(|| {
                let id = Uuid::new_v4();
                let side = crate::estimation::FACE_WARP_SIDE;
                let url = images.put_image(
                    FACE_SAMPLES_BUCKET,
                    id,
                    ctx.owner,
                    "image/png",
                    Bytes::from(a.detection.subject.warp(side, side)),
                );
                (id, url)
            }));
            body_samples.push(body_sample.then(|| {
                let id = Uuid::new_v4();
                let (w, h) = crate::estimation::BODY_WARP_SIZE;
                let url = images.put_image(
                    BODY_SAMPLES_BUCKET,
                    id,
                    ctx.owner,
                    "image/png",
                    Bytes::from(a.detection.subject.warp(w, h)),
                );
                (id, url)
            }));
            origins.push(origin.then(|| {
                let kind = match a.detection.format {
                    crate::recognition::ImageFormat::Png => "image/png",
                    crate::recognition::ImageFormat::Jpeg => "image/jpeg",
                };
                images.put_image(
                    IMAGE_ORIGIN_BUCKET,
                    Uuid::new_v4(),
                    ctx.owner,
                    kind,
                    a.bytes.clone(),
                )
            }));
        }
    }
    // Samples and origins into the detections.
    let place = |e: &mut Map<String, Value>,
                 member: &str,
                 samples: &[Option<(Uuid, String)>],
                 with_face: bool| {
        let Some(list) = e.get_mut(member).and_then(Value::as_array_mut) else {
            return;
        };
        let owners = analyses.iter().enumerate().filter(|(_, a)| {
            if with_face {
                a.face_rect.is_some()
            } else {
                a.body_rect.is_some()
            }
        });
        for (item, (i, _)) in list.iter_mut().zip(owners) {
            if let Some((id, _)) = &samples[i] {
                item["sample_id"] = json!(id);
            }
            if let Some(url) = &origins[i] {
                item["image_origin"] = json!(url);
            }
        }
    };
    place(&mut e, "face_detections", &face_samples, true);
    place(&mut e, "body_detections", &body_samples, false);
    let sample_ids: Vec<Uuid> = face_samples.iter().flatten().map(|s| s.0).collect();
    let first = analyses.first();
    let attribute_data = || AttributeData {
        descriptors: first
            .and_then(|a| a.descriptor.clone())
            .into_iter()
            .collect(),
        basic_attributes: first.and_then(|a| {
            a.basic_attributes.as_ref().map(|b| {
                json!({"age": b["age"], "gender": b["gender"],
                       "ethnicity": first.map(|a| a.found.ethnicity.code)})
            })
        }),
        descriptor_samples: if first.is_some_and(|a| a.descriptor.is_some()) {
            sample_ids.clone()
        } else {
            Vec::new()
        },
        basic_attributes_samples: if first.is_some_and(|a| a.basic_attributes.is_some()) {
            sample_ids.clone()
        } else {
            Vec::new()
        },
        create_time: Some(now()),
    };
    let has_attribute =
        first.is_some_and(|a| a.descriptor.is_some() || a.basic_attributes.is_some());
    let mut face_attributes = Map::new();
    if let Some(a) = first {
        if let Some(b) = &a.basic_attributes {
            face_attributes.insert("basic_attributes".into(), b.clone());
        }
        if let Some(d) = &a.descriptor {
            face_attributes.insert(
                "descriptor".into(),
                json!({"sdk_descriptor": descriptor_json(d), "version": d.version, "garbage_score": a.found.quality}),
            );
        }
    }
    let mut face_answer = Value::Null;
    {
        let mut faces = app.store.faces();
        if has_attribute && storage.attribute.runs(&current) {
            let attribute_id = Uuid::new_v4();
            faces.attributes.insert(
                attribute_id,
                TempAttribute {
                    attribute_id,
                    account_id: ctx.owner,
                    data: attribute_data(),
                    expires: now() + Duration::seconds(storage.attribute_ttl),
                },
            );
            face_attributes.insert("attribute_id".into(), json!(attribute_id));
            face_attributes.insert("url".into(), json!(format!("/3/attributes/{attribute_id}")));
        }
        if first.is_some_and(|a| a.face_rect.is_some()) && storage.face.runs(&current) {
            let face_id = Uuid::new_v4();
            let avatar = face_samples
                .iter()
                .flatten()
                .next()
                .filter(|_| storage.sample_as_avatar)
                .map(|(_, url)| url.clone())
                .unwrap_or_default();
            let face = Face {
                face_id,
                account_id: ctx.owner,
                event_id: storage.event.runs(&current).then_some(event_id),
                user_data: ctx.user_data.clone().unwrap_or_default(),
                external_id: ctx
                    .external_id
                    .clone()
                    .filter(|x| x.len() <= crate::faces::model::EXTERNAL_ID_MAX)
                    .unwrap_or_default(),
                avatar,
                create_time: now(),
                lists: Vec::new(),
                attribute: has_attribute.then(attribute_data),
                source_attribute: None,
            };
            faces.faces.insert(face_id, face);
            for (list_id, filters) in &storage.link_to_lists {
                let visible = faces
                    .lists
                    .get(list_id)
                    .is_some_and(|l| scope.sees(l.account_id));
                if visible && passes(filters, &current) {
                    faces.link(*list_id, face_id);
                }
            }
            if let Some(face) = faces.faces.get(&face_id) {
                face_answer = Value::Object(face.to_json());
            }
            e.insert("face_id".into(), json!(face_id));
        }
    }
    let event = stored(&e)?;
    let to_store = storage.event.runs(&current).then(|| event.clone());
    let all: Vec<String> = crate::events::model::EVENT_FIELDS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let mut answer = match event.to_json(&all) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    if to_store.is_some() {
        answer.insert("url".into(), json!(event_url(event_id)));
    }
    answer.insert("face".into(), face_answer);
    let detections: Vec<Value> = analyses
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut samples = Map::new();
            let detect_time = e.get("create_time").cloned().unwrap_or(Value::Null);
            for (part, rect, attributes, sample) in [
                ("face", a.face_rect, &a.face_attributes, &face_samples[i]),
                ("body", a.body_rect, &a.body_attributes, &body_samples[i]),
            ] {
                if let Some(rect) = rect {
                    let mut d = json!({"detection": detection_json(&rect, attributes),
                                       "detect_time": detect_time});
                    if let Some((id, url)) = sample {
                        d["sample_id"] = json!(id);
                        d["url"] = json!(url);
                    }
                    if let Some(url) = &origins[i] {
                        d["image_origin"] = json!(url);
                    }
                    samples.insert(part.into(), d);
                }
            }
            json!({"filename": a.filename, "samples": samples})
        })
        .collect();
    answer.insert("detections".into(), Value::Array(detections));
    answer.insert("matches".into(), Value::Array(results));
    answer.insert("face_attributes".into(), Value::Object(face_attributes));
    let body_attributes = first
        .filter(|a| a.body_rect.is_some())
        .map(|a| {
            let mut b = a.body_attributes.clone();
            if let Some(d) = &a.body_descriptor {
                b.insert(
                    "descriptor".into(),
                    json!({"sdk_descriptor": descriptor_json(d), "version": d.version}),
                );
            }
            Value::Object(b)
        })
        .unwrap_or(Value::Null);
    answer.insert("body_attributes".into(), body_attributes);
    if let Some(aggregate) = aggregate {
        answer.insert("aggregate_estimations".into(), aggregate);
    }
    Ok(Emitted {
        answer: Value::Object(answer),
        to_store,
    })
}
