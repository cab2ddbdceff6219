//! The documentation of each LUNA service (the Python → Rust method maps), and the old paths of
//! its queries, parameters and constants: those are defined in [`crate::model`] (one tree of
//! data types, see its layout rule) and re-exported here, so `services::faces::FacesQuery` is
//! `model::faces::FacesQuery`. Nothing is defined here. The service clients themselves are
//! per mode: `Faces` and the others at the crate root (feature `async`) and under
//! `luna_clients::blocking` (feature `blocking`), both compiled from the same source.

pub mod events {
    //! luna-events client (Python `luna_lambda_tools.public.clients.events.Events`): save, read,
    //! check, delete events, read their descriptors and build statistics.
    //!
    //! ```no_run
    //! # #[cfg(feature = "blocking")]
    //! # fn main() -> luna_clients::Result<()> {
    //! use luna_clients::blocking::prelude::*;
    //! use luna_clients::model::events::Emotion;
    //! use luna_clients::services::events::{EventsQuery, MetaFilter, MetaOperator};
    //! use luna_clients::blocking::LunaClient;
    //!
    //! let client = LunaClient::from_env()?;
    //! let query = EventsQuery::new()
    //!     .handler_ids(["2d0a6a46-51a0-4b7b-9a7d-50e2b4ad2fb2"])
    //!     .emotions([Emotion::Happiness])
    //!     .meta(MetaFilter::new("badge.number", MetaOperator::Gte, 17))
    //!     .page_size(100);
    //! // Every matching event, page after page (an `Iterator` here, a `Stream` for the async client).
    //! for event in client.events().iter_events(query) {
    //!     let event = event?;
    //!     println!("{:?} {:?}", event.event_id, event.create_time);
    //! }
    //! # Ok(())
    //! # }
    //! # #[cfg(not(feature = "blocking"))]
    //! # fn main() {}
    //! ```
    //!
    //! Where the reference leaves the wire open (API-version prefix, save/delete/stats bodies,
    //! answers), the choice is made once in
    //! [`model::events`](crate::model::events) and listed in the wire notes.
    //!
    //! The request types and constants are defined in [`model::events`](crate::model::events)
    //! (with the answers) and re-exported here under their old paths.

    #[doc(no_inline)]
    pub use crate::model::events::{
        Aggregator, DeleteEventsQuery, DescriptorQuery, EventsQuery, GroupBy, MetaFilter,
        MetaOperator, MetaType, MetaValue, Order, StatFilter, StatOperator, StatQuery,
        DEFAULT_ITER_PAGE_SIZE, DESCRIPTOR_ACCEPT, EVENTS_PAGE_SIZE_MAX, SAVE_EVENTS_MEMBER,
    };
}

pub mod faces {
    //! luna-faces client (Python `luna_lambda_tools.public.clients.faces.Faces`): faces, lists,
    //! face attributes and temporary attributes.
    //!
    //! Every method maps one Python method (snake_case name) to one request; see the crate-level
    //! Python → Rust table and the wire notes for the choices made where the reference is silent.
    //!
    //! The queries, parameters and constants are defined in [`model::faces`](crate::model::faces)
    //! (with the answers) and re-exported here under their old paths.

    #[doc(no_inline)]
    pub use crate::model::faces::{
        AttributeIdsQuery, AttributeQuery, DescriptorFormat, FaceAttributesQuery, FacesPageSize,
        FacesQuery, ListAttributesQuery, ListFaces, ListsQuery, NewList, OnExisting, OnMissing,
        Page, ATTRIBUTE_IDS_DEFAULT_PAGE_SIZE, ATTRIBUTE_IDS_PAGE_SIZE_MAX, DEFAULT_ITER_PAGE_SIZE,
        FACES_PAGE_SIZE_MAX, LISTS_PAGE_SIZE_MAX, LIST_ATTRIBUTES_LIMIT_MAX, XPK_CONTENT_TYPE,
    };
}

pub mod handlers {
    //! luna-handlers client (Python `luna_lambda_tools.public.clients.handlers.Handlers`):
    //! handlers and their policies, emitting events, the detector and extractor, verifiers and
    //! verification.
    //!
    //! | Python (`Handlers`) | Rust (`Handlers`) |
    //! |---|---|
    //! | `Handlers(handlersClient, accountId)` | `client.handlers()` |
    //! | `createHandler(policies, handlerType, lambdaId, description)` | `create_handler(&NewHandler)` |
    //! | `emitEvents(handlerId, inputData, policies, externalId, …, meta)` | `emit_events(handler_id, input, &EmitEventsParams)` |
    //! | `detectFaces(inputData, multifacePolicy, …)` | `detect_faces(input, &DetectParams)` |
    //! | `verifyData(verifierId, inputData, eventIds, externalIds, faceIds, attributeIds, …)` | `verify_data(verifier_id, input, VerifyAgainst, &VerifyParams)` |
    //!
    //! (the crate README has the full table). Async example (blocking client: the same calls
    //! without `.await`):
    //!
    #![cfg_attr(feature = "async", doc = "```no_run")]
    //! use luna_clients::prelude::*;
    #![cfg_attr(not(feature = "async"), doc = "```ignore")]
    //! use luna_clients::model::handlers::{
    //!     DetectPolicy, EventPolicy, ExtractPolicy, MatchPolicy, NewHandler, Policies, StoragePolicy,
    //! };
    //! use luna_clients::model::images::BinaryImage;
    //! use luna_clients::services::faces::FacesQuery;
    //! use luna_clients::services::handlers::EmitEventsParams;
    //! use luna_clients::LunaClient;
    //!
    //! # async fn run() -> luna_clients::Result<()> {
    //! let client = LunaClient::from_env()?;
    //! let policies = Policies::new()
    //!     .detect_policy(DetectPolicy::new().detect_face(true).estimate_emotions(true))
    //!     .extract_policy(ExtractPolicy::new().extract_face_descriptor(true))
    //!     .match_policy(
    //!         MatchPolicy::new("staff", FacesQuery::new().list_id("5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33"))?
    //!             .limit(3),
    //!     )
    //!     .storage_policy(StoragePolicy::new().event_policy(EventPolicy::new(true)));
    //! let handler = client.handlers().create_handler(&NewHandler::with_policies(policies)).await?;
    //! let photo: Vec<u8> = std::fs::read("photo.jpg").expect("an image");
    //! let answer = client
    //!     .handlers()
    //!     .emit_events(handler.id, BinaryImage::jpeg(photo), &EmitEventsParams::new().source("gate-3"))
    //!     .await?;
    //! for event in &answer.events {
    //!     println!("{:?}: {} match result(s)", event.event_id(), event.match_results().len());
    //! }
    //! # Ok(())
    //! # }
    //! ```
    //!
    //! Where the reference leaves the wire open, the choice is made once in
    //! [`model::handlers`](crate::model::handlers) and listed in the wire notes.
    //!
    //! The parameters, inputs and constants are defined in
    //! [`model::handlers`](crate::model::handlers) (with the policies and the answers) and
    //! re-exported here under their old paths.

    #[doc(no_inline)]
    pub use crate::model::handlers::{
        DetectParams, EmitEventsParams, ExtractParams, HandlersQuery, VerifiersQuery,
        VerifyAgainst, VerifyInput, VerifyItem, VerifyParams, DEFAULT_ITER_PAGE_SIZE,
        DESCRIPTOR_CONTENT_TYPE, EVENT_END_TIME_HEADER, EVENT_TEXT_MAX_CHARS, EVENT_TIME_HEADER,
        HANDLERS_PAGE_SIZE_MAX, MULTIPART_DESCRIPTOR_PART, UPGRADE_PATH,
    };
}

pub mod sender {
    //! luna-sender (Python `luna_lambda_tools.public.clients.sender.Sender`): publish
    //! user-generated events to the real-time subscribers of luna-sender. The client is
    //! `Sender` of either mode; its mode-free parts (publishing route, publish report,
    //! subscription filters) are defined in [`model::sender`](crate::model::sender) and
    //! re-exported here under their old paths.
    //!
    //! ## How `publish` travels: the caller chooses (read this)
    //!
    //! The Python wrapper publishes through `luna3`'s `LunaWSClient`, whose source is not public;
    //! no HTTP resource of luna-sender for publishing handler events is documented. So
    //! `Sender::publish` takes the route as an argument, a [`PublishRoute`]:
    //!
    //! * [`PublishRoute::HandlersRawEvents`] — documented: events saved through luna-handlers'
    //!   raw-events resource, `POST /{api_version}/handlers/{handler_id}/events/raw`
    //!   ("user-generated events"), are pushed by luna-sender to every WebSocket subscriber
    //!   (LUNA PLATFORM 5.5.0 release notes). Side effects to know: luna-handlers also **stores**
    //!   each event in luna-events (a later `get_events` returns it; the Python call, a pure
    //!   publish, may not do that), gives it an `event_id` and a `url`, and fills `create_time` /
    //!   `end_time` when the event has none.
    //! * [`PublishRoute::SenderPath`] — a resource of luna-sender that a deployment documents in
    //!   its `GET /docs/spec` (e.g. the "publish general events" resource of Sender 2.12+, whose
    //!   path is not published): the path is the caller's.
    //!
    //! Either way each event is one `POST` of the event as a JSON object (see the wire notes);
    //! the event's own `create_time` / `end_time` are never changed, the call's times only fill
    //! the ones an event lacks; every event is attempted and the [`PublishReport`] says which
    //! were published and which failed. `Sender::raw` reaches any other resource.

    #[doc(no_inline)]
    pub use crate::model::sender::{
        EventTimes, PublishReport, PublishRoute, PublishedEvent, SubscriptionFilters,
        SUBSCRIPTION_PATH,
    };
}

pub mod image_store {
    //! luna-image-store client (Python `luna_lambda_tools.public.clients.lis.LIS`), bound to one
    //! bucket: images, objects, and the bucket itself.
    //!
    //! Uploads take an [`UploadBody`](crate::UploadBody): caller-owned bytes (`Bytes`, `Vec<u8>`, `&'static [u8]`,
    //! `String`) are handed to the HTTP backend as they are, never copied by this crate; a large
    //! file can be streamed from a reader (blocking) or a stream / `AsyncRead` (async). Downloads
    //! come back whole ([`Download`](crate::model::image_store::Download)) or as a stream (`DownloadStream`), under the client's (or
    //! the call's, [`crate::RequestOptions::max_response_bytes`]) body cap.
    //!
    //! | Python (`LIS`) | Rust (`ImageStore`) |
    //! |---|---|
    //! | `LIS(lisClient, accountId, bucket)` | `client.image_store(bucket)` |
    //! | `postImage(imageInBytes, contentType)` | `post_image(image, &UploadOptions::new().content_type(..))` |
    //! | `putImage(imageInBytes, imageId, contentType)` | `put_image(image, image_id, &options)` |
    //! | `getImage(imageId, withMeta)` | `get_image(image_id, UserMeta::Include)` / `get_image_stream` |
    //! | `headImage(imageId, withMeta)` | `head_image(image_id, UserMeta)` → `Option<StoredInfo>` |
    //! | `deleteImage(imageId)` / `deleteImages(imageIds)` | `delete_image(id)` / `delete_images(ids)` |
    //! | `postObject(objectBody, contentType)` | `post_object(body, &options)` |
    //! | `putObject(objectBody, objectId, contentType)` | `put_object(body, object_id, &options)` |
    //! | `getObject(objectId)` | `get_object(object_id)` / `get_object_stream` |
    //! | `headObject(objectId)` | `head_object(object_id)` → `Option<StoredInfo>` |
    //! | `deleteObject(objectId)` / `deleteObjects(objectIds)` | `delete_object(id)` / `delete_objects(ids)` |
    //! | `getAddress()` | `get_address()` |
    //! | — | `create_bucket()`, `bucket_exists()`, `delete_bucket()`, `list_buckets()` |
    //!
    //! Async example (blocking client: the same calls without `.await`, and
    //! `UploadBody::from_reader(std::fs::File::open(..)?)` for a streamed upload):
    //!
    #![cfg_attr(feature = "async", doc = "```no_run")]
//! use luna_clients::prelude::*;
    #![cfg_attr(not(feature = "async"), doc = "```ignore")]
    //! use luna_clients::model::image_store::{UploadOptions, UserMeta};
    //! use luna_clients::{LunaClient, Service};
    //!
    //! # async fn run() -> luna_clients::Result<()> {
    //! let client = LunaClient::builder()
    //!     .address(Service::ImageStore, "http://127.0.0.1:5020/1")
    //!     .account_id("8950722f-3fd4-4223-b48f-03f95f0e8dfb")
    //!     .build()?;
    //! let store = client.image_store("visionlabs-samples");
    //! if !store.bucket_exists().await? {
    //!     store.create_bucket().await?;
    //! }
    //! let jpeg: Vec<u8> = std::fs::read("face.jpg").expect("an image");
    //! // The vector's buffer is sent as is (no copy); metadata goes in `Luna-Meta-*` headers.
    //! let options = UploadOptions::new().ttl(3600).meta("camera", "gate 1");
    //! let stored = store.post_image(jpeg, &options).await?;
    //! let image = store.get_image(stored.image_id, UserMeta::Include).await?;
    //! assert_eq!(image.info.meta["camera"], "gate 1");
    //! store.delete_images([stored.image_id]).await?;
    //! # Ok(())
    //! # }
    //! ```
    //!
    //! The upload options and constants are defined in
    //! [`model::image_store`](crate::model::image_store) (with the answers) and re-exported here
    //! under their old paths.

    #[doc(no_inline)]
    pub use crate::model::image_store::BULK_DELETE_MAX;
}

pub mod matcher {
    //! luna-python-matcher client (Python `luna_lambda_tools.public.clients.lpm.LPM`): matching of
    //! face and body descriptors — references against candidates, raw descriptors against each
    //! other, and cross-matching of two filtered sets. Nothing is stored; every call is a read sent
    //! as `POST`, so every call is retried under the client's retry policy.
    //!
    //! | Python (`LPM`) | Rust (`Matcher`) |
    //! |---|---|
    //! | `LPM(lpmClient, accountId)` | `client.matcher()` |
    //! | `matchFaces(candidates, references)` | `match_faces(&[Candidates], &[MatchReference])` |
    //! | `matchBodies(candidates, references)` | `match_bodies(&[Candidates], &[MatchReference])` (event candidates; event or descriptor references) |
    //! | `matchRaw(candidates, references)` | `match_raw(&[BinaryReference], &[BinaryReference])` |
    //! | `crossmatchFaces(candidateFilters, referenceFilters, limit, threshold, sorting)` | `crossmatch_faces(candidates, references, &CrossMatchParams::new().limit(..).threshold(..).sorting(..))` |
    //! | `crossmatchBodies(candidateFilters, referenceFilters, limit, threshold, sorting)` | `crossmatch_bodies(EventFilters, EventFilters, &CrossMatchParams)` |
    //! | `getAddress()` | `get_address()` |
    //! | `Candidates(filters, limit, threshold, targets)` | [`Candidates`](crate::model::matching::Candidates)`::faces(..)` / `::events(..)` / `::attributes(..)`, `.limit(..)`, `.threshold(..)`, `.targets(..)` |
    //! | `Reference(id, type)` / `BinaryReference(id, data)` | [`MatchReference`](crate::model::matching::MatchReference)`::face(id)` / `::event(id)` / `::attribute(id)` / `::descriptor(label, descriptor)`, [`BinaryReference`](crate::model::matching::BinaryReference) |
    //! | `FaceFilters` / `EventFilters` / `AttributeFilters` | [`FaceFilters`](crate::model::matching::FaceFilters) (from [`FacesQuery`](crate::services::faces::FacesQuery)) / [`EventFilters`](crate::model::matching::EventFilters) (from [`EventsQuery`](crate::services::events::EventsQuery)) / [`AttributeFilters`](crate::model::matching::AttributeFilters) |
    //!
    //! Answers have one entry per reference; a reference that failed carries its error
    //! ([`ReferenceMatches::is_error`](crate::model::matching::ReferenceMatches::is_error)) and the others are still there.
    //!
    //! [`FacesQuery`](crate::services::faces::FacesQuery): crate::services::faces::FacesQuery
    //! [`EventsQuery`](crate::services::events::EventsQuery): crate::services::events::EventsQuery
    //!
    //! Async example (blocking client: the same calls without `.await`):
    //!
    #![cfg_attr(feature = "async", doc = "```no_run")]
//! use luna_clients::prelude::*;
    #![cfg_attr(not(feature = "async"), doc = "```ignore")]
    //! use luna_clients::model::matching::{Candidates, CrossMatchParams, MatchReference};
    //! use luna_clients::services::events::EventsQuery;
    //! use luna_clients::services::faces::FacesQuery;
    //! use luna_clients::LunaClient;
    //!
    //! # async fn run() -> luna_clients::Result<()> {
    //! let client = LunaClient::builder().host("10.0.0.5").account_id("8950722f-3fd4-4223-b48f-03f95f0e8dfb").build()?;
    //! let matcher = client.matcher();
    //! let vip = Candidates::faces(FacesQuery::new().list_id("5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33"))
    //!     .limit(3)
    //!     .threshold(0.8);
    //! let probe = MatchReference::event("7e5f3c6e-6f0e-4a5c-9a55-8c1a0d1f1a55");
    //! for reference in matcher.match_faces(&[vip], &[probe]).await? {
    //!     if reference.is_error() {
    //!         eprintln!("{:?}: {:?}", reference.reference_id(), reference.error);
    //!         continue;
    //!     }
    //!     if let Some(best) = reference.best() {
    //!         println!("best match {:?} at {:?}", best.face, best.similarity);
    //!     }
    //! }
    //! // Every face of the list against today's entrance events, best 5 each.
    //! let pairs = matcher
    //!     .crossmatch_faces(
    //!         FacesQuery::new().list_id("5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33"),
    //!         EventsQuery::new().sources(["entrance"]),
    //!         &CrossMatchParams::new().limit(5).threshold(0.7).sorting(true),
    //!     )
    //!     .await?;
    //! println!("{} references", pairs.len());
    //! # Ok(())
    //! # }
    //! ```
}

pub mod remote_sdk {
    //! luna-remote-sdk client (Python `luna_lambda_tools.public.clients.lrs.LRS`): face and body
    //! detection and estimation on images, nothing stored.
    //!
    //! | Python (`LRS`) | Rust (`RemoteSdk`) |
    //! |---|---|
    //! | `LRS(lrsClient, accountId)` | `client.remote_sdk()` |
    //! | `sdk(inputData, multifacePolicy=..., detectFace=..., estimate...=..., ...)` | `sdk(input, &SdkParams::new().detect_face(true)...)` |
    //! | `inputData`: `BinaryImage` / `list[BinaryImage]` / `list[UrlForDetection]` / `list[str]` | [`ImageInput`](crate::model::images::ImageInput): `image`, `images`, `urls`, `image_ids`, `samples` |
    //! | `getAddress()` | `get_address()` |
    //!
    //! Async example (blocking client: the same calls without `.await`):
    //!
    #![cfg_attr(feature = "async", doc = "```no_run")]
//! use luna_clients::prelude::*;
    #![cfg_attr(not(feature = "async"), doc = "```ignore")]
    //! use luna_clients::model::images::{BinaryImage, ImageInput};
    //! use luna_clients::model::remote_sdk::SdkParams;
    //! use luna_clients::LunaClient;
    //!
    //! # async fn run() -> luna_clients::Result<()> {
    //! let client = LunaClient::builder().host("10.0.0.5").build()?;
    //! let photo: Vec<u8> = std::fs::read("photo.jpg").expect("an image");
    //! let params = SdkParams::new()
    //!     .detect_face(true)
    //!     .estimate_face_descriptor(true)
    //!     .estimate_basic_attributes(true)
    //!     .yaw_threshold(30);
    //! let answer = client.remote_sdk().sdk(BinaryImage::jpeg(photo), &params).await?;
    //! for image in &answer.images_estimations {
    //!     if let Some(error) = &image.error {
    //!         eprintln!("{:?}: {:?}", image.filename, error.detail);
    //!         continue;
    //!     }
    //!     for person in &image.estimations {
    //!         let face = person.face.as_ref().and_then(|f| f.attributes());
    //!         if let Some(descriptor) = face.and_then(|a| a.sdk_descriptor()) {
    //!             println!("descriptor version {}", descriptor?.version());
    //!         }
    //!     }
    //! }
    //! // Several images go as one multipart request; stored images by id as JSON.
    //! let many = ImageInput::images([BinaryImage::jpeg(vec![0xff, 0xd8]), BinaryImage::png(vec![0x89])]);
    //! client.remote_sdk().sdk(many, &SdkParams::new()).await?;
    //! # Ok(())
    //! # }
    //! ```
}
