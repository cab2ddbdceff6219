//! The endpoint catalogue is what the client sends (both modes): every public method of every
//! service handle goes through a recording server (one per service), and each request must
//! match its method's catalogue entry — service, HTTP method, path template, query names
//! within the declared ones, `account_id` exactly when the entry is account scoped, and a
//! retry exactly when the entry is retry-safe. Every entry must be reached by some method.

mod common;

crate::in_both_modes! {

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::*;
use sdk::model::common::{Saving, Targets};
use sdk::model::handlers::{NewVerifier};
use sdk::model::image_store::{UserMeta};
use sdk::services::events::{DescriptorQuery};
use sdk::services::faces::{ListFaces, NewList, OnExisting, OnMissing};
use httpmock::prelude::*;
use httpmock::HttpMockResponse;
use sdk::catalogue::{self, Endpoint};
use sdk::model::events::{Event, EventTarget, OrNull};
use sdk::model::faces::{AttributeFields, FacePatch, FaceTarget, NewAttribute, NewFace};
use sdk::model::handlers::{
    NewHandler, ObjectUpgrade, Policies, StreamEvents, StreamSource, StreamSourceType,
    VerifierPolicies,
};
use sdk::model::image_store::UploadOptions;
use sdk::model::images::{BinaryImage, ImageType};
use sdk::model::matching::{BinaryReference, Candidates, CrossMatchParams, MatchReference};
use sdk::model::remote_sdk::SdkParams;
use sdk::services::events::{DeleteEventsQuery, EventsQuery, StatQuery};
use sdk::services::faces::{
    AttributeIdsQuery, AttributeQuery, FaceAttributesQuery, FacesPageSize, FacesQuery,
    ListAttributesQuery, ListsQuery, Page,
};
use sdk::services::handlers::{
    DetectParams, EmitEventsParams, ExtractParams, HandlersQuery, VerifiersQuery, VerifyAgainst,
    VerifyParams,
};
use sdk::services::sender::{EventTimes, PublishRoute};
#[cfg(feature = "sender")]
use sdk::services::sender::SubscriptionFilters;
use sdk::{LunaClient, RetryPolicy, SdkDescriptor, Service};
use time::macros::datetime;

const HANDLER_ID: &str = "0a1b2c3d-6f0e-4a5c-9a55-8c1a0d1f1a66";
const VERIFIER_ID: &str = "9e8d7c6b-6f0e-4a5c-9a55-8c1a0d1f1abb";
const SAMPLE_ID: &str = "2c3d4e5f-6f0e-4a5c-9a55-8c1a0d1f1a88";
const IMAGE_ID: &str = "1a2b3c4d-6f0e-4a5c-9a55-8c1a0d1f1a66";

/// One request as the server saw it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Seen {
    method: String,
    path: String,
    query: Vec<String>,
}

/// A server answering every request with `status`, recording each request it saw.
struct Recorder {
    service: Service,
    server: MockServer,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Recorder {
    fn start(service: Service, status: u16) -> Recorder {
        let server = MockServer::start();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let log = seen.clone();
        server.mock(move |when, then| {
            when.any_request();
            then.respond_with(move |req: &HttpMockRequest| {
                let query = req.query_params().into_iter().map(|(name, _)| name).collect();
                log.lock().unwrap().push(Seen {
                    method: req.method().to_string(),
                    path: req.uri().path().to_owned(),
                    query,
                });
                HttpMockResponse::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body("{}")
                    .build()
            });
        });
        Recorder { service, server, seen }
    }
}

/// One recording server per service, a client addressed to them, and the entries reached.
struct Bench {
    recorders: Vec<Recorder>,
    client: LunaClient,
    reached: BTreeSet<(Service, &'static str)>,
    retries: bool,
}

impl Bench {
    /// `failing`: every answer is 503 and the client retries once, so a retry-safe request
    /// is seen twice and any other once.
    fn new(failing: bool) -> Bench {
        let status = if failing { 503 } else { 200 };
        let recorders: Vec<Recorder> =
            Service::ALL.iter().map(|s| Recorder::start(*s, status)).collect();
        let mut builder = LunaClient::builder()
            .account_id(ACCOUNT)
            .timeout(Duration::from_secs(5))
            .retry(if failing {
                RetryPolicy::standard()
                    .max_retries(1)
                    .backoff(Duration::from_millis(1), Duration::from_millis(1))
            } else {
                RetryPolicy::none()
            });
        for recorder in &recorders {
            builder = builder.address(recorder.service, &recorder.server.base_url());
        }
        Bench {
            client: builder.build().unwrap(),
            recorders,
            reached: BTreeSet::new(),
            retries: failing,
        }
    }

    fn clear(&self) {
        for recorder in &self.recorders {
            recorder.seen.lock().unwrap().clear();
        }
    }

    /// Checks what `rust_method` of the `client` handle sent against its entry.
    fn check(&mut self, client: Service, rust_method: &str) {
        let entry: &'static Endpoint = catalogue::find(client, rust_method)
            .unwrap_or_else(|| panic!("{rust_method} of {client:?} is not in the catalogue"));
        let mut sent = 0;
        for recorder in &self.recorders {
            let all: Vec<Seen> = std::mem::take(&mut *recorder.seen.lock().unwrap());
            let hits = all.len();
            let seen: BTreeSet<Seen> = all.into_iter().collect();
            if seen.is_empty() {
                continue;
            }
            assert_eq!(recorder.service, entry.service, "{rust_method} went to {:?}", recorder.service);
            for request in &seen {
                sent += 1;
                assert_eq!(request.method, entry.method.as_str(), "{rust_method}: {request:?}");
                let prefix = format!("/{}", entry.service.default_api_version());
                let path = request.path.strip_prefix(&prefix).unwrap_or_else(|| {
                    panic!("{rust_method}: {} outside {prefix}", request.path)
                });
                assert!(
                    entry.matches_path(path),
                    "{rust_method}: {path} does not fill {}",
                    entry.path_template
                );
                for name in &request.query {
                    assert!(entry.accepts_query(name), "{rust_method}: undeclared query `{name}`");
                }
                assert_eq!(
                    request.query.iter().any(|n| n == "account_id"),
                    entry.account_scoped,
                    "{rust_method}: account scoping differs from the catalogue ({request:?})"
                );
            }
            if self.retries {
                let expected = if entry.retry_safe { 2 } else { 1 } * seen.len();
                assert_eq!(hits, expected, "{rust_method}: retries differ from `retry_safe`");
            }
        }
        assert!(sent > 0, "{rust_method} sent nothing");
        self.reached.insert((entry.client, entry.rust_method));
        self.clear();
    }

    fn assert_every_entry_reached(&self) {
        for entry in catalogue::all() {
            // Without `sender` the crate has no subscription method to reach `/ws` with.
            if !cfg!(feature = "sender") && entry.rust_method == "subscribe" {
                continue;
            }
            assert!(
                self.reached.contains(&(entry.client, entry.rust_method)),
                "no method reached {entry} ({})",
                entry.rust_method
            );
        }
    }
}

fn descriptor() -> SdkDescriptor {
    SdkDescriptor::new(59, &[3u8; 512]).unwrap()
}

fn new_attribute() -> NewAttribute {
    NewAttribute::new(AttributeFields::new().descriptor(descriptor())).ttl(60)
}

fn rich_faces_query() -> FacesQuery {
    FacesQuery::new()
        .user_data("ann")
        .list_id(LIST_ID)
        .face_ids([FACE_ID])
        .time_gte(datetime!(2024-01-01 00:00 UTC))
        .external_ids(["e1"])
        .face_id_gte(FACE_ID)
        .page(1)
        .page_size(FacesPageSize::Limit(5))
        .targets([FaceTarget::FaceId])
}

fn rich_events_query() -> EventsQuery {
    EventsQuery::new()
        .targets([EventTarget::EventId])
        .create_time_gte(datetime!(2024-01-01 00:00 UTC))
        .handler_ids([HANDLER_ID])
        .age_gte(18)
        .gender(OrNull::Null)
        .page(1)
        .page_size(5)
}

/// Calls every public method of every handle (each one request at least), checking each.
#[maybe_async]
async fn every_method(bench: &mut Bench) {
    let faces = bench.client.faces();
    let _ = faces.create_face(&NewFace::new().user_data("x")).await;
    bench.check(Service::Faces, "create_face");
    let _ = faces.put_face(FACE_ID, &NewFace::new().user_data("x")).await;
    bench.check(Service::Faces, "put_face");
    let _ = faces.get_face(FACE_ID, Targets::only([FaceTarget::FaceId])).await;
    bench.check(Service::Faces, "get_face");
    let _ = faces.head_face(FACE_ID).await;
    bench.check(Service::Faces, "head_face");
    let _ = faces.patch_face(FACE_ID, &FacePatch::new().user_data("y")).await;
    bench.check(Service::Faces, "patch_face");
    let _ = faces.delete_face(FACE_ID).await;
    bench.check(Service::Faces, "delete_face");
    let _ = faces.delete_faces([FACE_ID], OnMissing::Ignore).await;
    bench.check(Service::Faces, "delete_faces");
    let _ = faces.get_faces(&rich_faces_query()).await;
    bench.check(Service::Faces, "get_faces");
    let _ = collect_pages(faces.iter_faces(rich_faces_query())).await;
    bench.check(Service::Faces, "iter_faces");
    let _ = faces.get_faces_count(&rich_faces_query()).await;
    bench.check(Service::Faces, "get_faces_count");
    let _ = faces.get_faces_attributes([FACE_ID]).await;
    bench.check(Service::Faces, "get_faces_attributes");
    let _ = faces.get_face_attributes(FACE_ID, &FaceAttributesQuery::new().descriptor_version(59)).await;
    bench.check(Service::Faces, "get_face_attributes");
    let _ = faces.put_face_attributes(FACE_ID, &AttributeFields::new().attribute_id(ATTRIBUTE_ID)).await;
    bench.check(Service::Faces, "put_face_attributes");
    let _ = faces.update_face_attributes(FACE_ID, &AttributeFields::new().attribute_id(ATTRIBUTE_ID)).await;
    bench.check(Service::Faces, "update_face_attributes");
    let _ = faces.delete_face_attributes(FACE_ID).await;
    bench.check(Service::Faces, "delete_face_attributes");
    let _ = faces.get_face_attribute_samples(FACE_ID).await;
    bench.check(Service::Faces, "get_face_attribute_samples");
    let _ = faces.create_list(&NewList::new("vip").list_id(LIST_ID)).await;
    bench.check(Service::Faces, "create_list");
    let _ = faces.get_list(LIST_ID, Page::new(1, 10)).await;
    bench.check(Service::Faces, "get_list");
    let lists = ListsQuery::new().user_data("v").list_ids([LIST_ID]).page(1).page_size(5);
    let _ = faces.get_lists(&lists).await;
    bench.check(Service::Faces, "get_lists");
    let _ = collect_pages(faces.iter_lists(lists.clone())).await;
    bench.check(Service::Faces, "iter_lists");
    let _ = faces.get_lists_count(&lists).await;
    bench.check(Service::Faces, "get_lists_count");
    let _ = faces.head_list(LIST_ID).await;
    bench.check(Service::Faces, "head_list");
    let _ = faces.patch_list(LIST_ID, "u").await;
    bench.check(Service::Faces, "patch_list");
    let _ = faces.delete_list(LIST_ID, ListFaces::Delete).await;
    bench.check(Service::Faces, "delete_list");
    let _ = faces.delete_lists([LIST_ID], ListFaces::Delete).await;
    bench.check(Service::Faces, "delete_lists");
    let _ = faces.link_faces_to_list(LIST_ID, [FACE_ID]).await;
    bench.check(Service::Faces, "link_faces_to_list");
    let _ = faces.unlink_faces_from_list(LIST_ID, [FACE_ID]).await;
    bench.check(Service::Faces, "unlink_faces_from_list");
    let _ = faces
        .get_attributes_from_list(LIST_ID, &ListAttributesQuery::new().limit(5).parity(true).link_key_gte(1))
        .await;
    bench.check(Service::Faces, "get_attributes_from_list");
    let _ = faces.create_attribute(&new_attribute()).await;
    bench.check(Service::Faces, "create_attribute");
    let _ = faces.get_attributes([ATTRIBUTE_ID], &AttributeQuery::new().descriptor_version(59)).await;
    bench.check(Service::Faces, "get_attributes");
    let _ = faces.get_attribute(ATTRIBUTE_ID, &AttributeQuery::new().descriptor_version(59)).await;
    bench.check(Service::Faces, "get_attribute");
    let _ = faces.head_attribute(ATTRIBUTE_ID).await;
    bench.check(Service::Faces, "head_attribute");
    let _ = faces.put_attribute(ATTRIBUTE_ID, &new_attribute(), OnExisting::Replace).await;
    bench.check(Service::Faces, "put_attribute");
    let _ = faces.delete_attribute(ATTRIBUTE_ID).await;
    bench.check(Service::Faces, "delete_attribute");
    let _ = faces.get_attribute_samples(ATTRIBUTE_ID).await;
    bench.check(Service::Faces, "get_attribute_samples");
    let _ = faces
        .get_attribute_ids(&AttributeIdsQuery::new().list_id(LIST_ID).time_gte(datetime!(2024-01-01 00:00 UTC)))
        .await;
    bench.check(Service::Faces, "get_attribute_ids");

    let events = bench.client.events();
    let _ = events.save_events(&[Event::new()], Saving::Wait).await;
    bench.check(Service::Events, "save_events");
    let _ = events.get_events(&rich_events_query()).await;
    bench.check(Service::Events, "get_events");
    let _ = collect_pages(events.iter_events(rich_events_query())).await;
    bench.check(Service::Events, "iter_events");
    let _ = events.get_event(EVENT_ID, Targets::only([EventTarget::EventId])).await;
    bench.check(Service::Events, "get_event");
    let _ = events.head_event(EVENT_ID).await;
    bench.check(Service::Events, "head_event");
    let _ = events.get_event_descriptor(EVENT_ID, &DescriptorQuery::new().version(59)).await;
    bench.check(Service::Events, "get_event_descriptor");
    let _ = events.delete_events(&DeleteEventsQuery::new().handler_id(HANDLER_ID)).await;
    bench.check(Service::Events, "delete_events");
    let _ = events.get_events_stats(&StatQuery::count()).await;
    bench.check(Service::Events, "get_events_stats");

    let store = bench.client.image_store("bucket-1");
    let options = UploadOptions::new().ttl(60).meta("camera", "gate");
    let _ = store.post_image(vec![1u8, 2, 3], &options).await;
    bench.check(Service::ImageStore, "post_image");
    let _ = store.put_image(vec![1u8, 2, 3], IMAGE_ID, &options).await;
    bench.check(Service::ImageStore, "put_image");
    let _ = store.get_image(IMAGE_ID, UserMeta::Include).await;
    bench.check(Service::ImageStore, "get_image");
    let _ = store.get_image_stream(IMAGE_ID, UserMeta::Include).await;
    bench.check(Service::ImageStore, "get_image_stream");
    let _ = store.head_image(IMAGE_ID, UserMeta::Include).await;
    bench.check(Service::ImageStore, "head_image");
    let _ = store.delete_image(IMAGE_ID).await;
    bench.check(Service::ImageStore, "delete_image");
    let _ = store.delete_images([IMAGE_ID]).await;
    bench.check(Service::ImageStore, "delete_images");
    let _ = store.post_object(vec![1u8], &options).await;
    bench.check(Service::ImageStore, "post_object");
    let _ = store.put_object(vec![1u8], IMAGE_ID, &options).await;
    bench.check(Service::ImageStore, "put_object");
    let _ = store.get_object(IMAGE_ID).await;
    bench.check(Service::ImageStore, "get_object");
    let _ = store.get_object_stream(IMAGE_ID).await;
    bench.check(Service::ImageStore, "get_object_stream");
    let _ = store.head_object(IMAGE_ID).await;
    bench.check(Service::ImageStore, "head_object");
    let _ = store.delete_object(IMAGE_ID).await;
    bench.check(Service::ImageStore, "delete_object");
    let _ = store.delete_objects([IMAGE_ID]).await;
    bench.check(Service::ImageStore, "delete_objects");
    let _ = store.create_bucket().await;
    bench.check(Service::ImageStore, "create_bucket");
    let _ = store.bucket_exists().await;
    bench.check(Service::ImageStore, "bucket_exists");
    let _ = store.delete_bucket().await;
    bench.check(Service::ImageStore, "delete_bucket");
    let _ = store.list_buckets().await;
    bench.check(Service::ImageStore, "list_buckets");

    let matcher = bench.client.matcher();
    let candidates = [Candidates::faces(FacesQuery::new().list_id(LIST_ID)).limit(3)];
    let _ = matcher.match_faces(&candidates, &[MatchReference::event(EVENT_ID)]).await;
    bench.check(Service::Matcher, "match_faces");
    let _ = matcher
        .match_bodies(&[Candidates::events(EventsQuery::new())], &[MatchReference::event(EVENT_ID)])
        .await;
    bench.check(Service::Matcher, "match_bodies");
    let refs = [BinaryReference::new("r", descriptor())];
    let _ = matcher.match_raw(&refs, &refs).await;
    bench.check(Service::Matcher, "match_raw");
    let cross = CrossMatchParams::new().limit(5).threshold(0.5).sorting(true);
    let _ = matcher.crossmatch_faces(FacesQuery::new(), EventsQuery::new(), &cross).await;
    bench.check(Service::Matcher, "crossmatch_faces");
    let _ = matcher.crossmatch_bodies(EventsQuery::new(), EventsQuery::new(), &cross).await;
    bench.check(Service::Matcher, "crossmatch_bodies");

    let lrs = bench.client.remote_sdk();
    let params = SdkParams::new().detect_face(true).estimate_mask(true).image_type(ImageType::RawImage);
    let _ = lrs.sdk(BinaryImage::jpeg(vec![1u8]), &params).await;
    bench.check(Service::RemoteSdk, "sdk");

    let sender = bench.client.sender();
    let _ = sender
        .publish(&PublishRoute::HandlersRawEvents, &[Event::new()], HANDLER_ID, &EventTimes::new())
        .await;
    bench.check(Service::Sender, "publish");
    #[cfg(feature = "sender")]
    {
        let filters = SubscriptionFilters::new().sources(["cam"]).age_gte(18).handler_ids([HANDLER_ID]);
        let _ = sender.subscribe(&filters).await;
        bench.check(Service::Sender, "subscribe");
    }

    let handlers = bench.client.handlers();
    let _ = handlers.create_handler(&NewHandler::dynamic()).await;
    bench.check(Service::Handlers, "create_handler");
    let _ = handlers.get_handler_by_id(HANDLER_ID).await;
    bench.check(Service::Handlers, "get_handler_by_id");
    let _ = handlers.check_handler_by_id(HANDLER_ID).await;
    bench.check(Service::Handlers, "check_handler_by_id");
    let _ = handlers.update_handler(HANDLER_ID, &NewHandler::dynamic()).await;
    bench.check(Service::Handlers, "update_handler");
    let _ = handlers.delete_handler_by_id(HANDLER_ID).await;
    bench.check(Service::Handlers, "delete_handler_by_id");
    let handler_query = HandlersQuery::new().description("d").page(1).page_size(5);
    let _ = handlers.get_handlers(&handler_query).await;
    bench.check(Service::Handlers, "get_handlers");
    let _ = collect_pages(handlers.iter_handlers(handler_query.clone())).await;
    bench.check(Service::Handlers, "iter_handlers");
    let _ = handlers.get_handlers_count(&handler_query).await;
    bench.check(Service::Handlers, "get_handlers_count");
    let _ = handlers.validate_handler(&Policies::new()).await;
    bench.check(Service::Handlers, "validate_handler");
    let emit = EmitEventsParams::new().user_data("u").source("cam").tags(["a"]);
    let _ = handlers.emit_events(HANDLER_ID, BinaryImage::jpeg(vec![1u8]), &emit).await;
    bench.check(Service::Handlers, "emit_events");
    let sources = StreamEvents::new([StreamSource::new(StreamSourceType::RawImage)]);
    let _ = handlers.emit_stream_events(HANDLER_ID, &sources).await;
    bench.check(Service::Handlers, "emit_stream_events");
    let _ = handlers.save_event(HANDLER_ID, &Event::new(), Saving::Wait).await;
    bench.check(Service::Handlers, "save_event");
    let detect = DetectParams::new().estimate_head_pose(true).image_type(ImageType::RawImage);
    let _ = handlers.detect_faces(BinaryImage::jpeg(vec![1u8]), &detect).await;
    bench.check(Service::Handlers, "detect_faces");
    let extract = ExtractParams::new().extract_basic_attributes(true).ttl(60);
    let _ = handlers.extract_attr_from_sample([SAMPLE_ID], &extract).await;
    bench.check(Service::Handlers, "extract_attr_from_sample");
    let _ = handlers.upgrade_object_from_sample(&ObjectUpgrade::event(EVENT_ID)).await;
    bench.check(Service::Handlers, "upgrade_object_from_sample");
    let _ = handlers.create_verifier(&NewVerifier::new(VerifierPolicies::new()).description("door")).await;
    bench.check(Service::Handlers, "create_verifier");
    let _ = handlers.get_verifier(VERIFIER_ID).await;
    bench.check(Service::Handlers, "get_verifier");
    let _ = handlers.check_verifier(VERIFIER_ID).await;
    bench.check(Service::Handlers, "check_verifier");
    let _ = handlers.put_verifier(VERIFIER_ID, &NewVerifier::new(VerifierPolicies::new())).await;
    bench.check(Service::Handlers, "put_verifier");
    let _ = handlers.delete_verifier(VERIFIER_ID).await;
    bench.check(Service::Handlers, "delete_verifier");
    let verifier_query = VerifiersQuery::new().description("d").page(1).page_size(5);
    let _ = handlers.get_verifiers(&verifier_query).await;
    bench.check(Service::Handlers, "get_verifiers");
    let _ = collect_pages(handlers.iter_verifiers(verifier_query.clone())).await;
    bench.check(Service::Handlers, "iter_verifiers");
    let _ = handlers.get_verifiers_count(&verifier_query).await;
    bench.check(Service::Handlers, "get_verifiers_count");
    let _ = handlers
        .verify_data(
            VERIFIER_ID,
            BinaryImage::jpeg(vec![1u8]),
            &VerifyAgainst::faces([FACE_ID]),
            &VerifyParams::new().use_exif_info(true),
        )
        .await;
    bench.check(Service::Handlers, "verify_data");
    let _ = handlers.verify_raw(VERIFIER_ID, &refs, &refs).await;
    bench.check(Service::Handlers, "verify_raw");
}

both_modes! {
    async fn every_method_sends_what_its_catalogue_entry_says() {
        let mut bench = Bench::new(false);
        every_method(&mut bench).await;
        bench.assert_every_entry_reached();
    }

    async fn exactly_the_retry_safe_entries_are_retried() {
        let mut bench = Bench::new(true);
        every_method(&mut bench).await;
        bench.assert_every_entry_reached();
    }
}

}
