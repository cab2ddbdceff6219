//! The `Handlers` client of one mode. Its mode-free data types (requests, constants, answers) are
//! in [`crate::model::handlers`]; its documentation (Python → Rust map) is
//! [`crate::services::handlers`].


#[allow(unused_imports)] // the blocking build rewrites `impl Future` away
use std::future::Future;
use http::header::LOCATION;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::call::{Call, Reply};
use crate::catalogue::handlers as ep;
use super::client::LunaClient;
use super::context::ServiceContext;
use super::handle::service_handle_common;
use super::maybe_async;
use crate::error::{Error, Result};
use crate::id::Id;
use crate::model::events::Event;
use crate::model::handlers::{
    Created, DetectorResponse, EmitEventsResponse, ExtractedAttribute, Handler, NewHandler,
    ObjectUpgrade, Policies, SavedEvent, StreamEvents, VerificationResponse, Verifier,
    NewVerifier,
};
use crate::model::common::Saving;
use crate::model::images::ImageInput;
use crate::model::matching::{binary_lists_body, BinaryReference, PerReference, ReferenceSimilarities};
use super::pagination::{NumberedSource, Pages};
use crate::service::Service;
use crate::services::handlers::*;


/// The luna-handlers client. Get one with [`LunaClient::handlers`].
#[derive(Clone, Debug)]
pub struct Handlers {
    ctx: ServiceContext,
}

service_handle_common!(Handlers);

impl Handlers {
    #[inline]
    pub(crate) fn new(client: LunaClient) -> Self {
        Handlers {
            ctx: client.context(Service::Handlers),
        }
    }
}

/// `GET /handlers` with the filters and paging of `query`.
#[inline]
fn handlers_call(query: &HandlersQuery) -> Result<Call> {
    ep::GET_HANDLERS.call(&[])?.try_query(|q| query.write_params(q, true))
}

/// `GET /verifiers` with the filters and paging of `query`.
#[inline]
fn verifiers_call(query: &VerifiersQuery) -> Result<Call> {
    ep::GET_VERIFIERS.call(&[])?.try_query(|q| query.write_params(q, true))
}

/// Reads a create answer: `{"<key>": id, "url": ...}`, else the id at the end of `Location`.
#[inline]
fn decode_created(reply: &Reply, key: &str) -> Result<Created> {
    let body: Map<String, Value> = reply.decode_optional()?.unwrap_or_default();
    let location = reply
        .headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let url = body
        .get("url")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or(location);
    let id = body
        .get(key)
        .and_then(Value::as_str)
        .or_else(|| url.as_deref().and_then(|u| u.rsplit('/').next()))
        .and_then(|text| Uuid::try_parse(text).ok());
    match id {
        Some(id) => Ok(Created { id, url }),
        None => Err(reply.decode_error(format!("no `{key}` in the answer nor in `Location`"))),
    }
}

/// The create/replace body of a verifier.
#[inline]
fn verifier_body(verifier: &NewVerifier) -> Result<Value> {
    verifier.policies.check()?;
    crate::finite::to_value(verifier, "policies")
}

/// The API of [`Handlers`] as a trait (import it with the prelude): generic code and test
/// fakes can stand for the service handle. The async client's futures are `Send`.
#[maybe_async(AFIT)]
pub trait HandlersApi: Send + Sync {
    /// Python `getAddress()`: the service base URL, `<origin>/<api_version>` (no request).
    fn get_address(&self) -> String;

    /// Every handler matching `query`, fetched page by page from page 1 (an `Iterator` for
    /// the blocking client, a `Stream` for the async client); page size from the query, default 100.
    fn iter_handlers(&self, query: HandlersQuery) -> Pages<Handler>;

    /// Every verifier matching `query`, fetched page by page from page 1; page size from the
    /// query, default 100.
    fn iter_verifiers(&self, query: VerifiersQuery) -> Pages<Verifier>;

    /// Python `createHandler`: `POST /handlers` with `{policies, handler_type, lambda_id,
    /// description}` (only what is set). Returns the new handler's id and location. Never
    /// retried.
    fn create_handler(&self, handler: &NewHandler) -> impl Future<Output = Result<Created>> + Send;

    /// Python `getHandlerById`: `GET /handlers/{handler_id}`.
    fn get_handler_by_id(&self, handler_id: impl Into<Id> + Send) -> impl Future<Output = Result<Handler>> + Send;

    /// Python `checkHandlerById`: `HEAD /handlers/{handler_id}`; `false` when absent.
    fn check_handler_by_id(&self, handler_id: impl Into<Id> + Send) -> impl Future<Output = Result<bool>> + Send;

    /// Python `updateHandler`: `PUT /handlers/{handler_id}` — the whole handler is replaced
    /// (partial updates do not exist).
    fn update_handler(&self, handler_id: impl Into<Id> + Send, handler: &NewHandler) -> impl Future<Output = Result<()>> + Send;

    /// Python `deleteHandlerById`: `DELETE /handlers/{handler_id}`.
    fn delete_handler_by_id(&self, handler_id: impl Into<Id> + Send) -> impl Future<Output = Result<()>> + Send;

    /// Python `getHandlers`: `GET /handlers` with `description`, `handler_type`, `page`,
    /// `page_size`. Reads `{"handlers": [...]}` or a bare array.
    fn get_handlers(&self, query: &HandlersQuery) -> impl Future<Output = Result<Vec<Handler>>> + Send;

    /// Python `getHandlersCount`: `GET /handlers/count` with the filters of `query` (its
    /// paging is not sent).
    fn get_handlers_count(&self, query: &HandlersQuery) -> impl Future<Output = Result<u64>> + Send;

    /// Python `validateHandler`: `POST /handlers/validator` with `{"policies": {...}}`; `Ok`
    /// when the service accepts them, `Error::Api` (400) with the reason otherwise. Stores
    /// nothing, so it is retried under the client's retry policy.
    fn validate_handler(&self, policies: &Policies) -> impl Future<Output = Result<()>> + Send;

    /// Python `emitEvents`: `POST /handlers/{handler_id}/events` — runs the handler on the
    /// input images and returns the events (with detections, matches, created ids) and the
    /// status of each image. `params` go in the query, the event times in the
    /// `Luna-Event-Time` / `Luna-Event-End-Time` headers, `policies` (dynamic handlers) and
    /// `meta` with the images (multipart parts, or members of a JSON body; one image with
    /// either goes as multipart). Never retried: events may have been stored.
    fn emit_events(
        &self,
        handler_id: impl Into<Id> + Send,
        input: impl Into<ImageInput> + Send,
        params: &EmitEventsParams,
    ) -> impl Future<Output = Result<EmitEventsResponse>> + Send;

    /// Python `emitStreamEvents`: `POST /handlers/{handler_id}/stream_events` with the stream
    /// sources as JSON (beta in luna-handlers 3.1). An empty answer reads as no event. Never
    /// retried.
    fn emit_stream_events(
        &self,
        handler_id: impl Into<Id> + Send,
        sources: &StreamEvents,
    ) -> impl Future<Output = Result<EmitEventsResponse>> + Send;

    /// Python `saveEvent`: `POST /handlers/{handler_id}/events/raw` with one event (the
    /// server fills its id and location) and `wait_saving=0|1` when given. Never retried.
    fn save_event(
        &self,
        handler_id: impl Into<Id> + Send,
        event: &Event,
        saving: Saving,
    ) -> impl Future<Output = Result<SavedEvent>> + Send;

    /// Python `detectFaces`: `POST /detector` — detects faces on the images and returns per
    /// image its samples (stored in the image store: the call is never retried), EXIF and
    /// errors.
    fn detect_faces(
        &self,
        input: impl Into<ImageInput> + Send,
        params: &DetectParams,
    ) -> impl Future<Output = Result<DetectorResponse>> + Send;

    /// Python `extractAttrFromSample`: `POST /extractor` with the sample ids as a JSON array
    /// and the parameters in the query. Creates temporary attributes: never retried.
    fn extract_attr_from_sample<I>(
        &self,
        sample_ids: I,
        params: &ExtractParams,
    ) -> impl Future<Output = Result<Vec<ExtractedAttribute>>> + Send
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send,;

    /// Python `upgradeObjectFromSample`: `POST /upgrade` (path not published, see
    /// [`UPGRADE_PATH`]) — re-extracts the descriptor and/or basic attributes of a face or an
    /// event from its samples. The answer's layout is not published: it is returned as JSON
    /// (`Value::Null` when empty). Never retried.
    fn upgrade_object_from_sample(&self, upgrade: &ObjectUpgrade) -> impl Future<Output = Result<Value>> + Send;

    /// Python `createVerifier`: `POST /verifiers` with `{policies, description}`. Returns the
    /// new verifier's id and location. Never retried.
    fn create_verifier(
        &self,
        verifier: &NewVerifier,
    ) -> impl Future<Output = Result<Created>> + Send;

    /// Python `getVerifier`: `GET /verifiers/{verifier_id}`.
    fn get_verifier(&self, verifier_id: impl Into<Id> + Send) -> impl Future<Output = Result<Verifier>> + Send;

    /// Python `checkVerifier`: `HEAD /verifiers/{verifier_id}`; `false` when absent.
    fn check_verifier(&self, verifier_id: impl Into<Id> + Send) -> impl Future<Output = Result<bool>> + Send;

    /// Python `putVerifier`: `PUT /verifiers/{verifier_id}` with `{policies, description}`
    /// (a full replace).
    fn put_verifier(
        &self,
        verifier_id: impl Into<Id> + Send,
        verifier: &NewVerifier,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Python `deleteVerifier`: `DELETE /verifiers/{verifier_id}`.
    fn delete_verifier(&self, verifier_id: impl Into<Id> + Send) -> impl Future<Output = Result<()>> + Send;

    /// Python `getVerifiers`: `GET /verifiers` with `description`, `page`, `page_size`. Reads
    /// `{"verifiers": [...]}` or a bare array.
    fn get_verifiers(&self, query: &VerifiersQuery) -> impl Future<Output = Result<Vec<Verifier>>> + Send;

    /// Python `getVerifiersCount`: `GET /verifiers/count` with the filters of `query`.
    fn get_verifiers_count(&self, query: &VerifiersQuery) -> impl Future<Output = Result<u64>> + Send;

    /// Python `verifyData`: `POST /verifiers/{verifier_id}/verifications` — verifies the
    /// inputs (images and/or descriptors) against one set of objects (`face_ids`,
    /// `event_ids`, `external_ids` or `attribute_ids` in the query). The verifier's storage
    /// policy may store samples and attributes, so the call is never retried.
    fn verify_data(
        &self,
        verifier_id: impl Into<Id> + Send,
        input: impl Into<VerifyInput> + Send,
        against: &VerifyAgainst,
        params: &VerifyParams,
    ) -> impl Future<Output = Result<VerificationResponse>> + Send;

    /// Python `verifyRaw(candidates, references, verifierId)`: `POST
    /// /verifiers/{verifier_id}/raw` with `{"candidates": [...], "references": [...]}` of
    /// binary references; each candidate is matched with each reference. Returns one entry per
    /// reference. Read-only, so retried under the client's retry policy.
    fn verify_raw(
        &self,
        verifier_id: impl Into<Id> + Send,
        candidates: &[BinaryReference],
        references: &[BinaryReference],
    ) -> impl Future<Output = Result<Vec<ReferenceSimilarities>>> + Send;
}

#[maybe_async(AFIT)]
impl HandlersApi for Handlers {
    #[inline]
    fn get_address(&self) -> String {
        self.ctx.base_url()
    }

    #[inline]
    fn iter_handlers(&self, query: HandlersQuery) -> Pages<Handler> {
        let page_size = query.limit().unwrap_or(DEFAULT_ITER_PAGE_SIZE);
        Pages::numbered(HandlerPages {
            handlers: self.clone(),
            query: query.page_size(page_size),
            page_size,
        })
    }

    #[inline]
    fn iter_verifiers(&self, query: VerifiersQuery) -> Pages<Verifier> {
        let page_size = query.limit().unwrap_or(DEFAULT_ITER_PAGE_SIZE);
        Pages::numbered(VerifierPages {
            handlers: self.clone(),
            query: query.page_size(page_size),
            page_size,
        })
    }

    #[inline]
    async fn create_handler(&self, handler: &NewHandler) -> Result<Created> {
        handler.check()?;
        let call = ep::CREATE_HANDLER.call(&[])?.json(handler)?;
        let reply = self.ctx.send(call).await?;
        decode_created(&reply, "handler_id")
    }

    #[inline]
    async fn get_handler_by_id(&self, handler_id: impl Into<Id> + Send) -> Result<Handler> {
        let call = ep::GET_HANDLER_BY_ID.call_id(handler_id)?;
        self.ctx.json(call).await
    }

    #[inline]
    async fn check_handler_by_id(&self, handler_id: impl Into<Id> + Send) -> Result<bool> {
        let call = ep::CHECK_HANDLER_BY_ID.call_id(handler_id)?;
        self.ctx.exists(call).await
    }

    #[inline]
    async fn update_handler(&self, handler_id: impl Into<Id> + Send, handler: &NewHandler) -> Result<()> {
        let call = ep::UPDATE_HANDLER.call_id(handler_id)?;
        handler.check()?;
        self.ctx.unit(call.json(handler)?).await
    }

    #[inline]
    async fn delete_handler_by_id(&self, handler_id: impl Into<Id> + Send) -> Result<()> {
        self.ctx
            .unit(ep::DELETE_HANDLER_BY_ID.call_id(handler_id)?)
            .await
    }

    #[inline]
    async fn get_handlers(&self, query: &HandlersQuery) -> Result<Vec<Handler>> {
        self.ctx.send(handlers_call(query)?).await?.decode_items("handlers")
    }

    #[inline]
    async fn get_handlers_count(&self, query: &HandlersQuery) -> Result<u64> {
        let call = ep::GET_HANDLERS_COUNT.call(&[])?.try_query(|q| query.write_params(q, false))?;
        self.ctx.send(call).await?.decode_count("handlers_count")
    }

    #[inline]
    async fn validate_handler(&self, policies: &Policies) -> Result<()> {
        policies.check()?;
        let call = ep::VALIDATE_HANDLER
            .call(&[])?
            .json(&json!({ "policies": crate::finite::to_value(policies, "policies")? }))?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn emit_events(
        &self,
        handler_id: impl Into<Id> + Send,
        input: impl Into<ImageInput> + Send,
        params: &EmitEventsParams,
    ) -> Result<EmitEventsResponse> {
        let call = ep::EMIT_EVENTS.call_id(handler_id)?;
        let (body, content_type) = input.into().to_body_with(&params.body_extras()?)?;
        let mut call = call
            .try_query(|q| params.write(q))?
            .bytes(body, content_type);
        for (name, value) in params.headers() {
            if let Some(name) = name {
                call = call.header(name, value);
            }
        }
        self.ctx.json(call).await
    }

    #[inline]
    async fn emit_stream_events(
        &self,
        handler_id: impl Into<Id> + Send,
        sources: &StreamEvents,
    ) -> Result<EmitEventsResponse> {
        let call = ep::EMIT_STREAM_EVENTS.call_id(handler_id)?;
        if sources.sources.is_empty() {
            return Err(Error::invalid("sources", "at least one source is required"));
        }
        let reply = self.ctx.send(call.json(sources)?).await?;
        Ok(reply.decode_optional()?.unwrap_or_default())
    }

    #[inline]
    async fn save_event(
        &self,
        handler_id: impl Into<Id> + Send,
        event: &Event,
        saving: Saving,
    ) -> Result<SavedEvent> {
        let call = ep::SAVE_EVENT
            .call_id(handler_id)?
            .query(|q| {
                q.push_flag_opt("wait_saving", saving.flag());
            })
            .json(event)?;
        let reply = self.ctx.send(call).await?;
        Ok(reply.decode_optional()?.unwrap_or_default())
    }

    #[inline]
    async fn detect_faces(
        &self,
        input: impl Into<ImageInput> + Send,
        params: &DetectParams,
    ) -> Result<DetectorResponse> {
        let (body, content_type) = input.into().to_body()?;
        let call = ep::DETECT_FACES
            .call(&[])?
            .try_query(|q| params.write(q))?
            .bytes(body, content_type);
        self.ctx.json(call).await
    }

    #[inline]
    async fn extract_attr_from_sample<I>(
        &self,
        sample_ids: I,
        params: &ExtractParams,
    ) -> Result<Vec<ExtractedAttribute>>
    where
        I: IntoIterator + Send,
        I::Item: Into<Id> + Send, {
        let ids = crate::id::collect_ids(sample_ids);
        if ids.is_empty() {
            return Err(Error::invalid("sample_ids", "at least one sample id is required"));
        }
        let ids = Id::resolve_all(&ids, "sample_ids")?;
        let call = ep::EXTRACT_ATTR_FROM_SAMPLE
            .call(&[])?
            .try_query(|q| params.write(q))?
            .json(&ids)?;
        self.ctx.send(call).await?.decode_items("attributes")
    }

    #[inline]
    async fn upgrade_object_from_sample(&self, upgrade: &ObjectUpgrade) -> Result<Value> {
        let call = ep::UPGRADE_OBJECT_FROM_SAMPLE.call(&[])?.json(&upgrade.to_body()?)?;
        let reply = self.ctx.send(call).await?;
        Ok(reply.decode_optional()?.unwrap_or(Value::Null))
    }

    #[inline]
    async fn create_verifier(
        &self,
        verifier: &NewVerifier,
    ) -> Result<Created> {
        let call = ep::CREATE_VERIFIER
            .call(&[])?
            .json(&verifier_body(verifier)?)?;
        let reply = self.ctx.send(call).await?;
        decode_created(&reply, "verifier_id")
    }

    #[inline]
    async fn get_verifier(&self, verifier_id: impl Into<Id> + Send) -> Result<Verifier> {
        self.ctx
            .json(ep::GET_VERIFIER.call_id(verifier_id)?)
            .await
    }

    #[inline]
    async fn check_verifier(&self, verifier_id: impl Into<Id> + Send) -> Result<bool> {
        self.ctx
            .exists(ep::CHECK_VERIFIER.call_id(verifier_id)?)
            .await
    }

    #[inline]
    async fn put_verifier(
        &self,
        verifier_id: impl Into<Id> + Send,
        verifier: &NewVerifier,
    ) -> Result<()> {
        let call = ep::PUT_VERIFIER
            .call_id(verifier_id)?
            .json(&verifier_body(verifier)?)?;
        self.ctx.unit(call).await
    }

    #[inline]
    async fn delete_verifier(&self, verifier_id: impl Into<Id> + Send) -> Result<()> {
        self.ctx
            .unit(ep::DELETE_VERIFIER.call_id(verifier_id)?)
            .await
    }

    #[inline]
    async fn get_verifiers(&self, query: &VerifiersQuery) -> Result<Vec<Verifier>> {
        self.ctx.send(verifiers_call(query)?).await?.decode_items("verifiers")
    }

    #[inline]
    async fn get_verifiers_count(&self, query: &VerifiersQuery) -> Result<u64> {
        let call = ep::GET_VERIFIERS_COUNT.call(&[])?.try_query(|q| query.write_params(q, false))?;
        self.ctx.send(call).await?.decode_count("verifiers_count")
    }

    #[inline]
    async fn verify_data(
        &self,
        verifier_id: impl Into<Id> + Send,
        input: impl Into<VerifyInput> + Send,
        against: &VerifyAgainst,
        params: &VerifyParams,
    ) -> Result<VerificationResponse> {
        let call = ep::VERIFY_DATA.call_id(verifier_id)?;
        let (body, content_type) = input.into().to_body()?;
        let call = call
            .try_query(|q| {
                against.write(q)?;
                params.write(q);
                Ok(())
            })?
            .bytes(body, content_type);
        self.ctx.json(call).await
    }

    #[inline]
    async fn verify_raw(
        &self,
        verifier_id: impl Into<Id> + Send,
        candidates: &[BinaryReference],
        references: &[BinaryReference],
    ) -> Result<Vec<ReferenceSimilarities>> {
        let call = ep::VERIFY_RAW
            .call_id(verifier_id)?
            .json_text(binary_lists_body(candidates, references)?);
        let answer: PerReference<ReferenceSimilarities> = self.ctx.json(call).await?;
        Ok(answer.0)
    }
}


struct HandlerPages {
    handlers: Handlers,
    query: HandlersQuery,
    page_size: u32,
}

#[maybe_async(AFIT)]
impl NumberedSource for HandlerPages {
    type Item = Handler;

    #[inline]
    fn page_size(&self) -> u32 {
        self.page_size
    }

    #[inline]
    async fn fetch(&self, page: u32) -> Result<(Vec<Handler>, Reply)> {
        let call = handlers_call(&self.query.clone().page(page))?;
        let reply = self.handlers.ctx.send(call).await?;
        Ok((reply.decode_items("handlers")?, reply))
    }
}

struct VerifierPages {
    handlers: Handlers,
    query: VerifiersQuery,
    page_size: u32,
}

#[maybe_async(AFIT)]
impl NumberedSource for VerifierPages {
    type Item = Verifier;

    #[inline]
    fn page_size(&self) -> u32 {
        self.page_size
    }

    #[inline]
    async fn fetch(&self, page: u32) -> Result<(Vec<Verifier>, Reply)> {
        let call = verifiers_call(&self.query.clone().page(page))?;
        let reply = self.handlers.ctx.send(call).await?;
        Ok((reply.decode_items("verifiers")?, reply))
    }
}
