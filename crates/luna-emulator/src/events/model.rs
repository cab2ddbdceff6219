//! luna-events objects: a saved event (its JSON as sent, plus the parsed keys the service sorts
//! and filters by), the event columns, and how a body becomes an event.

use crate::descriptors::Descriptor;
use crate::errors::{ApiError, ApiResult};
use crate::query::parse_uuid;
use crate::time_format::{format_time, now, parse_time};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

/// Largest `meta` of one event (API 6.8.0: smaller than 2 MB).
const META_MAX_BYTES: usize = 2 * 1024 * 1024;

/// A saved event.
#[derive(Clone, Debug)]
pub struct StoredEvent {
    /// The event as answered (every documented member the producer gave, plus times).
    pub json: Map<String, Value>,
    /// Id.
    pub event_id: Uuid,
    /// Owner.
    pub account_id: Uuid,
    /// Creation time (the sort key).
    pub create_time: OffsetDateTime,
    /// End time.
    pub end_time: OffsetDateTime,
    /// When the emulator stored it.
    pub insert_time: OffsetDateTime,
    /// Face descriptors.
    pub face_descriptors: Vec<Descriptor>,
    /// Body descriptors.
    pub body_descriptors: Vec<Descriptor>,
}

/// Every field of an event (the `target` names, reference `events.md` §4).
pub const EVENT_FIELDS: &[&str] = &[
    "account_id",
    "create_time",
    "end_time",
    "event_id",
    "handler_id",
    "external_id",
    "source",
    "stream_id",
    "top_match",
    "match_result",
    "face_detections",
    "face_id",
    "attach_result",
    "gender",
    "age",
    "emotion",
    "ethnic_group",
    "liveness",
    "deepfake",
    "body_detections",
    "body_basic_attributes",
    "upper_body",
    "lower_body",
    "accessories",
    "tags",
    "user_data",
    "location",
    "mask",
    "track_id",
    "meta",
];

/// Members of a saved event that carry descriptors (not returned with the event; read them
/// with `GET /events/{id}/descriptor`).
pub const DESCRIPTOR_MEMBERS: [&str; 2] = ["face_descriptors", "body_descriptors"];

/// Event columns of statistics and filters: name → JSON path inside the event.
pub const COLUMNS: &[(&str, &[&str])] = &[
    ("event_id", &["event_id"]),
    ("account_id", &["account_id"]),
    ("handler_id", &["handler_id"]),
    ("external_id", &["external_id"]),
    ("source", &["source"]),
    ("stream_id", &["stream_id"]),
    ("track_id", &["track_id"]),
    ("user_data", &["user_data"]),
    ("face_id", &["face_id"]),
    ("gender", &["gender"]),
    ("age", &["age"]),
    ("emotion", &["emotion"]),
    ("mask", &["mask"]),
    ("ethnic_group", &["ethnic_group"]),
    ("liveness", &["liveness"]),
    ("deepfake", &["deepfake"]),
    ("create_time", &["create_time"]),
    ("end_time", &["end_time"]),
    ("tags", &["tags"]),
    ("apparent_age", &["body_basic_attributes", "apparent_age"]),
    (
        "apparent_gender",
        &["body_basic_attributes", "apparent_gender"],
    ),
    ("headwear_state", &["upper_body", "headwear", "state"]),
    (
        "headwear_apparent_color",
        &["upper_body", "headwear", "apparent_color"],
    ),
    ("sleeve_length", &["upper_body", "sleeve", "length"]),
    (
        "upper_clothing_colors",
        &["upper_body", "upper_clothing", "colors"],
    ),
    (
        "lower_garment_type",
        &["lower_body", "lower_garment", "type"],
    ),
    (
        "lower_garment_colors",
        &["lower_body", "lower_garment", "colors"],
    ),
    (
        "shoes_apparent_color",
        &["lower_body", "shoes", "apparent_color"],
    ),
    ("backpack_state", &["accessories", "backpack", "state"]),
    ("city", &["location", "city"]),
    ("area", &["location", "area"]),
    ("district", &["location", "district"]),
    ("street", &["location", "street"]),
    ("house_number", &["location", "house_number"]),
    ("longitude", &["location", "geo_position", "longitude"]),
    ("latitude", &["location", "geo_position", "latitude"]),
    ("top_similar_external_id", &["top_match", "external_id"]),
    ("top_similar_object_id", &["top_match", "face_id"]),
    (
        "top_similar_object_similarity",
        &["top_match", "similarity"],
    ),
    ("top_matching_candidates_label", &["top_match", "label"]),
];

/// The JSON path of a column: a [`COLUMNS`] name or `meta.<path>`.
pub fn column_path(column: &str) -> Option<Vec<String>> {
    if let Some(meta) = column.strip_prefix("meta.") {
        if meta.is_empty() || meta.split('.').any(str::is_empty) {
            return None;
        }
        let mut path = vec!["meta".to_owned()];
        path.extend(meta.split('.').map(str::to_owned));
        return Some(path);
    }
    COLUMNS
        .iter()
        .find(|(name, _)| *name == column)
        .map(|(_, path)| path.iter().map(|s| (*s).to_owned()).collect())
}

/// The value at `path` (`None` when a member is missing).
pub fn value_at<'a, S: AsRef<str>>(
    object: &'a Map<String, Value>,
    path: &[S],
) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let mut value = object.get(first.as_ref())?;
    for name in rest {
        value = value.as_object()?.get(name.as_ref())?;
    }
    Some(value)
}

fn int_in(map: &Map<String, Value>, name: &str, min: i64, max: i64) -> ApiResult<()> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(()),
        Some(v) if v.as_i64().is_some_and(|n| (min..=max).contains(&n)) => Ok(()),
        Some(_) => Err(ApiError::bad_json_at(
            name,
            format!("expected an integer in {min}..={max} or null"),
        )),
    }
}

fn string_or_null(map: &Map<String, Value>, name: &str) -> ApiResult<()> {
    match map.get(name) {
        None | Some(Value::Null) | Some(Value::String(_)) => Ok(()),
        Some(_) => Err(ApiError::bad_json_at(name, "expected a string or null")),
    }
}

fn object_or_null(map: &Map<String, Value>, name: &str) -> ApiResult<()> {
    match map.get(name) {
        None | Some(Value::Null) | Some(Value::Object(_)) => Ok(()),
        Some(_) => Err(ApiError::bad_json_at(name, "expected an object or null")),
    }
}

fn array_or_null(map: &Map<String, Value>, name: &str) -> ApiResult<()> {
    match map.get(name) {
        None | Some(Value::Null) | Some(Value::Array(_)) => Ok(()),
        Some(_) => Err(ApiError::bad_json_at(name, "expected an array or null")),
    }
}

fn time_member(map: &Map<String, Value>, name: &str) -> ApiResult<Option<OffsetDateTime>> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => parse_time(s)
            .map(Some)
            .ok_or_else(|| ApiError::bad_json_at(name, "not an RFC 3339 time")),
        Some(_) => Err(ApiError::bad_json_at(name, "expected a time string")),
    }
}

fn uuid_member(map: &Map<String, Value>, name: &str) -> ApiResult<Option<Uuid>> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => parse_uuid(name, s)
            .map(Some)
            .map_err(|_| ApiError::bad_json_at(name, "bad uuid")),
        Some(_) => Err(ApiError::bad_json_at(name, "expected a uuid string")),
    }
}

impl StoredEvent {
    /// Reads one event of a `POST /events` body (`path` names it in errors); `header_account`
    /// is used when the event has no `account_id`.
    pub fn from_json(value: &Value, path: &str, header_account: Option<Uuid>) -> ApiResult<Self> {
        let mut map = value
            .as_object()
            .cloned()
            .ok_or_else(|| ApiError::bad_json_at(path, "an event is an object"))?;
        if let Some(bad) = map.keys().find(|k| {
            !EVENT_FIELDS.contains(&k.as_str()) && !DESCRIPTOR_MEMBERS.contains(&k.as_str())
        }) {
            return Err(ApiError::bad_json_at(
                &format!("{path}.{bad}"),
                "additional properties are not allowed",
            ));
        }
        let at = |e: ApiError| ApiError {
            detail: format!("{} (event {path})", e.detail),
            ..e
        };
        let event_id = uuid_member(&map, "event_id")
            .map_err(at)?
            .unwrap_or_else(Uuid::new_v4);
        let account_id = uuid_member(&map, "account_id")
            .map_err(at)?
            .or(header_account)
            .ok_or_else(|| ApiError::bad_json_at(&format!("{path}.account_id"), "required"))?;
        let create_time = time_member(&map, "create_time")
            .map_err(at)?
            .unwrap_or_else(now);
        let end_time = time_member(&map, "end_time")
            .map_err(at)?
            .unwrap_or(create_time);
        uuid_member(&map, "stream_id").map_err(at)?;
        uuid_member(&map, "face_id").map_err(at)?;
        int_in(&map, "gender", 0, 1).map_err(at)?;
        int_in(&map, "age", 0, 200).map_err(at)?;
        int_in(&map, "emotion", 1, 7).map_err(at)?;
        int_in(&map, "mask", 1, 3).map_err(at)?;
        int_in(&map, "ethnic_group", 1, 4).map_err(at)?;
        int_in(&map, "liveness", 0, 2).map_err(at)?;
        for name in [
            "handler_id",
            "external_id",
            "source",
            "track_id",
            "user_data",
        ] {
            string_or_null(&map, name).map_err(at)?;
        }
        for name in [
            "location",
            "top_match",
            "body_basic_attributes",
            "upper_body",
            "lower_body",
            "accessories",
        ] {
            object_or_null(&map, name).map_err(at)?;
        }
        for name in [
            "tags",
            "face_detections",
            "body_detections",
            "match_result",
            "attach_result",
        ] {
            array_or_null(&map, name).map_err(at)?;
        }
        if let Some(meta) = map.get("meta") {
            if meta.to_string().len() >= META_MAX_BYTES {
                return Err(ApiError::bad_json_at(
                    &format!("{path}.meta"),
                    "meta must be smaller than 2 MB",
                ));
            }
        }
        let mut descriptors = [Vec::new(), Vec::new()];
        for (slot, member) in descriptors.iter_mut().zip(DESCRIPTOR_MEMBERS) {
            if let Some(value) = map.remove(member) {
                *slot = Descriptor::list_from_json(&value, &format!("{path}.{member}"))?;
            }
        }
        let [face_descriptors, body_descriptors] = descriptors;
        map.insert("event_id".into(), Value::String(event_id.to_string()));
        map.insert("account_id".into(), Value::String(account_id.to_string()));
        map.insert(
            "create_time".into(),
            Value::String(format_time(create_time)),
        );
        map.insert("end_time".into(), Value::String(format_time(end_time)));
        Ok(Self {
            json: map,
            event_id,
            account_id,
            create_time,
            end_time,
            insert_time: now(),
            face_descriptors,
            body_descriptors,
        })
    }

    /// The event in an answer, with every field (absent ones as `null`) or the targets.
    pub fn to_json(&self, targets: &[String]) -> Value {
        serde_json::to_value(self.selected(targets)).unwrap_or(Value::Null)
    }

    /// The event reduced to `targets`, serialised without copying it.
    pub fn selected<'a>(&'a self, targets: &'a [String]) -> Selected<'a> {
        Selected {
            event: self,
            targets,
        }
    }
}

/// An event reduced to some fields (absent ones as `null`), for answers.
pub struct Selected<'a> {
    event: &'a StoredEvent,
    targets: &'a [String],
}

impl serde::Serialize for Selected<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.targets.len()))?;
        for name in self.targets {
            map.serialize_entry(
                name,
                self.event.json.get(name.as_str()).unwrap_or(&Value::Null),
            )?;
        }
        map.end()
    }
}
