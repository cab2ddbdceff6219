//! luna-events data types: the requests (the query of `get_events` / `iter_events` and its
//! meta filters, the descriptor query, the bulk-delete filters, the statistics query, with the
//! constants of those calls) and the answers (the event as saved, returned and streamed, its
//! attributes and their enumerations, and the values of the "not estimated" (`null`) filter).
//!
//! Every member is optional (a `target` selection returns a subset) and every object keeps the
//! members this crate does not model in its `extra` map, so nothing a newer server sends is lost.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use super::common::{Ethnicity, Gender};
use super::time_format;
use super::{string_enum, wire_enum};

mod meta;
mod query;
mod stats;
pub use meta::*;
pub use query::*;
pub use stats::*;

wire_enum! {
    /// Dominant emotion (`emotion`, filter `emotions`): 1…7.
    pub enum Emotion {
        /// 1, anger.
        Anger = 1,
        /// 2, disgust.
        Disgust = 2,
        /// 3, fear.
        Fear = 3,
        /// 4, happiness.
        Happiness = 4,
        /// 5, neutral.
        Neutral = 5,
        /// 6, sadness.
        Sadness = 6,
        /// 7, surprise.
        Surprise = 7,
    }
}

wire_enum! {
    /// Dominant mask state (`mask`, filter `masks`): 1…3.
    pub enum Mask {
        /// 1, no mask.
        Missing = 1,
        /// 2, medical mask.
        MedicalMask = 2,
        /// 3, face occluded by something else.
        Occluded = 3,
    }
}

wire_enum! {
    /// Liveness (`liveness`): 0 spoof, 1 real, 2 unknown.
    pub enum Liveness {
        /// 0, spoof.
        Spoof = 0,
        /// 1, real.
        Real = 1,
        /// 2, unknown (the service could not tell).
        Undetermined = 2,
    }
}

wire_enum! {
    /// Apparent gender of a body (`body_basic_attributes.apparent_gender`): 0 female, 1 male,
    /// 2 undefined.
    pub enum ApparentGender {
        /// 0.
        Female = 0,
        /// 1.
        Male = 1,
        /// 2.
        Undefined = 2,
    }
}

wire_enum! {
    /// Presence of a headwear or a backpack (`state`): 0 absent, 1 present, 2 undefined.
    pub enum PresenceState {
        /// 0.
        Absent = 0,
        /// 1.
        Present = 1,
        /// 2.
        Undefined = 2,
    }
}

string_enum! {
    /// Colour of upper clothing or of a lower garment.
    pub enum ClothingColor {
        /// `black`.
        Black = "black",
        /// `blue`.
        Blue = "blue",
        /// `green`.
        Green = "green",
        /// `gray`.
        Gray = "gray",
        /// `orange`.
        Orange = "orange",
        /// `purple`.
        Purple = "purple",
        /// `red`.
        Red = "red",
        /// `white`.
        White = "white",
        /// `yellow`.
        Yellow = "yellow",
        /// `pink`.
        Pink = "pink",
        /// `brown`.
        Brown = "brown",
        /// `beige`.
        Beige = "beige",
        /// `khaki`.
        Khaki = "khaki",
        /// `multicolored`.
        Multicolored = "multicolored",
        /// `undefined`.
        Undefined = "undefined",
    }
}

string_enum! {
    /// Apparent colour of a headwear or of shoes.
    pub enum ApparentColor {
        /// `undefined`.
        Undefined = "undefined",
        /// `black`.
        Black = "black",
        /// `white`.
        White = "white",
        /// `other`.
        OtherColor = "other",
    }
}

string_enum! {
    /// Sleeve length.
    pub enum SleeveLength {
        /// `short`.
        Short = "short",
        /// `long`.
        Long = "long",
        /// `undefined`.
        Undefined = "undefined",
    }
}

string_enum! {
    /// Lower garment type.
    pub enum LowerGarmentType {
        /// `undefined`.
        Undefined = "undefined",
        /// `trousers`.
        Trousers = "trousers",
        /// `shorts`.
        Shorts = "shorts",
        /// `skirt`.
        Skirt = "skirt",
    }
}

string_enum! {
    /// Event fields selectable with `target` (`get_event`, `get_events`), as the Python client
    /// lists them.
    pub enum EventTarget {
        /// `account_id`.
        AccountId = "account_id",
        /// `create_time`.
        CreateTime = "create_time",
        /// `end_time`.
        EndTime = "end_time",
        /// `event_id`.
        EventId = "event_id",
        /// `handler_id`.
        HandlerId = "handler_id",
        /// `external_id`.
        ExternalId = "external_id",
        /// `source`.
        Source = "source",
        /// `stream_id`.
        StreamId = "stream_id",
        /// `top_match`.
        TopMatch = "top_match",
        /// `match_result`.
        MatchResult = "match_result",
        /// `face_detections`.
        FaceDetections = "face_detections",
        /// `face_id`.
        FaceId = "face_id",
        /// `attach_result`.
        AttachResult = "attach_result",
        /// `gender`.
        Gender = "gender",
        /// `age`.
        Age = "age",
        /// `emotion`.
        Emotion = "emotion",
        /// `ethnic_group`.
        EthnicGroup = "ethnic_group",
        /// `liveness`.
        Liveness = "liveness",
        /// `deepfake`.
        Deepfake = "deepfake",
        /// `body_detections`.
        BodyDetections = "body_detections",
        /// `body_basic_attributes`.
        BodyBasicAttributes = "body_basic_attributes",
        /// `upper_body`.
        UpperBody = "upper_body",
        /// `lower_body`.
        LowerBody = "lower_body",
        /// `accessories`.
        Accessories = "accessories",
        /// `tags`.
        Tags = "tags",
        /// `user_data`.
        UserData = "user_data",
        /// `location`.
        Location = "location",
        /// `mask`.
        Mask = "mask",
        /// `track_id`.
        TrackId = "track_id",
        /// `meta`.
        Meta = "meta",
    }
}

string_enum! {
    /// Kind of an event descriptor (`descriptor_type`).
    pub enum DescriptorKind {
        /// `face`.
        Face = "face",
        /// `body`.
        Body = "body",
    }
}

/// A filter value that may also be the literal `null`: "the attribute was not estimated / is
/// empty" (luna-events accepts `null` for most attribute filters).
///
/// Anything convertible to `T` converts to `OrNull::Value`, so `.emotions([Emotion::Fear])`
/// and `.emotions([OrNull::Value(Emotion::Fear), OrNull::Null])` both work. A string filter
/// given the text `"null"` as a value sends the same literal as [`OrNull::Null`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrNull<T> {
    /// This value.
    Value(T),
    /// `null`: not estimated.
    Null,
}

impl<T> From<T> for OrNull<T> {
    fn from(value: T) -> Self {
        OrNull::Value(value)
    }
}

impl From<&str> for OrNull<String> {
    fn from(value: &str) -> Self {
        OrNull::Value(value.to_owned())
    }
}

impl<T: Serialize> Serialize for OrNull<T> {
    /// The value, or JSON `null` (the JSON form of matching filters).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            OrNull::Value(v) => v.serialize(s),
            OrNull::Null => s.serialize_none(),
        }
    }
}

impl<T: fmt::Display> fmt::Display for OrNull<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OrNull::Value(v) => v.fmt(f),
            OrNull::Null => f.write_str("null"),
        }
    }
}

/// Geographic position, in degrees.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GeoPosition {
    /// Longitude, -180…180.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Latitude, -90…90.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl GeoPosition {
    /// A position.
    pub fn new(longitude: f64, latitude: f64) -> Self {
        GeoPosition {
            longitude: Some(longitude),
            latitude: Some(latitude),
            extra: Map::new(),
        }
    }
}

/// Where an event happened (`location`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Location {
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// District.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// Street.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// House number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub house_number: Option<String>,
    /// Geographic position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo_position: Option<GeoPosition>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A bounding box in pixels of the source image.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rect {
    /// Left.
    #[serde(default)]
    pub x: i64,
    /// Top.
    #[serde(default)]
    pub y: i64,
    /// Width.
    #[serde(default)]
    pub width: i64,
    /// Height.
    #[serde(default)]
    pub height: i64,
}

impl Rect {
    /// A box.
    pub fn new(x: i64, y: i64, width: i64, height: i64) -> Self {
        Rect {
            x,
            y,
            width,
            height,
        }
    }
}

/// The `detection` object of a face or body detection: its box and what was estimated on it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DetectionInfo {
    /// The face or body box.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rect: Option<Rect>,
    /// Estimations attached to the detection, kept as JSON (layout not published).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Value>,
    /// Members this crate does not model (other estimations).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One item of `face_detections` or `body_detections`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Detection {
    /// Id of the sample (warp) in the image store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_id: Option<Uuid>,
    /// When the detection was made.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub detect_time: Option<OffsetDateTime>,
    /// User timestamp of the detection (e.g. seconds from the start of a video).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detect_ts: Option<f64>,
    /// URL of the source image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_origin: Option<String>,
    /// Box and estimations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection: Option<DetectionInfo>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `body_basic_attributes`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BodyBasicAttributes {
    /// Apparent age.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apparent_age: Option<u32>,
    /// Apparent gender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apparent_gender: Option<ApparentGender>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `upper_body.headwear`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Headwear {
    /// Whether a headwear is worn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<PresenceState>,
    /// Its colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apparent_color: Option<ApparentColor>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `upper_body.sleeve`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Sleeve {
    /// Sleeve length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<SleeveLength>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `upper_body.upper_clothing`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UpperClothing {
    /// Colours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colors: Option<Vec<ClothingColor>>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `upper_body`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UpperBody {
    /// Headwear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headwear: Option<Headwear>,
    /// Sleeves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sleeve: Option<Sleeve>,
    /// Upper clothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_clothing: Option<UpperClothing>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `lower_body.lower_garment`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LowerGarment {
    /// Garment type (`type`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub garment_type: Option<LowerGarmentType>,
    /// Colours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colors: Option<Vec<ClothingColor>>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `lower_body.shoes`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Shoes {
    /// Colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apparent_color: Option<ApparentColor>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `lower_body`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LowerBody {
    /// Lower garment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_garment: Option<LowerGarment>,
    /// Shoes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shoes: Option<Shoes>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `accessories.backpack`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Backpack {
    /// Whether a backpack is carried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<PresenceState>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `accessories`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Accessories {
    /// Backpack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backpack: Option<Backpack>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `top_match`: the best candidate of the event's matching.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TopMatch {
    /// Id of the matched face (face candidates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_id: Option<Uuid>,
    /// Id of the matched event (event candidates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<Uuid>,
    /// External id of the candidate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Label of the match policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Similarity, 0…1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The face or event a match candidate refers to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MatchedObject {
    /// Face id (face candidates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_id: Option<Uuid>,
    /// Event id (event candidates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<Uuid>,
    /// Account id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Uuid>,
    /// External id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// User data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data: Option<String>,
    /// Members this crate does not model (URLs, lists, times...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One candidate of a match result.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MatchCandidate {
    /// Similarity, 0…1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// The matched face (face candidates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face: Option<MatchedObject>,
    /// The matched event (event candidates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<MatchedObject>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One item of `match_result`: the candidates found by one match policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MatchResult {
    /// Label of the match policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Candidates, best first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<MatchCandidate>>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An event of luna-events: what `get_event(s)` return and what `save_events` stores.
///
/// Build one with [`Event::new`] and set its public fields; members this crate does not model
/// go in `extra` (they are sent as given and kept when received).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Event {
    /// Event id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<Uuid>,
    /// Owner account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Uuid>,
    /// Handler that produced the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler_id: Option<String>,
    /// Creation time.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<OffsetDateTime>,
    /// End time.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<OffsetDateTime>,
    /// User external id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Free-form source (camera name...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Video stream id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_id: Option<Uuid>,
    /// Track id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_id: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_data: Option<String>,
    /// User tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Face detections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_detections: Option<Vec<Detection>>,
    /// Body detections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_detections: Option<Vec<Detection>>,
    /// Gender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Estimated age.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Dominant emotion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emotion: Option<Emotion>,
    /// Dominant mask state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask: Option<Mask>,
    /// Ethnic group (numbered as the service specification does, see [`Ethnicity`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethnic_group: Option<Ethnicity>,
    /// Liveness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<Liveness>,
    /// Deepfake estimation, kept as JSON (its type is not published).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deepfake: Option<Value>,
    /// Apparent age and gender of the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_basic_attributes: Option<BodyBasicAttributes>,
    /// Upper body attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_body: Option<UpperBody>,
    /// Lower body attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_body: Option<LowerBody>,
    /// Accessories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessories: Option<Accessories>,
    /// Face created from the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_id: Option<Uuid>,
    /// Ids of the lists the face was attached to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach_result: Option<Vec<String>>,
    /// Best match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_match: Option<TopMatch>,
    /// Match results, one per match policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_result: Option<Vec<MatchResult>>,
    /// User-defined data (any JSON smaller than 2 MB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Value>,
    /// Members this crate does not model (`insert_time`, `url`, newer fields...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Event {
    /// An empty event; set its fields before saving it.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The answer of `get_events`: `{"events": [...]}`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct EventsPage {
    /// The events of the page.
    #[serde(default)]
    pub events: Vec<Event>,
    /// Other members (a total count, if the server sends one).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What `save_events` sent and what the service answered.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct SavedEvents {
    /// Ids of the saved events, in the order given (generated where an event had none).
    pub event_ids: Vec<Uuid>,
    /// The service's answer, when it sent a body (its layout is not published).
    pub reply: Option<Value>,
}

/// One entry of the `delete_events` answer: what was deleted for one event (its samples and
/// source images, to be removed from the image store).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeletedEvent {
    /// Event id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<Uuid>,
    /// Face detections (sample ids, source images) of the deleted event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_detections: Option<Vec<Detection>>,
    /// Body detections of the deleted event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_detections: Option<Vec<Detection>>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    /// A full event as events.md §3 describes it, with nulls, an unknown top-level member and
    /// unknown nested members.
    fn full_event() -> Value {
        serde_json::from_str(
            r#"{
            "event_id": "7e5f3c6e-6f0e-4a5c-9a55-8c1a0d1f1a55",
            "account_id": "8950722f-3fd4-4223-b48f-03f95f0e8dfb",
            "handler_id": "0a1b2c3d-6f0e-4a5c-9a55-8c1a0d1f1a66",
            "create_time": "2024-01-31T12:00:00.123456+00:00",
            "end_time": "2024-01-31T12:00:05Z",
            "insert_time": "2024-01-31T12:00:06Z",
            "external_id": "ext-7",
            "source": "gate-3",
            "stream_id": "1b2c3d4e-6f0e-4a5c-9a55-8c1a0d1f1a77",
            "track_id": null,
            "user_data": "visitor",
            "tags": ["vip", "morning"],
            "location": {
                "city": "Moscow", "area": "Central", "district": null, "street": "Tverskaya",
                "house_number": "1", "geo_position": {"longitude": 37.61, "latitude": 55.75}
            },
            "face_id": "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11",
            "attach_result": ["5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33"],
            "face_detections": [{
                "sample_id": "2c3d4e5f-6f0e-4a5c-9a55-8c1a0d1f1a88",
                "detect_time": "2024-01-31T12:00:01Z",
                "detect_ts": 1.5,
                "image_origin": "/1/buckets/visionlabs-image-origin/images/x",
                "detection": {
                    "rect": {"x": 10, "y": 20, "width": 100, "height": 120},
                    "attributes": {"emotion": 4},
                    "warp_quality": 0.9
                },
                "url": "/6/samples/faces/2c3d"
            }],
            "body_detections": [{
                "sample_id": "3d4e5f6a-6f0e-4a5c-9a55-8c1a0d1f1a99",
                "detect_time": "2024-01-31T12:00:01Z",
                "detect_ts": null,
                "image_origin": null,
                "detection": {"rect": {"x": 5, "y": 6, "width": 128, "height": 256}}
            }],
            "gender": 1,
            "age": 34,
            "emotion": 4,
            "mask": 1,
            "ethnic_group": 4,
            "liveness": 1,
            "deepfake": 0.02,
            "body_basic_attributes": {"apparent_age": 33, "apparent_gender": 1},
            "upper_body": {
                "headwear": {"state": 1, "apparent_color": "black"},
                "sleeve": {"length": "long"},
                "upper_clothing": {"colors": ["red", "khaki", "teal"]}
            },
            "lower_body": {
                "lower_garment": {"type": "trousers", "colors": ["blue"]},
                "shoes": {"apparent_color": "white"}
            },
            "accessories": {"backpack": {"state": 2}},
            "top_match": {
                "face_id": "4a2b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a22",
                "external_id": "emp-1", "label": "staff", "similarity": 0.97
            },
            "match_result": [{
                "label": "staff",
                "candidates": [
                    {"similarity": 0.97, "face": {"face_id": "4a2b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a22", "user_data": "Ann", "lists": []}},
                    {"similarity": 0.51, "event": {"event_id": "5b6c7d8e-6f0e-4a5c-9a55-8c1a0d1f1aaa"}}
                ]
            }],
            "meta": {"badge": {"number": 17, "valid": true}, "notes": null},
            "new_field_from_a_newer_server": {"anything": [1, 2]}
        }"#,
        )
        .unwrap()
    }

    /// The JSON with its `null` members removed (they decode to `None`).
    fn without_nulls(value: Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k, without_nulls(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
            other => other,
        }
    }

    #[test]
    fn a_full_event_decodes_typed_and_keeps_unknown_members() {
        let event: Event = serde_json::from_value(full_event()).unwrap();
        assert_eq!(event.create_time, Some(datetime!(2024-01-31 12:00:00.123456 UTC)));
        assert_eq!(event.track_id, None);
        assert_eq!(event.gender, Some(Gender::Male));
        assert_eq!(event.emotion, Some(Emotion::Happiness));
        assert_eq!(event.mask, Some(Mask::Missing));
        assert_eq!(event.ethnic_group, Some(Ethnicity::Caucasian));
        assert_eq!(event.liveness, Some(Liveness::Real));
        assert_eq!(event.deepfake, Some(json!(0.02)));
        let location = event.location.as_ref().unwrap();
        assert_eq!(location.district, None);
        assert_eq!(location.geo_position.as_ref().unwrap().latitude, Some(55.75));
        let face = &event.face_detections.as_ref().unwrap()[0];
        assert_eq!(face.detect_ts, Some(1.5));
        let info = face.detection.as_ref().unwrap();
        assert_eq!(info.rect, Some(Rect::new(10, 20, 100, 120)));
        assert_eq!(info.extra["warp_quality"], 0.9);
        assert_eq!(face.extra["url"], "/6/samples/faces/2c3d");
        let body = &event.body_detections.as_ref().unwrap()[0];
        assert_eq!(body.detect_ts, None);
        assert_eq!(body.image_origin, None);
        let bba = event.body_basic_attributes.as_ref().unwrap();
        assert_eq!(bba.apparent_gender, Some(ApparentGender::Male));
        let upper = event.upper_body.as_ref().unwrap();
        assert_eq!(upper.headwear.as_ref().unwrap().state, Some(PresenceState::Present));
        assert_eq!(upper.headwear.as_ref().unwrap().apparent_color, Some(ApparentColor::Black));
        assert_eq!(upper.sleeve.as_ref().unwrap().length, Some(SleeveLength::Long));
        assert_eq!(
            upper.upper_clothing.as_ref().unwrap().colors.as_deref(),
            Some(
                &[
                    ClothingColor::Red,
                    ClothingColor::Khaki,
                    ClothingColor::Other("teal".into())
                ][..]
            )
        );
        let lower = event.lower_body.as_ref().unwrap();
        let garment = lower.lower_garment.as_ref().unwrap();
        assert_eq!(garment.garment_type, Some(LowerGarmentType::Trousers));
        assert_eq!(lower.shoes.as_ref().unwrap().apparent_color, Some(ApparentColor::White));
        assert_eq!(
            event.accessories.as_ref().unwrap().backpack.as_ref().unwrap().state,
            Some(PresenceState::Undefined)
        );
        assert_eq!(event.top_match.as_ref().unwrap().similarity, Some(0.97));
        let candidates = event.match_result.as_ref().unwrap()[0].candidates.as_ref().unwrap();
        assert_eq!(candidates[0].face.as_ref().unwrap().user_data.as_deref(), Some("Ann"));
        assert!(candidates[1].event.as_ref().unwrap().event_id.is_some());
        assert_eq!(event.meta.as_ref().unwrap()["badge"]["number"], 17);
        assert_eq!(event.extra["insert_time"], "2024-01-31T12:00:06Z");
        assert_eq!(event.extra["new_field_from_a_newer_server"]["anything"][1], 2);

        // Nothing is lost: re-serialised, the event is the input minus its nulls (times are
        // written back as RFC 3339 UTC).
        let mut expected = without_nulls(full_event());
        expected["create_time"] = json!("2024-01-31T12:00:00.123456Z");
        expected["meta"] = json!({"badge": {"number": 17, "valid": true}, "notes": null});
        assert_eq!(serde_json::to_value(&event).unwrap(), expected);
    }

    #[test]
    fn a_sparse_event_decodes_with_missing_members() {
        let event: Event = serde_json::from_str(
            r#"{"event_id": "7e5f3c6e-6f0e-4a5c-9a55-8c1a0d1f1a55", "gender": null, "emotion": 9,
                "upper_body": {}, "top_match": null}"#,
        )
        .unwrap();
        assert!(event.event_id.is_some());
        assert_eq!(event.gender, None);
        assert_eq!(event.emotion, Some(Emotion::Unknown(9)));
        assert_eq!(event.upper_body, Some(UpperBody::default()));
        assert_eq!(event.top_match, None);
        assert_eq!(event.create_time, None);
        assert!(event.extra.is_empty());
        let empty: Event = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, Event::new());
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
    }

    #[test]
    fn enumerations_use_their_wire_numbers_and_names() {
        let emotions: Vec<i64> = [
            Emotion::Anger,
            Emotion::Disgust,
            Emotion::Fear,
            Emotion::Happiness,
            Emotion::Neutral,
            Emotion::Sadness,
            Emotion::Surprise,
        ]
        .iter()
        .map(|e| e.code())
        .collect();
        assert_eq!(emotions, vec![1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(
            [Mask::Missing, Mask::MedicalMask, Mask::Occluded].map(Mask::code),
            [1, 2, 3]
        );
        assert_eq!(
            [Liveness::Spoof, Liveness::Real, Liveness::Undetermined].map(Liveness::code),
            [0, 1, 2]
        );
        assert_eq!(
            [ApparentGender::Female, ApparentGender::Male, ApparentGender::Undefined]
                .map(ApparentGender::code),
            [0, 1, 2]
        );
        assert_eq!(
            [PresenceState::Absent, PresenceState::Present, PresenceState::Undefined]
                .map(PresenceState::code),
            [0, 1, 2]
        );
        // Ethnic groups follow the service specification, not the Python docstring.
        assert_eq!(Ethnicity::from_code(1), Ethnicity::AfricanAmerican);
        assert_eq!(Ethnicity::from_code(2), Ethnicity::Indian);
        assert_eq!(ApparentColor::OtherColor.as_str(), "other");
        assert_eq!(LowerGarmentType::from("skirt"), LowerGarmentType::Skirt);
        assert_eq!(OrNull::Value(Emotion::Fear).to_string(), "3");
        assert_eq!(OrNull::<Emotion>::Null.to_string(), "null");
        assert_eq!(OrNull::<String>::from("cam").to_string(), "cam");
    }
}
