//! The Sender client against the embedded luna-emulator (both modes): subscriptions receive the
//! events that match their filters — events published by both routes, events saved in
//! luna-events and events emitted by handlers from photos, with their matches — and nothing else.

mod common;

crate::in_both_modes! {

use crate::common::emulator::emulator;
use luna_emulator::{synthetic_face, Service};
use sdk::model::events::Event;
use sdk::model::faces::{AttributeFields, NewFace};
use sdk::model::handlers::{
    DetectPolicy, EventPolicy, ExtractPolicy, MatchPolicy, NewHandler, Policies, StoragePolicy,
};
use sdk::model::images::BinaryImage;
use sdk::model::remote_sdk::SdkParams;
use sdk::services::faces::FacesQuery;
use sdk::services::handlers::EmitEventsParams;
use sdk::services::sender::{PublishRoute, SubscriptionFilters};
use sdk::OffsetDateTime;
use sdk::model::common::Saving;
use sdk::services::faces::NewList;
use sdk::services::sender::EventTimes;
use serde_json::json;
use uuid::Uuid;

both_modes! {
    async fn subscriptions_receive_published_saved_and_emitted_events_that_pass_their_filters() {
        let (client, _) = emulator_client();
        let sender = client.sender();
        assert_eq!(sender.get_address(), emulator().base_url(Service::Sender));
        let handlers = client.handlers();
        let store = Policies::new()
            .storage_policy(StoragePolicy::new().event_policy(EventPolicy::new(true).wait_saving(true)));
        let handler = handlers.create_handler(&NewHandler::with_policies(store)).await.unwrap().id;
        let mut doors = sender
            .subscribe(&SubscriptionFilters::new().sources(["door"]))
            .await
            .unwrap();

        // Published by luna-sender (not stored) and through luna-handlers (stored).
        let now = OffsetDateTime::now_utc();
        let report = sender
            .publish(
                &PublishRoute::SenderPath("/publish".into()),
                &[json!({"source": "door", "meta": {"n": 1}}), json!({"source": "window"})],
                handler,
                &EventTimes::new().create_time(now).end_time(now),
            )
            .await
            .unwrap();
        assert!(report.all_published(), "{report:?}");
        let published: Vec<Uuid> = report.published().map(|(_, p)| p.event_id.unwrap()).collect();
        assert_eq!(published.len(), 2);
        let published_stored = client.events().head_event(published[0]).await.unwrap();
        assert!(!published_stored, "published, not stored");
        let report = sender
            .publish(&PublishRoute::HandlersRawEvents, &[json!({"source": "door", "user_data": "raw"})], handler, &EventTimes::new())
            .await
            .unwrap();
        let raw = report.published().next().and_then(|(_, p)| p.event_id).expect("an event id");

        // Saved in luna-events directly.
        let mut saved = Event::new();
        saved.source = Some("door".into());
        let saved_ids = client.events().save_events(&[saved], Saving::Wait).await.unwrap().event_ids;

        // The window event is filtered out: the door events arrive in order.
        let mut received = Vec::new();
        for _ in 0..3 {
            let frame = doors.next_event().await.unwrap().expect("an event");
            assert_eq!(frame["source"], "door", "{frame}");
            received.push(frame["event_id"].as_str().unwrap().parse::<Uuid>().unwrap());
        }
        // luna-handlers may store a raw event right after answering (no `wait_saving` on this
        // route): the order of the last two is not fixed.
        assert_eq!(received[0], published[0]);
        let mut rest = received[1..].to_vec();
        rest.sort();
        let mut expected = vec![raw, saved_ids[0]];
        expected.sort();
        assert_eq!(rest, expected);
        let raw_stored = client.events().head_event(raw).await.unwrap();
        assert!(raw_stored, "stored by luna-handlers");
        doors.close().await.unwrap();

        // A bad route is refused before anything is sent.
        let bad = sender
            .publish(&PublishRoute::SenderPath("publish?x".into()), &[json!({})], handler, &EventTimes::new())
            .await;
        assert!(matches!(bad, Err(sdk::Error::InvalidArgument { .. })), "{bad:?}");
        // An unknown route of the service fails per event, with the LUNA error.
        let report = sender
            .publish(&PublishRoute::SenderPath("/nowhere".into()), &[json!({})], handler, &EventTimes::new())
            .await
            .unwrap();
        let (index, error) = report.failed().next().expect("a failure");
        assert_eq!(index, 0);
        assert!(matches!(error, sdk::Error::Api(e) if e.status.as_u16() == 404), "{error:?}");
    }

    async fn similarity_filters_deliver_only_recognised_people() {
        let (client, _) = emulator_client();
        let faces = client.faces();
        let list = faces.create_list(&NewList::new("vip")).await.unwrap().list_id;
        let params = SdkParams::new().detect_face(true).estimate_face_descriptor(true);
        let answer = client
            .remote_sdk()
            .sdk(BinaryImage::png(synthetic_face("victor", 0)), &params)
            .await
            .unwrap();
        let descriptor = answer.images_estimations[0].estimations[0]
            .face
            .as_ref()
            .and_then(|f| f.attributes())
            .and_then(|a| a.sdk_descriptor())
            .unwrap()
            .unwrap();
        let victor = faces
            .create_face(&NewFace::new().list_ids([list]).attribute(AttributeFields::new().descriptor(descriptor)))
            .await
            .unwrap()
            .face_id;
        let policies = Policies::new()
            .detect_policy(DetectPolicy::new().detect_face(true))
            .extract_policy(ExtractPolicy::new().extract_face_descriptor(true))
            .match_policy(MatchPolicy::new("vip", FacesQuery::new().list_id(list)).unwrap().limit(1))
            .storage_policy(StoragePolicy::new().event_policy(EventPolicy::new(true).wait_saving(true)));
        let handlers = client.handlers();
        let handler = handlers.create_handler(&NewHandler::with_policies(policies)).await.unwrap().id;
        let filters = SubscriptionFilters::new()
            .handler_ids([handler])
            .matching_candidates_labels(["vip"])
            .object_similarity_gte(0.9);
        let mut vips = client.sender().subscribe(&filters).await.unwrap();
        let mut stranger_event = None;
        for person in ["mallory", "victor"] {
            let answer = handlers
                .emit_events(handler, BinaryImage::png(synthetic_face(person, 1)), &EmitEventsParams::new())
                .await
                .unwrap();
            if person == "mallory" {
                stranger_event = answer.events[0].event_id();
            }
        }
        let frame = vips.next_event().await.unwrap().expect("victor's event");
        assert_ne!(frame["event_id"].as_str().map(|s| s.parse::<Uuid>().unwrap()), stranger_event);
        assert_eq!(frame["top_match"]["face_id"], json!(victor), "{frame}");
        assert!(frame["top_match"]["similarity"].as_f64().unwrap() >= 0.9);
        vips.close().await.unwrap();

        // A subscription without an account is refused by the client.
        let no_account = sdk::LunaClientBuilder::from_vars(|name| emulator().var(name))
            .unwrap()
            .build()
            .unwrap();
        let refused = no_account.sender().subscribe(&SubscriptionFilters::new()).await;
        assert!(refused.is_err());
    }
}

}
