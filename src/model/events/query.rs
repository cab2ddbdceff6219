//! Request types of luna-events reads and deletes: the query of `get_events` / `iter_events`
//! (its meta filters are in `meta.rs`, the statistics query in `stats.rs`), the descriptor
//! query, the bulk-delete filters, and the constants of those calls. Each type writes its wire
//! names in one place (`write` / `to_body`), which the unit tests (here for all three files)
//! pin without HTTP.
//!
//! Where the reference leaves the wire open (API-version prefix, save/delete/stats bodies,
//! answers), the choice is made once here or in the answers' module and listed in the wire notes.

use serde_json::{json, Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::id::Id;
use crate::model::events::{EventTarget, OrNull};
use crate::declare::QueryValue;
use crate::filters::FilterSink;
use crate::query::Query;

/// Page size used by `Events::iter_events` when the query sets none.
pub const DEFAULT_ITER_PAGE_SIZE: u32 = 100;
/// `Accept` of `get_event_descriptor`: the answer is the raw descriptor, whose content types
/// are not published, so binary is preferred and any type accepted (see the wire notes).
pub const DESCRIPTOR_ACCEPT: &str = "application/octet-stream, */*;q=0.8";
/// Top-level member of the `save_events` body that holds the event list (see the wire notes).
pub const SAVE_EVENTS_MEMBER: &str = "events";
/// Largest `page_size` this crate sends to `GET /events` (the service's maximum is not
/// published; see the wire notes).
pub const EVENTS_PAGE_SIZE_MAX: u32 = 1000;

/// Sort order of `get_events` (`order`; default `desc`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Order {
    /// `asc`: oldest first.
    Asc,
    /// `desc`: newest first (the service default).
    #[default]
    Desc,
}

impl Order {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Order::Asc => "asc",
            Order::Desc => "desc",
        }
    }
}

/// Declares a parameter struct with [`params!`] whose fields include the event attribute
/// filters shared by `get_events` ([`EventsQuery`]), matcher event filters (which reuse
/// `EventsQuery`) and Sender subscriptions
/// ([`SubscriptionFilters`](crate::model::sender::SubscriptionFilters)): handler ids, age,
/// gender and every estimated face and body attribute, each declared here once. The fields
/// listed before `+` come first, then the shared ones, then those after `+`.
macro_rules! with_event_attribute_filters {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($before:tt)* } + { $($after:tt)* }
        $($rest:tt)*
    ) => {
        $crate::declare::params! {
            $(#[$meta])*
            $vis struct $name {
                $($before)*
                /// Handler ids (`handler_ids`).
                handler_ids: ids => "handler_ids",
                /// Upper bound, excluded, of the age (`age__lt`).
                age_lt: value(u32) => "age__lt",
                /// Lower bound, included, of the age (`age__gte`).
                age_gte: value(u32) => "age__gte",
                /// Gender, or [`OrNull::Null`](crate::model::events::OrNull::Null) for "not
                /// estimated" (`gender`).
                gender: into($crate::model::events::OrNull<$crate::model::common::Gender>) => "gender",
                /// Dominant emotions (`emotions`).
                emotions: nullable_list($crate::model::events::Emotion) => "emotions",
                /// Dominant mask states (`masks`).
                masks: nullable_list($crate::model::events::Mask) => "masks",
                /// Ethnic groups (`ethnic_groups`; numbered as the service specification does).
                ethnic_groups: nullable_list($crate::model::common::Ethnicity) => "ethnic_groups",
                /// Liveness values (`liveness`).
                liveness: nullable_list($crate::model::events::Liveness) => "liveness",
                /// Apparent genders of the body (`apparent_gender`).
                apparent_gender: nullable_list($crate::model::events::ApparentGender) => "apparent_gender",
                /// Headwear states (`headwear_states`).
                headwear_states: nullable_list($crate::model::events::PresenceState) => "headwear_states",
                /// Headwear colours (`headwear_apparent_colors`).
                headwear_apparent_colors: nullable_list($crate::model::events::ApparentColor) => "headwear_apparent_colors",
                /// Sleeve lengths (`sleeve_lengths`).
                sleeve_lengths: nullable_list($crate::model::events::SleeveLength) => "sleeve_lengths",
                /// Upper clothing colours (`upper_clothing_colors`).
                upper_clothing_colors: nullable_list($crate::model::events::ClothingColor) => "upper_clothing_colors",
                /// Lower garment types (`lower_garment_types`).
                lower_garment_types: nullable_list($crate::model::events::LowerGarmentType) => "lower_garment_types",
                /// Lower garment colours (`lower_garment_colors`).
                lower_garment_colors: nullable_list($crate::model::events::ClothingColor) => "lower_garment_colors",
                /// Shoes colours (`shoes_apparent_colors`).
                shoes_apparent_colors: nullable_list($crate::model::events::ApparentColor) => "shoes_apparent_colors",
                /// Backpack states (`backpack_states`).
                backpack_states: nullable_list($crate::model::events::PresenceState) => "backpack_states",
                $($after)*
            }
            $($rest)*
        }
    };
}

pub(crate) use with_event_attribute_filters;

with_event_attribute_filters! {
    /// Filters, paging, order and field selection of `get_events` / `iter_events` (Python
    /// `getEvents` parameters; every one has a setter of the same name in snake_case).
    ///
    /// List filters are sent comma-separated; times as RFC 3339 UTC; attribute filters accept
    /// [`OrNull::Null`] ("not estimated") where the service does. Checked before sending: UUIDs,
    /// commas inside string values, 0…1 similarities, geo box rules (both origins or none, deltas
    /// only with origins, coordinates in range), meta filter syntax, page and page size.
    #[derive(Clone, Debug, Default)]
    pub struct EventsQuery {
        /// Event fields to return instead of whole events (`target`).
        targets: targets(EventTarget) => "target",
        /// Lower bound, included, of the creation time (`create_time__gte`).
        create_time_gte: time => "create_time__gte",
        /// Upper bound, excluded, of the creation time (`create_time__lt`).
        create_time_lt: time => "create_time__lt",
        /// Lower bound, included, of the end time (`end_time__gte`).
        end_time_gte: time => "end_time__gte",
        /// Upper bound, excluded, of the end time (`end_time__lt`).
        end_time_lt: time => "end_time__lt",
        /// Event ids (`event_ids`).
        event_ids: ids => "event_ids",
        /// Lower bound, included, of the event id (`event_id__gte`).
        event_id_gte: id => "event_id__gte",
        /// Upper bound, excluded, of the event id (`event_id__lt`).
        event_id_lt: id => "event_id__lt",
    } + {
        /// External ids (`external_ids`).
        external_ids: texts => "external_ids",
        /// Label of the top matching candidates (`top_matching_candidates_label`).
        top_matching_candidates_label: text => "top_matching_candidates_label",
        /// Ids of the best-matching faces or events (`top_similar_object_ids`).
        top_similar_object_ids: ids => "top_similar_object_ids",
        /// External ids of the best-matching objects (`top_similar_external_ids`).
        top_similar_external_ids: texts => "top_similar_external_ids",
        /// Lower bound, included, of the top similarity, 0…1
        /// (`top_similar_object_similarity__gte`).
        top_similar_object_similarity_gte: unit => "top_similar_object_similarity__gte",
        /// Upper bound, excluded, of the top similarity, 0…1
        /// (`top_similar_object_similarity__lt`).
        top_similar_object_similarity_lt: unit => "top_similar_object_similarity__lt",
        /// Lower bound, included, of the apparent age (`apparent_age__gte`).
        apparent_age_gte: value(u32) => "apparent_age__gte",
        /// Upper bound, excluded, of the apparent age (`apparent_age__lt`).
        apparent_age_lt: value(u32) => "apparent_age__lt",
        /// Ids of the faces linked with the events (`face_ids`).
        face_ids: ids => "face_ids",
        /// User data (`user_data`).
        user_data: text => "user_data",
        /// Page number, from 1 (`page`; service default 1).
        page: page => "page",
        /// Page size (`page_size`; service default 10; at most [`EVENTS_PAGE_SIZE_MAX`]).
        page_size: page_size(EVENTS_PAGE_SIZE_MAX) => "page_size",
        /// Sort order (`order`; service default `desc`).
        order: paging(Order) => "order",
        /// Sources (`sources`).
        sources: nullable_list(String) => "sources",
        /// User tags (`tags`).
        tags: texts => "tags",
        /// Cities (`cities`).
        cities: nullable_list(String) => "cities",
        /// Areas (`areas`).
        areas: nullable_list(String) => "areas",
        /// Districts (`districts`).
        districts: nullable_list(String) => "districts",
        /// Streets (`streets`).
        streets: nullable_list(String) => "streets",
        /// House numbers (`house_numbers`).
        house_numbers: nullable_list(String) => "house_numbers",
        /// Longitude of the geo box centre in degrees, or [`OrNull::Null`] (`origin_longitude`).
        origin_longitude: into(OrNull<f64>) => "origin_longitude",
        /// Latitude of the geo box centre in degrees, or [`OrNull::Null`] (`origin_latitude`).
        origin_latitude: into(OrNull<f64>) => "origin_latitude",
        /// Longitude size of the geo box in degrees (`longitude_delta`).
        longitude_delta: value(f64) => "longitude_delta",
        /// Latitude size of the geo box in degrees (`latitude_delta`).
        latitude_delta: value(f64) => "latitude_delta",
        /// Track ids (`track_ids`).
        track_ids: nullable_list(String) => "track_ids",
        /// Adds a user-defined-data filter (`meta.<path>__<operator>:<type>`); may be called
        /// several times.
        meta: meta => "meta",
    }
    new("No filter: the first page of every event of the account, newest first.");
    limit(page_size);
    check(check_geo);
}

impl QueryValue for Order {
    fn query_value(&self, _name: &'static str) -> Result<String> {
        Ok(self.as_str().to_owned())
    }
}

impl EventsQuery {
    /// The whole geo box at once: centre and sizes in degrees.
    #[must_use]
    pub fn geo_box(self, longitude: f64, latitude: f64, longitude_delta: f64, latitude_delta: f64) -> Self {
        self.origin_longitude(longitude)
            .origin_latitude(latitude)
            .longitude_delta(longitude_delta)
            .latitude_delta(latitude_delta)
    }

    pub(crate) fn order_value(&self) -> Order {
        self.order.unwrap_or_default()
    }

    /// The caller's creation-time window, `[create_time__gte, create_time__lt)`.
    pub(crate) fn create_time_window(&self) -> (Option<OffsetDateTime>, Option<OffsetDateTime>) {
        (self.create_time_gte, self.create_time_lt)
    }

    /// One request of `iter_events`: these filters with the creation-time window, order, page
    /// and page size of the cursor, and a `target` selection (when there is one) that keeps
    /// the two fields the cursor reads, `event_id` and `create_time`.
    pub(crate) fn cursor_request(
        &self,
        window: (Option<OffsetDateTime>, Option<OffsetDateTime>),
        order: Order,
        page: u32,
        page_size: u32,
    ) -> EventsQuery {
        let mut query = self.clone();
        (query.create_time_gte, query.create_time_lt) = window;
        query.order = Some(order);
        query.page = Some(page);
        query.page_size = Some(page_size);
        if !query.targets.is_empty() {
            for needed in [EventTarget::EventId, EventTarget::CreateTime] {
                if !query.targets.contains(&needed) {
                    query.targets.push(needed);
                }
            }
        }
        query
    }

    /// Writes every filter on its wire name.
    pub fn write(&self, q: &mut Query) -> Result<()> {
        self.write_fields(q)
    }

    /// Writes every field through `s`: the query form of `get_events`, or the JSON form of
    /// matching filters ([`crate::model::matching::EventFilters`]), which refuses paging,
    /// order and targets.
    pub(crate) fn write_fields<S: FilterSink>(&self, s: &mut S) -> Result<()> {
        self.write_params(s, true)
    }

    /// The geo box rules of luna-events: both origins or none; deltas only with origins; a
    /// `null` origin (events without a position) on both coordinates and without deltas.
    fn check_geo(&self) -> Result<()> {
        let (lon, lat) = (self.origin_longitude, self.origin_latitude);
        let deltas = self.longitude_delta.is_some() || self.latitude_delta.is_some();
        match (lon, lat) {
            (None, None) if deltas => {
                return Err(Error::invalid(
                    "longitude_delta",
                    "geo box deltas need origin_longitude and origin_latitude",
                ))
            }
            (None, None) => return Ok(()),
            (Some(_), None) | (None, Some(_)) => {
                return Err(Error::invalid(
                    "origin_longitude",
                    "set both origin_longitude and origin_latitude, or neither",
                ))
            }
            (Some(OrNull::Null), Some(OrNull::Null)) if deltas => {
                return Err(Error::invalid(
                    "longitude_delta",
                    "a `null` origin (no position) takes no deltas",
                ))
            }
            (Some(OrNull::Null), Some(OrNull::Null)) => {}
            (Some(OrNull::Value(lon)), Some(OrNull::Value(lat))) => {
                crate::query::check_coordinates(
                    ("origin_latitude", Some(lat)),
                    ("origin_longitude", Some(lon)),
                )?;
                for (name, delta, max) in [
                    ("longitude_delta", self.longitude_delta, 180.0),
                    ("latitude_delta", self.latitude_delta, 90.0),
                ] {
                    if let Some(d) = delta {
                        if !(d.is_finite() && d > 0.0 && d <= max) {
                            return Err(Error::invalid(name, format!("{d} is not in (0, {max}]")));
                        }
                    }
                }
            }
            _ => {
                return Err(Error::invalid(
                    "origin_longitude",
                    "origin_longitude and origin_latitude must both be values or both `null`",
                ))
            }
        }
        Ok(())
    }
}

/// Which descriptor `get_event_descriptor` returns (Python `descriptorVersion`,
/// `descriptorType`); nothing set: the service defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DescriptorQuery {
    version: Option<u32>,
    kind: Option<crate::model::events::DescriptorKind>,
}

impl DescriptorQuery {
    /// The service defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Descriptor version (`descriptor_version`).
    #[must_use]
    pub fn version(mut self, version: u32) -> Self {
        self.version = Some(version);
        self
    }

    /// Face or body descriptor (`descriptor_type`).
    #[must_use]
    pub fn kind(mut self, kind: crate::model::events::DescriptorKind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Writes the wire names.
    pub(crate) fn write(&self, q: &mut Query) {
        q.push_opt("descriptor_version", self.version)
            .push_opt("descriptor_type", self.kind.as_ref());
    }
}

/// Filters of `delete_events` (Python `deleteEvents`) and the deletion info to return.
///
/// At least one filter is required (to delete everything, bound the creation time by now).
#[derive(Clone, Debug, Default)]
pub struct DeleteEventsQuery {
    targets: Vec<EventTarget>,
    handler_id: Option<Id>,
    create_time_gte: Option<OffsetDateTime>,
    create_time_lt: Option<OffsetDateTime>,
    insert_time_gte: Option<OffsetDateTime>,
    insert_time_lt: Option<OffsetDateTime>,
}

impl DeleteEventsQuery {
    /// No filter yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Per-event deletion info to return (`target`).
    #[must_use]
    pub fn targets(mut self, targets: impl IntoIterator<Item = EventTarget>) -> Self {
        self.targets = targets.into_iter().collect();
        self
    }

    /// Handler id (`handler_id`).
    #[must_use]
    pub fn handler_id(mut self, id: impl Into<Id>) -> Self {
        self.handler_id = Some(id.into());
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

    /// Lower bound, included, of the insertion time (`insert_time__gte`).
    #[must_use]
    pub fn insert_time_gte(mut self, time: OffsetDateTime) -> Self {
        self.insert_time_gte = Some(time);
        self
    }

    /// Upper bound, excluded, of the insertion time (`insert_time__lt`).
    #[must_use]
    pub fn insert_time_lt(mut self, time: OffsetDateTime) -> Self {
        self.insert_time_lt = Some(time);
        self
    }

    /// The request body: `{"filters": {...}, "target": [...]}` (see the wire notes); the
    /// client's account joins the filters as `account_id`.
    pub fn to_body(&self, account_id: Option<Uuid>) -> Result<Value> {
        let mut filters = Map::new();
        if let Some(id) = &self.handler_id {
            filters.insert("handler_id".into(), json!(id.resolve("handler_id")?));
        }
        for (name, time) in [
            ("create_time__gte", self.create_time_gte),
            ("create_time__lt", self.create_time_lt),
            ("insert_time__gte", self.insert_time_gte),
            ("insert_time__lt", self.insert_time_lt),
        ] {
            if let Some(time) = time {
                filters.insert(name.into(), json!(crate::query::format_time(time)));
            }
        }
        if filters.is_empty() {
            return Err(Error::invalid(
                "query",
                "set at least one filter (handler id or a time bound)",
            ));
        }
        if let Some(account) = account_id {
            filters.insert("account_id".into(), json!(account));
        }
        let mut body = Map::new();
        body.insert("filters".into(), Value::Object(filters));
        if !self.targets.is_empty() {
            body.insert("target".into(), json!(self.targets));
        }
        Ok(Value::Object(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::events::*;
    use time::macros::datetime;

    fn pairs(q: &Query) -> Vec<(String, String)> {
        q.pairs().map(|(n, v)| (n.to_owned(), v.to_owned())).collect()
    }

    const A: &str = "7e5f3c6e-6f0e-4a5c-9a55-8c1a0d1f1a55";
    const B: &str = "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11";

    #[test]
    fn events_query_pins_every_wire_name() {
        use crate::model::events::*;
        let query = EventsQuery::new()
            .targets([EventTarget::Age])
            .create_time_gte(datetime!(2024-01-01 00:00 UTC))
            .create_time_lt(datetime!(2024-01-02 00:00 UTC))
            .end_time_gte(datetime!(2024-01-01 00:00 UTC))
            .end_time_lt(datetime!(2024-01-02 00:00 UTC))
            .event_ids([A])
            .event_id_gte(A)
            .event_id_lt(B)
            .handler_ids([A])
            .external_ids(["e"])
            .top_matching_candidates_label("l")
            .top_similar_object_ids([B])
            .top_similar_external_ids(["x"])
            .top_similar_object_similarity_gte(0.1)
            .top_similar_object_similarity_lt(0.2)
            .age_lt(9)
            .age_gte(1)
            .gender(Gender::Male)
            .emotions([Emotion::Fear])
            .masks([Mask::Missing])
            .ethnic_groups([Ethnicity::Asian])
            .liveness([Liveness::Spoof])
            .apparent_age_gte(1)
            .apparent_age_lt(2)
            .apparent_gender([ApparentGender::Male])
            .headwear_states([PresenceState::Absent])
            .headwear_apparent_colors([ApparentColor::White])
            .sleeve_lengths([SleeveLength::Long])
            .upper_clothing_colors([ClothingColor::Red])
            .lower_garment_types([LowerGarmentType::Trousers])
            .lower_garment_colors([ClothingColor::Blue])
            .shoes_apparent_colors([ApparentColor::Black])
            .backpack_states([PresenceState::Present])
            .face_ids([B])
            .user_data("u")
            .page(2)
            .page_size(20)
            .order(Order::Desc)
            .sources(["s"])
            .tags(["t"])
            .cities(["c"])
            .areas(["a"])
            .districts(["d"])
            .streets(["st"])
            .house_numbers(["h"])
            .geo_box(1.0, 2.0, 0.5, 0.5)
            .track_ids(["tr"])
            .meta(MetaFilter::eq("m", "v"));
        let mut q = Query::new();
        query.write(&mut q).unwrap();
        crate::catalogue::assert_declared(&crate::catalogue::events::GET_EVENTS, &q);
        let names: Vec<&str> = q.pairs().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            vec![
                "target",
                "create_time__gte",
                "create_time__lt",
                "end_time__gte",
                "end_time__lt",
                "event_ids",
                "event_id__gte",
                "event_id__lt",
                "handler_ids",
                "age__lt",
                "age__gte",
                "gender",
                "emotions",
                "masks",
                "ethnic_groups",
                "liveness",
                "apparent_gender",
                "headwear_states",
                "headwear_apparent_colors",
                "sleeve_lengths",
                "upper_clothing_colors",
                "lower_garment_types",
                "lower_garment_colors",
                "shoes_apparent_colors",
                "backpack_states",
                "external_ids",
                "top_matching_candidates_label",
                "top_similar_object_ids",
                "top_similar_external_ids",
                "top_similar_object_similarity__gte",
                "top_similar_object_similarity__lt",
                "apparent_age__gte",
                "apparent_age__lt",
                "face_ids",
                "user_data",
                "page",
                "page_size",
                "order",
                "sources",
                "tags",
                "cities",
                "areas",
                "districts",
                "streets",
                "house_numbers",
                "origin_longitude",
                "origin_latitude",
                "longitude_delta",
                "latitude_delta",
                "track_ids",
                "meta.m__eq:string",
            ]
        );
        // 50 seed parameters besides `meta` (and `raiseError`) map to one pair each.
        assert_eq!(names.len(), 51);
    }

    #[test]
    fn meta_filters_are_typed() {
        let cases = [
            (MetaFilter::eq("a.b", "x"), "meta.a.b__eq:string", "x"),
            (MetaFilter::new("n", MetaOperator::Lt, 5), "meta.n__lt:integer", "5"),
            (MetaFilter::new("t", MetaOperator::Gte, 36.6), "meta.t__gte:numeric", "36.6"),
            (
                MetaFilter::new("k", MetaOperator::In, vec![1, 2]),
                "meta.k__in:integer",
                "1,2",
            ),
            (MetaFilter::is_null("gone"), "meta.gone__eq:string", "null"),
            (
                MetaFilter::eq("n", "7").value_type(MetaType::Integer),
                "meta.n__eq:integer",
                "7",
            ),
        ];
        for (filter, key, value) in cases {
            assert_eq!(filter.key().unwrap(), key);
            assert_eq!(filter.value().unwrap(), value);
        }
        for bad in [
            MetaFilter::eq("", "x"),
            MetaFilter::eq("a..b", "x"),
            MetaFilter::eq("a__b", "x"),
            MetaFilter::eq("a:b", "x"),
        ] {
            assert!(bad.key().is_err(), "{bad:?}");
        }
        assert!(MetaFilter::new("k", MetaOperator::In, 1).value().is_err());
        assert!(MetaFilter::eq("k", vec![1]).value().is_err());
        assert!(MetaFilter::new("k", MetaOperator::In, vec!["a,b"]).value().is_err());
        assert!(MetaFilter::eq("k", f64::NAN).value().is_err());
    }

    #[test]
    fn geo_rules_are_checked() {
        let write = |q: EventsQuery| {
            let mut out = Query::new();
            q.write(&mut out).map(|_| pairs(&out))
        };
        assert!(write(EventsQuery::new().origin_longitude(37.6)).is_err());
        assert!(write(EventsQuery::new().origin_latitude(55.7)).is_err());
        assert!(write(EventsQuery::new().longitude_delta(1.0)).is_err());
        assert!(write(EventsQuery::new().origin_longitude(181.0).origin_latitude(0.0)).is_err());
        assert!(write(EventsQuery::new().origin_longitude(0.0).origin_latitude(-91.0)).is_err());
        assert!(write(EventsQuery::new().geo_box(1.0, 1.0, 0.0, 1.0)).is_err());
        assert!(write(EventsQuery::new().origin_longitude(OrNull::Null).origin_latitude(1.0)).is_err());
        assert!(write(
            EventsQuery::new()
                .origin_longitude(OrNull::Null)
                .origin_latitude(OrNull::Null)
                .latitude_delta(1.0)
        )
        .is_err());
        assert_eq!(
            write(EventsQuery::new().origin_longitude(OrNull::Null).origin_latitude(OrNull::Null)).unwrap(),
            vec![
                ("origin_longitude".into(), "null".into()),
                ("origin_latitude".into(), "null".into())
            ]
        );
        assert_eq!(
            write(EventsQuery::new().origin_longitude(37.5).origin_latitude(55.25)).unwrap(),
            vec![
                ("origin_longitude".into(), "37.5".into()),
                ("origin_latitude".into(), "55.25".into())
            ]
        );
    }

    #[test]
    fn other_bad_values_are_refused() {
        let bad = [
            EventsQuery::new().event_ids(["nope"]),
            EventsQuery::new().handler_ids(["nope"]),
            EventsQuery::new().external_ids(["a,b"]),
            EventsQuery::new().sources(["cam,1"]),
            EventsQuery::new().top_similar_object_similarity_gte(1.5),
            EventsQuery::new().top_similar_object_similarity_lt(f64::NAN),
            EventsQuery::new().page(0),
            EventsQuery::new().page_size(0),
            EventsQuery::new().page_size(EVENTS_PAGE_SIZE_MAX + 1),
            EventsQuery::new().meta(MetaFilter::eq("", 1)),
        ];
        for query in bad {
            assert!(query.write(&mut Query::new()).is_err(), "{query:?}");
        }
    }

    #[test]
    fn cursor_requests_set_window_order_paging_and_targets() {
        let query = EventsQuery::new()
            .page(3)
            .page_size(7)
            .create_time_lt(datetime!(2024-01-02 00:00 UTC))
            .targets([EventTarget::Age]);
        let window = (Some(datetime!(2024-01-01 00:00 UTC)), Some(datetime!(2024-01-01 12:00 UTC)));
        let mut q = Query::new();
        query.cursor_request(window, Order::Asc, 2, 5).write(&mut q).unwrap();
        assert_eq!(q.get("create_time__gte"), Some("2024-01-01T00:00:00Z"));
        assert_eq!(q.get("create_time__lt"), Some("2024-01-01T12:00:00Z"));
        assert_eq!(q.get("order"), Some("asc"));
        assert_eq!(q.get("page"), Some("2"));
        assert_eq!(q.get("page_size"), Some("5"));
        assert_eq!(q.get("target"), Some("age,event_id,create_time"));
        let mut q = Query::new();
        EventsQuery::new().cursor_request((None, None), Order::Desc, 1, 5).write(&mut q).unwrap();
        assert_eq!(q.get("target"), None);
        assert_eq!(q.get("create_time__lt"), None);
    }

    #[test]
    fn delete_body_carries_filters_targets_and_account() {
        let account = Uuid::parse_str(B).unwrap();
        let body = DeleteEventsQuery::new()
            .handler_id(A)
            .create_time_gte(datetime!(2024-01-01 00:00 UTC))
            .create_time_lt(datetime!(2024-02-01 00:00 UTC))
            .insert_time_gte(datetime!(2024-01-02 00:00 UTC))
            .insert_time_lt(datetime!(2024-01-03 00:00 +03:00))
            .targets([EventTarget::EventId, EventTarget::FaceDetections])
            .to_body(Some(account))
            .unwrap();
        assert_eq!(
            body,
            json!({
                "filters": {
                    "handler_id": A,
                    "create_time__gte": "2024-01-01T00:00:00Z",
                    "create_time__lt": "2024-02-01T00:00:00Z",
                    "insert_time__gte": "2024-01-02T00:00:00Z",
                    "insert_time__lt": "2024-01-02T21:00:00Z",
                    "account_id": B,
                },
                "target": ["event_id", "face_detections"],
            })
        );
        assert!(DeleteEventsQuery::new().to_body(Some(account)).is_err());
        assert!(DeleteEventsQuery::new().handler_id("x").to_body(None).is_err());
    }

    #[test]
    fn stat_query_serialises_with_the_account_filter() {
        let account = Uuid::parse_str(B).unwrap();
        let body = StatQuery::new(Aggregator::Avg)
            .target("age")
            .group_by(GroupBy::Interval("1d".into()))
            .group_by(GroupBy::Column("gender".into()))
            .filter(StatFilter::eq("emotion", 4))
            .filter(StatFilter::eq("mask", Value::Null))
            .to_body(Some(account))
            .unwrap();
        assert_eq!(
            body,
            json!({
                "aggregator": "avg",
                "target": ["age"],
                "group_by": [{"type": "interval", "interval": "1d"}, {"type": "column", "column": "gender"}],
                "filters": [
                    {"column": "emotion", "operator": "eq", "value": 4},
                    {"column": "mask", "operator": "eq", "value": null},
                    {"column": "account_id", "operator": "eq", "value": B},
                ],
            })
        );
        let raw = StatQuery::raw(json!({"aggregator": "count", "custom": 1}))
            .to_body(Some(account))
            .unwrap();
        assert_eq!(raw["filters"][0]["column"], "account_id");
        assert_eq!(raw["custom"], 1);
        assert!(StatQuery::raw(json!([1])).to_body(None).is_err());
        assert!(StatQuery::raw(json!({"filters": 3})).to_body(Some(account)).is_err());
        assert_eq!(StatQuery::count().to_body(None).unwrap()["filters"], json!([]));
    }
}
