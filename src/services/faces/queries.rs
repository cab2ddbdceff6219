//! luna-faces client (Python `luna_lambda_tools.public.clients.faces.Faces`): faces, lists,
//! face attributes and temporary attributes.
//!
//! Every method maps one Python method (snake_case name) to one request; see the crate-level
//! Python → Rust table and the wire notes for the choices made where the reference is silent.
//!
//! Query parameters of luna-faces reads. Each struct writes its wire names in one place
//! (`write`), which the unit tests pin without HTTP.

use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::id::{collect_ids, Id};
use crate::model::faces::{AttributeTarget, FaceAttributeTarget, FaceTarget};
use crate::filters::{joined, FilterSink};
use crate::query::{check_page, check_page_size, Query};

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

/// Filters, paging and field selection of `get_faces` / `get_faces_count` / `iter_faces`
/// (Python `getFaces` parameters). The count ignores paging and targets.
#[derive(Clone, Debug, Default)]
pub struct FacesQuery {
    user_data: Option<String>,
    event_id: Option<Id>,
    list_id: Option<Id>,
    face_ids: Vec<Id>,
    create_time_lt: Option<OffsetDateTime>,
    create_time_gte: Option<OffsetDateTime>,
    attribute_ids: Vec<Id>,
    external_ids: Vec<String>,
    face_id_gte: Option<Id>,
    face_id_lt: Option<Id>,
    page: Option<u32>,
    page_size: Option<FacesPageSize>,
    targets: Vec<FaceTarget>,
}

impl FacesQuery {
    /// No filter: every face of the account.
    pub fn new() -> Self {
        Self::default()
    }

    /// Part of the user data, case-insensitive (`user_data`).
    #[must_use]
    pub fn user_data(mut self, user_data: impl Into<String>) -> Self {
        self.user_data = Some(user_data.into());
        self
    }

    /// Event id (`event_id`).
    #[must_use]
    pub fn event_id(mut self, id: impl Into<Id>) -> Self {
        self.event_id = Some(id.into());
        self
    }

    /// List id (`list_id`).
    #[must_use]
    pub fn list_id(mut self, id: impl Into<Id>) -> Self {
        self.list_id = Some(id.into());
        self
    }

    /// Face ids (`face_ids`).
    #[must_use]
    pub fn face_ids<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        self.face_ids = collect_ids(ids);
        self
    }

    /// Upper bound (excluded) of the creation time (Python `timeLt`, wire `create_time__lt`).
    #[must_use]
    pub fn time_lt(mut self, time: OffsetDateTime) -> Self {
        self.create_time_lt = Some(time);
        self
    }

    /// Lower bound (included) of the creation time (Python `timeGte`, wire `create_time__gte`).
    #[must_use]
    pub fn time_gte(mut self, time: OffsetDateTime) -> Self {
        self.create_time_gte = Some(time);
        self
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

    /// External ids (`external_ids`).
    #[must_use]
    pub fn external_ids<S: Into<String>>(mut self, ids: impl IntoIterator<Item = S>) -> Self {
        self.external_ids = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Lower bound (included) of the face id (`face_id__gte`).
    #[must_use]
    pub fn face_id_gte(mut self, id: impl Into<Id>) -> Self {
        self.face_id_gte = Some(id.into());
        self
    }

    /// Upper bound (excluded) of the face id (`face_id__lt`).
    #[must_use]
    pub fn face_id_lt(mut self, id: impl Into<Id>) -> Self {
        self.face_id_lt = Some(id.into());
        self
    }

    /// Page number (from 1; default 1).
    #[must_use]
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Page size (default 10).
    #[must_use]
    pub fn page_size(mut self, page_size: FacesPageSize) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Face fields to return (`targets`; empty: all).
    #[must_use]
    pub fn targets(mut self, targets: impl IntoIterator<Item = FaceTarget>) -> Self {
        self.targets = targets.into_iter().collect();
        self
    }

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
        s.value("user_data", self.user_data.as_deref());
        s.value("event_id", Id::resolve_opt(&self.event_id, "event_id")?);
        s.value("list_id", Id::resolve_opt(&self.list_id, "list_id")?);
        s.list("face_ids", &Id::resolve_all(&self.face_ids, "face_ids")?)?;
        s.time("create_time__lt", self.create_time_lt);
        s.time("create_time__gte", self.create_time_gte);
        s.list(
            "attribute_ids",
            &Id::resolve_all(&self.attribute_ids, "attribute_ids")?,
        )?;
        s.list("external_ids", &self.external_ids)?;
        s.value("face_id__gte", Id::resolve_opt(&self.face_id_gte, "face_id_gte")?);
        s.value("face_id__lt", Id::resolve_opt(&self.face_id_lt, "face_id_lt")?);
        if count {
            return Ok(());
        }
        if let Some(page) = self.page {
            check_page(page)?;
        }
        s.query_only("page", self.page.map(|p| p.to_string()))?;
        let page_size = match self.page_size {
            Some(FacesPageSize::Limit(n)) => {
                check_page_size(n, FACES_PAGE_SIZE_MAX)?;
                Some(n.to_string())
            }
            Some(FacesPageSize::Unlimited) => Some("-1".to_owned()),
            None => None,
        };
        s.query_only("page_size", page_size)?;
        s.query_only("targets", joined(&self.targets))?;
        Ok(())
    }
}

/// Filters and paging of `get_lists` / `get_lists_count` / `iter_lists` (Python `getLists`).
/// The count ignores paging.
#[derive(Clone, Debug, Default)]
pub struct ListsQuery {
    user_data: Option<String>,
    user_data_eq: Option<String>,
    create_time_lt: Option<OffsetDateTime>,
    create_time_gte: Option<OffsetDateTime>,
    last_update_time_lt: Option<OffsetDateTime>,
    last_update_time_gte: Option<OffsetDateTime>,
    list_ids: Vec<Id>,
    list_id_lt: Option<Id>,
    list_id_gte: Option<Id>,
    page: Option<u32>,
    page_size: Option<u32>,
}

impl ListsQuery {
    /// No filter.
    pub fn new() -> Self {
        Self::default()
    }

    /// Part of the user data, case-sensitive (`user_data`).
    #[must_use]
    pub fn user_data(mut self, user_data: impl Into<String>) -> Self {
        self.user_data = Some(user_data.into());
        self
    }

    /// Exact user data (`user_data__eq`).
    #[must_use]
    pub fn user_data_eq(mut self, user_data: impl Into<String>) -> Self {
        self.user_data_eq = Some(user_data.into());
        self
    }

    /// Upper bound (excluded) of the creation time (`create_time__lt`).
    #[must_use]
    pub fn create_time_lt(mut self, time: OffsetDateTime) -> Self {
        self.create_time_lt = Some(time);
        self
    }

    /// Lower bound (included) of the creation time (`create_time__gte`).
    #[must_use]
    pub fn create_time_gte(mut self, time: OffsetDateTime) -> Self {
        self.create_time_gte = Some(time);
        self
    }

    /// Upper bound (excluded) of the last update time (`last_update_time__lt`).
    #[must_use]
    pub fn last_update_time_lt(mut self, time: OffsetDateTime) -> Self {
        self.last_update_time_lt = Some(time);
        self
    }

    /// Lower bound (included) of the last update time (`last_update_time__gte`).
    #[must_use]
    pub fn last_update_time_gte(mut self, time: OffsetDateTime) -> Self {
        self.last_update_time_gte = Some(time);
        self
    }

    /// List ids (`list_ids`).
    #[must_use]
    pub fn list_ids<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        self.list_ids = collect_ids(ids);
        self
    }

    /// Upper bound (excluded) of the list id (`list_id__lt`).
    #[must_use]
    pub fn list_id_lt(mut self, id: impl Into<Id>) -> Self {
        self.list_id_lt = Some(id.into());
        self
    }

    /// Lower bound (included) of the list id (`list_id__gte`).
    #[must_use]
    pub fn list_id_gte(mut self, id: impl Into<Id>) -> Self {
        self.list_id_gte = Some(id.into());
        self
    }

    /// Page number (from 1; default 1).
    #[must_use]
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Page size (1 to 10 000; default 10).
    #[must_use]
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    pub(crate) fn limit(&self) -> Option<u32> {
        self.page_size
    }

    /// Writes the filters (and, unless `count`, paging) on their wire names.
    pub fn write(&self, q: &mut Query, count: bool) -> Result<()> {
        q.push_opt("user_data", self.user_data.as_deref());
        q.push_opt("user_data__eq", self.user_data_eq.as_deref());
        q.push_time("create_time__lt", self.create_time_lt);
        q.push_time("create_time__gte", self.create_time_gte);
        q.push_time("last_update_time__lt", self.last_update_time_lt);
        q.push_time("last_update_time__gte", self.last_update_time_gte);
        q.push_list("list_ids", Id::resolve_all(&self.list_ids, "list_ids")?);
        q.push_opt("list_id__lt", Id::resolve_opt(&self.list_id_lt, "list_id_lt")?);
        q.push_opt("list_id__gte", Id::resolve_opt(&self.list_id_gte, "list_id_gte")?);
        if count {
            return Ok(());
        }
        if let Some(page) = self.page {
            check_page(page)?;
            q.push("page", page);
        }
        if let Some(size) = self.page_size {
            check_page_size(size, LISTS_PAGE_SIZE_MAX)?;
            q.push("page_size", size);
        }
        Ok(())
    }
}

/// Options of `get_face_attributes` (Python `targets`, `descriptorVersion`; plus the documented
/// `descriptor_format`).
#[derive(Clone, Debug, Default)]
pub struct FaceAttributesQuery {
    targets: Vec<FaceAttributeTarget>,
    descriptor_version: Option<u32>,
    descriptor_format: Option<DescriptorFormat>,
}

/// Form of returned descriptors (`descriptor_format`, luna-faces ≥ 4.12.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DescriptorFormat {
    /// `raw`: payload + version objects.
    Raw,
    /// `sdk`: SDK blobs.
    Sdk,
}

impl FaceAttributesQuery {
    /// Everything, service defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Fields to return (`targets`).
    #[must_use]
    pub fn targets(mut self, targets: impl IntoIterator<Item = FaceAttributeTarget>) -> Self {
        self.targets = targets.into_iter().collect();
        self
    }

    /// Descriptor version to return (`descriptor_version`).
    #[must_use]
    pub fn descriptor_version(mut self, version: u32) -> Self {
        self.descriptor_version = Some(version);
        self
    }

    /// Descriptor form to return (`descriptor_format`).
    #[must_use]
    pub fn descriptor_format(mut self, format: DescriptorFormat) -> Self {
        self.descriptor_format = Some(format);
        self
    }

    /// Writes the wire names.
    pub fn write(&self, q: &mut Query) {
        q.push_list("targets", &self.targets);
        q.push_opt("descriptor_version", self.descriptor_version);
        q.push_opt(
            "descriptor_format",
            self.descriptor_format.map(|f| match f {
                DescriptorFormat::Raw => "raw",
                DescriptorFormat::Sdk => "sdk",
            }),
        );
    }
}

/// Options of `get_attribute` / `get_attributes` (Python `descriptorVersion`, `targets`).
#[derive(Clone, Debug, Default)]
pub struct AttributeQuery {
    targets: Vec<AttributeTarget>,
    descriptor_version: Option<u32>,
}

impl AttributeQuery {
    /// Everything, service defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Fields to return (`targets`).
    #[must_use]
    pub fn targets(mut self, targets: impl IntoIterator<Item = AttributeTarget>) -> Self {
        self.targets = targets.into_iter().collect();
        self
    }

    /// Descriptor version to return (`descriptor_version`).
    #[must_use]
    pub fn descriptor_version(mut self, version: u32) -> Self {
        self.descriptor_version = Some(version);
        self
    }

    /// Writes the wire names.
    pub fn write(&self, q: &mut Query) {
        q.push_list("targets", &self.targets);
        q.push_opt("descriptor_version", self.descriptor_version);
    }
}

/// Options of `get_attributes_from_list` (Python `linkKeyLt`, `linkKeyGte`, `limit`, `parity`).
#[derive(Clone, Debug, Default)]
pub struct ListAttributesQuery {
    link_key_lt: Option<i64>,
    link_key_gte: Option<i64>,
    limit: Option<u32>,
    parity: Option<bool>,
}

impl ListAttributesQuery {
    /// Service defaults (limit 1000).
    pub fn new() -> Self {
        Self::default()
    }

    /// Upper bound of the link key (`link_key__lt`).
    #[must_use]
    pub fn link_key_lt(mut self, key: i64) -> Self {
        self.link_key_lt = Some(key);
        self
    }

    /// Lower bound (included) of the link key (`link_key__gte`).
    #[must_use]
    pub fn link_key_gte(mut self, key: i64) -> Self {
        self.link_key_gte = Some(key);
        self
    }

    /// Most entries to return (`limit`, default 1000, at most [`LIST_ATTRIBUTES_LIMIT_MAX`]).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// `true`: entries with both even and odd maximal link keys; `false`: the maximal link key
    /// only (`parity=1|0`).
    #[must_use]
    pub fn parity(mut self, parity: bool) -> Self {
        self.parity = Some(parity);
        self
    }

    /// Writes the wire names.
    pub fn write(&self, q: &mut Query) -> Result<()> {
        if let Some(limit) = self.limit {
            if !(1..=LIST_ATTRIBUTES_LIMIT_MAX).contains(&limit) {
                return Err(Error::invalid(
                    "limit",
                    format!("{limit} is not in 1…{LIST_ATTRIBUTES_LIMIT_MAX}"),
                ));
            }
        }
        q.push_opt("link_key__lt", self.link_key_lt);
        q.push_opt("link_key__gte", self.link_key_gte);
        q.push_opt("limit", self.limit);
        q.push_flag_opt("parity", self.parity);
        Ok(())
    }
}

/// Options of `get_attribute_ids` (Python `listId`, `timeLt`, `timeGte`, `page`, `pageSize`).
///
/// LP5 keeps the attributes of a list in its faces, so the query is sent as `GET /faces` (see
/// [`AttributeIdsQuery::write`] and the wire notes).
#[derive(Clone, Debug, Default)]
pub struct AttributeIdsQuery {
    list_id: Option<Id>,
    time_lt: Option<OffsetDateTime>,
    time_gte: Option<OffsetDateTime>,
    page: Option<u32>,
    page_size: Option<u32>,
}

impl AttributeIdsQuery {
    /// No filter (Python defaults: page 1 of 1000).
    pub fn new() -> Self {
        Self::default()
    }

    /// List id (`list_id`).
    #[must_use]
    pub fn list_id(mut self, id: impl Into<Id>) -> Self {
        self.list_id = Some(id.into());
        self
    }

    /// Upper bound (excluded) of the creation time of the faces (`create_time__lt`).
    #[must_use]
    pub fn time_lt(mut self, time: OffsetDateTime) -> Self {
        self.time_lt = Some(time);
        self
    }

    /// Lower bound (included) of the creation time of the faces (`create_time__gte`).
    #[must_use]
    pub fn time_gte(mut self, time: OffsetDateTime) -> Self {
        self.time_gte = Some(time);
        self
    }

    /// Page number (from 1; default 1).
    #[must_use]
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Page size (1 to [`ATTRIBUTE_IDS_PAGE_SIZE_MAX`]; default
    /// [`ATTRIBUTE_IDS_DEFAULT_PAGE_SIZE`]).
    #[must_use]
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

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
        query.create_time_lt = self.time_lt;
        query.create_time_gte = self.time_gte;
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
