//! The Python Matcher client against the embedded luna-emulator (both modes): people enrolled
//! from synthetic photos are found again from new photos (faces, events and attributes as
//! candidates; faces, events, attributes and descriptors as references), strangers are not,
//! bodies match per person, and cross-matching pairs each event with its person.

mod common;

crate::in_both_modes! {

use crate::common::emulator::emulator;
use luna_emulator::{synthetic_face, Service};
use sdk::services::faces::NewList;
use sdk::model::faces::{AttributeFields, NewAttribute, NewFace};
use sdk::model::handlers::{
    DetectPolicy, EventPolicy, ExtractPolicy, NewHandler, Policies, StoragePolicy,
};
use sdk::model::images::BinaryImage;
use sdk::model::matching::{
    AttributeFilters, Candidates, CrossMatchParams, MatchReference, ReferenceMatches,
    ReferenceSimilarities,
};
use sdk::model::remote_sdk::SdkParams;
use sdk::services::events::EventsQuery;
use sdk::services::faces::FacesQuery;
use sdk::services::handlers::EmitEventsParams;
use sdk::{LunaClient, SdkDescriptor};
use uuid::Uuid;

const THRESHOLD: f64 = 0.5;

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

/// A list with one face per person (descriptor of their photo 0, external id = name).
#[maybe_async]
async fn enrol(client: &LunaClient, people: &[&str]) -> (Uuid, Vec<Uuid>) {
    let faces = client.faces();
    let list = faces.create_list(&NewList::new("matcher")).await.unwrap().list_id;
    let mut ids = Vec::new();
    for person in people {
        let descriptor = photo_descriptor(client, person, 0).await;
        let face = NewFace::new()
            .external_id(*person)
            .user_data(*person)
            .list_ids([list])
            .attribute(AttributeFields::new().descriptor(descriptor));
        ids.push(faces.create_face(&face).await.unwrap().face_id);
    }
    (list, ids)
}

/// A handler that stores events with face and body descriptors; emits one event per
/// `(person, variant)` photo and returns the handler and the event ids.
#[maybe_async]
async fn sightings(client: &LunaClient, photos: &[(&str, u32)]) -> (Uuid, Vec<Uuid>) {
    let handlers = client.handlers();
    let policies = Policies::new()
        .detect_policy(DetectPolicy::new().detect_face(true).detect_body(true))
        .extract_policy(
            ExtractPolicy::new()
                .extract_face_descriptor(true)
                .extract_body_descriptor(true),
        )
        .storage_policy(StoragePolicy::new().event_policy(EventPolicy::new(true).wait_saving(true)));
    let handler = handlers
        .create_handler(&NewHandler::with_policies(policies))
        .await
        .unwrap()
        .id;
    let mut events = Vec::new();
    for (person, variant) in photos {
        let photo = BinaryImage::png(synthetic_face(person, *variant));
        let params = EmitEventsParams::new().external_id(format!("{person}-{variant}"));
        let answer = handlers.emit_events(handler, photo, &params).await.unwrap();
        events.push(answer.events[0].event_id().expect("a stored event"));
    }
    (handler, events)
}

/// The ids (face, event or attribute) and similarities of one reference's first candidate set.
fn found(reference: &ReferenceMatches) -> Vec<(Uuid, f64)> {
    assert!(!reference.is_error(), "{reference:?}");
    reference.matches[0]
        .result
        .iter()
        .map(|candidate| {
            let id = candidate
                .face
                .as_ref()
                .and_then(|face| face.face_id)
                .or_else(|| candidate.event.as_ref().and_then(|event| event.event_id))
                .or_else(|| {
                    candidate.extra.get("attribute")?.get("attribute_id")?.as_str()?.parse().ok()
                })
                .unwrap_or_else(|| panic!("a candidate without id: {candidate:?}"));
            (id, candidate.similarity.expect("a similarity"))
        })
        .collect()
}

/// The candidate ids of one raw or cross-matching answer entry, with their similarities.
fn paired(reference: &ReferenceSimilarities) -> Vec<(Uuid, f64)> {
    assert!(!reference.is_error(), "{reference:?}");
    reference
        .matches
        .iter()
        .map(|m| (m.candidate_id().unwrap().parse().unwrap(), m.similarity.unwrap()))
        .collect()
}

both_modes! {
    async fn enrolled_people_are_found_again_and_strangers_are_not() {
        let (client, _) = emulator_client();
        let matcher = client.matcher();
        assert_eq!(matcher.get_address(), emulator().base_url(Service::PythonMatcher));
        let (list, faces) = enrol(&client, &["alice", "bob", "carol"]).await;

        let new_alice = photo_descriptor(&client, "alice", 1).await;
        let stranger = photo_descriptor(&client, "mallory", 0).await;
        let stranger_attribute = client
            .faces()
            .create_attribute(&NewAttribute::new(AttributeFields::new().descriptor(stranger.clone())))
            .await
            .unwrap()
            .attribute_id;
        let missing = Uuid::new_v4();
        let references = [
            MatchReference::descriptor("new photo of alice", new_alice.clone()),
            MatchReference::attribute(stranger_attribute),
            MatchReference::face(faces[1]),
            MatchReference::face(missing),
        ];
        let candidates = [Candidates::faces(FacesQuery::new().list_id(list)).limit(3).threshold(THRESHOLD)];
        let answer = matcher.match_faces(&candidates, &references).await.unwrap();
        assert_eq!(answer.len(), 4, "one entry per reference, in order");
        assert_eq!(answer[0].reference_id(), Some("new photo of alice"));
        let alice = found(&answer[0]);
        assert_eq!(alice.len(), 1, "bob and carol stay below {THRESHOLD}: {alice:?}");
        assert_eq!(alice[0].0, faces[0]);
        assert!(alice[0].1 >= 0.9, "{alice:?}");
        assert_eq!(answer[0].best().and_then(|c| c.similarity), Some(alice[0].1));
        assert!(found(&answer[1]).is_empty(), "the stranger matches no one");
        let bob = found(&answer[2]);
        assert_eq!(bob[0].0, faces[1]);
        assert!(bob[0].1 >= 0.9);
        assert!(answer[3].is_error());
        assert_eq!(answer[3].error.as_ref().and_then(|e| e.error_code), Some(22002));

        // Without a threshold the stranger's best candidate is far below it.
        let loose = [Candidates::faces(FacesQuery::new().list_id(list)).limit(1)];
        let answer = matcher
            .match_faces(&loose, &[MatchReference::descriptor("stranger", stranger.clone())])
            .await
            .unwrap();
        let best = found(&answer[0]);
        assert_eq!(best.len(), 1);
        assert!(best[0].1 < THRESHOLD, "{best:?}");

        // Temporary attributes as candidates.
        let alice_attribute = client
            .faces()
            .create_attribute(&NewAttribute::new(AttributeFields::new().descriptor(photo_descriptor(&client, "alice", 2).await)))
            .await
            .unwrap()
            .attribute_id;
        let among = [Candidates::attributes(
            AttributeFilters::new().attribute_ids([alice_attribute, stranger_attribute]),
        )
        .threshold(THRESHOLD)];
        let answer = matcher
            .match_faces(&among, &[MatchReference::descriptor("alice", new_alice)])
            .await
            .unwrap();
        let attributes = found(&answer[0]);
        assert_eq!(attributes.len(), 1, "{attributes:?}");
        assert_eq!(attributes[0].0, alice_attribute);
        assert!(attributes[0].1 >= 0.9);

        // Events as candidates: the face of alice finds the event of her new photo.
        let (handler, events) = sightings(&client, &[("alice", 5), ("bob", 5), ("mallory", 5)]).await;
        let seen = [Candidates::events(EventsQuery::new().handler_ids([handler])).threshold(THRESHOLD)];
        let answer = matcher
            .match_faces(&seen, &[MatchReference::face(faces[0]), MatchReference::event(events[2])])
            .await
            .unwrap();
        let alice_events = found(&answer[0]);
        assert_eq!(alice_events.len(), 1, "{alice_events:?}");
        assert_eq!(alice_events[0].0, events[0]);
        assert!(alice_events[0].1 >= 0.9);
        assert!(
            found(&answer[1]).iter().all(|(id, _)| *id == events[2]),
            "the stranger's event finds at most itself"
        );
    }

    async fn bodies_match_per_person_and_cross_matching_pairs_events_with_people() {
        let (client, _) = emulator_client();
        let matcher = client.matcher();
        let (list, faces) = enrol(&client, &["alice", "bob"]).await;
        let (handler, events) =
            sightings(&client, &[("alice", 1), ("alice", 2), ("bob", 1), ("mallory", 1)]).await;
        let by_handler = || EventsQuery::new().handler_ids([handler]);

        // Bodies: alice's first event finds her events only.
        let candidates = [Candidates::events(by_handler()).limit(10).threshold(THRESHOLD)];
        let answer = matcher
            .match_bodies(&candidates, &[MatchReference::event(events[0])])
            .await
            .unwrap();
        let bodies = found(&answer[0]);
        assert!(bodies.iter().any(|(id, _)| *id == events[1]), "{bodies:?}");
        for (id, similarity) in &bodies {
            assert!(*id == events[0] || *id == events[1], "only alice's events: {bodies:?}");
            assert!(*similarity >= 0.9, "{bodies:?}");
        }

        // Cross-matching faces: every event against the list's faces.
        let params = CrossMatchParams::new().limit(1).threshold(THRESHOLD).sorting(true);
        let pairs = matcher
            .crossmatch_faces(FacesQuery::new().list_id(list), by_handler(), &params)
            .await
            .unwrap();
        assert_eq!(pairs.len(), events.len(), "one entry per reference event: {pairs:?}");
        for entry in &pairs {
            let event: Uuid = entry.reference_id().unwrap().parse().unwrap();
            let best = paired(entry);
            let expected = if event == events[0] || event == events[1] {
                Some(faces[0])
            } else if event == events[2] {
                Some(faces[1])
            } else {
                None
            };
            assert_eq!(best.first().map(|(id, _)| *id), expected, "{event}: {best:?}");
            assert!(best.iter().all(|(_, s)| *s >= 0.9));
        }

        // Cross-matching bodies: alice's two events pair up, no event is its own candidate.
        let pairs = matcher
            .crossmatch_bodies(by_handler(), by_handler(), &CrossMatchParams::new().threshold(THRESHOLD))
            .await
            .unwrap();
        let of = |event: Uuid| {
            pairs
                .iter()
                .find(|entry| entry.reference_id() == Some(event.to_string().as_str()))
                .map(paired)
                .unwrap_or_default()
        };
        assert_eq!(of(events[0]).iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![events[1]]);
        assert_eq!(of(events[1]).iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![events[0]]);
        assert!(of(events[2]).is_empty(), "bob was seen once");
        assert!(of(events[3]).is_empty(), "the stranger was seen once");
    }
}

}
