//! The `Faces` client of one mode. Its mode-free data types (requests, constants, answers) are
//! in [`crate::model::faces`]; its documentation (Python → Rust map) is
//! [`crate::services::faces`].


#[allow(unused_imports)] // the blocking build rewrites `impl Future` away
use std::future::Future;
use http::HeaderValue;
use uuid::Uuid;

use crate::call::{Call, Reply};
use crate::catalogue::{faces as ep, Endpoint};
use super::client::LunaClient;
use super::context::ServiceContext;
use super::handle::service_handle_common;
use super::maybe_async;
use crate::error::{Error, Result};
use crate::id::{collect_ids, Id};
use crate::model::faces::{
    check_chars, Attribute, AttributeFields, AttributeSamples, CreatedAttribute, CreatedFace,
    CreatedList, Face, FaceAttributeLink, FaceList, FacePatch, FacesPage, ListAttributeLink,
    ListsPage, NewAttribute, NewFace, USER_DATA_MAX_CHARS,
};
use super::pagination::{NumberedSource, Pages};
use crate::service::Service;
use crate::model::common::Targets;
use crate::services::faces::*;


/// The luna-faces client. Get one with [`LunaClient::faces`].
#[derive(Clone, Debug)]
pub struct Faces {
    ctx: ServiceContext,
}

service_handle_common!(Faces);

impl Faces {
    #[inline]
    pub(crate) fn new(client: LunaClient) -> Self {
        Faces {
            ctx: client.context(Service::Faces),
        }
    }
}

/// `GET /faces` with the filters, paging and targets of `query`.
#[inline]
fn faces_call(endpoint: &'static Endpoint, query: &FacesQuery) -> Result<Call> {
    endpoint.call(&[])?.try_query(|q| query.write(q, false))
}

/// `GET /lists` with the filters and paging of `query`.
#[inline]
fn lists_call(query: &ListsQuery) -> Result<Call> {
    ep::GET_LISTS.call(&[])?.try_query(|q| query.write(q, false))
}

#[inline]
fn non_empty_ids(ids: &[Id], argument: &'static str) -> Result<Vec<Uuid>> {
    if ids.is_empty() {
        return Err(Error::invalid(argument, "at least one id is required"));
    }
    Id::resolve_all(ids, argument)
}

/// The `PUT`/`PATCH /faces/{id}/attributes` body (top-level attribute members).
#[inline]
fn face_attributes_call(call: Call, attribute: &AttributeFields) -> Result<Call> {
    let body = attribute.to_body()?.ok_or_else(|| {
        Error::invalid(
            "attribute",
            "set an attribute id, descriptors or basic attributes",
        )
    })?;
    call.json(&body)
}

/// The body of `POST /attributes` and `PUT /attributes/{id}`: JSON, or the XPK file as is.
#[inline]
fn attribute_call(call: Call, attribute: &NewAttribute) -> Result<Call> {
    let ttl = attribute.ttl_checked()?;
    let call = call.query(|q| {
        q.push_opt("ttl", ttl);
    });
    if let Some(xpk) = attribute.xpk() {
        if xpk.is_empty() {
            return Err(Error::invalid("xpk", "the XPK file is empty"));
        }
        return Ok(call.bytes(xpk.clone(), HeaderValue::from_static(XPK_CONTENT_TYPE)));
    }
    let fields = attribute.fields();
    let body = fields.to_body()?.ok_or_else(|| {
        Error::invalid("attribute", "set descriptors or basic attributes (or an XPK file)")
    })?;
    if matches!(body, crate::model::faces::AttributeBody::Reference { .. }) {
        return Err(Error::invalid(
            "attribute_id",
            "a temporary attribute is created from data, not from another attribute id",
        ));
    }
    call.json(&body)
}

#[derive(serde::Serialize)]
struct Linker<'a> {
    action: &'a str,
    list_id: Uuid,
    face_ids: Vec<Uuid>,
}

/// The API of [`Faces`] as a trait (import it with the prelude): generic code and test
/// fakes can stand for the service handle. The async client's futures are `Send`.
#[maybe_async(AFIT)]
pub trait FacesApi: Send + Sync {
    /// Python `getAddress()`: the service base URL, `<origin>/<api_version>` (no request).
    fn get_address(&self) -> String;

    /// Every face matching `query`, fetched page by page (an `Iterator` for the blocking client, a
    /// `Stream` for the async client), from page 1 (a page number set on the query is ignored). The
    /// page size is the query's (default 100; "unlimited" is replaced by 100).
    fn iter_faces(&self, query: FacesQuery) -> Pages<Face>;

    /// Every list matching `query`, fetched page by page (an `Iterator` for the blocking client, a
    /// `Stream` for the async client); page size from the query, default 100.
    fn iter_lists(&self, query: ListsQuery) -> Pages<FaceList>;

    /// Python `createFace`: `POST /faces`. Returns the new face id.
    fn create_face(&self, face: &NewFace) -> impl Future<Output = Result<CreatedFace>> + Send;

    /// Python `putFace`: `PUT /faces/{face_id}` — creates (or replaces) the face under a chosen id.
    fn put_face(&self, face_id: impl Into<Id> + Send, face: &NewFace) -> impl Future<Output = Result<CreatedFace>> + Send;

    /// Python `getFace`: `GET /faces/{face_id}` with optional `targets` (empty: all fields).
    fn get_face(
        &self,
        face_id: impl Into<Id> + Send,
        targets: Targets<crate::model::faces::FaceTarget>,
    ) -> impl Future<Output = Result<Face>> + Send;

    /// Python `headFace`: `HEAD /faces/{face_id}`; `false` when the face does not exist.
    fn head_face(&self, face_id: impl Into<Id> + Send) -> impl Future<Output = Result<bool>> + Send;

    /// Python `patchFace`: `PATCH /faces/{face_id}` (event id, user data, external id, avatar).
    fn patch_face(&self, face_id: impl Into<Id> + Send, patch: &FacePatch) -> impl Future<Output = Result<()>> + Send;

    /// Python `deleteFace`: `DELETE /faces/{face_id}`.
    fn delete_face(&self, face_id: impl Into<Id> + Send) -> impl Future<Output = Result<()>> + Send;

    /// Python `deleteFaces`: `DELETE /faces` with `{"face_ids": [...]}`; [`OnMissing::Ignore`]
    /// skips missing faces instead of failing (`ignore=1`).
    fn delete_faces<I>(&self, face_ids: I, on_missing: OnMissing) -> impl Future<Output = Result<()>> + Send
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send,;

    /// Python `getFaces`: `GET /faces` with filters, paging and targets.
    fn get_faces(&self, query: &FacesQuery) -> impl Future<Output = Result<FacesPage>> + Send;

    /// Python `getFacesCount`: `GET /faces/count` with the filters of `query` (paging and
    /// targets are not sent).
    fn get_faces_count(&self, query: &FacesQuery) -> impl Future<Output = Result<u64>> + Send;

    /// Python `getFacesAttributes`: attribute ids of the given faces (legacy
    /// `GET /faces/attributes?faces_ids=...`; see the wire notes).
    fn get_faces_attributes<I>(&self, face_ids: I) -> impl Future<Output = Result<Vec<FaceAttributeLink>>> + Send
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send,;

    /// Python `getFaceAttributes`: `GET /faces/{face_id}/attributes`.
    fn get_face_attributes(
        &self,
        face_id: impl Into<Id> + Send,
        query: &FaceAttributesQuery,
    ) -> impl Future<Output = Result<Attribute>> + Send;

    /// Python `putFaceAttributes`: `PUT /faces/{face_id}/attributes` (replaces the attribute).
    fn put_face_attributes(
        &self,
        face_id: impl Into<Id> + Send,
        attribute: &AttributeFields,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Python `updateFaceAttributes`: `PATCH /faces/{face_id}/attributes` (partial update).
    fn update_face_attributes(
        &self,
        face_id: impl Into<Id> + Send,
        attribute: &AttributeFields,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Python `deleteFaceAttributes`: `DELETE /faces/{face_id}/attributes`.
    fn delete_face_attributes(&self, face_id: impl Into<Id> + Send) -> impl Future<Output = Result<()>> + Send;

    /// Python `getFaceAttributeSamples`: `GET /faces/{face_id}/attributes/samples`.
    fn get_face_attribute_samples(
        &self,
        face_id: impl Into<Id> + Send,
    ) -> impl Future<Output = Result<AttributeSamples>> + Send;

    /// Python `createList`: `POST /lists` with `{"user_data"}` and, for a custom id, `?list_id=`.
    fn create_list(&self, list: &NewList) -> impl Future<Output = Result<CreatedList>> + Send;

    /// Python `getList`: `GET /lists/{list_id}` with `page`/`page_size` for its faces.
    fn get_list(&self, list_id: impl Into<Id> + Send, page: Page) -> impl Future<Output = Result<FaceList>> + Send;

    /// Python `getLists`: `GET /lists` with filters and paging.
    fn get_lists(&self, query: &ListsQuery) -> impl Future<Output = Result<ListsPage>> + Send;

    /// Python `getListsCount`: `GET /lists/count` with the filters of `query`.
    fn get_lists_count(&self, query: &ListsQuery) -> impl Future<Output = Result<u64>> + Send;

    /// Python `headList`: `HEAD /lists/{list_id}`; `false` when the list does not exist.
    fn head_list(&self, list_id: impl Into<Id> + Send) -> impl Future<Output = Result<bool>> + Send;

    /// Python `patchList`: `PATCH /lists/{list_id}` with `{"user_data"}`.
    fn patch_list(&self, list_id: impl Into<Id> + Send, user_data: &str) -> impl Future<Output = Result<()>> + Send;

    /// Python `deleteList`: `DELETE /lists/{list_id}?with_faces=0|1`.
    fn delete_list(&self, list_id: impl Into<Id> + Send, faces: ListFaces) -> impl Future<Output = Result<()>> + Send;

    /// Python `deleteLists`: `DELETE /lists?with_faces=0|1` with `{"list_ids": [...]}`.
    fn delete_lists<I>(&self, list_ids: I, faces: ListFaces) -> impl Future<Output = Result<()>> + Send
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send,;

    /// Python `linkFacesToList`: `PATCH /linker` with `action: "attach"`.
    fn link_faces_to_list<I>(&self, list_id: impl Into<Id> + Send, face_ids: I) -> impl Future<Output = Result<()>> + Send
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send,;

    /// Python `unlinkFacesFromList`: `PATCH /linker` with `action: "detach"`.
    fn unlink_faces_from_list<I>(
        &self,
        list_id: impl Into<Id> + Send,
        face_ids: I,
    ) -> impl Future<Output = Result<()>> + Send
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send,;

    /// Python `getAttributesFromList`: `GET /lists/{list_id}/attributes`.
    fn get_attributes_from_list(
        &self,
        list_id: impl Into<Id> + Send,
        query: &ListAttributesQuery,
    ) -> impl Future<Output = Result<Vec<ListAttributeLink>>> + Send;

    /// Python `createAttribute`: `POST /attributes` (optional `?ttl=`). Returns the new id.
    fn create_attribute(&self, attribute: &NewAttribute) -> impl Future<Output = Result<CreatedAttribute>> + Send;

    /// Python `getAttributes`: `GET /attributes?attribute_ids=...`.
    fn get_attributes<I>(
        &self,
        attribute_ids: I,
        query: &AttributeQuery,
    ) -> impl Future<Output = Result<Vec<Attribute>>> + Send
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send,;

    /// Python `getAttribute`: `GET /attributes/{attribute_id}`.
    fn get_attribute(
        &self,
        attribute_id: impl Into<Id> + Send,
        query: &AttributeQuery,
    ) -> impl Future<Output = Result<Attribute>> + Send;

    /// Python `headAttribute`: `HEAD /attributes/{attribute_id}`; `false` when it does not exist.
    fn head_attribute(&self, attribute_id: impl Into<Id> + Send) -> impl Future<Output = Result<bool>> + Send;

    /// Python `putAttribute`: `PUT /attributes/{attribute_id}` (optional `?ttl=`, and
    /// `?force=1` to replace an existing attribute).
    fn put_attribute(
        &self,
        attribute_id: impl Into<Id> + Send,
        attribute: &NewAttribute,
        on_existing: OnExisting,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Python `deleteAttribute`: `DELETE /attributes/{attribute_id}`.
    fn delete_attribute(&self, attribute_id: impl Into<Id> + Send) -> impl Future<Output = Result<()>> + Send;

    /// Python `getAttributeSamples`: `GET /attributes/{attribute_id}/samples`.
    fn get_attribute_samples(
        &self,
        attribute_id: impl Into<Id> + Send,
    ) -> impl Future<Output = Result<AttributeSamples>> + Send;

    /// Python `getAttributeIds`: ids of the attributes of a list by period. LP5 keeps a list's
    /// attributes in its faces (its `GET /attributes` only reads given `attribute_ids`), so
    /// this reads `GET /faces?list_id=&create_time__lt=&create_time__gte=&page=&page_size=
    /// &targets=face_id` — page 1 of 1000 unless set, as in Python — and returns the face ids,
    /// which address the attributes in LP5 (see the wire notes).
    fn get_attribute_ids(&self, query: &AttributeIdsQuery) -> impl Future<Output = Result<Vec<Uuid>>> + Send;
}

#[maybe_async(AFIT)]
impl FacesApi for Faces {
    #[inline]
    fn get_address(&self) -> String {
        self.ctx.base_url()
    }

    #[inline]
    fn iter_faces(&self, query: FacesQuery) -> Pages<Face> {
        let page_size = query.limit().unwrap_or(DEFAULT_ITER_PAGE_SIZE);
        Pages::numbered(FacePages {
            faces: self.clone(),
            query: query.page_size(FacesPageSize::Limit(page_size)),
            page_size,
        })
    }

    #[inline]
    fn iter_lists(&self, query: ListsQuery) -> Pages<FaceList> {
        let page_size = query.limit().unwrap_or(DEFAULT_ITER_PAGE_SIZE);
        Pages::numbered(ListPages {
            faces: self.clone(),
            query: query.page_size(page_size),
            page_size,
        })
    }

    #[inline]
    async fn create_face(&self, face: &NewFace) -> Result<CreatedFace> {
        let call = ep::CREATE_FACE.call(&[])?.json(&face.to_body()?)?;
        self.ctx.json(call).await
    }

    #[inline]
    async fn put_face(&self, face_id: impl Into<Id> + Send, face: &NewFace) -> Result<CreatedFace> {
        let face_id = face_id.into();
        let id = face_id.resolve("face_id")?;
        let call = ep::PUT_FACE.call(&[&id])?.json(&face.to_body()?)?;
        let reply = self.ctx.send(call).await?;
        Ok(reply
            .decode_optional::<CreatedFace>()?
            .unwrap_or(CreatedFace { face_id: id, url: None }))
    }

    #[inline]
    async fn get_face(
        &self,
        face_id: impl Into<Id> + Send,
        targets: Targets<crate::model::faces::FaceTarget>,
    ) -> Result<Face> {
        let call = ep::GET_FACE.call_id(face_id)?.query(|q| {
                q.push_list("targets", targets.fields());
            });
        self.ctx.json(call).await
    }

    #[inline]
    async fn head_face(&self, face_id: impl Into<Id> + Send) -> Result<bool> {
        let call = ep::HEAD_FACE.call_id(face_id)?;
        self.ctx.exists(call).await
    }

    #[inline]
    async fn patch_face(&self, face_id: impl Into<Id> + Send, patch: &FacePatch) -> Result<()> {
        let call = ep::PATCH_FACE.call_id(face_id)?.json(&patch.to_body()?)?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn delete_face(&self, face_id: impl Into<Id> + Send) -> Result<()> {
        let call = ep::DELETE_FACE.call_id(face_id)?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn delete_faces<I>(&self, face_ids: I, on_missing: OnMissing) -> Result<()>
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send, {
        let ids = non_empty_ids(&collect_ids(face_ids), "face_ids")?;
        let call = ep::DELETE_FACES
            .call(&[])?
            .query(|q| {
                if on_missing == OnMissing::Ignore {
                    q.push_flag("ignore", true);
                }
            })
            .json(&serde_json::json!({ "face_ids": ids }))?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn get_faces(&self, query: &FacesQuery) -> Result<FacesPage> {
        self.ctx.json(faces_call(&ep::GET_FACES, query)?).await
    }

    #[inline]
    async fn get_faces_count(&self, query: &FacesQuery) -> Result<u64> {
        let call = ep::GET_FACES_COUNT
            .call(&[])?
            .try_query(|q| query.write(q, true))?;
        let reply = self.ctx.send(call).await?;
        reply.decode_count("faces_count")
    }

    #[inline]
    async fn get_faces_attributes<I>(&self, face_ids: I) -> Result<Vec<FaceAttributeLink>>
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send, {
        let ids = non_empty_ids(&collect_ids(face_ids), "face_ids")?;
        let call = ep::GET_FACES_ATTRIBUTES.call(&[])?.query(|q| {
                q.push_list("faces_ids", &ids);
            });
        let reply = self.ctx.send(call).await?;
        reply.decode_items("faces")
    }

    #[inline]
    async fn get_face_attributes(
        &self,
        face_id: impl Into<Id> + Send,
        query: &FaceAttributesQuery,
    ) -> Result<Attribute> {
        let call = ep::GET_FACE_ATTRIBUTES.call_id(face_id)?.query(|q| query.write(q));
        self.ctx.json(call).await
    }

    #[inline]
    async fn put_face_attributes(
        &self,
        face_id: impl Into<Id> + Send,
        attribute: &AttributeFields,
    ) -> Result<()> {
        let call = ep::PUT_FACE_ATTRIBUTES.call_id(face_id)?;
        self.ctx.unit(face_attributes_call(call, attribute)?).await
    }

    #[inline]
    async fn update_face_attributes(
        &self,
        face_id: impl Into<Id> + Send,
        attribute: &AttributeFields,
    ) -> Result<()> {
        let call = ep::UPDATE_FACE_ATTRIBUTES.call_id(face_id)?;
        self.ctx.unit(face_attributes_call(call, attribute)?).await
    }

    #[inline]
    async fn delete_face_attributes(&self, face_id: impl Into<Id> + Send) -> Result<()> {
        let call = ep::DELETE_FACE_ATTRIBUTES.call_id(face_id)?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn get_face_attribute_samples(
        &self,
        face_id: impl Into<Id> + Send,
    ) -> Result<AttributeSamples> {
        let call = ep::GET_FACE_ATTRIBUTE_SAMPLES.call_id(face_id)?;
        self.ctx.json(call).await
    }

    #[inline]
    async fn create_list(&self, list: &NewList) -> Result<CreatedList> {
        check_chars("user_data", Some(&list.user_data), USER_DATA_MAX_CHARS)?;
        let list_id = list.list_id.as_ref().map(|id| id.resolve("list_id")).transpose()?;
        let call = ep::CREATE_LIST
            .call(&[])?
            .query(|q| {
                q.push_opt("list_id", list_id);
            })
            .json(&serde_json::json!({ "user_data": list.user_data }))?;
        let reply = self.ctx.send(call).await?;
        match (reply.decode_optional::<CreatedList>()?, list_id) {
            (Some(created), _) => Ok(created),
            (None, Some(id)) => Ok(CreatedList { list_id: id, url: None }),
            (None, None) => Err(reply.decode_error("empty answer: no list id")),
        }
    }

    #[inline]
    async fn get_list(&self, list_id: impl Into<Id> + Send, page: Page) -> Result<FaceList> {
        crate::query::check_page(page.page)?;
        crate::query::check_page_size(page.page_size, FACES_PAGE_SIZE_MAX)?;
        let call = ep::GET_LIST.call_id(list_id)?.query(|q| {
                q.push("page", page.page).push("page_size", page.page_size);
            });
        self.ctx.json(call).await
    }

    #[inline]
    async fn get_lists(&self, query: &ListsQuery) -> Result<ListsPage> {
        self.ctx.json(lists_call(query)?).await
    }

    #[inline]
    async fn get_lists_count(&self, query: &ListsQuery) -> Result<u64> {
        let call = ep::GET_LISTS_COUNT
            .call(&[])?
            .try_query(|q| query.write(q, true))?;
        let reply = self.ctx.send(call).await?;
        reply.decode_count("lists_count")
    }

    #[inline]
    async fn head_list(&self, list_id: impl Into<Id> + Send) -> Result<bool> {
        let call = ep::HEAD_LIST.call_id(list_id)?;
        self.ctx.exists(call).await
    }

    #[inline]
    async fn patch_list(&self, list_id: impl Into<Id> + Send, user_data: &str) -> Result<()> {
        check_chars("user_data", Some(user_data), USER_DATA_MAX_CHARS)?;
        let call = ep::PATCH_LIST.call_id(list_id)?.json(&serde_json::json!({ "user_data": user_data }))?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn delete_list(&self, list_id: impl Into<Id> + Send, faces: ListFaces) -> Result<()> {
        let call = ep::DELETE_LIST.call_id(list_id)?.query(|q| {
                q.push_flag("with_faces", faces == ListFaces::Delete);
            });
        self.ctx.unit(call).await
    }

    #[inline]
    async fn delete_lists<I>(&self, list_ids: I, faces: ListFaces) -> Result<()>
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send, {
        let ids = non_empty_ids(&collect_ids(list_ids), "list_ids")?;
        let call = ep::DELETE_LISTS
            .call(&[])?
            .query(|q| {
                q.push_flag("with_faces", faces == ListFaces::Delete);
            })
            .json(&serde_json::json!({ "list_ids": ids }))?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn link_faces_to_list<I>(&self, list_id: impl Into<Id> + Send, face_ids: I) -> Result<()>
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send, {
        self.linker(&ep::LINK_FACES_TO_LIST, "attach", list_id.into(), collect_ids(face_ids))
            .await
    }

    #[inline]
    async fn unlink_faces_from_list<I>(
        &self,
        list_id: impl Into<Id> + Send,
        face_ids: I,
    ) -> Result<()>
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send, {
        self.linker(&ep::UNLINK_FACES_FROM_LIST, "detach", list_id.into(), collect_ids(face_ids))
            .await
    }

    #[inline]
    async fn get_attributes_from_list(
        &self,
        list_id: impl Into<Id> + Send,
        query: &ListAttributesQuery,
    ) -> Result<Vec<ListAttributeLink>> {
        let call = ep::GET_ATTRIBUTES_FROM_LIST.call_id(list_id)?.try_query(|q| query.write(q))?;
        let reply = self.ctx.send(call).await?;
        reply.decode_items("attributes")
    }

    #[inline]
    async fn create_attribute(&self, attribute: &NewAttribute) -> Result<CreatedAttribute> {
        let call = attribute_call(ep::CREATE_ATTRIBUTE.call(&[])?, attribute)?;
        self.ctx.json(call).await
    }

    #[inline]
    async fn get_attributes<I>(
        &self,
        attribute_ids: I,
        query: &AttributeQuery,
    ) -> Result<Vec<Attribute>>
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send, {
        let ids = non_empty_ids(&collect_ids(attribute_ids), "attribute_ids")?;
        let call = ep::GET_ATTRIBUTES.call(&[])?.query(|q| {
                q.push_list("attribute_ids", &ids);
                query.write(q);
            });
        let reply = self.ctx.send(call).await?;
        reply.decode_items("attributes")
    }

    #[inline]
    async fn get_attribute(
        &self,
        attribute_id: impl Into<Id> + Send,
        query: &AttributeQuery,
    ) -> Result<Attribute> {
        let call = ep::GET_ATTRIBUTE.call_id(attribute_id)?.query(|q| query.write(q));
        self.ctx.json(call).await
    }

    #[inline]
    async fn head_attribute(&self, attribute_id: impl Into<Id> + Send) -> Result<bool> {
        let call = ep::HEAD_ATTRIBUTE.call_id(attribute_id)?;
        self.ctx.exists(call).await
    }

    #[inline]
    async fn put_attribute(
        &self,
        attribute_id: impl Into<Id> + Send,
        attribute: &NewAttribute,
        on_existing: OnExisting,
    ) -> Result<()> {
        let call = ep::PUT_ATTRIBUTE.call_id(attribute_id)?.query(|q| {
            if on_existing == OnExisting::Replace {
                q.push_flag("force", true);
            }
        });
        self.ctx.unit(attribute_call(call, attribute)?).await
    }

    #[inline]
    async fn delete_attribute(&self, attribute_id: impl Into<Id> + Send) -> Result<()> {
        let call = ep::DELETE_ATTRIBUTE.call_id(attribute_id)?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn get_attribute_samples(
        &self,
        attribute_id: impl Into<Id> + Send,
    ) -> Result<AttributeSamples> {
        let call = ep::GET_ATTRIBUTE_SAMPLES.call_id(attribute_id)?;
        self.ctx.json(call).await
    }

    #[inline]
    async fn get_attribute_ids(&self, query: &AttributeIdsQuery) -> Result<Vec<Uuid>> {
        let reply = self
            .ctx
            .send(faces_call(&ep::GET_ATTRIBUTE_IDS, &query.faces_query())?)
            .await?;
        reply
            .decode::<FacesPage>()?
            .faces
            .into_iter()
            .map(|face| {
                face.face_id
                    .ok_or_else(|| reply.decode_error("a face without `face_id`"))
            })
            .collect()
    }
}

#[maybe_async]
impl Faces {
    #[inline]
    async fn linker(
        &self,
        endpoint: &'static Endpoint,
        action: &str,
        list_id: Id,
        face_ids: Vec<Id>,
    ) -> Result<()> {
        let body = Linker {
            action,
            list_id: list_id.resolve("list_id")?,
            face_ids: non_empty_ids(&face_ids, "face_ids")?,
        };
        let call = endpoint.call(&[])?.json(&body)?;
        self.ctx.unit(call).await
    }
}


struct FacePages {
    faces: Faces,
    query: FacesQuery,
    page_size: u32,
}

#[maybe_async(AFIT)]
impl NumberedSource for FacePages {
    type Item = Face;

    #[inline]
    fn page_size(&self) -> u32 {
        self.page_size
    }

    #[inline]
    async fn fetch(&self, page: u32) -> Result<(Vec<Face>, Reply)> {
        let query = self.query.clone().page(page);
        let reply = self.faces.ctx.send(faces_call(&ep::GET_FACES, &query)?).await?;
        Ok((reply.decode::<FacesPage>()?.faces, reply))
    }
}

struct ListPages {
    faces: Faces,
    query: ListsQuery,
    page_size: u32,
}

#[maybe_async(AFIT)]
impl NumberedSource for ListPages {
    type Item = FaceList;

    #[inline]
    fn page_size(&self) -> u32 {
        self.page_size
    }

    #[inline]
    async fn fetch(&self, page: u32) -> Result<(Vec<FaceList>, Reply)> {
        let query = self.query.clone().page(page);
        let reply = self.faces.ctx.send(lists_call(&query)?).await?;
        Ok((reply.decode::<ListsPage>()?.lists, reply))
    }
}
