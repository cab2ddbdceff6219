//! Request types of luna-faces reads and list creation: the faces, lists, attributes queries,
//! paging, the new list, and the constants of those calls. Each struct writes its wire names
//! in one place (`write`), which the unit tests pin without HTTP.

use crate::error::{Error, Result};
use crate::id::Id;
use crate::model::faces::{AttributeTarget, FaceAttributeTarget, FaceTarget};
use crate::declare::{params, QueryValue};
use crate::filters::FilterSink;
use crate::query::{check_page_size, Query};

/// `Content-Type` used to upload an XPK file (see the wire notes).
pub const XPK_CONTENT_TYPE: &str = "application/x-vl-xpk";
/// Page size used by `iter_faces` / `iter_lists` when the query sets none.
pub const DEFAULT_ITER_PAGE_SIZE: u32 = 100;
/// Largest `page_size` of `/faces` (luna-faces 4.5.0: 1000).
pub const FACES_PAGE_SIZE_MAX: u32 = 1000;
/// Largest `page_size` of `/lists` (luna-faces handler: 10 000).
pub const LISTS_PAGE_SIZE_MAX: u32 = 10_000;
/// Largest `limit` of `get_attributes_from_list` (default 1000; the service's maximum is not
/// published: the crate caps it at the largest page luna-faces serves, see the wire notes).
pub const LIST_ATTRIBUTES_LIMIT_MAX: u32 = LISTS_PAGE_SIZE_MAX;
/// Largest `page_size` of `get_attribute_ids`: it reads `GET /faces`, whose maximum is
/// [`FACES_PAGE_SIZE_MAX`] (the Python docstring's 100 000 was the legacy resource's).
pub const ATTRIBUTE_IDS_PAGE_SIZE_MAX: u32 = FACES_PAGE_SIZE_MAX;
/// `page_size` sent by `get_attribute_ids` when the query sets none (Python default).
pub const ATTRIBUTE_IDS_DEFAULT_PAGE_SIZE: u32 = 1000;

/// A page request: page number (from 1) and page size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Page number, from 1.
    pub page: u32,
    /// Page size.
    pub page_size: u32,
}

impl Page {
    /// Page `page` of `page_size` items.
    pub const fn new(page: u32, page_size: u32) -> Self {
        Page { page, page_size }
    }
}

impl Default for Page {
    /// The Python defaults: page 1 of 10.
    fn default() -> Self {
        Page::new(1, 10)
    }
}

/// What `delete_faces` does when some of the faces do not exist (Python `ignore`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnMissing {
    /// Fail (the service default; nothing sent).
    #[default]
    Fail,
    /// Delete the others (`ignore=1`).
    Ignore,
}

/// What deleting lists does with their faces (Python `withFaces`: `with_faces=0|1`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListFaces {
    /// Keep the faces (`with_faces=0`).
    #[default]
    Keep,
    /// Delete them with the lists (`with_faces=1`).
    Delete,
}

/// What `put_attribute` does when the attribute exists (Python `force`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnExisting {
    /// Fail (nothing sent: the service default).
    #[default]
    Fail,
    /// Replace it (`force=1`).
    Replace,
}

/// A list to create (Python `createList(userData, listId)`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewList {
    /// User data (`user_data`, up to 128 characters).
    pub user_data: String,
    /// A chosen id (`?list_id=`); the service generates one when unset.
    pub list_id: Option<Id>,
}

impl NewList {
    /// A list with this user data.
    pub fn new(user_data: impl Into<String>) -> Self {
        NewList {
            user_data: user_data.into(),
            list_id: None,
        }
    }

    /// Creates the list under this id.
    #[must_use]
    pub fn list_id(mut self, list_id: impl Into<Id>) -> Self {
        self.list_id = Some(list_id.into());
        self
    }
}

/// Page size of `get_faces`: a number of faces or every face at once (`-1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FacesPageSize {
    /// At most this many faces (1 to 1000).
    Limit(u32),
    /// Every matching face in one answer (`page_size=-1`).
    Unlimited,
}

params! {
    /// Filters, paging and field selection of `get_faces` / `get_faces_count` / `iter_faces`
    /// (Python `getFaces` parameters). The count ignores paging and targets.
    #[derive(Clone, Debug, Default)]
    pub struct FacesQuery {
        /// Part of the user data, case-insensitive (`user_data`).
        user_data: text => "user_data",
        /// Event id (`event_id`).
        event_id: id => "event_id",
        /// List id (`list_id`).
        list_id: id => "list_id",
        /// Face ids (`face_ids`).
        face_ids: ids => "face_ids",
        /// Upper bound (excluded) of the creation time (Python `timeLt`, wire `create_time__lt`).
        time_lt: time => "create_time__lt",
        /// Lower bound (included) of the creation time (Python `timeGte`, wire `create_time__gte`).
        time_gte: time => "create_time__gte",
        /// Attribute ids (`attribute_ids`).
        attribute_ids: ids => "attribute_ids",
        /// External ids (`external_ids`).
        external_ids: texts => "external_ids",
        /// Lower bound (included) of the face id (`face_id__gte`).
        face_id_gte: id => "face_id__gte",
        /// Upper bound (excluded) of the face id (`face_id__lt`).
        face_id_lt: id => "face_id__lt",
        /// Page number (from 1; default 1).
        page: page => "page",
        /// Page size (default 10).
        page_size: paging(FacesPageSize) => "page_size",
        /// Face fields to return (`targets`; empty: all).
        targets: targets(FaceTarget) => "targets",
    }
    new("No filter: every face of the account.");
}

impl QueryValue for FacesPageSize {
    fn query_value(&self, _name: &'static str) -> Result<String> {
        match self {
            FacesPageSize::Limit(n) => {
                check_page_size(*n, FACES_PAGE_SIZE_MAX)?;
                Ok(n.to_string())
            }
            FacesPageSize::Unlimited => Ok("-1".to_owned()),
        }
    }
}

impl FacesQuery {
    pub(crate) fn limit(&self) -> Option<u32> {
        match self.page_size {
            Some(FacesPageSize::Limit(n)) => Some(n),
            _ => None,
        }
    }

    /// Writes the filters (and, unless `count`, paging and targets) on their wire names.
    pub fn write(&self, q: &mut Query, count: bool) -> Result<()> {
        self.write_fields(q, count)
    }

    /// Writes every field through `s`: the query form of `get_faces`, or the JSON form of
    /// matching filters ([`crate::model::matching::FaceFilters`]), which refuses paging and
    /// targets. With `count`, paging and targets are left out.
    pub(crate) fn write_fields<S: FilterSink>(&self, s: &mut S, count: bool) -> Result<()> {
        self.write_params(s, !count)
    }
}

params! {
    /// Filters and paging of `get_lists` / `get_lists_count` / `iter_lists` (Python `getLists`).
    /// The count ignores paging.
    #[derive(Clone, Debug, Default)]
    pub struct ListsQuery {
        /// Part of the user data, case-sensitive (`user_data`).
        user_data: text => "user_data",
        /// Exact user data (`user_data__eq`).
        user_data_eq: text => "user_data__eq",
        /// Upper bound (excluded) of the creation time (`create_time__lt`).
        create_time_lt: time => "create_time__lt",
        /// Lower bound (included) of the creation time (`create_time__gte`).
        create_time_gte: time => "create_time__gte",
        /// Upper bound (excluded) of the last update time (`last_update_time__lt`).
        last_update_time_lt: time => "last_update_time__lt",
        /// Lower bound (included) of the last update time (`last_update_time__gte`).
        last_update_time_gte: time => "last_update_time__gte",
        /// List ids (`list_ids`).
        list_ids: ids => "list_ids",
        /// Upper bound (excluded) of the list id (`list_id__lt`).
        list_id_lt: id => "list_id__lt",
        /// Lower bound (included) of the list id (`list_id__gte`).
        list_id_gte: id => "list_id__gte",
        /// Page number (from 1; default 1).
        page: page => "page",
        /// Page size (1 to 10 000; default 10).
        page_size: page_size(LISTS_PAGE_SIZE_MAX) => "page_size",
    }
    new("No filter.");
    limit(page_size);
}

impl ListsQuery {
    /// Writes the filters (and, unless `count`, paging) on their wire names.
    pub fn write(&self, q: &mut Query, count: bool) -> Result<()> {
        self.write_params(q, !count)
    }
}

params! {
    /// Options of `get_face_attributes` (Python `targets`, `descriptorVersion`; plus the
    /// documented `descriptor_format`).
    #[derive(Clone, Debug, Default)]
    pub struct FaceAttributesQuery {
        /// Fields to return (`targets`).
        targets: list(FaceAttributeTarget) => "targets",
        /// Descriptor version to return (`descriptor_version`).
        descriptor_version: value(u32) => "descriptor_version",
        /// Descriptor form to return (`descriptor_format`).
        descriptor_format: value(DescriptorFormat) => "descriptor_format",
    }
    new("Everything, service defaults.");
}

/// Form of returned descriptors (`descriptor_format`, luna-faces ≥ 4.12.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DescriptorFormat {
    /// `raw`: payload + version objects.
    Raw,
    /// `sdk`: SDK blobs.
    Sdk,
}

impl std::fmt::Display for DescriptorFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DescriptorFormat::Raw => "raw",
            DescriptorFormat::Sdk => "sdk",
        })
    }
}

impl FaceAttributesQuery {
    /// Writes the wire names.
    pub fn write(&self, q: &mut Query) {
        // Lists of targets and numbers: no convention here can fail a check.
        let _ = self.write_params(q, true);
    }
}

params! {
    /// Options of `get_attribute` / `get_attributes` (Python `descriptorVersion`, `targets`).
    #[derive(Clone, Debug, Default)]
    pub struct AttributeQuery {
        /// Fields to return (`targets`).
        targets: list(AttributeTarget) => "targets",
        /// Descriptor version to return (`descriptor_version`).
        descriptor_version: value(u32) => "descriptor_version",
    }
    new("Everything, service defaults.");
}

impl AttributeQuery {
    /// Writes the wire names.
    pub fn write(&self, q: &mut Query) {
        // A list of targets and a number: no convention here can fail a check.
        let _ = self.write_params(q, true);
    }
}

params! {
    /// Options of `get_attributes_from_list` (Python `linkKeyLt`, `linkKeyGte`, `limit`,
    /// `parity`).
    #[derive(Clone, Debug, Default)]
    pub struct ListAttributesQuery {
        /// Upper bound of the link key (`link_key__lt`).
        link_key_lt: value(i64) => "link_key__lt",
        /// Lower bound (included) of the link key (`link_key__gte`).
        link_key_gte: value(i64) => "link_key__gte",
        /// Most entries to return (`limit`, default 1000, at most [`LIST_ATTRIBUTES_LIMIT_MAX`]).
        limit: value(u32) => "limit",
        /// `true`: entries with both even and odd maximal link keys; `false`: the maximal link
        /// key only (`parity=1|0`).
        parity: flag => "parity",
    }
    new("Service defaults (limit 1000).");
    check(check_limit);
}

impl ListAttributesQuery {
    fn check_limit(&self) -> Result<()> {
        match self.limit {
            Some(limit) if !(1..=LIST_ATTRIBUTES_LIMIT_MAX).contains(&limit) => Err(Error::invalid(
                "limit",
                format!("{limit} is not in 1…{LIST_ATTRIBUTES_LIMIT_MAX}"),
            )),
            _ => Ok(()),
        }
    }

    /// Writes the wire names.
    pub fn write(&self, q: &mut Query) -> Result<()> {
        self.write_params(q, true)
    }
}

params! {
    /// Options of `get_attribute_ids` (Python `listId`, `timeLt`, `timeGte`, `page`,
    /// `pageSize`).
    ///
    /// LP5 keeps the attributes of a list in its faces, so the query is sent as `GET /faces` (see
    /// [`AttributeIdsQuery::write`] and the wire notes).
    #[derive(Clone, Debug, Default)]
    pub struct AttributeIdsQuery {
        /// List id (`list_id`).
        list_id: id => "list_id",
        /// Upper bound (excluded) of the creation time of the faces (`create_time__lt`).
        time_lt: time => "create_time__lt",
        /// Lower bound (included) of the creation time of the faces (`create_time__gte`).
        time_gte: time => "create_time__gte",
        /// Page number (from 1; default 1).
        page: page => "page",
        /// Page size (1 to [`ATTRIBUTE_IDS_PAGE_SIZE_MAX`]; default
        /// [`ATTRIBUTE_IDS_DEFAULT_PAGE_SIZE`]).
        page_size: page_size(ATTRIBUTE_IDS_PAGE_SIZE_MAX) => "page_size",
    }
    new("No filter (Python defaults: page 1 of 1000).");
}

impl AttributeIdsQuery {
    /// The `GET /faces` query these options become: `list_id`, `create_time__lt`,
    /// `create_time__gte`, `page` (default 1), `page_size` (default 1000) and
    /// `targets=face_id`.
    pub(crate) fn faces_query(&self) -> FacesQuery {
        let mut query = FacesQuery::new()
            .page(self.page.unwrap_or(1))
            .page_size(FacesPageSize::Limit(
                self.page_size.unwrap_or(ATTRIBUTE_IDS_DEFAULT_PAGE_SIZE),
            ))
            .targets([FaceTarget::FaceId]);
        query.list_id = self.list_id.clone();
        query.time_lt = self.time_lt;
        query.time_gte = self.time_gte;
        query
    }

    /// Writes the wire names (those of [`FacesQuery`], defaults included).
    pub fn write(&self, q: &mut Query) -> Result<()> {
        self.faces_query().write(q, false)
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;
    use uuid::Uuid;

    fn pairs(q: &Query) -> Vec<(String, String)> {
        q.pairs()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn faces_query_pins_every_wire_name() {
        let (a, b, c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let query = FacesQuery::new()
            .user_data("ann")
            .event_id(a)
            .list_id(b)
            .face_ids([a, b])
            .time_lt(datetime!(2024-02-01 00:00 UTC))
            .time_gte(datetime!(2024-01-01 00:00 UTC))
            .attribute_ids([c])
            .external_ids(["e1", "e2"])
            .face_id_gte(a)
            .face_id_lt(c)
            .page(2)
            .page_size(FacesPageSize::Limit(50))
            .targets([FaceTarget::FaceId, FaceTarget::Other("x".into())]);
        let mut q = Query::new();
        query.write(&mut q, false).unwrap();
        crate::catalogue::assert_declared(&crate::catalogue::faces::GET_FACES, &q);
        let expected: Vec<(String, String)> = [
            ("user_data", "ann".to_owned()),
            ("event_id", a.to_string()),
            ("list_id", b.to_string()),
            ("face_ids", format!("{a},{b}")),
            ("create_time__lt", "2024-02-01T00:00:00Z".to_owned()),
            ("create_time__gte", "2024-01-01T00:00:00Z".to_owned()),
            ("attribute_ids", c.to_string()),
            ("external_ids", "e1,e2".to_owned()),
            ("face_id__gte", a.to_string()),
            ("face_id__lt", c.to_string()),
            ("page", "2".to_owned()),
            ("page_size", "50".to_owned()),
            ("targets", "face_id,x".to_owned()),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v))
        .collect();
        assert_eq!(pairs(&q), expected);

        let mut count = Query::new();
        query.write(&mut count, true).unwrap();
        assert_eq!(pairs(&count), expected[..10].to_vec());
    }

    #[test]
    fn faces_query_rejects_bad_values() {
        let mut q = Query::new();
        assert!(FacesQuery::new().page(0).write(&mut q, false).is_err());
        assert!(FacesQuery::new()
            .page_size(FacesPageSize::Limit(1001))
            .write(&mut q, false)
            .is_err());
        assert!(FacesQuery::new()
            .external_ids(["a,b"])
            .write(&mut q, false)
            .is_err());
        assert!(FacesQuery::new()
            .face_ids(["zzz"])
            .write(&mut q, false)
            .is_err());
        let mut q = Query::new();
        FacesQuery::new()
            .page_size(FacesPageSize::Unlimited)
            .write(&mut q, false)
            .unwrap();
        assert_eq!(q.get("page_size"), Some("-1"));
    }

    #[test]
    fn lists_query_pins_every_wire_name() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let t = datetime!(2024-01-01 00:00 UTC);
        let mut q = Query::new();
        ListsQuery::new()
            .user_data("part")
            .user_data_eq("exact")
            .create_time_lt(t)
            .create_time_gte(t)
            .last_update_time_lt(t)
            .last_update_time_gte(t)
            .list_ids([a, b])
            .list_id_lt(b)
            .list_id_gte(a)
            .page(3)
            .page_size(10_000)
            .write(&mut q, false)
            .unwrap();
            crate::catalogue::assert_declared(&crate::catalogue::faces::GET_LISTS, &q);
        let names: Vec<&str> = q.pairs().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "user_data",
                "user_data__eq",
                "create_time__lt",
                "create_time__gte",
                "last_update_time__lt",
                "last_update_time__gte",
                "list_ids",
                "list_id__lt",
                "list_id__gte",
                "page",
                "page_size"
            ]
        );
        assert_eq!(q.get("list_ids"), Some(format!("{a},{b}").as_str()));
        assert!(ListsQuery::new()
            .page_size(10_001)
            .write(&mut Query::new(), false)
            .is_err());
    }

    #[test]
    fn small_queries_pin_wire_names() {
        let mut q = Query::new();
        FaceAttributesQuery::new()
            .targets([FaceAttributeTarget::FaceDescriptor])
            .descriptor_version(59)
            .descriptor_format(DescriptorFormat::Sdk)
            .write(&mut q);
        assert_eq!(
            pairs(&q),
            [
                ("targets".into(), "face_descriptor".into()),
                ("descriptor_version".into(), "59".into()),
                ("descriptor_format".into(), "sdk".into())
            ]
        );
        let mut q = Query::new();
        ListAttributesQuery::new()
            .link_key_lt(10)
            .link_key_gte(2)
            .limit(5)
            .parity(true)
            .write(&mut q)
            .unwrap();
        assert_eq!(
            q.pairs().map(|(n, _)| n).collect::<Vec<_>>(),
            ["link_key__lt", "link_key__gte", "limit", "parity"]
        );
        assert_eq!(q.get("parity"), Some("1"));
        let mut q = Query::new();
        AttributeIdsQuery::new()
            .list_id(Uuid::nil())
            .time_lt(datetime!(2024-01-01 00:00 UTC))
            .time_gte(datetime!(2023-01-01 00:00 UTC))
            .page(2)
            .page_size(500)
            .write(&mut q)
            .unwrap();
        assert_eq!(
            q.pairs().map(|(n, _)| n).collect::<Vec<_>>(),
            ["list_id", "create_time__lt", "create_time__gte", "page", "page_size", "targets"]
        );
        let mut q = Query::new();
        AttributeIdsQuery::new().write(&mut q).unwrap();
        assert_eq!((q.get("page"), q.get("page_size")), (Some("1"), Some("1000")));
        assert!(AttributeIdsQuery::new().page_size(1001).write(&mut Query::new()).is_err());
    }
}
