//! luna-faces objects: faces, lists with their links, attributes (of faces and temporary ones),
//! how they are read from bodies and written in answers.

use crate::descriptors::{Descriptor, DescriptorFormat};
use crate::errors::{ApiError, ApiResult};
use crate::query::parse_uuid;
use crate::time_format::format_time;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use time::OffsetDateTime;
use uuid::Uuid;

/// `user_data` limit (faces and lists).
pub const USER_DATA_MAX: usize = 128;
/// `external_id` limit.
pub const EXTERNAL_ID_MAX: usize = 36;
/// `avatar` limit.
pub const AVATAR_MAX: usize = 256;
/// Lists given when creating a face.
pub const FACE_LISTS_MAX: usize = 1000;

/// The luna-faces state.
#[derive(Default)]
pub struct FacesState {
    /// Faces by id (answers are in face id order).
    pub faces: BTreeMap<Uuid, Face>,
    /// Lists by id (answers are in list id order).
    pub lists: BTreeMap<Uuid, List>,
    /// Temporary attributes by id.
    pub attributes: HashMap<Uuid, TempAttribute>,
    /// The last link key given out.
    pub last_link_key: i64,
}

/// A face.
#[derive(Clone, Debug)]
pub struct Face {
    /// Id.
    pub face_id: Uuid,
    /// Owner.
    pub account_id: Uuid,
    /// Event the face came from.
    pub event_id: Option<Uuid>,
    /// User data.
    pub user_data: String,
    /// External id.
    pub external_id: String,
    /// Avatar reference.
    pub avatar: String,
    /// Creation time.
    pub create_time: OffsetDateTime,
    /// Lists the face is linked to, in link order.
    pub lists: Vec<Uuid>,
    /// The face's attribute.
    pub attribute: Option<AttributeData>,
    /// The temporary attribute the face's attribute was copied from.
    pub source_attribute: Option<Uuid>,
}

/// A list and its links.
#[derive(Clone, Debug)]
pub struct List {
    /// Id.
    pub list_id: Uuid,
    /// Owner.
    pub account_id: Uuid,
    /// User data.
    pub user_data: String,
    /// Creation time.
    pub create_time: OffsetDateTime,
    /// Last change of the list or its links.
    pub last_update_time: OffsetDateTime,
    /// Linked faces and their link keys.
    pub links: BTreeMap<Uuid, i64>,
}

/// What an attribute holds.
#[derive(Clone, Debug, Default)]
pub struct AttributeData {
    /// Descriptors, one per version.
    pub descriptors: Vec<Descriptor>,
    /// `{age, gender, ethnicity}`.
    pub basic_attributes: Option<Value>,
    /// Samples of the descriptors.
    pub descriptor_samples: Vec<Uuid>,
    /// Samples of the basic attributes.
    pub basic_attributes_samples: Vec<Uuid>,
    /// Creation time.
    pub create_time: Option<OffsetDateTime>,
}

/// A temporary attribute.
#[derive(Clone, Debug)]
pub struct TempAttribute {
    /// Id.
    pub attribute_id: Uuid,
    /// Owner.
    pub account_id: Uuid,
    /// Contents.
    pub data: AttributeData,
    /// When it expires.
    pub expires: OffsetDateTime,
}

/// Targets of `GET /faces`, `GET /faces/{id}`.
pub const FACE_TARGETS: &[&str] = &[
    "face_id",
    "account_id",
    "event_id",
    "user_data",
    "create_time",
    "external_id",
    "avatar",
    "lists",
];
/// Targets of temporary attributes.
pub const ATTRIBUTE_TARGETS: &[&str] = &[
    "attribute_id",
    "account_id",
    "create_time",
    "descriptor",
    "basic_attributes",
    "basic_attributes_samples",
    "face_descriptors_samples",
];
/// Targets of the attributes of a face.
pub const FACE_ATTRIBUTE_TARGETS: &[&str] = &[
    "create_time",
    "face_descriptor",
    "basic_attributes",
    "face_descriptor_samples",
    "basic_attributes_samples",
];

/// Reads `targets` (comma-separated) against `allowed`; a bad one is error `code`.
pub fn read_targets(value: Option<&str>, allowed: &[&str], code: u32) -> ApiResult<Vec<String>> {
    let Some(value) = value else {
        return Ok(allowed.iter().map(|s| (*s).to_owned()).collect());
    };
    value
        .split(',')
        .map(|t| {
            if allowed.contains(&t) {
                Ok(t.to_owned())
            } else {
                Err(ApiError::invalid(
                    code,
                    format!(
                        "Bad targets '{t}': valid targets are {}",
                        allowed.join(", ")
                    ),
                ))
            }
        })
        .collect()
}

/// Keeps the members named in `targets`.
pub fn select(mut object: Map<String, Value>, targets: &[String]) -> Value {
    object.retain(|k, _| targets.iter().any(|t| t == k));
    Value::Object(object)
}

fn ids_json(ids: &[Uuid]) -> Value {
    Value::Array(ids.iter().map(|i| Value::String(i.to_string())).collect())
}

impl Face {
    /// The face in an answer (every member).
    pub fn to_json(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("face_id".into(), json!(self.face_id));
        map.insert("account_id".into(), json!(self.account_id));
        map.insert("event_id".into(), json!(self.event_id));
        map.insert("user_data".into(), json!(self.user_data));
        map.insert("create_time".into(), json!(format_time(self.create_time)));
        map.insert("external_id".into(), json!(self.external_id));
        map.insert("avatar".into(), json!(self.avatar));
        map.insert("lists".into(), ids_json(&self.lists));
        map
    }
}

impl List {
    /// The list in an answer.
    pub fn to_json(&self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("list_id".into(), json!(self.list_id));
        map.insert("account_id".into(), json!(self.account_id));
        map.insert("user_data".into(), json!(self.user_data));
        map.insert("create_time".into(), json!(format_time(self.create_time)));
        map.insert(
            "last_update_time".into(),
            json!(format_time(self.last_update_time)),
        );
        map
    }
}

impl AttributeData {
    /// The samples answer.
    pub fn samples_json(&self) -> Value {
        json!({
            "face_descriptor_samples": ids_json(&self.descriptor_samples),
            "basic_attributes_samples": ids_json(&self.basic_attributes_samples),
        })
    }

    /// The members shared by both attribute answers, with the face (`face_*`) or temporary
    /// attribute names.
    pub fn to_json(
        &self,
        face_names: bool,
        version: Option<u32>,
        format: DescriptorFormat,
    ) -> ApiResult<Map<String, Value>> {
        let descriptor = match (version, Descriptor::pick(&self.descriptors, version)) {
            (Some(v), None) => {
                return Err(ApiError::not_found(
                    22018,
                    &format!("Descriptor of version {v} of object"),
                    "attribute",
                ))
            }
            (_, found) => found.map(|d| d.to_json(format)).unwrap_or(Value::Null),
        };
        let (descriptor_name, samples_name) = if face_names {
            ("face_descriptor", "face_descriptor_samples")
        } else {
            ("descriptor", "face_descriptors_samples")
        };
        let mut map = Map::new();
        map.insert(
            "create_time".into(),
            json!(self.create_time.map(format_time)),
        );
        map.insert(descriptor_name.into(), descriptor);
        map.insert(
            "basic_attributes".into(),
            self.basic_attributes.clone().unwrap_or(Value::Null),
        );
        map.insert(samples_name.into(), ids_json(&self.descriptor_samples));
        map.insert(
            "basic_attributes_samples".into(),
            ids_json(&self.basic_attributes_samples),
        );
        Ok(map)
    }

    /// Reads an explicit attribute (`descriptors`, `basic_attributes`, samples); with
    /// `partial`, members left out are `None`-like (empty) and the 22022 rule is not applied.
    pub fn from_json(map: &Map<String, Value>, path: &str, partial: bool) -> ApiResult<Self> {
        const MEMBERS: &[&str] = &[
            "descriptors",
            "basic_attributes",
            "descriptor_samples",
            "basic_attributes_samples",
        ];
        if let Some(bad) = map.keys().find(|k| !MEMBERS.contains(&k.as_str())) {
            return Err(ApiError::bad_json_at(
                &format!("{path}{bad}"),
                "additional properties are not allowed",
            ));
        }
        let descriptors = match map.get("descriptors") {
            Some(v) => Descriptor::list_from_json(v, &format!("{path}descriptors"))?,
            None => Vec::new(),
        };
        let basic_attributes = match map.get("basic_attributes") {
            None => None,
            Some(v) => Some(read_basic_attributes(
                v,
                &format!("{path}basic_attributes"),
            )?),
        };
        if !partial && descriptors.is_empty() && basic_attributes.is_none() {
            return Err(ApiError::invalid(
                22022,
                "Attribute must contain at least one of 'descriptors' or 'basic_attributes'",
            ));
        }
        Ok(Self {
            descriptors,
            basic_attributes,
            descriptor_samples: uuid_array(map, "descriptor_samples", path)?,
            basic_attributes_samples: uuid_array(map, "basic_attributes_samples", path)?,
            create_time: Some(crate::time_format::now()),
        })
    }

    /// Applies a partial update: given descriptors replace those of their versions, given
    /// members replace the old ones.
    pub fn merge(&mut self, update: AttributeData, given: &Map<String, Value>) {
        for d in update.descriptors {
            self.descriptors.retain(|o| o.version != d.version);
            self.descriptors.push(d);
        }
        if update.basic_attributes.is_some() {
            self.basic_attributes = update.basic_attributes;
        }
        if given.contains_key("descriptor_samples") {
            self.descriptor_samples = update.descriptor_samples;
        }
        if given.contains_key("basic_attributes_samples") {
            self.basic_attributes_samples = update.basic_attributes_samples;
        }
    }
}

fn read_basic_attributes(value: &Value, path: &str) -> ApiResult<Value> {
    let map = value
        .as_object()
        .ok_or_else(|| ApiError::bad_json_at(path, "expected an object"))?;
    for (name, v) in map {
        let range = match name.as_str() {
            "age" => 0..=200,
            "gender" => 0..=1,
            "ethnicity" => 1..=4,
            _ => {
                return Err(ApiError::bad_json_at(
                    &format!("{path}.{name}"),
                    "additional properties are not allowed",
                ))
            }
        };
        match v.as_i64() {
            Some(n) if range.contains(&n) => {}
            _ => {
                return Err(ApiError::bad_json_at(
                    &format!("{path}.{name}"),
                    format!("expected an integer in {}..={}", range.start(), range.end()),
                ))
            }
        }
    }
    Ok(value.clone())
}

/// Reads an optional array of UUIDs at `name`.
pub fn uuid_array(map: &Map<String, Value>, name: &str, path: &str) -> ApiResult<Vec<Uuid>> {
    let Some(value) = map.get(name) else {
        return Ok(Vec::new());
    };
    let at = format!("{path}{name}");
    let items = value
        .as_array()
        .ok_or_else(|| ApiError::bad_json_at(&at, "expected an array"))?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let text = item
            .as_str()
            .ok_or_else(|| ApiError::bad_json_at(&at, "expected uuid strings"))?;
        let id = parse_uuid(name, text).map_err(|_| ApiError::bad_json_at(&at, "bad uuid"))?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// Reads an optional string at `name` of at most `max` characters.
pub fn bounded_string(
    map: &Map<String, Value>,
    name: &str,
    max: usize,
) -> ApiResult<Option<String>> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::bad_json_at(
            name,
            format!("expected a string of at most {max} characters"),
        )),
    }
}

/// Reads an optional UUID string at `name`.
pub fn optional_uuid(map: &Map<String, Value>, name: &str) -> ApiResult<Option<Uuid>> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => parse_uuid(name, s)
            .map(Some)
            .map_err(|_| ApiError::bad_json_at(name, "bad uuid")),
        Some(_) => Err(ApiError::bad_json_at(name, "expected a uuid string")),
    }
}

/// Checks an avatar: a URI reference of at most 256 characters, no spaces or control characters
/// (22009 otherwise).
pub fn check_avatar(avatar: &str) -> ApiResult<()> {
    if avatar.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ApiError::invalid(
            22009,
            format!("Avatar url '{avatar}' is incorrect"),
        ));
    }
    Ok(())
}

/// Allows only `members` in a body object.
pub fn only_members(map: &Map<String, Value>, members: &[&str]) -> ApiResult<()> {
    match map.keys().find(|k| !members.contains(&k.as_str())) {
        Some(bad) => Err(ApiError::bad_json_at(
            bad,
            "additional properties are not allowed",
        )),
        None => Ok(()),
    }
}
