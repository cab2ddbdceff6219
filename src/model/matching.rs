//! Matching requests and answers (luna-python-matcher; Python `luna3.python_matcher.match_objects`:
//! `Candidates`, `Reference`, `BinaryReference`, `FaceFilters`, `EventFilters`,
//! `AttributeFilters`). Mode-free, also used by handler match policies.
//!
//! * **References** — what is searched for: [`MatchReference`] (a face, an event, an attribute by
//!   id, or a descriptor as a [`BinaryReference`]).
//! * **Candidates** — where to search: [`Candidates`] = [`MatchFilters`] (faces, events or
//!   attributes, each with its filter type) plus `limit`, `threshold` and `targets`.
//! * **Filters** — [`FaceFilters`] and [`EventFilters`] are the `get_faces` / `get_events`
//!   filter types ([`FacesQuery`], [`EventsQuery`]) written in their JSON form (arrays, JSON
//!   `null`), so every filter has one definition and one setter for both uses;
//!   [`AttributeFilters`] has its own few fields. Every filter type takes extra members with
//!   `field(name, value)`.
//! * **Answers** — per reference: [`ReferenceMatches`] (face/body matching, grouped by
//!   candidates) or [`ReferenceSimilarities`] (raw and cross matching). A reference that failed
//!   carries its [`ItemError`]; the others are still returned.
//!
//! Wire forms marked *inferred* in the wire notes (reference `type` strings, the raw descriptor
//! `data`, attribute filter names, `targets`, answer layouts) are written only in this file.

use std::fmt::Display;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{json, Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::descriptor::Descriptor;
use crate::error::{Error, Result};
use crate::filters::{FilterSink, JsonFilters};
use crate::id::{collect_ids, Id};
use crate::model::common::ItemError;
use crate::model::events::MatchCandidate;
use crate::model::events::EventsQuery;
use crate::model::faces::FacesQuery;

/// Members written by the caller with `field(name, value)`, merged over a filter object.
fn merge_extra(map: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for (name, value) in extra {
        map.insert(name.clone(), value.clone());
    }
}

/// Face candidates or cross-match filters (`"origin": "faces"`, Python `FaceFilters`): the
/// filters of [`FacesQuery`] (`user_data`, `event_id`, `list_id`, `face_ids`,
/// `create_time__lt/__gte`, `attribute_ids`, `external_ids`, `face_id__gte/__lt`) in JSON form.
/// Paging and targets of the query are refused (they are not filters).
///
/// ```
/// # use luna_clients::model::matching::FaceFilters;
/// # use luna_clients::model::faces::FacesQuery;
/// let vip = FaceFilters::new(FacesQuery::new().list_id("5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct FaceFilters {
    // Boxed like `EventFilters::query`: keeps `MatchFilters` small.
    query: Box<FacesQuery>,
    extra: Map<String, Value>,
}

impl FaceFilters {
    /// The filters of `query`.
    pub fn new(query: FacesQuery) -> Self {
        FaceFilters {
            query: Box::new(query),
            extra: Map::new(),
        }
    }

    /// Adds (or replaces) a member this crate does not model, sent as given.
    #[must_use]
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    fn write(&self, out: &mut JsonFilters) -> Result<()> {
        self.query.write_fields(out, false)?;
        merge_extra(&mut out.map, &self.extra);
        Ok(())
    }
}

impl From<FacesQuery> for FaceFilters {
    fn from(query: FacesQuery) -> Self {
        FaceFilters::new(query)
    }
}

/// Event candidates or cross-match filters (`"origin": "events"`, Python `EventFilters`): every
/// filter of [`EventsQuery`] in JSON form — lists as arrays, [`OrNull::Null`] as JSON `null`,
/// meta filters as `"meta": {"<path>__<operator>:<type>": <operand>}`. Paging, order and
/// targets of the query are refused (they are not filters).
///
/// [`OrNull::Null`]: crate::model::events::OrNull::Null
///
/// ```
/// # use luna_clients::model::matching::EventFilters;
/// # use luna_clients::model::events::EventsQuery;
/// let entrance = EventFilters::new(EventsQuery::new().sources(["entrance"]));
/// ```
#[derive(Clone, Debug, Default)]
pub struct EventFilters {
    // Boxed: the query is large, and `MatchFilters` holds one of three filter types.
    query: Box<EventsQuery>,
    extra: Map<String, Value>,
}

impl EventFilters {
    /// The filters of `query`.
    pub fn new(query: EventsQuery) -> Self {
        EventFilters {
            query: Box::new(query),
            extra: Map::new(),
        }
    }

    /// Adds (or replaces) a member this crate does not model, sent as given.
    #[must_use]
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    fn write(&self, out: &mut JsonFilters) -> Result<()> {
        self.query.write_fields(out)?;
        merge_extra(&mut out.map, &self.extra);
        Ok(())
    }
}

impl From<EventsQuery> for EventFilters {
    fn from(query: EventsQuery) -> Self {
        EventFilters::new(query)
    }
}

/// Attribute candidates or cross-match filters (`"origin": "attributes"`, Python
/// `AttributeFilters`). The service's field list is not published: `attribute_ids` and the
/// creation-time bounds are this crate's choice (see the wire notes); add others with
/// [`AttributeFilters::field`].
#[derive(Clone, Debug, Default)]
pub struct AttributeFilters {
    attribute_ids: Vec<Id>,
    create_time_gte: Option<OffsetDateTime>,
    create_time_lt: Option<OffsetDateTime>,
    extra: Map<String, Value>,
}

impl AttributeFilters {
    /// No filter yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Attribute ids (`attribute_ids`).
    #[must_use]
    pub fn attribute_ids<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        self.attribute_ids = collect_ids(ids);
        self
    }

    /// Lower bound, included, of the creation time (`create_time__gte`).
    #[must_use]
    pub fn create_time_gte(mut self, time: OffsetDateTime) -> Self {
        self.create_time_gte = Some(time);
        self
    }

    /// Upper bound, excluded, of the creation time (`create_time__lt`).
    #[must_use]
    pub fn create_time_lt(mut self, time: OffsetDateTime) -> Self {
        self.create_time_lt = Some(time);
        self
    }

    /// Adds (or replaces) a member this crate does not model, sent as given.
    #[must_use]
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    fn write(&self, out: &mut JsonFilters) -> Result<()> {
        out.list(
            "attribute_ids",
            &Id::resolve_all(&self.attribute_ids, "attribute_ids")?,
        )?;
        out.time("create_time__gte", self.create_time_gte);
        out.time("create_time__lt", self.create_time_lt);
        merge_extra(&mut out.map, &self.extra);
        Ok(())
    }
}

/// The filters of one candidate set or of one side of a cross-match, by origin.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum MatchFilters {
    /// `"origin": "faces"`.
    Faces(FaceFilters),
    /// `"origin": "events"`.
    Events(EventFilters),
    /// `"origin": "attributes"`.
    Attributes(AttributeFilters),
}

impl MatchFilters {
    /// The `origin` wire value: `faces`, `events` or `attributes`.
    pub fn origin(&self) -> &'static str {
        match self {
            MatchFilters::Faces(_) => "faces",
            MatchFilters::Events(_) => "events",
            MatchFilters::Attributes(_) => "attributes",
        }
    }

    /// The JSON filter object: `{"origin": ..., <filters>...}`, plus `account_id` when given
    /// (cross-matching takes the account from the filters). Ids and values are checked here.
    pub fn to_json(&self, account_id: Option<Uuid>) -> Result<Value> {
        let mut out = JsonFilters::new();
        out.map.insert("origin".into(), json!(self.origin()));
        match self {
            MatchFilters::Faces(f) => f.write(&mut out)?,
            MatchFilters::Events(f) => f.write(&mut out)?,
            MatchFilters::Attributes(f) => f.write(&mut out)?,
        }
        if let Some(account) = account_id {
            out.map.insert("account_id".into(), json!(account));
        }
        Ok(Value::Object(out.map))
    }
}

impl From<FaceFilters> for MatchFilters {
    fn from(value: FaceFilters) -> Self {
        MatchFilters::Faces(value)
    }
}

impl From<EventFilters> for MatchFilters {
    fn from(value: EventFilters) -> Self {
        MatchFilters::Events(value)
    }
}

impl From<AttributeFilters> for MatchFilters {
    fn from(value: AttributeFilters) -> Self {
        MatchFilters::Attributes(value)
    }
}

impl From<FacesQuery> for MatchFilters {
    fn from(value: FacesQuery) -> Self {
        MatchFilters::Faces(value.into())
    }
}

impl From<EventsQuery> for MatchFilters {
    fn from(value: EventsQuery) -> Self {
        MatchFilters::Events(value.into())
    }
}

/// Checks a similarity threshold (0…1).
pub(crate) fn check_threshold(threshold: Option<f64>) -> Result<()> {
    crate::query::check_unit("threshold", threshold)
}

/// Largest `limit` (matches kept per reference) of matching and cross-matching calls and of
/// handler match policies. The service bounds it by its `PLATFORM_LIMITS` settings, whose
/// values are not published; this cap (see the wire notes) keeps a request within what a
/// deployment can serve.
pub const MATCH_LIMIT_MAX: u32 = 1000;

/// Checks a result limit (1 to [`MATCH_LIMIT_MAX`]).
pub(crate) fn check_limit(limit: Option<u32>) -> Result<()> {
    match limit {
        Some(limit) if !(1..=MATCH_LIMIT_MAX).contains(&limit) => Err(Error::invalid(
            "limit",
            format!("{limit} is not in 1…{MATCH_LIMIT_MAX}"),
        )),
        _ => Ok(()),
    }
}

/// One candidate set (Python `Candidates`): where to search, how many matches to keep per
/// reference (`limit`), the lowest similarity kept (`threshold`, 0…1) and the candidate fields
/// to return (`targets`).
///
/// ```
/// # use luna_clients::model::matching::Candidates;
/// # use luna_clients::model::faces::FacesQuery;
/// let candidates = Candidates::faces(FacesQuery::new().list_id("5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33"))
///     .limit(3)
///     .threshold(0.8);
/// ```
#[derive(Clone, Debug)]
pub struct Candidates {
    filters: MatchFilters,
    limit: Option<u32>,
    threshold: Option<f64>,
    targets: Vec<String>,
}

impl Candidates {
    /// Candidates selected by `filters`.
    pub fn new(filters: impl Into<MatchFilters>) -> Self {
        Candidates {
            filters: filters.into(),
            limit: None,
            threshold: None,
            targets: Vec::new(),
        }
    }

    /// Face candidates (`"origin": "faces"`).
    pub fn faces(filters: impl Into<FaceFilters>) -> Self {
        Self::new(MatchFilters::Faces(filters.into()))
    }

    /// Event candidates (`"origin": "events"`).
    pub fn events(filters: impl Into<EventFilters>) -> Self {
        Self::new(MatchFilters::Events(filters.into()))
    }

    /// Attribute candidates (`"origin": "attributes"`).
    pub fn attributes(filters: AttributeFilters) -> Self {
        Self::new(MatchFilters::Attributes(filters))
    }

    /// At most `limit` matches per reference (`limit`, 1 to [`MATCH_LIMIT_MAX`]).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Lowest similarity kept, 0…1 (`threshold`).
    #[must_use]
    pub fn threshold(mut self, threshold: f64) -> Self {
        self.threshold = Some(threshold);
        self
    }

    /// Candidate fields to return (`targets`): [`crate::model::faces::FaceTarget`],
    /// [`crate::model::events::EventTarget`] values, `"similarity"`, or any name.
    #[must_use]
    pub fn targets<T: Display>(mut self, targets: impl IntoIterator<Item = T>) -> Self {
        self.targets = targets.into_iter().map(|t| t.to_string()).collect();
        self
    }

    /// The filters.
    pub fn filters(&self) -> &MatchFilters {
        &self.filters
    }

    /// The JSON candidate object: `{"filters": {...}, "limit"?, "threshold"?, "targets"?}`
    /// (checked: ids, `limit` ≥ 1, `threshold` in 0…1, targets not empty strings).
    pub fn to_json(&self, account_id: Option<Uuid>) -> Result<Value> {
        check_limit(self.limit)?;
        check_threshold(self.threshold)?;
        if self.targets.iter().any(String::is_empty) {
            return Err(Error::invalid("targets", "an empty target name"));
        }
        let mut map = Map::new();
        map.insert("filters".into(), self.filters.to_json(account_id)?);
        if let Some(limit) = self.limit {
            map.insert("limit".into(), json!(limit));
        }
        if let Some(threshold) = self.threshold {
            map.insert("threshold".into(), json!(threshold));
        }
        if !self.targets.is_empty() {
            map.insert("targets".into(), json!(self.targets));
        }
        Ok(Value::Object(map))
    }
}

/// A descriptor given by value (Python `BinaryReference`): a caller's label and an SDK or raw
/// descriptor. JSON: `{"type": "sdk_descriptor", "id": <label>, "data": <base64 SDK blob>}` or
/// `{"type": "raw_descriptor", "id": <label>, "data": {"descriptor": <base64>, "version": n}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinaryReference {
    id: String,
    descriptor: Descriptor,
}

impl BinaryReference {
    /// `descriptor` labelled `id` (the label comes back in the answer; it must not be empty).
    pub fn new(id: impl Into<String>, descriptor: impl Into<Descriptor>) -> Self {
        BinaryReference {
            id: id.into(),
            descriptor: descriptor.into(),
        }
    }

    /// The label.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The descriptor.
    pub fn descriptor(&self) -> &Descriptor {
        &self.descriptor
    }

    /// The `type` wire value: `sdk_descriptor` or `raw_descriptor`.
    pub fn kind(&self) -> &'static str {
        match self.descriptor {
            Descriptor::Sdk(_) => "sdk_descriptor",
            Descriptor::Raw(_) => "raw_descriptor",
        }
    }

    /// The JSON object (checked: the label is not empty).
    pub fn to_json(&self) -> Result<Value> {
        if self.id.is_empty() {
            return Err(Error::invalid("references", "a binary reference needs a label (id)"));
        }
        Ok(json!({"type": self.kind(), "id": self.id, "data": self.descriptor}))
    }
}

/// What to search for (Python `Reference | BinaryReference`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum MatchReference {
    /// A stored face: `{"type": "face", "id": <face_id>}`.
    Face(Id),
    /// A stored event: `{"type": "event", "id": <event_id>}`.
    Event(Id),
    /// A stored attribute: `{"type": "attribute", "id": <attribute_id>}`.
    Attribute(Id),
    /// A descriptor given by value.
    Descriptor(BinaryReference),
    /// Any JSON object, sent as given (a reference kind this crate does not model).
    Raw(Value),
}

impl MatchReference {
    /// A stored face.
    pub fn face(id: impl Into<Id>) -> Self {
        MatchReference::Face(id.into())
    }

    /// A stored event.
    pub fn event(id: impl Into<Id>) -> Self {
        MatchReference::Event(id.into())
    }

    /// A stored attribute.
    pub fn attribute(id: impl Into<Id>) -> Self {
        MatchReference::Attribute(id.into())
    }

    /// A descriptor labelled `id`.
    pub fn descriptor(id: impl Into<String>, descriptor: impl Into<Descriptor>) -> Self {
        MatchReference::Descriptor(BinaryReference::new(id, descriptor))
    }

    /// The `type` wire value (`None` for [`MatchReference::Raw`]).
    pub fn kind(&self) -> Option<&'static str> {
        match self {
            MatchReference::Face(_) => Some("face"),
            MatchReference::Event(_) => Some("event"),
            MatchReference::Attribute(_) => Some("attribute"),
            MatchReference::Descriptor(b) => Some(b.kind()),
            MatchReference::Raw(_) => None,
        }
    }

    /// The JSON object (checked: ids are UUIDs, labels not empty, raw values are objects).
    pub fn to_json(&self) -> Result<Value> {
        let by_id = |kind: &str, id: &Id| -> Result<Value> {
            Ok(json!({"type": kind, "id": id.resolve("references")?}))
        };
        match self {
            MatchReference::Face(id) => by_id("face", id),
            MatchReference::Event(id) => by_id("event", id),
            MatchReference::Attribute(id) => by_id("attribute", id),
            MatchReference::Descriptor(b) => b.to_json(),
            MatchReference::Raw(v) if v.is_object() => Ok(v.clone()),
            MatchReference::Raw(_) => Err(Error::invalid("references", "a reference is a JSON object")),
        }
    }
}

impl From<BinaryReference> for MatchReference {
    fn from(value: BinaryReference) -> Self {
        MatchReference::Descriptor(value)
    }
}

impl MatchReference {
    /// Checks the reference as [`MatchReference::to_json`] does, without building anything.
    pub(crate) fn check(&self, argument: &'static str) -> Result<()> {
        match self {
            MatchReference::Face(id) | MatchReference::Event(id) | MatchReference::Attribute(id) => {
                id.resolve(argument).map(drop)
            }
            MatchReference::Descriptor(b) if b.id.is_empty() => Err(Error::invalid(
                argument,
                "a binary reference needs a label (id)",
            )),
            MatchReference::Descriptor(_) => Ok(()),
            MatchReference::Raw(v) if v.is_object() => Ok(()),
            MatchReference::Raw(_) => Err(Error::invalid(argument, "a reference is a JSON object")),
        }
    }
}

/// The JSON object of [`MatchReference::to_json`], written straight to the output (a
/// descriptor's base64 without a `String` of its own; no `serde_json::Value` per reference).
/// An id that is not a UUID or a raw value that is not an object fails to serialize.
impl Serialize for MatchReference {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeStruct};
        let by_id = |kind: &'static str, id: &Id, serializer: S| {
            let id = id.resolve("references").map_err(S::Error::custom)?;
            let mut s = serializer.serialize_struct("Reference", 2)?;
            s.serialize_field("type", kind)?;
            s.serialize_field("id", &id)?;
            s.end()
        };
        match self {
            MatchReference::Face(id) => by_id("face", id, serializer),
            MatchReference::Event(id) => by_id("event", id, serializer),
            MatchReference::Attribute(id) => by_id("attribute", id, serializer),
            MatchReference::Descriptor(b) => b.serialize(serializer),
            MatchReference::Raw(v) if v.is_object() => v.serialize(serializer),
            MatchReference::Raw(_) => Err(S::Error::custom("a reference is a JSON object")),
        }
    }
}

/// The JSON object of [`BinaryReference::to_json`] (`{"type", "id", "data"}`), written
/// straight to the output (the descriptor's base64 without a `String` of its own).
impl Serialize for BinaryReference {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("BinaryReference", 3)?;
        s.serialize_field("type", self.kind())?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("data", &self.descriptor)?;
        s.end()
    }
}

/// The body of a raw match (matcher `match_raw`) or a raw verification (handlers
/// `verify_raw`), written by the SDK's encoder: `{"candidates": [...], "references": [...]}`,
/// each item a binary reference `{"type", "id", "data"}`. Each list needs at least one
/// reference and each reference a label; an error names its list.
pub(crate) fn binary_lists_body(
    candidates: &[BinaryReference],
    references: &[BinaryReference],
) -> Result<String> {
    let lists = [("candidates", candidates), ("references", references)];
    for (argument, items) in lists {
        if items.is_empty() {
            return Err(Error::invalid(argument, "give at least one descriptor"));
        }
        if items.iter().any(|b| b.id.is_empty()) {
            return Err(Error::invalid(argument, "a binary reference needs a label (id)"));
        }
    }
    let size: usize = lists
        .iter()
        .flat_map(|(_, items)| items.iter())
        .map(|b| b.descriptor.payload().len().div_ceil(3) * 4 + b.id.len() + 64)
        .sum();
    let mut body = String::with_capacity(size + 32);
    for (i, (argument, items)) in lists.into_iter().enumerate() {
        body.push_str(if i == 0 { "{\"" } else { ",\"" });
        body.push_str(argument);
        body.push_str("\":");
        let written: std::result::Result<(), std::convert::Infallible> =
            crate::encoding::push_json_array(&mut body, items, |item, out| {
                item.push_json(out);
                Ok(())
            });
        let Ok(()) = written;
    }
    body.push('}');
    Ok(body)
}

impl BinaryReference {
    /// Appends the JSON object (the text `Serialize` writes with serde_json).
    pub(crate) fn push_json(&self, out: &mut String) {
        out.push_str("{\"type\":\"");
        out.push_str(self.kind());
        out.push_str("\",\"id\":");
        crate::encoding::push_json_str(out, &self.id);
        out.push_str(",\"data\":");
        self.descriptor.push_json(out);
        out.push('}');
    }
}

impl MatchReference {
    /// Appends the JSON array of `references` to `out`, written directly (the same text as
    /// `serde_json::to_string(references)`, without a serializer in between): how the matcher
    /// client writes the `references` of its request bodies. Fails as `Serialize` does (an id
    /// that is not a UUID, a raw value that is not an object); `out` then holds a partial text.
    pub fn write_json_array(references: &[MatchReference], out: &mut String) -> Result<()> {
        let size: usize = references
            .iter()
            .map(|r| match r {
                MatchReference::Descriptor(b) => b.descriptor.payload().len().div_ceil(3) * 4 + 128,
                _ => 64,
            })
            .sum();
        out.reserve(size + 2);
        crate::encoding::push_json_array(out, references, MatchReference::push_json)
    }

    /// Appends the JSON object (the text `Serialize` writes with serde_json): the SDK's encoder
    /// of matcher request bodies. Fails as `Serialize` does (an id that is not a UUID, a raw
    /// value that is not an object).
    pub(crate) fn push_json(&self, out: &mut String) -> Result<()> {
        use std::fmt::Write as _;
        let (kind, id) = match self {
            MatchReference::Face(id) => ("face", id),
            MatchReference::Event(id) => ("event", id),
            MatchReference::Attribute(id) => ("attribute", id),
            MatchReference::Descriptor(b) => {
                b.push_json(out);
                return Ok(());
            }
            MatchReference::Raw(v) if v.is_object() => {
                let _ = write!(out, "{v}");
                return Ok(());
            }
            MatchReference::Raw(_) => {
                return Err(Error::invalid("references", "a reference is a JSON object"))
            }
        };
        let id = id.resolve("references")?;
        let _ = write!(out, "{{\"type\":\"{kind}\",\"id\":\"{}\"}}", id.hyphenated());
        Ok(())
    }
}

/// Options of a cross-match (Python `limit`, `threshold`, `sorting`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CrossMatchParams {
    limit: Option<u32>,
    threshold: Option<f64>,
    sorting: Option<bool>,
}

impl CrossMatchParams {
    /// The service defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// At most `limit` matches per reference (body `limit`, 1 to [`MATCH_LIMIT_MAX`]).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Lowest similarity kept, 0…1 (body `threshold`; the Python type `int` is a slip: LUNA
    /// similarities are fractions).
    #[must_use]
    pub fn threshold(mut self, threshold: f64) -> Self {
        self.threshold = Some(threshold);
        self
    }

    /// Whether to sort the results (query `sorting=0|1`).
    #[must_use]
    pub fn sorting(mut self, sorting: bool) -> Self {
        self.sorting = Some(sorting);
        self
    }

    /// The `sorting` query value, if set.
    pub(crate) fn sorting_value(&self) -> Option<bool> {
        self.sorting
    }

    /// The request body: `{"candidates": {"filters": {...}}, "references": {"filters": {...}},
    /// "limit"?, "threshold"?}`; `account_id` joins both filter objects when given.
    pub fn to_body(
        &self,
        candidates: &MatchFilters,
        references: &MatchFilters,
        account_id: Option<Uuid>,
    ) -> Result<Value> {
        check_limit(self.limit)?;
        check_threshold(self.threshold)?;
        let mut body = Map::new();
        body.insert(
            "candidates".into(),
            json!({"filters": candidates.to_json(account_id)?}),
        );
        body.insert(
            "references".into(),
            json!({"filters": references.to_json(account_id)?}),
        );
        if let Some(limit) = self.limit {
            body.insert("limit".into(), json!(limit));
        }
        if let Some(threshold) = self.threshold {
            body.insert("threshold".into(), json!(threshold));
        }
        Ok(Value::Object(body))
    }
}

/// A reference or candidate as the answer names it: `{"id", "type"}`, or just an id where the
/// answer gives `reference_id` / `candidate_id`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MatchedReference {
    /// Id (entity id or the caller's label).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Kind (`face`, `event`, `sdk_descriptor`...).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MatchedReference {
    /// Reads any JSON: an object (`id`, `type`, the rest in `extra`), or a bare id (a string,
    /// or another scalar as its JSON text).
    fn from_json(value: Value) -> Self {
        let text = |v: Value| match v {
            Value::String(s) => s,
            other => other.to_string(),
        };
        match value {
            Value::Object(mut map) => MatchedReference {
                id: map.remove("id").filter(|v| !v.is_null()).map(text),
                kind: map.remove("type").filter(|v| !v.is_null()).map(text),
                extra: map,
            },
            Value::Null => MatchedReference::default(),
            other => MatchedReference {
                id: Some(text(other)),
                ..Default::default()
            },
        }
    }

    /// `object`, or else the bare `id`; an object without an id takes the bare one.
    fn merge(object: Option<Value>, id: Option<Value>) -> Option<Self> {
        let id = id.filter(|v| !v.is_null()).map(Self::from_json);
        match object.filter(|v| !v.is_null()).map(Self::from_json) {
            Some(mut r) => {
                if r.id.is_none() {
                    r.id = id.and_then(|i| i.id);
                }
                Some(r)
            }
            None => id,
        }
    }
}

impl<'de> Deserialize<'de> for MatchedReference {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Value::deserialize(d).map(MatchedReference::from_json)
    }
}

/// Reads `primary`, or else `alias` when `primary` is absent (both kept when both are sent:
/// the alias then stays in `extra`).
fn take_either(map: &mut Map<String, Value>, primary: &str, alias: &str) -> Option<Value> {
    map.remove(primary).or_else(|| map.remove(alias))
}

/// Decodes an optional member, leniently: absent or `null` is `None`.
fn member<T: serde::de::DeserializeOwned, E: serde::de::Error>(value: Option<Value>) -> std::result::Result<Option<T>, E> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v).map(Some).map_err(E::custom),
    }
}

/// The matches of one candidate set for one reference: the echoed candidate filters and the
/// matched faces / events, best first.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CandidateMatches {
    /// The candidate filters, as echoed by the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Value>,
    /// Matched objects with their similarity (`face` or `event`; other kinds in `extra`); read
    /// from `result`, or `matches`.
    pub result: Vec<MatchCandidate>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for CandidateMatches {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut map = Map::deserialize(d)?;
        Ok(CandidateMatches {
            filters: map.remove("filters").filter(|v| !v.is_null()),
            result: member(take_either(&mut map, "result", "matches"))?.unwrap_or_default(),
            extra: map,
        })
    }
}

/// The answer of face / body matching for one reference: its matches per candidate set, or the
/// error that stopped this reference (the other references are unaffected).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ReferenceMatches {
    /// The reference (`reference`, or `reference_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<MatchedReference>,
    /// One entry per candidate set of the request, in request order.
    pub matches: Vec<CandidateMatches>,
    /// Why this reference could not be matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ItemError>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for ReferenceMatches {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut map = Map::deserialize(d)?;
        Ok(ReferenceMatches {
            reference: MatchedReference::merge(map.remove("reference"), map.remove("reference_id")),
            matches: member(map.remove("matches"))?.unwrap_or_default(),
            error: member(map.remove("error"))?,
            extra: map,
        })
    }
}

impl ReferenceMatches {
    /// Whether this reference failed (an error with a non-zero code).
    pub fn is_error(&self) -> bool {
        is_error(&self.error)
    }

    /// The reference id (entity id or label), if echoed.
    pub fn reference_id(&self) -> Option<&str> {
        self.reference.as_ref().and_then(|r| r.id.as_deref())
    }

    /// The most similar match over every candidate set.
    pub fn best(&self) -> Option<&MatchCandidate> {
        self.matches
            .iter()
            .flat_map(|m| &m.result)
            .filter(|c| c.similarity.is_some())
            .max_by(|a, b| {
                a.similarity
                    .partial_cmp(&b.similarity)
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
    }
}

/// One candidate of raw or cross matching: its id and similarity.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CandidateSimilarity {
    /// The candidate (`candidate`, or `candidate_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate: Option<MatchedReference>,
    /// Similarity, 0…1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// Members this crate does not model (e.g. the matched `face` / `event`).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for CandidateSimilarity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut map = Map::deserialize(d)?;
        Ok(CandidateSimilarity {
            candidate: MatchedReference::merge(map.remove("candidate"), map.remove("candidate_id")),
            similarity: member(map.remove("similarity"))?,
            extra: map,
        })
    }
}

impl CandidateSimilarity {
    /// The candidate id (label, face id, event id...), if given.
    pub fn candidate_id(&self) -> Option<&str> {
        self.candidate.as_ref().and_then(|c| c.id.as_deref())
    }
}

/// The answer of raw or cross matching for one reference: its candidates with similarities, or
/// the error that stopped this reference (the other references are unaffected).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ReferenceSimilarities {
    /// The reference (`reference`, or `reference_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<MatchedReference>,
    /// Candidates, in the service's order (`matches`, or `candidates`).
    pub matches: Vec<CandidateSimilarity>,
    /// Why this reference could not be matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ItemError>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<'de> Deserialize<'de> for ReferenceSimilarities {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut map = Map::deserialize(d)?;
        Ok(ReferenceSimilarities {
            reference: MatchedReference::merge(map.remove("reference"), map.remove("reference_id")),
            matches: member(take_either(&mut map, "matches", "candidates"))?.unwrap_or_default(),
            error: member(map.remove("error"))?,
            extra: map,
        })
    }
}

impl ReferenceSimilarities {
    /// Whether this reference failed (an error with a non-zero code).
    pub fn is_error(&self) -> bool {
        is_error(&self.error)
    }

    /// The reference id (entity id or label), if echoed.
    pub fn reference_id(&self) -> Option<&str> {
        self.reference.as_ref().and_then(|r| r.id.as_deref())
    }
}

fn is_error(error: &Option<ItemError>) -> bool {
    error.as_ref().is_some_and(|e| e.error_code != Some(0))
}

/// The top level of a matching answer: a JSON array with one entry per reference, also read
/// from an object holding that array under `results`, `matches` or `result`.
pub(crate) struct PerReference<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PerReference<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr<T> {
            List(Vec<T>),
            Wrapped {
                #[serde(alias = "matches", alias = "result")]
                results: Vec<T>,
            },
        }
        Ok(PerReference(match Repr::deserialize(d)? {
            Repr::List(v) | Repr::Wrapped { results: v } => v,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::{RawDescriptor, SdkDescriptor};
    use crate::model::events::{Emotion, OrNull};
    use crate::model::events::MetaFilter;
    use crate::model::faces::FacesPageSize;
    use base64::Engine as _;
    use time::macros::datetime;

    const A: &str = "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11";
    const B: &str = "7e5f3c6e-6f0e-4a5c-9a55-8c1a0d1f1a55";
    const L: &str = "5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33";

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// The raw match and raw verification body: the document the `Value` form gave (each
    /// reference's `to_json`), labels escaped, either descriptor form; errors name their list.
    #[test]
    fn binary_lists_body_is_the_value_form_written_directly() {
        let sdk = BinaryReference::new("c\"1\\é", SdkDescriptor::new(59, &[7u8; 512]).unwrap());
        let raw = BinaryReference::new("r1", RawDescriptor::new(vec![9u8; 512], 59).unwrap());
        let (candidates, references) = (vec![sdk.clone(), raw.clone()], vec![raw.clone()]);
        let text = binary_lists_body(&candidates, &references).unwrap();
        let value_form = |items: &[BinaryReference]| -> Vec<Value> {
            items.iter().map(|b| b.to_json().unwrap()).collect()
        };
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            json!({"candidates": value_form(&candidates), "references": value_form(&references)})
        );
        let unlabelled = [BinaryReference::new("", raw.descriptor().clone())];
        for (candidates, references, argument) in [
            (&[][..], &references[..], "candidates"),
            (&candidates[..], &[][..], "references"),
            (&unlabelled[..], &references[..], "candidates"),
            (&candidates[..], &unlabelled[..], "references"),
        ] {
            match binary_lists_body(candidates, references) {
                Err(Error::InvalidArgument { argument: named, .. }) => assert_eq!(named, argument),
                other => panic!("{argument}: {other:?}"),
            }
        }
    }

    #[test]
    fn face_candidates_carry_filters_limit_threshold_targets() {
        let c = Candidates::faces(
            FacesQuery::new()
                .list_id(L)
                .external_ids(["a,b", "c"])
                .face_ids([A])
                .user_data("ann")
                .time_gte(datetime!(2024-01-01 00:00 UTC))
                .time_lt(datetime!(2024-02-01 03:00 +03:00)),
        )
        .limit(3)
        .threshold(0.75)
        .targets(["face_id", "similarity"]);
        assert_eq!(
            c.to_json(None).unwrap(),
            json!({
                "filters": {
                    "origin": "faces",
                    "user_data": "ann",
                    "list_id": L,
                    "face_ids": [A],
                    "create_time__lt": "2024-02-01T00:00:00Z",
                    "create_time__gte": "2024-01-01T00:00:00Z",
                    "external_ids": ["a,b", "c"],
                },
                "limit": 3,
                "threshold": 0.75,
                "targets": ["face_id", "similarity"],
            })
        );
    }

    #[test]
    fn event_candidates_reuse_every_events_filter_in_json_form() {
        let q = EventsQuery::new()
            .handler_ids([A])
            .sources(["cam,1"])
            .emotions([OrNull::Value(Emotion::Fear), OrNull::Null])
            .gender(OrNull::Null)
            .age_gte(18)
            .top_similar_external_ids(["x"])
            .track_ids(["t1"])
            .geo_box(37.5, 55.25, 1.0, 0.5)
            .meta(MetaFilter::new("badge.n", crate::model::events::MetaOperator::In, vec![1, 2]))
            .meta(MetaFilter::is_null("gone"));
        let c = Candidates::events(EventFilters::new(q).field("deepfake", json!([1])));
        assert_eq!(
            c.to_json(None).unwrap(),
            json!({"filters": {
                "origin": "events",
                "handler_ids": [A],
                "top_similar_external_ids": ["x"],
                "age__gte": 18,
                "gender": null,
                "emotions": [3, null],
                "sources": ["cam,1"],
                "origin_longitude": 37.5,
                "origin_latitude": 55.25,
                "longitude_delta": 1.0,
                "latitude_delta": 0.5,
                "track_ids": ["t1"],
                "meta": {"badge.n__in:integer": [1, 2], "gone__eq:string": null},
                "deepfake": [1],
            }})
        );
    }

    #[test]
    fn attribute_candidates_and_account_filter() {
        let f = MatchFilters::from(
            AttributeFilters::new()
                .attribute_ids([A])
                .create_time_lt(datetime!(2024-01-01 00:00 UTC)),
        );
        let account = Uuid::parse_str(B).unwrap();
        assert_eq!(
            f.to_json(Some(account)).unwrap(),
            json!({"origin": "attributes", "attribute_ids": [A], "create_time__lt": "2024-01-01T00:00:00Z", "account_id": B})
        );
    }

    #[test]
    fn paging_and_bad_values_are_refused() {
        let bad = [
            Candidates::faces(FacesQuery::new().page(2)),
            Candidates::faces(FacesQuery::new().page_size(FacesPageSize::Limit(5))),
            Candidates::events(EventsQuery::new().order(crate::model::events::Order::Asc)),
            Candidates::events(EventsQuery::new().page_size(10)),
            Candidates::events(EventsQuery::new().event_ids(["nope"])),
            Candidates::attributes(AttributeFilters::new().attribute_ids(["nope"])),
            Candidates::faces(FacesQuery::new()).limit(0),
            Candidates::faces(FacesQuery::new()).threshold(1.5),
            Candidates::faces(FacesQuery::new()).threshold(f64::NAN),
            Candidates::faces(FacesQuery::new()).targets([""]),
        ];
        for c in bad {
            assert!(matches!(c.to_json(None), Err(Error::InvalidArgument { .. })), "{c:?}");
        }
    }

    #[test]
    fn references_in_every_form() {
        let sdk = SdkDescriptor::new(59, &[7u8; 512]).unwrap();
        let raw = RawDescriptor::new(vec![9u8; 512], 59).unwrap();
        let refs = [
            MatchReference::face(A),
            MatchReference::event(B),
            MatchReference::attribute(A),
            MatchReference::descriptor("probe-1", sdk.clone()),
            BinaryReference::new("probe-2", raw).into(),
            MatchReference::Raw(json!({"type": "face_external_id", "id": "x"})),
        ];
        let json: Vec<Value> = refs.iter().map(|r| r.to_json().unwrap()).collect();
        assert_eq!(
            json,
            vec![
                json!({"type": "face", "id": A}),
                json!({"type": "event", "id": B}),
                json!({"type": "attribute", "id": A}),
                json!({"type": "sdk_descriptor", "id": "probe-1", "data": sdk.to_base64()}),
                json!({"type": "raw_descriptor", "id": "probe-2", "data": {"descriptor": b64(&[9u8; 512]), "version": 59}}),
                json!({"type": "face_external_id", "id": "x"}),
            ]
        );
        // `Serialize` writes the same objects (the body `match_faces` sends), with serde_json's
        // writer (one piece of text per descriptor reference) and with any other serializer.
        let mut refs = refs.to_vec();
        refs.push(MatchReference::descriptor("q\"\\\n\u{1}é", sdk.clone()));
        let mut expected = json.clone();
        expected.push(json!({"type": "sdk_descriptor", "id": "q\"\\\n\u{1}é", "data": sdk.to_base64()}));
        let written: Value = serde_json::from_slice(&serde_json::to_vec(&refs).unwrap()).unwrap();
        assert_eq!(written, Value::Array(expected.clone()));
        assert_eq!(serde_json::to_value(&refs).unwrap(), Value::Array(expected));
        assert!(serde_json::to_vec(&[MatchReference::face("nope")]).is_err());
        assert!(MatchReference::face("nope").to_json().is_err());
        assert!(MatchReference::descriptor("", sdk).to_json().is_err());
        assert!(MatchReference::Raw(json!([1])).to_json().is_err());
    }

    #[test]
    fn cross_match_body() {
        let account = Uuid::parse_str(B).unwrap();
        let body = CrossMatchParams::new()
            .limit(5)
            .threshold(0.5)
            .sorting(true)
            .to_body(
                &FacesQuery::new().list_id(L).into(),
                &EventsQuery::new().sources(["a"]).into(),
                Some(account),
            )
            .unwrap();
        assert_eq!(
            body,
            json!({
                "candidates": {"filters": {"origin": "faces", "list_id": L, "account_id": B}},
                "references": {"filters": {"origin": "events", "sources": ["a"], "account_id": B}},
                "limit": 5,
                "threshold": 0.5,
            })
        );
        let f: MatchFilters = FacesQuery::new().into();
        assert!(CrossMatchParams::new().limit(0).to_body(&f, &f, None).is_err());
        assert!(CrossMatchParams::new().threshold(-0.1).to_body(&f, &f, None).is_err());
    }

    #[test]
    fn match_answers_with_failed_references_decode() {
        let answer = json!([
            {
                "reference": {"id": A, "type": "face"},
                "matches": [
                    {
                        "filters": {"origin": "faces", "list_id": L},
                        "result": [
                            {"face": {"face_id": B, "external_id": "e", "lists": [L]}, "similarity": 0.91},
                            {"face": {"face_id": A}, "similarity": 0.97},
                        ],
                    },
                    {"filters": {"origin": "events"}, "result": [{"event": {"event_id": B}, "similarity": 0.5}]},
                ],
            },
            {
                "reference": {"id": B, "type": "event"},
                "error": {"error_code": 22002, "desc": "Object not found", "detail": "Event not found"},
            },
            {"reference_id": "probe", "matches": [], "new_member": 1},
        ]);
        let PerReference(results): PerReference<ReferenceMatches> = serde_json::from_value(answer).unwrap();
        assert_eq!(results.len(), 3);
        assert!(!results[0].is_error());
        assert_eq!(results[0].reference_id(), Some(A));
        assert_eq!(results[0].matches.len(), 2);
        let first = &results[0].matches[0].result[0];
        assert_eq!(first.similarity, Some(0.91));
        let face = first.face.as_ref().unwrap();
        assert_eq!(face.face_id, Some(Uuid::parse_str(B).unwrap()));
        assert_eq!(face.extra["lists"], json!([L]));
        assert_eq!(results[0].best().unwrap().similarity, Some(0.97));
        assert!(results[0].matches[1].result[0].event.is_some());
        assert!(results[1].is_error());
        assert_eq!(results[1].error.as_ref().unwrap().error_code, Some(22002));
        assert_eq!(results[1].reference.as_ref().unwrap().kind.as_deref(), Some("event"));
        assert!(results[1].matches.is_empty());
        assert_eq!(results[2].reference_id(), Some("probe"));
        assert_eq!(results[2].extra["new_member"], 1);
    }

    #[test]
    fn similarity_answers_decode_in_both_layouts() {
        let wrapped = json!({"results": [
            {"reference": {"id": "r1", "type": "sdk_descriptor"}, "matches": [
                {"candidate": {"id": "c1", "type": "sdk_descriptor"}, "similarity": 0.8},
                {"candidate_id": "c2", "similarity": 0.1},
            ]},
            {"reference_id": "r2", "error": {"error_code": 12034, "desc": "Bad SDK descriptor"}},
            {"reference_id": "r3", "candidates": [{"candidate_id": "c1", "similarity": 0.3}], "error": {"error_code": 0}},
        ]});
        let PerReference(results): PerReference<ReferenceSimilarities> = serde_json::from_value(wrapped).unwrap();
        assert_eq!(results[0].reference_id(), Some("r1"));
        assert_eq!(results[0].matches[0].candidate_id(), Some("c1"));
        assert_eq!(results[0].matches[1].candidate_id(), Some("c2"));
        assert_eq!(results[0].matches[1].similarity, Some(0.1));
        assert!(results[1].is_error());
        assert!(!results[2].is_error());
        assert_eq!(results[2].matches[0].similarity, Some(0.3));
        let both = json!([{
            "reference": {"type": "face"}, "reference_id": A, "matches": [], "candidates": [{"candidate_id": 7}],
            "error": null,
        }]);
        let PerReference(both): PerReference<ReferenceSimilarities> = serde_json::from_value(both).unwrap();
        assert_eq!(both[0].reference_id(), Some(A));
        assert_eq!(both[0].reference.as_ref().unwrap().kind.as_deref(), Some("face"));
        assert!(both[0].matches.is_empty());
        assert_eq!(both[0].extra["candidates"], json!([{"candidate_id": 7}]));
        assert!(!both[0].is_error());
        let bare: PerReference<ReferenceSimilarities> = serde_json::from_value(json!([])).unwrap();
        assert!(bare.0.is_empty());
        assert!(serde_json::from_value::<PerReference<ReferenceSimilarities>>(json!(3)).is_err());
    }
}
