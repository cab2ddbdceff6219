//! The Handlers client against the embedded luna-emulator (both modes), through the flows of
//! the tour: enrol people from photos with one handler, emit events of new photos with another
//! that matches, tags and stores them, and find the events again through `get_events` and a
//! Sender subscription; raw and stream events; detector, extractor and upgrade; verifiers.
//! Every Handlers method at least once.

mod common;

crate::in_both_modes! {

use crate::common::emulator::{api_code, emulator};
use luna_emulator::{synthetic_face, Service};
use sdk::model::events::Event;
use sdk::model::faces::{AttributeFields, FaceAttributeTarget, NewFace};
use sdk::model::handlers::{
    ConditionalTag, DetectPolicy, EventPolicy, ExtractPolicy, FacePolicy, LinkToListPolicy,
    MatchCondition, MatchPolicy, NewHandler, ObjectUpgrade, Policies, PolicyFilters,
    SamplePolicy, StoragePolicy, StreamEvents, StreamSource, StreamSourceType,
    VerifierPolicies,
};
use sdk::model::images::{BinaryImage, ImageInput};
use sdk::model::matching::BinaryReference;
use sdk::model::remote_sdk::SdkParams;
use sdk::services::events::EventsQuery;
use sdk::services::faces::{FaceAttributesQuery, FacesQuery};
use sdk::services::handlers::{
    DetectParams, EmitEventsParams, ExtractParams, HandlersQuery, VerifiersQuery,
    VerifyAgainst, VerifyInput, VerifyParams,
};
use sdk::services::sender::SubscriptionFilters;
use sdk::{LunaClient, SdkDescriptor};
use std::collections::HashSet;
use uuid::Uuid;
use sdk::model::common::{Saving, Targets};
use sdk::model::handlers::NewVerifier;
use sdk::services::faces::NewList;

const THRESHOLD: f64 = 0.5;

/// Detect, extract, store the face linked to `list`, its sample and the event.
fn enrol_policies(list: Uuid) -> Policies {
    Policies::new()
        .detect_policy(DetectPolicy::new().detect_face(true))
        .extract_policy(
            ExtractPolicy::new()
                .extract_face_descriptor(true)
                .extract_basic_attributes(true),
        )
        .storage_policy(
            StoragePolicy::new()
                .face_sample_policy(SamplePolicy::new(true))
                .face_policy(FacePolicy::new(true).link_to_list(LinkToListPolicy::new(list)))
                .event_policy(EventPolicy::new(true).wait_saving(true)),
        )
}

/// Detect, extract, match against `list`, tag `known` at ≥ 0.9, store the event.
fn search_policies(list: Uuid) -> Policies {
    let known = PolicyFilters::new().match_condition(MatchCondition::new("staff").similarity_gte(0.9));
    Policies::new()
        .detect_policy(DetectPolicy::new().detect_face(true).estimate_emotions(true))
        .extract_policy(ExtractPolicy::new().extract_face_descriptor(true))
        .match_policy(
            MatchPolicy::new("staff", FacesQuery::new().list_id(list))
                .unwrap()
                .limit(3)
                .threshold(THRESHOLD),
        )
        .conditional_tag(ConditionalTag::new("known", known))
        .storage_policy(StoragePolicy::new().event_policy(EventPolicy::new(true).wait_saving(true)))
}

/// A list and one face per person, enrolled by a handler from their photo 0.
#[maybe_async]
async fn enrol(client: &LunaClient, people: &[&str]) -> (Uuid, Uuid, Vec<Uuid>) {
    let list = client.faces().create_list(&NewList::new("staff")).await.unwrap().list_id;
    let handlers = client.handlers();
    let handler = handlers
        .create_handler(&NewHandler::with_policies(enrol_policies(list)).description("enrol"))
        .await
        .unwrap()
        .id;
    let mut faces = Vec::new();
    for person in people {
        let params = EmitEventsParams::new().external_id(*person).user_data(*person);
        let photo = BinaryImage::png(synthetic_face(person, 0));
        let answer = handlers.emit_events(handler, photo, &params).await.unwrap();
        let face = answer.events[0].face.as_ref().expect("a face was created");
        assert_eq!(face.external_id.as_deref(), Some(*person));
        faces.push(face.face_id.unwrap());
    }
    (list, handler, faces)
}

/// The face descriptor of `person`'s photo `variant`, through luna-remote-sdk.
#[maybe_async]
async fn photo_descriptor(client: &LunaClient, person: &str, variant: u32) -> SdkDescriptor {
    let params = SdkParams::new().detect_face(true).estimate_face_descriptor(true);
    let photo = BinaryImage::png(synthetic_face(person, variant));
    let answer = client.remote_sdk().sdk(photo, &params).await.unwrap();
    answer.images_estimations[0].estimations[0]
        .face
        .as_ref()
        .and_then(|face| face.attributes())
        .and_then(|attributes| attributes.sdk_descriptor())
        .expect("a descriptor")
        .expect("a decodable descriptor")
}

both_modes! {
    async fn enrol_emit_match_query_and_subscribe() {
        let (client, _) = emulator_client();
        let handlers = client.handlers();
        assert_eq!(handlers.get_address(), emulator().base_url(Service::Handlers));
        let (list, enrol_handler, faces) = enrol(&client, &["alice", "bob", "carol"]).await;
        let in_list = client.faces().get_faces_count(&FacesQuery::new().list_id(list)).await.unwrap();
        assert_eq!(in_list, 3);

        handlers.validate_handler(&search_policies(list)).await.unwrap();
        // A handler linking faces to a list that does not exist is refused.
        let missing_list = NewHandler::with_policies(enrol_policies(Uuid::new_v4()));
        let refused = handlers.create_handler(&missing_list).await;
        assert_eq!(api_code(refused).1, Some(22005), "a policy naming a missing list");
        let search = handlers
            .create_handler(&NewHandler::with_policies(search_policies(list)).description("search"))
            .await
            .unwrap()
            .id;
        let mut subscription = client
            .sender()
            .subscribe(&SubscriptionFilters::new().handler_ids([search]))
            .await
            .unwrap();

        // A new photo of bob: his face is the top match, ≥ 0.9, alone above the threshold.
        let params = EmitEventsParams::new()
            .source("entrance")
            .tags(["entrance"])
            .external_id("visit-1");
        let answer = handlers
            .emit_events(search, BinaryImage::png(synthetic_face("bob", 1)), &params)
            .await
            .unwrap();
        assert_eq!(answer.failed_images().count(), 0);
        let bob = &answer.events[0];
        let results = bob.match_results();
        assert_eq!(results.len(), 1);
        assert_eq!(results[0].label.as_deref(), Some("staff"));
        let candidates = results[0].candidates.clone().unwrap_or_default();
        assert_eq!(candidates.len(), 1, "alice and carol stay below {THRESHOLD}: {candidates:?}");
        assert_eq!(candidates[0].face.as_ref().and_then(|f| f.face_id), Some(faces[1]));
        assert!(candidates[0].similarity.unwrap() >= 0.9, "{candidates:?}");
        let top = bob.event.top_match.as_ref().expect("a top match");
        assert_eq!(top.face_id, Some(faces[1]));
        assert!(top.similarity.unwrap() >= 0.9);
        let tags = bob.event.tags.clone().unwrap_or_default();
        assert!(tags.contains(&"known".to_owned()) && tags.contains(&"entrance".to_owned()), "{tags:?}");
        assert_eq!(bob.event.source.as_deref(), Some("entrance"));

        // A stranger: no candidate above the threshold, no top match, not known.
        let answer = handlers
            .emit_events(search, BinaryImage::png(synthetic_face("mallory", 0)), &EmitEventsParams::new())
            .await
            .unwrap();
        let stranger = &answer.events[0];
        let candidates = stranger.match_results()[0].candidates.clone().unwrap_or_default();
        assert!(candidates.is_empty(), "{candidates:?}");
        assert!(stranger.event.top_match.is_none());
        assert!(!stranger.event.tags.clone().unwrap_or_default().contains(&"known".to_owned()));

        // Two photos in one request: two events, one per image.
        let two = ImageInput::images([
            BinaryImage::png(synthetic_face("alice", 2)).file_name("alice"),
            BinaryImage::png(synthetic_face("carol", 2)).file_name("carol"),
        ]);
        let answer = handlers.emit_events(search, two, &EmitEventsParams::new()).await.unwrap();
        assert_eq!(answer.events.len(), 2);
        assert_eq!(answer.images.len(), 2);
        let tops: Vec<_> = answer
            .events
            .iter()
            .map(|e| e.event.top_match.as_ref().and_then(|t| t.face_id))
            .collect();
        assert_eq!(tops, vec![Some(faces[0]), Some(faces[2])]);

        // The stored events come back through get_events and the subscription.
        let emitted: HashSet<Uuid> = [bob.event_id(), stranger.event_id()]
            .into_iter()
            .chain(answer.events.iter().map(|e| e.event_id()))
            .map(Option::unwrap)
            .collect();
        let stored = client
            .events()
            .get_events(&EventsQuery::new().handler_ids([search]))
            .await
            .unwrap()
            .events;
        let stored_ids: HashSet<Uuid> = stored.iter().filter_map(|e| e.event_id).collect();
        assert_eq!(stored_ids, emitted);
        let known = client
            .events()
            .get_events(&EventsQuery::new().handler_ids([search]).tags(["known"]))
            .await
            .unwrap()
            .events;
        assert_eq!(known.len(), 3, "everyone but the stranger");
        let of_bob = client
            .events()
            .get_events(&EventsQuery::new().top_similar_object_ids([faces[1]]))
            .await
            .unwrap()
            .events;
        assert_eq!(of_bob.len(), 1);
        assert_eq!(of_bob[0].external_id.as_deref(), Some("visit-1"));
        let mut pushed = HashSet::new();
        while pushed.len() < emitted.len() {
            let frame = subscription.next_event().await.unwrap().expect("an event");
            let id: Uuid = frame["event_id"].as_str().expect("an event id").parse().unwrap();
            pushed.insert(id);
        }
        assert_eq!(pushed, emitted);
        subscription.close().await.unwrap();

        // Handler CRUD, counts and paging.
        let handler = handlers.get_handler_by_id(search).await.unwrap();
        assert_eq!(handler.handler_id, Some(search));
        assert_eq!(handler.description.as_deref(), Some("search"));
        let policies = handler.policies.expect("policies");
        assert_eq!(policies.match_policy.unwrap()[0].label.as_deref(), Some("staff"));
        let exists = handlers.check_handler_by_id(search).await.unwrap();
        assert!(exists);
        handlers
            .update_handler(search, &NewHandler::with_policies(search_policies(list)).description("search v2"))
            .await
            .unwrap();
        let updated = handlers.get_handler_by_id(search).await.unwrap();
        assert_eq!(updated.description.as_deref(), Some("search v2"));
        let count = handlers.get_handlers_count(&HandlersQuery::new()).await.unwrap();
        assert_eq!(count, 2);
        let page = handlers
            .get_handlers(&HandlersQuery::new().description("v2"))
            .await
            .unwrap();
        assert_eq!(page.iter().map(|h| h.handler_id).collect::<Vec<_>>(), vec![Some(search)]);
        let second = handlers
            .get_handlers(&HandlersQuery::new().page(2).page_size(1))
            .await
            .unwrap();
        assert_eq!(second.len(), 1);
        handlers.delete_handler_by_id(enrol_handler).await.unwrap();
        let enrol_exists = handlers.check_handler_by_id(enrol_handler).await.unwrap();
        assert!(!enrol_exists);
        let gone = handlers.get_handler_by_id(enrol_handler).await;
        assert_eq!(api_code(gone).0, 404);
        let count = handlers.get_handlers_count(&HandlersQuery::new()).await.unwrap();
        assert_eq!(count, 1);
    }

    async fn raw_and_stream_events_are_stored_and_pushed() {
        let (client, _) = emulator_client();
        let handlers = client.handlers();
        let policies = Policies::new()
            .storage_policy(StoragePolicy::new().event_policy(EventPolicy::new(true).wait_saving(true)));
        let handler = handlers.create_handler(&NewHandler::with_policies(policies)).await.unwrap().id;
        let mut subscription = client
            .sender()
            .subscribe(&SubscriptionFilters::new().handler_ids([handler]))
            .await
            .unwrap();

        let mut raw = Event::new();
        raw.source = Some("door".into());
        raw.user_data = Some("opened".into());
        let saved = handlers.save_event(handler, &raw, Saving::Wait).await.unwrap();
        let raw_id = saved.event_id.expect("an event id");
        let stored = client.events().get_event(raw_id, Targets::All).await.unwrap();
        assert_eq!(stored.source.as_deref(), Some("door"));
        assert_eq!(stored.user_data.as_deref(), Some("opened"));
        assert_eq!(stored.handler_id, Some(handler.to_string()));

        let sources = StreamEvents::new([
            StreamSource::new(StreamSourceType::RawImage).image(&synthetic_face("sam", 0)),
        ]);
        let answer = handlers.emit_stream_events(handler, &sources).await.unwrap();
        assert_eq!(answer.events.len(), 1);
        let stream_id = answer.events[0].event_id().expect("a stored event");
        let stream_stored = client.events().head_event(stream_id).await.unwrap();
        assert!(stream_stored);

        let mut pushed = HashSet::new();
        while pushed.len() < 2 {
            let frame = subscription.next_event().await.unwrap().expect("an event");
            pushed.insert(frame["event_id"].as_str().unwrap().parse::<Uuid>().unwrap());
        }
        assert_eq!(pushed, HashSet::from([raw_id, stream_id]));
        subscription.close().await.unwrap();
    }

    async fn detector_extractor_and_upgrade_work_from_samples() {
        let (client, _) = emulator_client();
        let handlers = client.handlers();
        let photos = ImageInput::images([
            BinaryImage::png(synthetic_face("ruth", 0)).file_name("ruth"),
            BinaryImage::jpeg(b"not an image".to_vec()).file_name("broken"),
        ]);
        let detected = handlers
            .detect_faces(photos, &DetectParams::new().estimate_head_pose(true))
            .await
            .unwrap();
        assert_eq!(detected.images.len(), 2);
        let ruth = detected
            .images
            .iter()
            .find(|image| image.status.filename.as_deref() == Some("ruth"))
            .unwrap();
        let broken = detected
            .images
            .iter()
            .find(|image| image.status.filename.as_deref() == Some("broken"))
            .unwrap();
        assert!(broken.status.is_error(), "{broken:?}");
        let samples = &ruth.detections.as_ref().expect("detections").samples;
        assert_eq!(samples.len(), 1);
        let sample_id = samples[0].face.as_ref().and_then(|f| f.sample_id).expect("a sample id");

        // Attributes extracted from the sample match ruth's other photos.
        let extracted = handlers
            .extract_attr_from_sample(
                [sample_id],
                &ExtractParams::new().extract_descriptor(true).extract_basic_attributes(true),
            )
            .await
            .unwrap();
        assert_eq!(extracted.len(), 1);
        let attribute_id = extracted[0].attribute_id.expect("an attribute");
        assert!(extracted[0].basic_attributes.is_some());
        let attribute_exists = client.faces().head_attribute(attribute_id).await.unwrap();
        assert!(attribute_exists);
        let face = client
            .faces()
            .create_face(&NewFace::new().attribute(AttributeFields::new().attribute_id(attribute_id)))
            .await
            .unwrap()
            .face_id;

        // Upgrade: a descriptor of another version from the face's samples.
        let upgraded = handlers
            .upgrade_object_from_sample(&ObjectUpgrade::face(face).descriptor_version(59))
            .await
            .unwrap();
        let versions = upgraded["descriptor_versions"].as_array().expect("versions").clone();
        assert!(versions.contains(&59.into()), "{upgraded}");
        let query = FaceAttributesQuery::new()
            .descriptor_version(59)
            .targets([FaceAttributeTarget::FaceDescriptor]);
        let attributes = client.faces().get_face_attributes(face, &query).await.unwrap();
        assert!(attributes.descriptor.is_some(), "{attributes:?}");
        let missing = handlers
            .upgrade_object_from_sample(&ObjectUpgrade::face(Uuid::new_v4()).descriptor_version(59))
            .await;
        assert_eq!(api_code(missing), (404, Some(22002)));
    }

    async fn verifiers_verify_photos_descriptors_and_raw_descriptors() {
        let (client, _) = emulator_client();
        let handlers = client.handlers();
        let (_, _, faces) = enrol(&client, &["vera"]).await;
        let policies = VerifierPolicies::new().verification_threshold(0.9);
        let verifier = handlers.create_verifier(&NewVerifier::new(policies).description("door")).await.unwrap().id;
        let exists = handlers.check_verifier(verifier).await.unwrap();
        assert!(exists);
        let got = handlers.get_verifier(verifier).await.unwrap();
        assert_eq!(got.description.as_deref(), Some("door"));
        handlers
            .put_verifier(verifier, &NewVerifier::new(VerifierPolicies::new().verification_threshold(0.8)).description("door 2"))
            .await
            .unwrap();
        let got = handlers.get_verifier(verifier).await.unwrap();
        assert_eq!(got.description.as_deref(), Some("door 2"));
        assert_eq!(got.policies.and_then(|p| p.verification_threshold), Some(0.8));
        let other = handlers.create_verifier(&NewVerifier::new(VerifierPolicies::new()).description("gate")).await.unwrap().id;
        let count = handlers.get_verifiers_count(&VerifiersQuery::new()).await.unwrap();
        assert_eq!(count, 2);
        let doors = handlers
            .get_verifiers(&VerifiersQuery::new().description("door"))
            .await
            .unwrap();
        assert_eq!(doors.iter().map(|v| v.verifier_id).collect::<Vec<_>>(), vec![Some(verifier)]);

        // A new photo of vera passes against her face, a stranger's does not.
        let against = VerifyAgainst::faces([faces[0]]);
        for (person, passes) in [("vera", true), ("mallory", false)] {
            let photo = BinaryImage::png(synthetic_face(person, 4));
            let verdict = handlers
                .verify_data(verifier, photo, &against, &VerifyParams::new())
                .await
                .unwrap();
            let checks: Vec<_> = verdict.images[0].verifications().collect();
            assert_eq!(checks.len(), 1, "{verdict:?}");
            let similarity = checks[0].similarity.unwrap();
            assert_eq!(checks[0].status, Some(passes), "{person}: {similarity}");
            assert_eq!(similarity >= 0.9, passes, "{person}: {similarity}");
        }
        // A descriptor instead of a photo.
        let descriptor = photo_descriptor(&client, "vera", 6).await;
        let verdict = handlers
            .verify_data(verifier, VerifyInput::from(descriptor.clone()), &against, &VerifyParams::new())
            .await
            .unwrap();
        let check = verdict.images[0].verifications().next().expect("a verification").clone();
        assert_eq!(check.status, Some(true), "{verdict:?}");

        // Raw: descriptors against descriptors.
        let references = [BinaryReference::new("vera", descriptor)];
        let candidates = [
            BinaryReference::new("vera again", photo_descriptor(&client, "vera", 7).await),
            BinaryReference::new("stranger", photo_descriptor(&client, "mallory", 7).await),
        ];
        let raw = handlers.verify_raw(verifier, &candidates, &references).await.unwrap();
        assert_eq!(raw.len(), 1);
        let of = |id: &str| {
            let m = raw[0].matches.iter().find(|m| m.candidate_id() == Some(id)).unwrap();
            (m.similarity.unwrap(), m.extra.get("status").cloned())
        };
        assert!(of("vera again").0 >= 0.9);
        assert_eq!(of("vera again").1, Some(true.into()));
        assert!(of("stranger").0 < THRESHOLD);
        assert_eq!(of("stranger").1, Some(false.into()));

        handlers.delete_verifier(other).await.unwrap();
        let other_exists = handlers.check_verifier(other).await.unwrap();
        assert!(!other_exists);
        let count = handlers.get_verifiers_count(&VerifiersQuery::new()).await.unwrap();
        assert_eq!(count, 1);
    }
}

}
