//! luna-remote-sdk (prefix `/1`, reference `remote-sdk.md`): `POST /1/sdk` estimates the faces
//! and bodies of one image (an `image/*` body), several (`multipart/form-data`), or images of the
//! emulator's Image Store given as JSON (URLs, image ids, samples; [`crate::inputs`]) with the
//! synthetic recognition of [`crate::recognition`] and the estimations of [`crate::estimation`].
//! It stores nothing.
//!
//! Query: every flag of the reference, `0`/`1` — `detect_face` (default 1), `detect_body`
//! (default 0), the face estimations of [`FaceEstimator`], the body estimations of
//! [`BodyEstimator`], `estimate_people_count`, `people_count_coordinates` (default 1),
//! `estimate_image_modification`, `extract_exif`, `use_exif_info` (accepted; the emulator reads
//! no EXIF), `aggregate_attributes`; `image_type` 0 raw image (boxes from the image size), 1 face
//! warp (the face box is the whole image, no body), 2 body warp (the body box is the whole image,
//! no face); samples are face warps; `multiface_policy` 0–2 (every image shows one face, so it
//! changes nothing); filters `pitch_threshold`, `roll_threshold`, `yaw_threshold` (0–180: the
//! absolute angle must not exceed it), `score_threshold` (0–1: the quality score must reach it),
//! `mask_states` (comma-separated of 1 missing, 2 medical mask, 3 occluded), `liveness_states`
//! (comma-separated of 0 spoof, 1 real, 2 unknown); a filter needs the estimation it reads
//! (made then even when not asked for, answered only when asked for).
//!
//! Answer (200; layout of the reference's §5.2, per-image errors of `common.md` §4.4), one entry
//! per image in input order: `{"images_estimations": [{"filename", "status": 1, "estimations":
//! [{"face": {"detection": {"rect"}, "attributes": {...}}, "body": {"detection": {"rect"},
//! "attributes": {...}}}], "filtered_estimations": [{"face", "body", "filter_reason": "<name of
//! the filter>"}], "image_estimations": {"people", "image_modification"}, "exif": {}}]}`; an
//! image that cannot be read or is neither PNG nor JPEG is `{"filename", "status": 0, "error":
//! <LUNA error 100022 / 100010>}` and the others are still estimated. With
//! `aggregate_attributes=1` a top-level `aggregate_estimations: {"face": {"attributes"}, "body":
//! {"attributes"}}` over the kept faces: every `estimations` map and the liveness probability
//! averaged (the predominant class and the prediction recomputed), other attributes those of
//! the first face.

pub mod multipart;

use crate::context::{ok, App, Req};
use crate::errors::{ApiError, ApiResult};
use crate::estimation::{
    body_estimation, body_rect, face_estimation, image_estimations, BodyEstimator, FaceEstimator,
};
use crate::inputs::{self, Input};
use crate::openapi::Routes;
use crate::query::Params;
use crate::recognition::{detect, FaceDetection, Rect};
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde_json::{json, Map, Value};

/// API version prefix.
pub const PREFIX: &str = "/1";

/// The routes of luna-remote-sdk.
pub fn routes() -> Routes {
    Routes::new().route(
        "/1/sdk",
        post(sdk),
        &[(
            "post",
            "estimate faces and bodies of an image/* body, multipart images, or JSON urls / image_ids / samples",
            "200",
        )],
    )
}

/// Filters on the faces of a request.
#[derive(Clone, Debug, Default)]
pub struct FaceFilters {
    /// Largest absolute pitch.
    pub pitch: Option<f64>,
    /// Largest absolute roll.
    pub roll: Option<f64>,
    /// Largest absolute yaw.
    pub yaw: Option<f64>,
    /// Smallest quality score.
    pub score: Option<f64>,
    /// Accepted mask states (1 missing, 2 medical mask, 3 occluded).
    pub mask_states: Option<Vec<i64>>,
    /// Accepted liveness states (0 spoof, 1 real, 2 unknown).
    pub liveness_states: Option<Vec<i64>>,
}

/// The names of [`FaceFilters`]' query parameters.
pub const FILTER_NAMES: [&str; 6] = [
    "pitch_threshold",
    "roll_threshold",
    "yaw_threshold",
    "score_threshold",
    "mask_states",
    "liveness_states",
];

fn int_list(params: &Params, name: &str, allowed: &[i64]) -> ApiResult<Option<Vec<i64>>> {
    let Some(items) = params.list(name)? else {
        return Ok(None);
    };
    items
        .into_iter()
        .map(|item| {
            item.trim()
                .parse::<i64>()
                .ok()
                .filter(|v| allowed.contains(v))
                .ok_or_else(|| {
                    ApiError::bad_query(name, format!("'{item}' is not one of {allowed:?}"))
                })
        })
        .collect::<ApiResult<Vec<_>>>()
        .map(Some)
}

impl FaceFilters {
    /// Reads the filters of the query.
    pub fn read(params: &Params) -> ApiResult<Self> {
        let angle = |name| params.int(name, 0, 180).map(|v| v.map(|v| v as f64));
        Ok(Self {
            pitch: angle("pitch_threshold")?,
            roll: angle("roll_threshold")?,
            yaw: angle("yaw_threshold")?,
            score: params.number("score_threshold", 0.0, 1.0)?,
            mask_states: int_list(params, "mask_states", &[1, 2, 3])?,
            liveness_states: int_list(params, "liveness_states", &[0, 1, 2])?,
        })
    }

    /// The name of the first filter `detection` fails, if any.
    pub fn rejects(&self, detection: &FaceDetection) -> Option<&'static str> {
        let found = detection.subject.attributes();
        let pose = found.head_pose;
        let over = |limit: Option<f64>, angle: f64| limit.is_some_and(|l| angle.abs() > l);
        if over(self.pitch, pose.pitch) {
            return Some("pitch_threshold");
        }
        if over(self.roll, pose.roll) {
            return Some("roll_threshold");
        }
        if over(self.yaw, pose.yaw) {
            return Some("yaw_threshold");
        }
        if self.score.is_some_and(|s| found.quality < s) {
            return Some("score_threshold");
        }
        if let Some(states) = &self.mask_states {
            if !states.contains(&i64::from(found.mask.code)) {
                return Some("mask_states");
            }
        }
        if let Some(states) = &self.liveness_states {
            if !states.contains(&i64::from(found.liveness.prediction)) {
                return Some("liveness_states");
            }
        }
        None
    }
}

/// What `/sdk` is asked to estimate.
struct Options {
    detect_face: bool,
    detect_body: bool,
    image_type: i64,
    face: Vec<FaceEstimator>,
    body: Vec<BodyEstimator>,
    people: bool,
    coordinates: bool,
    modification: bool,
    exif: bool,
    aggregate: bool,
    filters: FaceFilters,
}

const OTHER_PARAMS: [&str; 10] = [
    "detect_face",
    "detect_body",
    "image_type",
    "multiface_policy",
    "estimate_people_count",
    "people_count_coordinates",
    "estimate_image_modification",
    "extract_exif",
    "use_exif_info",
    "aggregate_attributes",
];

fn options(req: &Req) -> ApiResult<Options> {
    let mut allowed: Vec<&str> = OTHER_PARAMS.to_vec();
    allowed.extend(FaceEstimator::ALL.iter().map(|e| e.flag()));
    allowed.extend(BodyEstimator::ALL.iter().map(|e| e.flag()));
    allowed.extend(FILTER_NAMES);
    let params = req.params(&allowed)?;
    let flag = |name: &str, default: bool| params.flag(name).map(|v| v.unwrap_or(default));
    params.int("multiface_policy", 0, 2)?;
    flag("use_exif_info", false)?;
    let mut face = Vec::new();
    for estimator in FaceEstimator::ALL {
        if flag(estimator.flag(), false)? {
            face.push(estimator);
        }
    }
    let mut body = Vec::new();
    for estimator in BodyEstimator::ALL {
        if flag(estimator.flag(), false)? {
            body.push(estimator);
        }
    }
    Ok(Options {
        detect_face: flag("detect_face", true)?,
        detect_body: flag("detect_body", false)?,
        image_type: params.int("image_type", 0, 2)?.unwrap_or(0),
        face,
        body,
        people: flag("estimate_people_count", false)?,
        coordinates: flag("people_count_coordinates", true)?,
        modification: flag("estimate_image_modification", false)?,
        exif: flag("extract_exif", false)?,
        aggregate: flag("aggregate_attributes", false)?,
        filters: FaceFilters::read(&params)?,
    })
}

/// The face part of an estimation.
fn face_json(detection: &FaceDetection, rect: &Rect, estimators: &[FaceEstimator]) -> Value {
    let found = detection.subject.attributes();
    let attributes: Map<String, Value> = estimators
        .iter()
        .map(|e| {
            (
                e.key().to_owned(),
                face_estimation(*e, detection, rect, &found, None),
            )
        })
        .collect();
    json!({"detection": {"rect": rect}, "attributes": attributes})
}

/// The body part of an estimation.
fn body_json(detection: &FaceDetection, rect: &Rect, estimators: &[BodyEstimator]) -> Value {
    let found = detection.subject.attributes();
    let attributes: Map<String, Value> = estimators
        .iter()
        .map(|e| (e.key().to_owned(), body_estimation(*e, detection, &found)))
        .collect();
    json!({"detection": {"rect": rect}, "attributes": attributes})
}

/// The answer entry of one image, and its kept face (for aggregation).
fn estimate(input: Input, options: &Options) -> (Value, Option<Value>) {
    let filename = input.filename;
    let failed =
        |error: ApiError| json!({"filename": filename, "status": 0, "error": error.body()});
    let bytes = match input.image {
        Ok(bytes) => bytes,
        Err(error) => return (failed(error), None),
    };
    let Some(detection) = detect(&bytes) else {
        let error = ApiError::invalid_image(format!("'{filename}' is not a PNG or JPEG image"));
        return (failed(error), None);
    };
    let (w, h) = (detection.image_width, detection.image_height);
    let whole = Rect {
        x: 0,
        y: 0,
        width: w,
        height: h,
    };
    let image_type = if input.sample { 1 } else { options.image_type };
    let face_rect = match image_type {
        0 => Some(detection.rect),
        1 => Some(whole),
        _ => None,
    }
    .filter(|_| options.detect_face);
    let body_rect = match image_type {
        0 => Some(body_rect(w, h)),
        2 => Some(whole),
        _ => None,
    }
    .filter(|_| options.detect_body);
    let mut estimation = Map::new();
    if let Some(rect) = face_rect {
        estimation.insert("face".into(), face_json(&detection, &rect, &options.face));
    }
    if let Some(rect) = body_rect {
        estimation.insert("body".into(), body_json(&detection, &rect, &options.body));
    }
    let reason = face_rect.and_then(|_| options.filters.rejects(&detection));
    let (kept, filtered) = match (estimation.is_empty(), reason) {
        (true, _) => (vec![], vec![]),
        (false, None) => (vec![Value::Object(estimation.clone())], vec![]),
        (false, Some(reason)) => {
            let mut filtered = estimation.clone();
            filtered.insert("filter_reason".into(), json!(reason));
            (vec![], vec![Value::Object(filtered)])
        }
    };
    let aggregate_face = kept.first().cloned();
    let mut answer = json!({
        "filename": filename,
        "status": 1,
        "estimations": kept,
        "filtered_estimations": filtered,
        "image_estimations": image_estimations(
            &detection,
            options.people,
            options.coordinates,
            options.modification
        ),
    });
    if options.exif {
        answer["exif"] = json!({});
    }
    (answer, aggregate_face)
}

/// The average of the same attribute of several faces (see the module docs).
fn aggregate_attribute(key: &str, values: &[&Value]) -> Value {
    let first = values[0].clone();
    let n = values.len() as f64;
    let mean = |path: &dyn Fn(&Value) -> Option<f64>| {
        values.iter().filter_map(|v| path(v)).sum::<f64>() / n
    };
    if key == "liveness" {
        let p = mean(&|v| v["estimations"]["probability"].as_f64());
        return json!({"prediction": u8::from(p > 0.5), "estimations": {"probability": p}});
    }
    let Some(classes) = first.get("estimations").and_then(Value::as_object) else {
        return first;
    };
    let averaged: Map<String, Value> = classes
        .keys()
        .map(|class| {
            (
                class.clone(),
                json!(mean(&|v| v["estimations"][class].as_f64())),
            )
        })
        .collect();
    let top = averaged
        .iter()
        .max_by(|a, b| {
            let f = |v: &Value| v.as_f64().unwrap_or(0.0);
            f(a.1).total_cmp(&f(b.1))
        })
        .map(|(k, _)| k.clone());
    let mut out = first.clone();
    if let Some(map) = out.as_object_mut() {
        for (name, value) in map.iter_mut() {
            if name.starts_with("predominant") {
                *value = json!(top);
            }
        }
        map.insert("estimations".into(), Value::Object(averaged));
    }
    out
}

/// `aggregate_estimations` of the kept estimations (`{"face", "body"}` objects).
pub fn aggregate(kept: &[Value]) -> Value {
    let mut out = Map::new();
    for part in ["face", "body"] {
        let parts: Vec<&Value> = kept.iter().filter_map(|e| e.get(part)).collect();
        let Some(first) = parts.first() else {
            continue;
        };
        let mut attributes = Map::new();
        if let Some(keys) = first["attributes"].as_object() {
            for key in keys.keys() {
                let values: Vec<&Value> = parts
                    .iter()
                    .filter_map(|p| p["attributes"].get(key))
                    .collect();
                attributes.insert(key.clone(), aggregate_attribute(key, &values));
            }
        }
        out.insert(part.into(), json!({ "attributes": attributes }));
    }
    Value::Object(out)
}

async fn sdk(State(app): State<App>, req: Req) -> ApiResult<Response> {
    let options = options(&req)?;
    let inputs = inputs::read(&req, &app, &[])?;
    inputs.images_only()?;
    let mut answers = Vec::with_capacity(inputs.images.len());
    let mut kept = Vec::new();
    for input in inputs.images {
        let (answer, face) = estimate(input, &options);
        answers.push(answer);
        kept.extend(face);
    }
    let mut body = json!({ "images_estimations": answers });
    if options.aggregate {
        body["aggregate_estimations"] = aggregate(&kept);
    }
    Ok(ok(body))
}
