//! The `ImageStore` client of one mode. Its mode-free data types (requests, constants, answers) are
//! in [`crate::model::image_store`]; its documentation (Python → Rust map) is
//! [`crate::services::image_store`].

#[allow(unused_imports)] // the blocking build rewrites `impl Future` away
use std::future::Future;
use http::StatusCode;
use serde_json::Value;
use uuid::Uuid;

use crate::call::{Call, Reply};
use crate::catalogue::{image_store as ep, Endpoint};
use super::client::LunaClient;
use super::context::ServiceContext;
use super::handle::service_handle_common;
use super::maybe_async;
use crate::error::{Error, Result};
use crate::id::{collect_ids, Id};
use crate::model::image_store::{
    check_bucket, Download, StoredImage, StoredInfo, StoredObject, UploadOptions, UserMeta,
    DEFAULT_IMAGE_CONTENT_TYPE, DEFAULT_OBJECT_CONTENT_TYPE,
};
use crate::service::Service;
use crate::services::image_store::*;
use super::transport::ByteStream;
use crate::transport::UploadBody;


/// The luna-image-store client, bound to one bucket. Get one with [`LunaClient::image_store`].
///
/// The bucket name is checked (S3 naming rules) by every call, so a bad name fails with
/// [`Error::InvalidArgument`] before anything is sent. Paths given to `raw` are relative to the
/// service base `<origin>/1`, not to the bucket.
///
/// A streamed upload (`UploadBody::from_reader`, `from_async_read`, `from_stream`) is sent
/// chunked unless its length is declared with [`UploadBody::with_length`].
#[derive(Clone, Debug)]
pub struct ImageStore {
    ctx: ServiceContext,
    bucket: String,
}

service_handle_common!(ImageStore);

/// A download whose body is still on the wire: a `Stream<Item = Result<Bytes>>` for the
/// async client, an [`std::io::Read`] for the blocking client (see [`ByteStream`]).
///
/// The request timeout also bounds reading the body: for a very large object, give the call
/// longer ones with `with_options(RequestOptions::new().timeout(..).max_response_bytes(..))`.
#[derive(Debug)]
#[non_exhaustive]
pub struct DownloadStream {
    /// The body.
    pub body: ByteStream,
    /// Content type, metadata, expiry date, file name.
    pub info: StoredInfo,
}

impl ImageStore {
    #[inline]
    pub(crate) fn new(client: LunaClient, bucket: &str) -> Self {
        ImageStore {
            ctx: client.context(Service::ImageStore),
            bucket: bucket.to_owned(),
        }
    }

    /// The call of an endpoint on this bucket (the name checked first).
    #[inline]
    fn on_bucket(&self, endpoint: &'static Endpoint) -> Result<Call> {
        check_bucket(&self.bucket)?;
        endpoint.call(&[&self.bucket])
    }

    /// The call of an endpoint on one item of this bucket, and the item's id.
    #[inline]
    fn on_item(&self, endpoint: &'static Endpoint, id: impl Into<Id>) -> Result<(Uuid, Call)> {
        let argument = endpoint.path_params().nth(1).unwrap_or("id");
        let id = id.into().resolve(argument)?;
        check_bucket(&self.bucket)?;
        Ok((id, endpoint.call(&[&self.bucket, &id])?))
    }
}

/// Builds an upload call: body, content type, ttl and metadata headers, all validated.
#[inline]
fn upload_call(
    call: Call,
    body: UploadBody,
    options: &UploadOptions,
    default_content_type: &'static str,
    argument: &'static str,
) -> Result<Call> {
    if body.as_bytes().is_some_and(|b| b.is_empty()) {
        return Err(Error::invalid(argument, "the body is empty"));
    }
    let content_type = options.content_type_value(default_content_type)?;
    let ttl = options.ttl_checked()?;
    let mut call = call
        .query(|q| {
            q.push_opt("ttl", ttl);
        })
        .upload(body, content_type);
    for (name, value) in options.meta_headers()? {
        call = call.header(name, value);
    }
    Ok(call)
}

/// The `{"<key>": [ids]}` body of a bulk delete, checked against 1..=1000 ids.
#[inline]
fn bulk_delete(call: Call, key: &'static str, ids: Vec<Id>, argument: &'static str) -> Result<Call> {
    if ids.is_empty() {
        return Err(Error::invalid(argument, "at least one id is required"));
    }
    if ids.len() > BULK_DELETE_MAX {
        return Err(Error::invalid(
            argument,
            format!(
                "{} ids given; luna-image-store deletes at most {BULK_DELETE_MAX} per request",
                ids.len()
            ),
        ));
    }
    let ids = Id::resolve_all(&ids, argument)?;
    let body: std::collections::BTreeMap<&str, Vec<Uuid>> = [(key, ids)].into();
    call.json(&body)
}

/// Reads the bucket list: an array, or an object wrapping one (`buckets`); entries are names or
/// objects with a `bucket` / `name` member.
#[inline]
fn decode_buckets(reply: &Reply) -> Result<Vec<String>> {
    let fail = |message: &str| {
        reply.decode_error(message)
    };
    let value: Value = reply.decode()?;
    let entries = match value {
        Value::Array(entries) => entries,
        Value::Object(mut map) => match map.remove("buckets") {
            Some(Value::Array(entries)) => entries,
            _ => return Err(fail("expected an array of buckets or {\"buckets\": [...]}")),
        },
        _ => return Err(fail("expected an array of buckets")),
    };
    entries
        .into_iter()
        .map(|entry| match entry {
            Value::String(name) => Ok(name),
            Value::Object(mut map) => match map.remove("bucket").or_else(|| map.remove("name")) {
                Some(Value::String(name)) => Ok(name),
                _ => Err(fail("a bucket entry has no `bucket` or `name`")),
            },
            _ => Err(fail("a bucket entry is neither a name nor an object")),
        })
        .collect()
}

/// The API of [`ImageStore`] as a trait (import it with the prelude): generic code and test
/// fakes can stand for the service handle. The async client's futures are `Send`.
#[maybe_async(AFIT)]
pub trait ImageStoreApi: Send + Sync {
    /// The bucket this client works in.
    fn bucket(&self) -> &str;

    /// Python `getAddress()`: `<origin>/<api_version>/buckets/<bucket>` (no request).
    fn get_address(&self) -> String;

    /// Python `postImage`: `POST /buckets/{bucket}/images` with the image as the body
    /// (`Content-Type` from `options`, default `image/jpeg`). Returns the generated id.
    fn post_image(
        &self,
        image: impl Into<UploadBody> + Send,
        options: &UploadOptions,
    ) -> impl Future<Output = Result<StoredImage>> + Send;

    /// Python `putImage`: `PUT /buckets/{bucket}/images/{image_id}` — stores (or replaces) the
    /// image under a chosen id. Any 2xx is success and returns that id; the documented 200
    /// answer `{"url"}` (or an empty one) only adds the location.
    fn put_image(
        &self,
        image: impl Into<UploadBody> + Send,
        image_id: impl Into<Id> + Send,
        options: &UploadOptions,
    ) -> impl Future<Output = Result<StoredImage>> + Send;

    /// Python `getImage`: `GET /buckets/{bucket}/images/{image_id}`; `meta` asks for the
    /// user metadata (`with_meta=0|1`, not sent for [`UserMeta::ServiceDefault`]).
    fn get_image(
        &self,
        image_id: impl Into<Id> + Send,
        meta: UserMeta,
    ) -> impl Future<Output = Result<Download>> + Send;

    /// [`ImageStore::get_image`] with the body handed out as a stream, for large images.
    fn get_image_stream(
        &self,
        image_id: impl Into<Id> + Send,
        meta: UserMeta,
    ) -> impl Future<Output = Result<DownloadStream>> + Send;

    /// Python `headImage`: `HEAD /buckets/{bucket}/images/{image_id}`. `None` when the image
    /// does not exist (404); otherwise what the headers say (metadata with [`UserMeta::Include`]).
    fn head_image(
        &self,
        image_id: impl Into<Id> + Send,
        meta: UserMeta,
    ) -> impl Future<Output = Result<Option<StoredInfo>>> + Send;

    /// Python `deleteImage`: `DELETE /buckets/{bucket}/images/{image_id}`.
    fn delete_image(&self, image_id: impl Into<Id> + Send) -> impl Future<Output = Result<()>> + Send;

    /// Python `deleteImages`: `DELETE /buckets/{bucket}/images` with `{"images": [...]}`; 1 to
    /// 1000 ids (checked before sending).
    fn delete_images<I>(&self, image_ids: I) -> impl Future<Output = Result<()>> + Send
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send,;

    /// Python `postObject`: `POST /buckets/{bucket}/objects` with the object as the body
    /// (`Content-Type` from `options`, default `application/json`; any MIME type since LUNA
    /// 5.42). Returns the generated id.
    fn post_object(
        &self,
        object: impl Into<UploadBody> + Send,
        options: &UploadOptions,
    ) -> impl Future<Output = Result<StoredObject>> + Send;

    /// Python `putObject`: `PUT /buckets/{bucket}/objects/{object_id}` — stores (or replaces)
    /// the object under a chosen id. Any 2xx is success and returns that id; the documented
    /// 200 answer `{"url"}` (or an empty one) only adds the location.
    fn put_object(
        &self,
        object: impl Into<UploadBody> + Send,
        object_id: impl Into<Id> + Send,
        options: &UploadOptions,
    ) -> impl Future<Output = Result<StoredObject>> + Send;

    /// Python `getObject`: `GET /buckets/{bucket}/objects/{object_id}` (bytes, content type,
    /// file name, metadata).
    fn get_object(&self, object_id: impl Into<Id> + Send) -> impl Future<Output = Result<Download>> + Send;

    /// [`ImageStore::get_object`] with the body handed out as a stream, for large objects.
    fn get_object_stream(&self, object_id: impl Into<Id> + Send) -> impl Future<Output = Result<DownloadStream>> + Send;

    /// Python `headObject`: `HEAD /buckets/{bucket}/objects/{object_id}`. `None` when the
    /// object does not exist (404); otherwise what the headers say.
    fn head_object(&self, object_id: impl Into<Id> + Send) -> impl Future<Output = Result<Option<StoredInfo>>> + Send;

    /// Python `deleteObject`: `DELETE /buckets/{bucket}/objects/{object_id}`.
    fn delete_object(&self, object_id: impl Into<Id> + Send) -> impl Future<Output = Result<()>> + Send;

    /// Python `deleteObjects`: `DELETE /buckets/{bucket}/objects` with `{"objects": [...]}`;
    /// 1 to 1000 ids (checked before sending).
    fn delete_objects<I>(&self, object_ids: I) -> impl Future<Output = Result<()>> + Send
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send,;

    /// Creates this client's bucket: `POST /buckets?bucket=<name>` (a bucket must exist before
    /// anything is stored in it; an existing bucket fails with error code 13006).
    fn create_bucket(&self) -> impl Future<Output = Result<()>> + Send;

    /// `HEAD /buckets/{bucket}`: whether this client's bucket exists.
    fn bucket_exists(&self) -> impl Future<Output = Result<bool>> + Send;

    /// Deletes this client's bucket: `DELETE /buckets/{bucket}` (the service answers 202).
    fn delete_bucket(&self) -> impl Future<Output = Result<()>> + Send;

    /// `GET /buckets`: the names of every bucket of the service.
    fn list_buckets(&self) -> impl Future<Output = Result<Vec<String>>> + Send;
}

#[maybe_async(AFIT)]
impl ImageStoreApi for ImageStore {
    #[inline]
    fn bucket(&self) -> &str {
        &self.bucket
    }

    #[inline]
    fn get_address(&self) -> String {
        format!("{}/buckets/{}", self.ctx.base_url(), self.bucket)
    }

    #[inline]
    async fn post_image(
        &self,
        image: impl Into<UploadBody> + Send,
        options: &UploadOptions,
    ) -> Result<StoredImage> {
        let call = upload_call(
            self.on_bucket(&ep::POST_IMAGE)?,
            image.into(),
            options,
            DEFAULT_IMAGE_CONTENT_TYPE,
            "image",
        )?;
        self.ctx.json(call).await
    }

    #[inline]
    async fn put_image(
        &self,
        image: impl Into<UploadBody> + Send,
        image_id: impl Into<Id> + Send,
        options: &UploadOptions,
    ) -> Result<StoredImage> {
        let (id, call) = self.on_item(&ep::PUT_IMAGE, image_id)?;
        let call = upload_call(
            call,
            image.into(),
            options,
            DEFAULT_IMAGE_CONTENT_TYPE,
            "image",
        )?;
        let reply = self.ctx.send(call).await?;
        Ok(StoredImage::from_put(id, &reply.body))
    }

    #[inline]
    async fn get_image(
        &self,
        image_id: impl Into<Id> + Send,
        meta: UserMeta,
    ) -> Result<Download> {
        let (_, call) = self.on_item(&ep::GET_IMAGE, image_id)?;
        let call = download_call(call).query(|q| {
            q.push_flag_opt("with_meta", meta.flag());
        });
        let reply = self.ctx.send(call).await?;
        Ok(download(reply))
    }

    #[inline]
    async fn get_image_stream(
        &self,
        image_id: impl Into<Id> + Send,
        meta: UserMeta,
    ) -> Result<DownloadStream> {
        let (_, call) = self.on_item(&ep::GET_IMAGE, image_id)?;
        let call = download_call(call).query(|q| {
            q.push_flag_opt("with_meta", meta.flag());
        });
        let reply = self.ctx.send_streaming(call).await?;
        Ok(DownloadStream {
            info: StoredInfo::from_headers(&reply.headers),
            body: reply.body,
        })
    }

    #[inline]
    async fn head_image(
        &self,
        image_id: impl Into<Id> + Send,
        meta: UserMeta,
    ) -> Result<Option<StoredInfo>> {
        let (_, call) = self.on_item(&ep::HEAD_IMAGE, image_id)?;
        let call = download_call(call).query(|q| {
            q.push_flag_opt("with_meta", meta.flag());
        });
        self.head(call).await
    }

    #[inline]
    async fn delete_image(&self, image_id: impl Into<Id> + Send) -> Result<()> {
        let (_, call) = self.on_item(&ep::DELETE_IMAGE, image_id)?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn delete_images<I>(&self, image_ids: I) -> Result<()>
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send, {
        let call = bulk_delete(
            self.on_bucket(&ep::DELETE_IMAGES)?, "images", collect_ids(image_ids), "image_ids")?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn post_object(
        &self,
        object: impl Into<UploadBody> + Send,
        options: &UploadOptions,
    ) -> Result<StoredObject> {
        let call = upload_call(
            self.on_bucket(&ep::POST_OBJECT)?,
            object.into(),
            options,
            DEFAULT_OBJECT_CONTENT_TYPE,
            "object",
        )?;
        self.ctx.json(call).await
    }

    #[inline]
    async fn put_object(
        &self,
        object: impl Into<UploadBody> + Send,
        object_id: impl Into<Id> + Send,
        options: &UploadOptions,
    ) -> Result<StoredObject> {
        let (id, call) = self.on_item(&ep::PUT_OBJECT, object_id)?;
        let call = upload_call(
            call,
            object.into(),
            options,
            DEFAULT_OBJECT_CONTENT_TYPE,
            "object",
        )?;
        let reply = self.ctx.send(call).await?;
        Ok(StoredObject::from_put(id, &reply.body))
    }

    #[inline]
    async fn get_object(&self, object_id: impl Into<Id> + Send) -> Result<Download> {
        let (_, call) = self.on_item(&ep::GET_OBJECT, object_id)?;
        let reply = self.ctx.send(download_call(call)).await?;
        Ok(download(reply))
    }

    #[inline]
    async fn get_object_stream(&self, object_id: impl Into<Id> + Send) -> Result<DownloadStream> {
        let (_, call) = self.on_item(&ep::GET_OBJECT, object_id)?;
        let reply = self.ctx.send_streaming(download_call(call)).await?;
        Ok(DownloadStream {
            info: StoredInfo::from_headers(&reply.headers),
            body: reply.body,
        })
    }

    #[inline]
    async fn head_object(&self, object_id: impl Into<Id> + Send) -> Result<Option<StoredInfo>> {
        let (_, call) = self.on_item(&ep::HEAD_OBJECT, object_id)?;
        self.head(download_call(call)).await
    }

    #[inline]
    async fn delete_object(&self, object_id: impl Into<Id> + Send) -> Result<()> {
        let (_, call) = self.on_item(&ep::DELETE_OBJECT, object_id)?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn delete_objects<I>(&self, object_ids: I) -> Result<()>
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send, {
        let call = bulk_delete(
            self.on_bucket(&ep::DELETE_OBJECTS)?, "objects", collect_ids(object_ids), "object_ids")?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn create_bucket(&self) -> Result<()> {
        check_bucket(&self.bucket)?;
        let call = ep::CREATE_BUCKET.call(&[])?.query(|q| {
            q.push("bucket", &self.bucket);
        });
        self.ctx.unit(call).await
    }

    #[inline]
    async fn bucket_exists(&self) -> Result<bool> {
        let call = self.on_bucket(&ep::BUCKET_EXISTS)?;
        self.ctx.exists(call).await
    }

    #[inline]
    async fn delete_bucket(&self) -> Result<()> {
        let call = self.on_bucket(&ep::DELETE_BUCKET)?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn list_buckets(&self) -> Result<Vec<String>> {
        let reply = self.ctx.send(ep::LIST_BUCKETS.call(&[])?).await?;
        decode_buckets(&reply)
    }
}

#[maybe_async]
impl ImageStore {
    #[inline]
    async fn head(&self, call: Call) -> Result<Option<StoredInfo>> {
        let reply = self.ctx.exchange(call).await?;
        if reply.status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let reply = reply.success()?;
        Ok(Some(StoredInfo::from_headers(&reply.headers)))
    }
}


/// Reads of stored bytes accept any type (`Accept: */*` instead of the JSON default): an image
/// store before LUNA 5.42 answered 406 when `Accept` did not match the stored type.
#[inline]
fn download_call(call: Call) -> Call {
    call.header(http::header::ACCEPT, http::HeaderValue::from_static("*/*"))
}

#[inline]
fn download(reply: Reply) -> Download {
    Download {
        info: StoredInfo::from_headers(&reply.headers),
        body: reply.body,
    }
}
