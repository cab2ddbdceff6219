//! Wire tests of every Events method (both modes): method, path, query, headers, body, the
//! decoded answer, keyset iteration, error paths and arguments refused before sending.

mod common;

crate::in_both_modes! {

use crate::common::*;
use sdk::model::common::{Saving, Targets};
use sdk::services::events::{DescriptorQuery};
use httpmock::prelude::*;
use sdk::model::common::{Ethnicity, Gender};
use sdk::model::events::{
    ApparentColor, ApparentGender, ClothingColor, DescriptorKind, Emotion, Event, EventTarget,
    Liveness, LowerGarmentType, Mask, OrNull, PresenceState, SleeveLength,
};
use sdk::services::events::{
    Aggregator, DeleteEventsQuery, EventsQuery, GroupBy, MetaFilter, MetaOperator, Order,
    StatFilter, StatQuery,
};
use sdk::{Error, Events, LunaClient, RetryPolicy, SdkDescriptor, Sender, Service};
use serde_json::{json, Value};
use time::macros::datetime;

const HANDLER_ID: &str = "0a1b2c3d-6f0e-4a5c-9a55-8c1a0d1f1a66";
const STREAM_ID: &str = "1b2c3d4e-6f0e-4a5c-9a55-8c1a0d1f1a77";

/// The service handles of these tests, all on the mock server.
struct Handles {
    events: Events,
    #[allow(dead_code)]
    sender: Sender,
}

fn client_at(base: &str) -> LunaClient {
    LunaClient::builder()
        .address(Service::Events, base)
        .address(Service::Sender, base)
        .address(Service::Handlers, base)
        .account_id(ACCOUNT)
        .retry(RetryPolicy::none())
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .expect("client builds")
}

fn handles(server: &MockServer) -> Handles {
    let client = client_at(&server.base_url());
    Handles {
        events: client.events().with_request_id(REQUEST_ID),
        sender: client.sender().with_request_id(REQUEST_ID),
    }
}

fn handles_unreachable() -> Handles {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = client_at(&format!("http://127.0.0.1:{port}"));
    Handles {
        events: client.events().with_request_id(REQUEST_ID),
        sender: client.sender().with_request_id(REQUEST_ID),
    }
}

fn event_json(id: &str) -> Value {
    json!({
        "event_id": id, "account_id": ACCOUNT, "handler_id": HANDLER_ID,
        "create_time": "2024-01-31T12:00:00Z", "end_time": "2024-01-31T12:00:05Z",
        "source": "gate-3", "gender": 0, "age": 30, "emotion": 5, "ethnic_group": 2,
        "face_detections": [{"sample_id": FACE_ID_2, "detect_time": "2024-01-31T12:00:01Z",
                             "detection": {"rect": {"x": 1, "y": 2, "width": 3, "height": 4}}}],
        "meta": {"badge": 17},
        "some_new_member": true
    })
}

both_modes! {
    async fn save_events_posts_the_events_with_ids_and_account() {
        let server = MockServer::start();
        let mut first = Event::new();
        first.event_id = Some(EVENT_ID.parse().unwrap());
        first.handler_id = Some(HANDLER_ID.into());
        first.create_time = Some(datetime!(2024-01-31 15:00 +03:00));
        first.emotion = Some(Emotion::Surprise);
        first.meta = Some(json!({"k": [1, 2]}));
        let mut second = Event::new();
        second.source = Some("cam".into());
        second.account_id = Some(FACE_ID.parse().unwrap());
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/2/events");
            let when = exact_query(when, &[("wait_events_saving", "1")]);
            let when = when.header("content-type", "application/json");
            when.is_true(|req: &HttpMockRequest| {
                let body: Value = serde_json::from_slice(req.body_ref()).unwrap();
                let events = body["events"].as_array().unwrap();
                body.as_object().unwrap().len() == 1
                    && events.len() == 2
                    && events[0] == json!({
                        "event_id": EVENT_ID, "account_id": ACCOUNT, "handler_id": HANDLER_ID,
                        "create_time": "2024-01-31T12:00:00Z", "emotion": 7, "meta": {"k": [1, 2]}
                    })
                    && events[1]["source"] == "cam"
                    && events[1]["account_id"] == FACE_ID
                    && uuid::Uuid::parse_str(events[1]["event_id"].as_str().unwrap()).is_ok()
            });
            then.status(201).json_body(json!({"events": [{"event_id": EVENT_ID}]}));
        });
        let saved = handles(&server).events.save_events(&[first, second], Saving::Wait).await.unwrap();
        mock.assert();
        assert_eq!(saved.event_ids.len(), 2);
        assert_eq!(saved.event_ids[0].to_string(), EVENT_ID);
        assert_eq!(saved.reply.unwrap()["events"][0]["event_id"], EVENT_ID);
    }

    async fn save_events_without_wait_flag_sends_no_query_and_accepts_an_empty_answer() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/2/events");
            exact_query(when, &[]);
            then.status(201);
        });
        let saved = handles(&server).events.save_events(&[Event::new()], Saving::ServiceDefault).await.unwrap();
        mock.assert();
        assert_eq!(saved.reply, None);
        assert_eq!(saved.event_ids.len(), 1);
    }

    async fn save_events_wait_false_is_zero() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/2/events");
            exact_query(when, &[("wait_events_saving", "0")]);
            then.status(202).json_body(json!({}));
        });
        handles(&server).events.save_events(&[Event::new()], Saving::Queue).await.unwrap();
        mock.assert();
    }

    async fn get_events_sends_every_filter_on_its_wire_name() {
        let server = MockServer::start();
        let expected: Vec<(&str, String)> = vec![
            ("account_id", ACCOUNT.into()),
            ("target", "event_id,create_time,emotion,meta".into()),
            ("create_time__gte", "2024-01-01T00:00:00Z".into()),
            ("create_time__lt", "2024-02-01T00:00:00Z".into()),
            ("end_time__gte", "2024-01-01T09:00:00Z".into()),
            ("end_time__lt", "2024-02-01T09:00:00.5Z".into()),
            ("event_ids", format!("{EVENT_ID},{FACE_ID}")),
            ("event_id__gte", FACE_ID.into()),
            ("event_id__lt", EVENT_ID.into()),
            ("handler_ids", HANDLER_ID.into()),
            ("external_ids", "ext-1,ext-2".into()),
            ("top_matching_candidates_label", "staff".into()),
            ("top_similar_object_ids", FACE_ID_2.into()),
            ("top_similar_external_ids", "emp-1".into()),
            ("top_similar_object_similarity__gte", "0.5".into()),
            ("top_similar_object_similarity__lt", "0.99".into()),
            ("age__lt", "60".into()),
            ("age__gte", "18".into()),
            ("gender", "null".into()),
            ("emotions", "1,4,null".into()),
            ("masks", "2,3".into()),
            ("ethnic_groups", "1,null".into()),
            ("liveness", "1".into()),
            ("apparent_age__gte", "20".into()),
            ("apparent_age__lt", "40".into()),
            ("apparent_gender", "0,2".into()),
            ("headwear_states", "1,null".into()),
            ("headwear_apparent_colors", "black,other".into()),
            ("sleeve_lengths", "short,null".into()),
            ("upper_clothing_colors", "khaki,multicolored".into()),
            ("lower_garment_types", "skirt".into()),
            ("lower_garment_colors", "beige,null".into()),
            ("shoes_apparent_colors", "white".into()),
            ("backpack_states", "0".into()),
            ("face_ids", FACE_ID.into()),
            ("user_data", "visitor".into()),
            ("page", "3".into()),
            ("page_size", "50".into()),
            ("order", "asc".into()),
            ("sources", "gate-1,null".into()),
            ("tags", "vip,night".into()),
            ("cities", "Moscow".into()),
            ("areas", "null".into()),
            ("districts", "Arbat".into()),
            ("streets", "Tverskaya,null".into()),
            ("house_numbers", "1A".into()),
            ("origin_longitude", "37.61".into()),
            ("origin_latitude", "55.75".into()),
            ("longitude_delta", "0.5".into()),
            ("latitude_delta", "0.25".into()),
            ("track_ids", format!("{STREAM_ID},null")),
            ("meta.badge.number__gte:integer", "17".into()),
            ("meta.car.plate__in:string", "A1,B2".into()),
        ];
        let pairs: Vec<(&str, &str)> = expected.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, "/2/events");
            let when = exact_query(when, &pairs);
            no_body(when);
            then.status(200).json_body(json!({"events": [event_json(EVENT_ID)], "total": 1}));
        });
        let query = EventsQuery::new()
            .targets([EventTarget::EventId, EventTarget::CreateTime, EventTarget::Emotion, EventTarget::Meta])
            .create_time_gte(datetime!(2024-01-01 00:00 UTC))
            .create_time_lt(datetime!(2024-02-01 00:00 UTC))
            .end_time_gte(datetime!(2024-01-01 12:00 +03:00))
            .end_time_lt(datetime!(2024-02-01 12:00:00.5 +03:00))
            .event_ids([EVENT_ID, FACE_ID])
            .event_id_gte(FACE_ID)
            .event_id_lt(EVENT_ID)
            .handler_ids([HANDLER_ID])
            .external_ids(["ext-1", "ext-2"])
            .top_matching_candidates_label("staff")
            .top_similar_object_ids([FACE_ID_2])
            .top_similar_external_ids(["emp-1"])
            .top_similar_object_similarity_gte(0.5)
            .top_similar_object_similarity_lt(0.99)
            .age_lt(60)
            .age_gte(18)
            .gender(OrNull::<Gender>::Null)
            .emotions([OrNull::Value(Emotion::Anger), Emotion::Happiness.into(), OrNull::Null])
            .masks([Mask::MedicalMask, Mask::Occluded])
            .ethnic_groups([OrNull::Value(Ethnicity::AfricanAmerican), OrNull::Null])
            .liveness([Liveness::Real])
            .apparent_age_gte(20)
            .apparent_age_lt(40)
            .apparent_gender([ApparentGender::Female, ApparentGender::Undefined])
            .headwear_states([OrNull::Value(PresenceState::Present), OrNull::Null])
            .headwear_apparent_colors([ApparentColor::Black, ApparentColor::OtherColor])
            .sleeve_lengths([OrNull::Value(SleeveLength::Short), OrNull::Null])
            .upper_clothing_colors([ClothingColor::Khaki, ClothingColor::Multicolored])
            .lower_garment_types([LowerGarmentType::Skirt])
            .lower_garment_colors([OrNull::Value(ClothingColor::Beige), OrNull::Null])
            .shoes_apparent_colors([ApparentColor::White])
            .backpack_states([PresenceState::Absent])
            .face_ids([FACE_ID])
            .user_data("visitor")
            .page(3)
            .page_size(50)
            .order(Order::Asc)
            .sources([OrNull::Value("gate-1".to_string()), OrNull::Null])
            .tags(["vip", "night"])
            .cities(["Moscow"])
            .areas([OrNull::<String>::Null])
            .districts(["Arbat"])
            .streets([OrNull::Value("Tverskaya".to_string()), OrNull::Null])
            .house_numbers(["1A"])
            .geo_box(37.61, 55.75, 0.5, 0.25)
            .track_ids([OrNull::Value(STREAM_ID.to_string()), OrNull::Null])
            .meta(MetaFilter::new("badge.number", MetaOperator::Gte, 17))
            .meta(MetaFilter::new("car.plate", MetaOperator::In, vec!["A1", "B2"]));
        let page = handles(&server).events.get_events(&query).await.unwrap();
        mock.assert();
        assert_eq!(page.events.len(), 1);
        let event = &page.events[0];
        assert_eq!(event.event_id.unwrap().to_string(), EVENT_ID);
        assert_eq!(event.gender, Some(Gender::Female));
        assert_eq!(event.emotion, Some(Emotion::Neutral));
        assert_eq!(event.ethnic_group, Some(Ethnicity::Indian));
        assert_eq!(event.extra["some_new_member"], true);
        assert_eq!(page.extra["total"], 1);
    }

    async fn get_events_without_filters_sends_only_the_account() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, "/2/events");
            exact_query(when, &[account_query()]);
            then.status(200).json_body(json!({"events": []}));
        });
        let page = handles(&server).events.get_events(&EventsQuery::new()).await.unwrap();
        mock.assert();
        assert!(page.events.is_empty());
    }

    async fn get_event_sends_targets() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &format!("/2/events/{EVENT_ID}"));
            let when = exact_query(when, &[account_query(), ("target", "event_id,face_detections,location")]);
            no_body(when);
            then.status(200).json_body(event_json(EVENT_ID));
        });
        let event = handles(&server)
            .events
            .get_event(EVENT_ID, Targets::only([EventTarget::EventId, EventTarget::FaceDetections, EventTarget::Location]))
            .await
            .unwrap();
        mock.assert();
        let detection = &event.face_detections.unwrap()[0];
        assert_eq!(detection.sample_id.unwrap().to_string(), FACE_ID_2);
        assert_eq!(detection.detection.as_ref().unwrap().rect.unwrap().height, 4);
        assert_eq!(event.create_time, Some(datetime!(2024-01-31 12:00 UTC)));
    }

    async fn get_event_without_targets_sends_none() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &format!("/2/events/{EVENT_ID}"));
            exact_query(when, &[account_query()]);
            then.status(200).json_body(json!({}));
        });
        let event = handles(&server).events.get_event(EVENT_ID, Targets::All).await.unwrap();
        mock.assert();
        assert_eq!(event, Event::new());
    }

    async fn head_event_is_true_on_200_and_false_on_404() {
        let server = MockServer::start();
        let present = server.mock(|when, then| {
            let when = luna(when, httpmock::Method::HEAD, &format!("/2/events/{EVENT_ID}"));
            let when = exact_query(when, &[account_query()]);
            no_body(when);
            then.status(200);
        });
        let absent = server.mock(|when, then| {
            luna(when, httpmock::Method::HEAD, &format!("/2/events/{FACE_ID}"));
            then.status(404);
        });
        let events = handles(&server).events;
        let yes = events.head_event(EVENT_ID).await.unwrap();
        let no = events.head_event(FACE_ID).await.unwrap();
        assert!(yes);
        assert!(!no);
        present.assert();
        absent.assert();
    }

    async fn head_event_other_statuses_are_errors() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            luna(when, httpmock::Method::HEAD, &format!("/2/events/{EVENT_ID}"));
            then.status(500);
        });
        let err = handles(&server).events.head_event(EVENT_ID).await.unwrap_err();
        mock.assert();
        assert_eq!(err.as_api().unwrap().status.as_u16(), 500);
        assert_eq!(err.request_id(), Some(REQUEST_ID));
    }

    async fn get_event_descriptor_reads_sdk_bytes() {
        let server = MockServer::start();
        let sdk = SdkDescriptor::new(59, &[7u8; 512]).unwrap();
        let bytes = sdk.as_bytes().to_vec();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &format!("/2/events/{EVENT_ID}/descriptor"));
            let when = exact_query(when, &[account_query(), ("descriptor_version", "59"), ("descriptor_type", "face")]);
            when.header("accept", sdk::services::events::DESCRIPTOR_ACCEPT);
            then.status(200).header("content-type", "application/octet-stream").body(bytes.clone());
        });
        let descriptor = handles(&server)
            .events
            .get_event_descriptor(EVENT_ID, &DescriptorQuery::new().version(59).kind(DescriptorKind::Face))
            .await
            .unwrap();
        mock.assert();
        assert_eq!(descriptor, bytes);
        assert_eq!(SdkDescriptor::from_bytes(descriptor).unwrap(), sdk);
    }

    async fn get_event_descriptor_reads_a_bare_payload_with_the_asked_version() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, GET, &format!("/2/events/{EVENT_ID}/descriptor"));
            exact_query(when, &[account_query(), ("descriptor_version", "107"), ("descriptor_type", "body")]);
            then.status(200).header("content-type", "application/octet-stream").body(vec![5u8; 512]);
        });
        let descriptor = handles(&server)
            .events
            .get_event_descriptor(EVENT_ID, &DescriptorQuery::new().version(107).kind(DescriptorKind::Body))
            .await
            .unwrap();
        mock.assert();
        assert_eq!(&descriptor[..], &[5u8; 512][..]);
    }

    async fn delete_events_sends_filters_and_targets_in_the_body() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, DELETE, "/2/events");
            let when = exact_query(when, &[]);
            json_request(when, json!({
                "filters": {
                    "handler_id": HANDLER_ID,
                    "create_time__gte": "2024-01-01T00:00:00Z",
                    "create_time__lt": "2024-02-01T00:00:00Z",
                    "insert_time__gte": "2024-01-01T00:00:00Z",
                    "insert_time__lt": "2024-03-01T00:00:00Z",
                    "account_id": ACCOUNT,
                },
                "target": ["event_id", "face_detections", "body_detections"],
            }));
            then.status(200).json_body(json!({"events": [
                {"event_id": EVENT_ID, "face_detections": [{"sample_id": FACE_ID, "image_origin": "/1/x"}], "x": 1}
            ]}));
        });
        let query = DeleteEventsQuery::new()
            .handler_id(HANDLER_ID)
            .create_time_gte(datetime!(2024-01-01 00:00 UTC))
            .create_time_lt(datetime!(2024-02-01 00:00 UTC))
            .insert_time_gte(datetime!(2024-01-01 00:00 UTC))
            .insert_time_lt(datetime!(2024-03-01 00:00 UTC))
            .targets([EventTarget::EventId, EventTarget::FaceDetections, EventTarget::BodyDetections]);
        let deleted = handles(&server).events.delete_events(&query).await.unwrap();
        mock.assert();
        assert_eq!(deleted.len(), 1);
        assert_eq!(deleted[0].event_id.unwrap().to_string(), EVENT_ID);
        let sample = &deleted[0].face_detections.as_ref().unwrap()[0];
        assert_eq!(sample.image_origin.as_deref(), Some("/1/x"));
        assert_eq!(deleted[0].extra["x"], 1);
    }

    async fn delete_events_accepts_an_empty_answer() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            luna(when, DELETE, "/2/events");
            then.status(204);
        });
        let query = DeleteEventsQuery::new().create_time_lt(datetime!(2024-02-01 00:00 UTC));
        let deleted = handles(&server).events.delete_events(&query).await.unwrap();
        mock.assert();
        assert!(deleted.is_empty());
    }

    async fn get_events_stats_posts_the_query_with_the_account_filter() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/2/events/stats");
            let when = exact_query(when, &[]);
            json_request(when, json!({
                "aggregator": "count",
                "target": ["event_id"],
                "group_by": [{"type": "frequency", "frequency": "day_of_month"}],
                "filters": [
                    {"column": "top_similar_external_id", "operator": "eq", "value": "emp-1"},
                    {"column": "account_id", "operator": "eq", "value": ACCOUNT},
                ],
            }));
            then.status(200).json_body(json!({"total": 3, "stats": [[1, 3]]}));
        });
        let query = StatQuery::new(Aggregator::Count)
            .target("event_id")
            .group_by(GroupBy::Frequency("day_of_month".into()))
            .filter(StatFilter::eq("top_similar_external_id", "emp-1"));
        let stats = handles(&server).events.get_events_stats(&query).await.unwrap();
        mock.assert();
        assert_eq!(stats["total"], 3);
    }

    async fn iter_events_yields_the_error_and_stops() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            luna(when, GET, "/2/events");
            then.status(500).json_body(luna_error(1));
        });
        let results = collect_results(handles(&server).events.iter_events(EventsQuery::new())).await;
        mock.assert_calls(1);
        assert_eq!(results.len(), 1);
        assert_eq!(results[0].as_ref().unwrap_err().error_code(), Some(1));
    }

    async fn get_address_is_origin_plus_prefix() {
        let server = MockServer::start();
        let client = client_at(&server.base_url());
        assert_eq!(client.events().get_address(), format!("{}/2", server.base_url()));
        let custom = LunaClient::builder()
            .address(Service::Events, &server.base_url())
            .api_version(Service::Events, 4)
            .build()
            .unwrap();
        assert_eq!(custom.events().get_address(), format!("{}/4", server.base_url()));
    }

    async fn bad_arguments_send_nothing() {
        let server = MockServer::start();
        let guard = nothing_expected(&server);
        let events = handles(&server).events;
        assert_refused(events.get_events(&EventsQuery::new().origin_longitude(37.0)).await);
        assert_refused(events.get_events(&EventsQuery::new().latitude_delta(1.0)).await);
        assert_refused(events.get_events(&EventsQuery::new().event_ids(["not-a-uuid"])).await);
        assert_refused(events.get_events(&EventsQuery::new().meta(MetaFilter::eq("a__b", 1))).await);
        assert_refused(events.get_events(&EventsQuery::new().page_size(0)).await);
        assert_refused(events.get_event("../x", Targets::All).await);
        assert_refused(events.head_event("nope").await);
        assert_refused(events.get_event_descriptor("nope", &DescriptorQuery::new()).await);
        assert_refused(events.save_events(&[], Saving::ServiceDefault).await);
        assert_refused(events.delete_events(&DeleteEventsQuery::new()).await);
        assert_refused(events.get_events_stats(&StatQuery::raw(json!("count"))).await);
        assert_refused(events.get_events_stats(&StatQuery::count().target("")).await);
        guard.assert_calls(0);
    }
}

#[maybe_async]
async fn collect_results(pages: sdk::Pages<Event>) -> Vec<sdk::Result<Event>> {
    collect_pages(pages).await
}

fn one_event() -> [Event; 1] {
    [Event::new()]
}

fn delete_query() -> DeleteEventsQuery {
    DeleteEventsQuery::new().handler_id(HANDLER_ID)
}

fn events(server: &MockServer) -> Events {
    handles(server).events
}

fn events_unreachable() -> Events {
    handles_unreachable().events
}

error_path_tests! {
    handle: events, unreachable: events_unreachable;
    save_events => POST "/2/events", decodes: true, |e| e.save_events(&one_event(), Saving::ServiceDefault);
    get_events => GET "/2/events", decodes: true, |e| e.get_events(&EventsQuery::new());
    get_event => GET format!("/2/events/{EVENT_ID}"), decodes: true, |e| e.get_event(EVENT_ID, Targets::All);
    head_event => HEAD format!("/2/events/{EVENT_ID}"), decodes: false, |e| e.head_event(EVENT_ID);
    get_event_descriptor => GET format!("/2/events/{EVENT_ID}/descriptor"), decodes: false,
        |e| e.get_event_descriptor(EVENT_ID, &DescriptorQuery::new().version(59));
    delete_events => DELETE "/2/events", decodes: true, |e| e.delete_events(&delete_query());
    get_events_stats => POST "/2/events/stats", decodes: true, |e| e.get_events_stats(&StatQuery::count());
}

/// Checks that a call was refused before sending.
fn assert_refused<T: std::fmt::Debug>(result: sdk::Result<T>) {
    let err = result.unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
}
}
