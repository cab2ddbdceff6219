//! Handler and verifier policies (reference `handlers.md` §5, §9.1): read and validated from
//! their JSON (every error is 12022 at the member's path), kept as given for answers, and
//! turned into what the pipeline runs.
//!
//! Defaults where the reference says **unknown** (LUNA's documented handler defaults):
//! `detect_face` 1, `detect_body` 0, estimations 0; `extract_face_descriptor` 1, the other
//! extractions 0; `store_sample` 1 (face and body samples), `store_image` 0,
//! `store_attribute` 0 (`ttl` 300 s), `store_face` 0, `store_event` 1, `wait_saving` 0,
//! `send_notification` 1; match `limit` 3, `threshold` 0.

use crate::context::Scope;
use crate::errors::{ApiError, ApiResult};
use crate::estimation::{BodyEstimator, FaceEstimator};
use crate::events::filters::EventFilter;
use crate::events::model::StoredEvent;
use crate::matching::{read_limit, read_threshold, CandidateFilter, DescriptorKind};
use crate::remote_sdk::FaceFilters;
use serde_json::{json, Map, Value};
use uuid::Uuid;

/// Largest `ttl` of a stored attribute (seconds).
pub const ATTRIBUTE_TTL_MAX: i64 = 86_400;
/// Default `ttl` of a stored attribute (seconds).
pub const ATTRIBUTE_TTL_DEFAULT: i64 = 300;
/// Items in a list-valued policy (`MAX_POLICY_LIST_LENGTH`, value unknown).
pub const POLICY_LIST_MAX: usize = 100;

/// The object at `path`, with only `members` (12022 otherwise).
fn object<'a>(value: &'a Value, path: &str, members: &[&str]) -> ApiResult<&'a Map<String, Value>> {
    let map = value
        .as_object()
        .ok_or_else(|| ApiError::bad_json_at(path, "expected an object"))?;
    if let Some(bad) = map.keys().find(|k| !members.contains(&k.as_str())) {
        return Err(ApiError::bad_json_at(
            &join(path, bad),
            "additional properties are not allowed",
        ));
    }
    Ok(map)
}

fn join(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_owned()
    } else {
        format!("{path}.{member}")
    }
}

/// A `0`/`1` flag (booleans accepted).
fn flag(map: &Map<String, Value>, name: &str, path: &str, default: bool) -> ApiResult<bool> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(v) => match v.as_i64() {
            Some(0) => Ok(false),
            Some(1) => Ok(true),
            _ => Err(ApiError::bad_json_at(&join(path, name), "expected 0 or 1")),
        },
    }
}

fn int(
    map: &Map<String, Value>,
    name: &str,
    path: &str,
    min: i64,
    max: i64,
) -> ApiResult<Option<i64>> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_i64()
            .filter(|n| (min..=max).contains(n))
            .map(Some)
            .ok_or_else(|| {
                ApiError::bad_json_at(
                    &join(path, name),
                    format!("expected an integer in {min}..={max}"),
                )
            }),
    }
}

fn number(map: &Map<String, Value>, name: &str, path: &str) -> ApiResult<Option<f64>> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_f64()
            .filter(|n| (0.0..=1.0).contains(n))
            .map(Some)
            .ok_or_else(|| ApiError::bad_json_at(&join(path, name), "expected a number in 0..=1")),
    }
}

fn int_array(
    map: &Map<String, Value>,
    name: &str,
    path: &str,
    allowed: &[i64],
) -> ApiResult<Option<Vec<i64>>> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| i.as_i64().filter(|v| allowed.contains(v)))
            .collect::<Option<Vec<_>>>()
            .map(Some)
            .ok_or_else(|| {
                ApiError::bad_json_at(&join(path, name), format!("expected items of {allowed:?}"))
            }),
        Some(_) => Err(ApiError::bad_json_at(
            &join(path, name),
            "expected an array",
        )),
    }
}

fn array<'a>(map: &'a Map<String, Value>, name: &str, path: &str) -> ApiResult<&'a [Value]> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) if items.len() <= POLICY_LIST_MAX => Ok(items),
        Some(_) => Err(ApiError::bad_json_at(
            &join(path, name),
            format!("expected an array of at most {POLICY_LIST_MAX} items"),
        )),
    }
}

/// A `match` condition of a filters object.
#[derive(Clone, Debug)]
pub struct MatchCondition {
    /// The `label` of a match policy.
    pub label: String,
    /// `similarity__gte`.
    pub gte: Option<f64>,
    /// `similarity__lt`.
    pub lt: Option<f64>,
}

/// A `filters` object of a policy: the luna-events filters in JSON form (as in event
/// candidates; checked on the event being built) and `match` conditions on the top
/// similarity of an earlier match policy.
#[derive(Debug)]
pub struct Filters {
    events: Option<EventFilter>,
    matches: Vec<MatchCondition>,
}

impl Filters {
    /// Reads an optional `filters` member at `path`.
    pub fn read(value: Option<&Value>, path: &str) -> ApiResult<Option<Self>> {
        let Some(value) = value.filter(|v| !v.is_null()) else {
            return Ok(None);
        };
        let mut map = value
            .as_object()
            .cloned()
            .ok_or_else(|| ApiError::bad_json_at(path, "expected an object"))?;
        let mut matches = Vec::new();
        if let Some(conditions) = map.remove("match") {
            let at = join(path, "match");
            let items = conditions
                .as_array()
                .ok_or_else(|| ApiError::bad_json_at(&at, "expected an array"))?;
            for (i, item) in items.iter().enumerate() {
                let at = format!("{at}.{i}");
                let m = object(item, &at, &["label", "similarity__gte", "similarity__lt"])?;
                let label = m
                    .get("label")
                    .and_then(Value::as_str)
                    .ok_or_else(|| ApiError::bad_json_at(&join(&at, "label"), "required"))?;
                matches.push(MatchCondition {
                    label: label.to_owned(),
                    gte: number(m, "similarity__gte", &at)?,
                    lt: number(m, "similarity__lt", &at)?,
                });
            }
        }
        let events = if map.is_empty() {
            None
        } else {
            map.insert("origin".into(), json!("events"));
            match CandidateFilter::from_json(
                &Value::Object(map),
                path,
                DescriptorKind::Face,
                &Scope::default(),
            )? {
                CandidateFilter::Events(filter) => Some(filter),
                _ => None,
            }
        };
        Ok(Some(Self { events, matches }))
    }

    /// Whether `event` passes (its `match_result` holds the match policies run so far).
    pub fn passes(&self, event: &StoredEvent) -> bool {
        if let Some(filter) = &self.events {
            if !filter.matches(event) {
                return false;
            }
        }
        self.matches.iter().all(|condition| {
            let top = event
                .json
                .get("match_result")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|r| r["label"].as_str() == Some(condition.label.as_str()))
                .and_then(|r| r["candidates"][0]["similarity"].as_f64());
            match top {
                None => false,
                Some(s) => {
                    condition.gte.is_none_or(|g| s >= g) && condition.lt.is_none_or(|l| s < l)
                }
            }
        })
    }
}

/// Whether optional filters pass (absent filters always do).
pub fn passes(filters: &Option<Filters>, event: &StoredEvent) -> bool {
    filters.as_ref().is_none_or(|f| f.passes(event))
}

/// `detect_policy`.
#[derive(Debug, Default)]
pub struct DetectPolicy {
    /// Detect faces.
    pub detect_face: bool,
    /// Detect bodies.
    pub detect_body: bool,
    /// Face estimations.
    pub face: Vec<FaceEstimator>,
    /// Body estimations.
    pub body: Vec<BodyEstimator>,
    /// Face filters (angles, mask and liveness states).
    pub filters: FaceFilters,
    /// Answer `exif`.
    pub exif: bool,
}

/// The face estimations of `detect_policy` flags.
const DETECT_FLAGS: [(&str, FaceEstimator); 10] = [
    ("detect_landmarks68", FaceEstimator::Landmarks68),
    ("estimate_head_pose", FaceEstimator::HeadPose),
    ("estimate_emotions", FaceEstimator::Emotions),
    ("estimate_mask", FaceEstimator::Mask),
    ("estimate_glasses", FaceEstimator::Glasses),
    ("estimate_eyes_attributes", FaceEstimator::EyesAttributes),
    ("estimate_gaze", FaceEstimator::Gaze),
    ("estimate_mouth_attributes", FaceEstimator::MouthAttributes),
    ("estimate_quality", FaceEstimator::Quality),
    ("estimate_deepfake", FaceEstimator::Deepfake),
];

const BODY_ATTRIBUTE_FLAGS: [(&str, BodyEstimator); 4] = [
    ("estimate_basic_attributes", BodyEstimator::BasicAttributes),
    ("estimate_upper_body", BodyEstimator::UpperBody),
    ("estimate_lower_body", BodyEstimator::LowerBody),
    ("estimate_accessories", BodyEstimator::Accessories),
];

impl DetectPolicy {
    fn read(value: Option<&Value>, path: &str) -> ApiResult<Self> {
        let Some(value) = value else {
            return Ok(Self {
                detect_face: true,
                ..Self::default()
            });
        };
        let mut members: Vec<&str> = DETECT_FLAGS.iter().map(|f| f.0).collect();
        members.extend([
            "multiface_policy",
            "detect_face",
            "detect_body",
            "extract_exif",
            "estimate_liveness",
            "liveness_states",
            "mask_states",
            "pitch_threshold",
            "roll_threshold",
            "yaw_threshold",
            "body_attributes",
            "face_quality",
        ]);
        let map = object(value, path, &members)?;
        int(map, "multiface_policy", path, 0, 2)?;
        let mut face = Vec::new();
        for (name, estimator) in DETECT_FLAGS {
            if flag(map, name, path, false)? {
                face.push(estimator);
            }
        }
        if let Some(liveness) = map.get("estimate_liveness") {
            let at = join(path, "estimate_liveness");
            let l = object(
                liveness,
                &at,
                &["estimate", "liveness_threshold", "quality_threshold"],
            )?;
            number(l, "liveness_threshold", &at)?;
            number(l, "quality_threshold", &at)?;
            if flag(l, "estimate", &at, false)? {
                face.push(FaceEstimator::Liveness);
            }
        }
        if let Some(quality) = map.get("face_quality") {
            let at = join(path, "face_quality");
            let q = object(quality, &at, &["estimate", "checks"])?;
            if let Some(checks) = q.get("checks") {
                let at = join(&at, "checks");
                let checks = checks
                    .as_object()
                    .ok_or_else(|| ApiError::bad_json_at(&at, "expected an object"))?;
                for (name, check) in checks {
                    let at = join(&at, name);
                    let c = object(check, &at, &["estimate", "threshold"])?;
                    flag(c, "estimate", &at, false)?;
                }
            }
            if flag(q, "estimate", &at, true)? && !face.contains(&FaceEstimator::Quality) {
                face.push(FaceEstimator::Quality);
            }
        }
        let mut body = Vec::new();
        if let Some(attributes) = map.get("body_attributes") {
            let at = join(path, "body_attributes");
            let names: Vec<&str> = BODY_ATTRIBUTE_FLAGS.iter().map(|f| f.0).collect();
            let b = object(attributes, &at, &names)?;
            for (name, estimator) in BODY_ATTRIBUTE_FLAGS {
                if flag(b, name, &at, false)? {
                    body.push(estimator);
                }
            }
        }
        let angle = |name| int(map, name, path, 0, 180).map(|v| v.map(|v| v as f64));
        Ok(Self {
            detect_face: flag(map, "detect_face", path, true)?,
            detect_body: flag(map, "detect_body", path, false)?,
            face,
            body,
            filters: FaceFilters {
                pitch: angle("pitch_threshold")?,
                roll: angle("roll_threshold")?,
                yaw: angle("yaw_threshold")?,
                score: None,
                mask_states: int_array(map, "mask_states", path, &[1, 2, 3])?,
                liveness_states: int_array(map, "liveness_states", path, &[0, 1, 2])?,
            },
            exif: flag(map, "extract_exif", path, false)?,
        })
    }
}

/// `extract_policy`.
#[derive(Debug)]
pub struct ExtractPolicy {
    /// Extract the face descriptor.
    pub face_descriptor: bool,
    /// Extract the body descriptor.
    pub body_descriptor: bool,
    /// Extract age, gender and ethnicity.
    pub basic_attributes: bool,
    /// Smallest descriptor quality (`fd_score_threshold`).
    pub score_threshold: Option<f64>,
}

impl ExtractPolicy {
    fn read(value: Option<&Value>, path: &str) -> ApiResult<Self> {
        let empty = Value::Object(Map::new());
        let map = object(
            value.unwrap_or(&empty),
            path,
            &[
                "extract_face_descriptor",
                "extract_body_descriptor",
                "extract_basic_attributes",
                "fd_score_threshold",
            ],
        )?;
        Ok(Self {
            face_descriptor: flag(map, "extract_face_descriptor", path, true)?,
            body_descriptor: flag(map, "extract_body_descriptor", path, false)?,
            basic_attributes: flag(map, "extract_basic_attributes", path, false)?,
            score_threshold: number(map, "fd_score_threshold", path)?,
        })
    }
}

/// One item of `match_policy`.
#[derive(Debug)]
pub struct MatchPolicy {
    /// Name of the result.
    pub label: String,
    /// Whom to match against.
    pub candidates: CandidateFilter,
    /// Pre-conditions on the event.
    pub filters: Option<Filters>,
    /// At most this many candidates.
    pub limit: usize,
    /// Smallest similarity.
    pub threshold: f64,
    /// Candidate members in the result (`None`: all).
    pub targets: Option<Vec<String>>,
}

/// A storage stage: on or off, and its filters.
#[derive(Debug, Default)]
pub struct Stage {
    /// Whether the stage runs.
    pub on: bool,
    /// Its filters.
    pub filters: Option<Filters>,
}

impl Stage {
    /// Whether the stage runs for `event`.
    pub fn runs(&self, event: &StoredEvent) -> bool {
        self.on && passes(&self.filters, event)
    }
}

/// `storage_policy`.
#[derive(Debug, Default)]
pub struct StoragePolicy {
    /// `face_sample_policy`.
    pub face_sample: Stage,
    /// `body_sample_policy`.
    pub body_sample: Stage,
    /// `image_origin_policy`.
    pub image_origin: Stage,
    /// `attribute_policy`.
    pub attribute: Stage,
    /// `attribute_policy.ttl`, seconds.
    pub attribute_ttl: i64,
    /// `face_policy`.
    pub face: Stage,
    /// `face_policy.set_sample_as_avatar`.
    pub sample_as_avatar: bool,
    /// `face_policy.link_to_lists_policy`: lists and their filters.
    pub link_to_lists: Vec<(Uuid, Option<Filters>)>,
    /// `event_policy`.
    pub event: Stage,
    /// `event_policy.wait_saving`.
    pub wait_saving: bool,
    /// `notification_policy`.
    pub notification: Stage,
}

/// A stage `{<flag>, filters, <extra members>}` at `path`.
fn stage(
    map: &Map<String, Value>,
    name: &str,
    path: &str,
    switch: &str,
    default: bool,
    extra: &[&str],
) -> ApiResult<(Stage, Option<Map<String, Value>>)> {
    let Some(value) = map.get(name) else {
        return Ok((
            Stage {
                on: default,
                filters: None,
            },
            None,
        ));
    };
    let at = join(path, name);
    let mut members = vec![switch, "filters"];
    members.extend(extra);
    let m = object(value, &at, &members)?;
    Ok((
        Stage {
            on: flag(m, switch, &at, default)?,
            filters: Filters::read(m.get("filters"), &join(&at, "filters"))?,
        },
        Some(m.clone()),
    ))
}

impl StoragePolicy {
    fn read(value: Option<&Value>, path: &str, verifier: bool) -> ApiResult<Self> {
        let empty = Value::Object(Map::new());
        let members: &[&str] = if verifier {
            &["attribute_policy", "face_sample_policy"]
        } else {
            &[
                "face_sample_policy",
                "body_sample_policy",
                "image_origin_policy",
                "attribute_policy",
                "face_policy",
                "event_policy",
                "notification_policy",
            ]
        };
        let map = object(value.unwrap_or(&empty), path, members)?;
        let (face_sample, _) = stage(map, "face_sample_policy", path, "store_sample", true, &[])?;
        let (body_sample, _) = stage(
            map,
            "body_sample_policy",
            path,
            "store_sample",
            !verifier,
            &[],
        )?;
        let (image_origin, _) = stage(
            map,
            "image_origin_policy",
            path,
            "store_image",
            false,
            &["use_external_references"],
        )?;
        let (attribute, attribute_map) = stage(
            map,
            "attribute_policy",
            path,
            "store_attribute",
            false,
            &["ttl"],
        )?;
        let attribute_ttl = match &attribute_map {
            Some(m) => int(
                m,
                "ttl",
                &join(path, "attribute_policy"),
                1,
                ATTRIBUTE_TTL_MAX,
            )?,
            None => None,
        }
        .unwrap_or(ATTRIBUTE_TTL_DEFAULT);
        let (face, face_map) = stage(
            map,
            "face_policy",
            path,
            "store_face",
            false,
            &["set_sample_as_avatar", "link_to_lists_policy"],
        )?;
        let face_at = join(path, "face_policy");
        let mut sample_as_avatar = false;
        let mut link_to_lists = Vec::new();
        if let Some(m) = &face_map {
            sample_as_avatar = flag(m, "set_sample_as_avatar", &face_at, false)?;
            let links_at = join(&face_at, "link_to_lists_policy");
            for (i, link) in array(m, "link_to_lists_policy", &face_at)?
                .iter()
                .enumerate()
            {
                let at = format!("{links_at}.{i}");
                let l = object(link, &at, &["list_id", "filters"])?;
                let list_id = l
                    .get("list_id")
                    .and_then(Value::as_str)
                    .and_then(|s| Uuid::try_parse(s).ok())
                    .ok_or_else(|| {
                        ApiError::bad_json_at(&join(&at, "list_id"), "a list id is required")
                    })?;
                link_to_lists.push((
                    list_id,
                    Filters::read(l.get("filters"), &join(&at, "filters"))?,
                ));
            }
        }
        let (event, event_map) = stage(
            map,
            "event_policy",
            path,
            "store_event",
            true,
            &["wait_saving"],
        )?;
        let wait_saving = match &event_map {
            Some(m) => flag(m, "wait_saving", &join(path, "event_policy"), false)?,
            None => false,
        };
        let (notification, _) = stage(
            map,
            "notification_policy",
            path,
            "send_notification",
            true,
            &[],
        )?;
        Ok(Self {
            face_sample,
            body_sample,
            image_origin,
            attribute,
            attribute_ttl,
            face,
            sample_as_avatar,
            link_to_lists,
            event,
            wait_saving,
            notification,
        })
    }
}

/// Handler policies, ready to run.
#[derive(Debug)]
pub struct Policies {
    /// `detect_policy`.
    pub detect: DetectPolicy,
    /// `extract_policy`.
    pub extract: ExtractPolicy,
    /// `match_policy`.
    pub matches: Vec<MatchPolicy>,
    /// `storage_policy`.
    pub storage: StoragePolicy,
    /// `conditional_tags_policy`: tag and filters.
    pub tags: Vec<(String, Option<Filters>)>,
    /// `verification_threshold` (verifiers).
    pub verification_threshold: f64,
}

/// The verification threshold of a verifier without one (unknown in the reference).
pub const VERIFICATION_THRESHOLD_DEFAULT: f64 = 0.9;

impl Policies {
    /// Reads handler policies at `path` (`policies`); match candidates see `owner`'s objects
    /// only.
    pub fn handler(value: &Value, path: &str, owner: Uuid) -> ApiResult<Self> {
        let map = object(
            value,
            path,
            &[
                "detect_policy",
                "extract_policy",
                "match_policy",
                "storage_policy",
                "conditional_tags_policy",
            ],
        )?;
        let mut matches = Vec::new();
        let match_at = join(path, "match_policy");
        for (i, item) in array(map, "match_policy", path)?.iter().enumerate() {
            let at = format!("{match_at}.{i}");
            let m = object(
                item,
                &at,
                &[
                    "label",
                    "candidates",
                    "filters",
                    "limit",
                    "threshold",
                    "targets",
                ],
            )?;
            let label = m
                .get("label")
                .and_then(Value::as_str)
                .filter(|l| !l.is_empty())
                .ok_or_else(|| {
                    ApiError::bad_json_at(&join(&at, "label"), "a non-empty label is required")
                })?;
            let candidates = m
                .get("candidates")
                .ok_or_else(|| ApiError::bad_json_at(&join(&at, "candidates"), "required"))?;
            let candidates = CandidateFilter::from_json(
                candidates,
                &join(&at, "candidates"),
                DescriptorKind::Face,
                &Scope::of(owner),
            )?;
            let targets = match m.get("targets") {
                None | Some(Value::Null) => None,
                Some(Value::Array(items)) => Some(
                    items
                        .iter()
                        .map(|t| t.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| {
                            ApiError::bad_json_at(&join(&at, "targets"), "expected strings")
                        })?,
                ),
                Some(_) => {
                    return Err(ApiError::bad_json_at(
                        &join(&at, "targets"),
                        "expected an array",
                    ))
                }
            };
            let prefix = format!("{at}.");
            matches.push(MatchPolicy {
                label: label.to_owned(),
                candidates,
                filters: Filters::read(m.get("filters"), &join(&at, "filters"))?,
                limit: read_limit(m, &prefix)?,
                threshold: read_threshold(m, &prefix)?,
                targets,
            });
        }
        let mut tags = Vec::new();
        let tags_at = join(path, "conditional_tags_policy");
        for (i, item) in array(map, "conditional_tags_policy", path)?
            .iter()
            .enumerate()
        {
            let at = format!("{tags_at}.{i}");
            let t = object(item, &at, &["tag", "filters"])?;
            let tag = t
                .get("tag")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty() && t.len() <= 36)
                .ok_or_else(|| {
                    ApiError::bad_json_at(
                        &join(&at, "tag"),
                        "a tag of 1 to 36 characters is required",
                    )
                })?;
            tags.push((
                tag.to_owned(),
                Filters::read(t.get("filters"), &join(&at, "filters"))?,
            ));
        }
        Ok(Self {
            detect: DetectPolicy::read(map.get("detect_policy"), &join(path, "detect_policy"))?,
            extract: ExtractPolicy::read(map.get("extract_policy"), &join(path, "extract_policy"))?,
            matches,
            storage: StoragePolicy::read(
                map.get("storage_policy"),
                &join(path, "storage_policy"),
                false,
            )?,
            tags,
            verification_threshold: VERIFICATION_THRESHOLD_DEFAULT,
        })
    }

    /// Reads verifier policies at `path`: detect, extract, storage (attribute and face sample
    /// policies only) and `verification_threshold`.
    pub fn verifier(value: &Value, path: &str) -> ApiResult<Self> {
        let map = object(
            value,
            path,
            &[
                "detect_policy",
                "extract_policy",
                "storage_policy",
                "verification_threshold",
            ],
        )?;
        Ok(Self {
            detect: DetectPolicy::read(map.get("detect_policy"), &join(path, "detect_policy"))?,
            extract: ExtractPolicy::read(map.get("extract_policy"), &join(path, "extract_policy"))?,
            matches: Vec::new(),
            storage: StoragePolicy::read(
                map.get("storage_policy"),
                &join(path, "storage_policy"),
                true,
            )?,
            tags: Vec::new(),
            verification_threshold: number(map, "verification_threshold", path)?
                .unwrap_or(VERIFICATION_THRESHOLD_DEFAULT),
        })
    }

    /// The lists of `link_to_lists_policy` and of faces candidates (`list_id`), which must
    /// exist in the owner's account.
    pub fn lists(value: &Value) -> Vec<Uuid> {
        let mut out = Vec::new();
        let links = value["storage_policy"]["face_policy"]["link_to_lists_policy"].as_array();
        for link in links.into_iter().flatten() {
            if let Some(id) = link["list_id"]
                .as_str()
                .and_then(|s| Uuid::try_parse(s).ok())
            {
                out.push(id);
            }
        }
        for item in value["match_policy"].as_array().into_iter().flatten() {
            if let Some(id) = item["candidates"]["list_id"]
                .as_str()
                .and_then(|s| Uuid::try_parse(s).ok())
            {
                out.push(id);
            }
        }
        out
    }
}
