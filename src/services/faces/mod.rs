//! The `Faces` client of one mode; its mode-free parts (queries, constants) are in
//! [`crate::services::faces`].


use http::HeaderValue;
use serde_json::Value;
use uuid::Uuid;

use crate::call::Call;
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
use super::pagination::{PageSource, Pages};
use crate::service::Service;
use crate::services::faces::*;


/// The luna-faces client. Get one with [`LunaClient::faces`].
#[derive(Clone, Debug)]
pub struct Faces {
    ctx: ServiceContext,
}

service_handle_common!(Faces);

impl Faces {
    pub(crate) fn new(client: LunaClient) -> Self {
        Faces {
            ctx: client.context(Service::Faces),
        }
    }

    /// Python `getAddress()`: the service base URL, `<origin>/<api_version>` (no request).
    pub fn get_address(&self) -> String {
        self.ctx.base_url()
    }

    /// Every face matching `query`, fetched page by page (an `Iterator` for the blocking client, a
    /// `Stream` for the async client), from page 1 (a page number set on the query is ignored). The
    /// page size is the query's (default 100; "unlimited" is replaced by 100).
    pub fn iter_faces(&self, query: FacesQuery) -> Pages<Face> {
        let page_size = query.limit().unwrap_or(DEFAULT_ITER_PAGE_SIZE);
        Pages::new(FacePages {
            faces: self.clone(),
            query: query.page_size(FacesPageSize::Limit(page_size)),
            page_size,
        })
    }

    /// Every list matching `query`, fetched page by page (an `Iterator` for the blocking client, a
    /// `Stream` for the async client); page size from the query, default 100.
    pub fn iter_lists(&self, query: ListsQuery) -> Pages<FaceList> {
        let page_size = query.limit().unwrap_or(DEFAULT_ITER_PAGE_SIZE);
        Pages::new(ListPages {
            faces: self.clone(),
            query: query.page_size(page_size),
            page_size,
        })
    }
}

fn face_path(face_id: &Id) -> Result<String> {
    Ok(format!("/faces/{}", face_id.resolve("face_id")?))
}

fn list_path(list_id: &Id) -> Result<String> {
    Ok(format!("/lists/{}", list_id.resolve("list_id")?))
}

fn attribute_path(attribute_id: &Id) -> Result<String> {
    Ok(format!("/attributes/{}", attribute_id.resolve("attribute_id")?))
}

fn non_empty_ids(ids: &[Id], argument: &'static str) -> Result<Vec<Uuid>> {
    if ids.is_empty() {
        return Err(Error::invalid(argument, "at least one id is required"));
    }
    Id::resolve_all(ids, argument)
}

/// The `PUT`/`PATCH /faces/{id}/attributes` body (top-level attribute members).
fn face_attributes_call(call: Call, attribute: &AttributeFields) -> Result<Call> {
    let body = attribute.to_body()?.ok_or_else(|| {
        Error::invalid(
            "attribute",
            "set an attribute id, descriptors or basic attributes",
        )
    })?;
    call.with_account_query().json(&body)
}

/// The body of `POST /attributes` and `PUT /attributes/{id}`: JSON, or the XPK file as is.
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

#[maybe_async]
impl Faces {
    /// Python `createFace`: `POST /faces`. Returns the new face id.
    pub async fn create_face(&self, face: &NewFace) -> Result<CreatedFace> {
        let call = Call::post("/faces").json(&face.to_body()?)?;
        self.ctx.json(call).await
    }

    /// Python `putFace`: `PUT /faces/{face_id}` — creates (or replaces) the face under a chosen id.
    pub async fn put_face(&self, face_id: impl Into<Id>, face: &NewFace) -> Result<CreatedFace> {
        let face_id = face_id.into();
        let id = face_id.resolve("face_id")?;
        let call = Call::put(face_path(&face_id)?).json(&face.to_body()?)?;
        let reply = self.ctx.send(call).await?;
        Ok(reply
            .decode_optional::<CreatedFace>()?
            .unwrap_or(CreatedFace { face_id: id, url: None }))
    }

    /// Python `getFace`: `GET /faces/{face_id}` with optional `targets` (empty: all fields).
    pub async fn get_face(
        &self,
        face_id: impl Into<Id>,
        targets: &[crate::model::faces::FaceTarget],
    ) -> Result<Face> {
        let call = Call::get(face_path(&face_id.into())?)
            .with_account_query()
            .query(|q| {
                q.push_list("targets", targets);
            });
        self.ctx.json(call).await
    }

    /// Python `headFace`: `HEAD /faces/{face_id}`; `false` when the face does not exist.
    pub async fn head_face(&self, face_id: impl Into<Id>) -> Result<bool> {
        let call = Call::head(face_path(&face_id.into())?).with_account_query();
        self.ctx.exists(call).await
    }

    /// Python `patchFace`: `PATCH /faces/{face_id}` (event id, user data, external id, avatar).
    pub async fn patch_face(&self, face_id: impl Into<Id>, patch: &FacePatch) -> Result<()> {
        let call = Call::patch(face_path(&face_id.into())?)
            .with_account_query()
            .json(&patch.to_body()?)?;
        self.ctx.unit(call).await
    }

    /// Python `deleteFace`: `DELETE /faces/{face_id}`.
    pub async fn delete_face(&self, face_id: impl Into<Id>) -> Result<()> {
        let call = Call::delete(face_path(&face_id.into())?).with_account_query();
        self.ctx.unit(call).await
    }

    /// Python `deleteFaces`: `DELETE /faces` with `{"face_ids": [...]}`; `ignore` skips missing
    /// faces instead of failing (`ignore=1`).
    pub async fn delete_faces<I>(&self, face_ids: I, ignore: bool) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        let ids = non_empty_ids(&collect_ids(face_ids), "face_ids")?;
        let call = Call::delete("/faces")
            .with_account_query()
            .query(|q| {
                if ignore {
                    q.push_flag("ignore", true);
                }
            })
            .json(&serde_json::json!({ "face_ids": ids }))?;
        self.ctx.unit(call).await
    }

    /// Python `getFaces`: `GET /faces` with filters, paging and targets.
    pub async fn get_faces(&self, query: &FacesQuery) -> Result<FacesPage> {
        let call = Call::get("/faces")
            .with_account_query()
            .try_query(|q| query.write(q, false))?;
        self.ctx.json(call).await
    }

    /// Python `getFacesCount`: `GET /faces/count` with the filters of `query` (paging and
    /// targets are not sent).
    pub async fn get_faces_count(&self, query: &FacesQuery) -> Result<u64> {
        let call = Call::get("/faces/count")
            .with_account_query()
            .try_query(|q| query.write(q, true))?;
        let reply = self.ctx.send(call).await?;
        reply.decode_count("faces_count")
    }

    /// Python `getFacesAttributes`: attribute ids of the given faces (legacy
    /// `GET /faces/attributes?faces_ids=...`; see the wire notes).
    pub async fn get_faces_attributes<I>(&self, face_ids: I) -> Result<Vec<FaceAttributeLink>>
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        let ids = non_empty_ids(&collect_ids(face_ids), "face_ids")?;
        let call = Call::get("/faces/attributes")
            .with_account_query()
            .query(|q| {
                q.push_list("faces_ids", &ids);
            });
        let reply = self.ctx.send(call).await?;
        reply.decode_items("faces")
    }

    /// Python `getFaceAttributes`: `GET /faces/{face_id}/attributes`.
    pub async fn get_face_attributes(
        &self,
        face_id: impl Into<Id>,
        query: &FaceAttributesQuery,
    ) -> Result<Attribute> {
        let call = Call::get(format!("{}/attributes", face_path(&face_id.into())?))
            .with_account_query()
            .query(|q| query.write(q));
        self.ctx.json(call).await
    }

    /// Python `putFaceAttributes`: `PUT /faces/{face_id}/attributes` (replaces the attribute).
    pub async fn put_face_attributes(
        &self,
        face_id: impl Into<Id>,
        attribute: &AttributeFields,
    ) -> Result<()> {
        let call = Call::put(format!("{}/attributes", face_path(&face_id.into())?));
        self.ctx.unit(face_attributes_call(call, attribute)?).await
    }

    /// Python `updateFaceAttributes`: `PATCH /faces/{face_id}/attributes` (partial update).
    pub async fn update_face_attributes(
        &self,
        face_id: impl Into<Id>,
        attribute: &AttributeFields,
    ) -> Result<()> {
        let call = Call::patch(format!("{}/attributes", face_path(&face_id.into())?));
        self.ctx.unit(face_attributes_call(call, attribute)?).await
    }

    /// Python `deleteFaceAttributes`: `DELETE /faces/{face_id}/attributes`.
    pub async fn delete_face_attributes(&self, face_id: impl Into<Id>) -> Result<()> {
        let call = Call::delete(format!("{}/attributes", face_path(&face_id.into())?))
            .with_account_query();
        self.ctx.unit(call).await
    }

    /// Python `getFaceAttributeSamples`: `GET /faces/{face_id}/attributes/samples`.
    pub async fn get_face_attribute_samples(
        &self,
        face_id: impl Into<Id>,
    ) -> Result<AttributeSamples> {
        let call = Call::get(format!("{}/attributes/samples", face_path(&face_id.into())?))
            .with_account_query();
        self.ctx.json(call).await
    }

    /// Python `createList`: `POST /lists` with `{"user_data"}` and, for a custom id, `?list_id=`.
    pub async fn create_list(&self, user_data: &str, list_id: Option<Id>) -> Result<CreatedList> {
        check_chars("user_data", Some(user_data), USER_DATA_MAX_CHARS)?;
        let list_id = list_id.map(|id| id.resolve("list_id")).transpose()?;
        let call = Call::post("/lists")
            .query(|q| {
                q.push_opt("list_id", list_id);
            })
            .json(&serde_json::json!({ "user_data": user_data }))?;
        let reply = self.ctx.send(call).await?;
        match (reply.decode_optional::<CreatedList>()?, list_id) {
            (Some(created), _) => Ok(created),
            (None, Some(id)) => Ok(CreatedList { list_id: id, url: None }),
            (None, None) => Err(reply.decode_error("empty answer: no list id")),
        }
    }

    /// Python `getList`: `GET /lists/{list_id}` with `page`/`page_size` for its faces.
    pub async fn get_list(&self, list_id: impl Into<Id>, page: Page) -> Result<FaceList> {
        crate::query::check_page(page.page)?;
        crate::query::check_page_size(page.page_size, FACES_PAGE_SIZE_MAX)?;
        let call = Call::get(list_path(&list_id.into())?)
            .with_account_query()
            .query(|q| {
                q.push("page", page.page).push("page_size", page.page_size);
            });
        self.ctx.json(call).await
    }

    /// Python `getLists`: `GET /lists` with filters and paging.
    pub async fn get_lists(&self, query: &ListsQuery) -> Result<ListsPage> {
        let call = Call::get("/lists")
            .with_account_query()
            .try_query(|q| query.write(q, false))?;
        self.ctx.json(call).await
    }

    /// Python `getListsCount`: `GET /lists/count` with the filters of `query`.
    pub async fn get_lists_count(&self, query: &ListsQuery) -> Result<u64> {
        let call = Call::get("/lists/count")
            .with_account_query()
            .try_query(|q| query.write(q, true))?;
        let reply = self.ctx.send(call).await?;
        reply.decode_count("lists_count")
    }

    /// Python `headList`: `HEAD /lists/{list_id}`; `false` when the list does not exist.
    pub async fn head_list(&self, list_id: impl Into<Id>) -> Result<bool> {
        let call = Call::head(list_path(&list_id.into())?).with_account_query();
        self.ctx.exists(call).await
    }

    /// Python `patchList`: `PATCH /lists/{list_id}` with `{"user_data"}`.
    pub async fn patch_list(&self, list_id: impl Into<Id>, user_data: &str) -> Result<()> {
        check_chars("user_data", Some(user_data), USER_DATA_MAX_CHARS)?;
        let call = Call::patch(list_path(&list_id.into())?)
            .with_account_query()
            .json(&serde_json::json!({ "user_data": user_data }))?;
        self.ctx.unit(call).await
    }

    /// Python `deleteList`: `DELETE /lists/{list_id}?with_faces=0|1`.
    pub async fn delete_list(&self, list_id: impl Into<Id>, with_faces: bool) -> Result<()> {
        let call = Call::delete(list_path(&list_id.into())?)
            .with_account_query()
            .query(|q| {
                q.push_flag("with_faces", with_faces);
            });
        self.ctx.unit(call).await
    }

    /// Python `deleteLists`: `DELETE /lists?with_faces=0|1` with `{"list_ids": [...]}`.
    pub async fn delete_lists<I>(&self, list_ids: I, with_faces: bool) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        let ids = non_empty_ids(&collect_ids(list_ids), "list_ids")?;
        let call = Call::delete("/lists")
            .with_account_query()
            .query(|q| {
                q.push_flag("with_faces", with_faces);
            })
            .json(&serde_json::json!({ "list_ids": ids }))?;
        self.ctx.unit(call).await
    }

    /// Python `linkFacesToList`: `PATCH /linker` with `action: "attach"`.
    pub async fn link_faces_to_list<I>(&self, list_id: impl Into<Id>, face_ids: I) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        self.linker("attach", list_id.into(), collect_ids(face_ids))
            .await
    }

    /// Python `unlinkFacesFromList`: `PATCH /linker` with `action: "detach"`.
    pub async fn unlink_faces_from_list<I>(
        &self,
        list_id: impl Into<Id>,
        face_ids: I,
    ) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        self.linker("detach", list_id.into(), collect_ids(face_ids))
            .await
    }

    async fn linker(&self, action: &str, list_id: Id, face_ids: Vec<Id>) -> Result<()> {
        let body = Linker {
            action,
            list_id: list_id.resolve("list_id")?,
            face_ids: non_empty_ids(&face_ids, "face_ids")?,
        };
        let call = Call::patch("/linker").with_account_query().json(&body)?;
        self.ctx.unit(call).await
    }

    /// Python `getAttributesFromList`: `GET /lists/{list_id}/attributes`.
    pub async fn get_attributes_from_list(
        &self,
        list_id: impl Into<Id>,
        query: &ListAttributesQuery,
    ) -> Result<Vec<ListAttributeLink>> {
        let call = Call::get(format!("{}/attributes", list_path(&list_id.into())?))
            .with_account_query()
            .try_query(|q| query.write(q))?;
        let reply = self.ctx.send(call).await?;
        reply.decode_items("attributes")
    }

    /// Python `createAttribute`: `POST /attributes` (optional `?ttl=`). Returns the new id.
    pub async fn create_attribute(&self, attribute: &NewAttribute) -> Result<CreatedAttribute> {
        let call = attribute_call(Call::post("/attributes"), attribute)?;
        self.ctx.json(call).await
    }

    /// Python `getAttributes`: `GET /attributes?attribute_ids=...`.
    pub async fn get_attributes<I>(
        &self,
        attribute_ids: I,
        query: &AttributeQuery,
    ) -> Result<Vec<Attribute>>
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        let ids = non_empty_ids(&collect_ids(attribute_ids), "attribute_ids")?;
        let call = Call::get("/attributes")
            .with_account_query()
            .query(|q| {
                q.push_list("attribute_ids", &ids);
                query.write(q);
            });
        let reply = self.ctx.send(call).await?;
        reply.decode_items("attributes")
    }

    /// Python `getAttribute`: `GET /attributes/{attribute_id}`.
    pub async fn get_attribute(
        &self,
        attribute_id: impl Into<Id>,
        query: &AttributeQuery,
    ) -> Result<Attribute> {
        let call = Call::get(attribute_path(&attribute_id.into())?)
            .with_account_query()
            .query(|q| query.write(q));
        self.ctx.json(call).await
    }

    /// Python `headAttribute`: `HEAD /attributes/{attribute_id}`; `false` when it does not exist.
    pub async fn head_attribute(&self, attribute_id: impl Into<Id>) -> Result<bool> {
        let call = Call::head(attribute_path(&attribute_id.into())?).with_account_query();
        self.ctx.exists(call).await
    }

    /// Python `putAttribute`: `PUT /attributes/{attribute_id}` (optional `?ttl=`, and
    /// `?force=1` to replace an existing attribute).
    pub async fn put_attribute(
        &self,
        attribute_id: impl Into<Id>,
        attribute: &NewAttribute,
        force: bool,
    ) -> Result<()> {
        let call = Call::put(attribute_path(&attribute_id.into())?).query(|q| {
            if force {
                q.push_flag("force", true);
            }
        });
        self.ctx.unit(attribute_call(call, attribute)?).await
    }

    /// Python `deleteAttribute`: `DELETE /attributes/{attribute_id}`.
    pub async fn delete_attribute(&self, attribute_id: impl Into<Id>) -> Result<()> {
        let call = Call::delete(attribute_path(&attribute_id.into())?).with_account_query();
        self.ctx.unit(call).await
    }

    /// Python `getAttributeSamples`: `GET /attributes/{attribute_id}/samples`.
    pub async fn get_attribute_samples(
        &self,
        attribute_id: impl Into<Id>,
    ) -> Result<AttributeSamples> {
        let call = Call::get(format!("{}/samples", attribute_path(&attribute_id.into())?))
            .with_account_query();
        self.ctx.json(call).await
    }

    /// Python `getAttributeIds`: ids of the attributes of a list by period (legacy
    /// `GET /attributes?list_id=&time__lt=&time__gte=&page=&page_size=`; see the wire notes).
    pub async fn get_attribute_ids(&self, query: &AttributeIdsQuery) -> Result<Vec<Uuid>> {
        let call = Call::get("/attributes")
            .with_account_query()
            .try_query(|q| query.write(q))?;
        let reply = self.ctx.send(call).await?;
        let items: Vec<Value> = reply.decode_items("attributes")?;
        items
            .into_iter()
            .map(|item| {
                let id = match &item {
                    Value::String(s) => Some(s.as_str()),
                    Value::Object(map) => map
                        .get("attribute_id")
                        .or_else(|| map.get("attributes_id"))
                        .and_then(Value::as_str),
                    _ => None,
                };
                id.and_then(|s| Uuid::try_parse(s).ok())
                    .ok_or_else(|| reply.decode_error("an entry is not an attribute id"))
            })
            .collect()
    }
}

struct FacePages {
    faces: Faces,
    query: FacesQuery,
    page_size: u32,
}

#[maybe_async(AFIT)]
impl PageSource for FacePages {
    type Item = Face;

    fn page_size(&self) -> u32 {
        self.page_size
    }

    async fn fetch(&self, page: u32) -> Result<Vec<Face>> {
        let query = self.query.clone().page(page);
        Ok(self.faces.get_faces(&query).await?.faces)
    }
}

struct ListPages {
    faces: Faces,
    query: ListsQuery,
    page_size: u32,
}

#[maybe_async(AFIT)]
impl PageSource for ListPages {
    type Item = FaceList;

    fn page_size(&self) -> u32 {
        self.page_size
    }

    async fn fetch(&self, page: u32) -> Result<Vec<FaceList>> {
        let query = self.query.clone().page(page);
        Ok(self.faces.get_lists(&query).await?.lists)
    }
}
