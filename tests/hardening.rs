//! Issue 11 (hardening), wire side, in both modes: event iteration against a stateful
//! luna-events, iterations that always end, and the other defects found by the fault-injecting
//! server and by real captures. Each test names the item of the issue it pins.

mod common;

crate::in_both_modes! {

use std::collections::HashSet;
use std::time::Duration;

use crate::common::events_server::{EventsServer, StoredEvent};
use crate::common::*;
use sdk::services::sender::EventTimes;
use sdk::model::common::{Saving};
use sdk::services::events::{DescriptorQuery};
use httpmock::prelude::*;
use sdk::model::events::EventTarget;
use sdk::services::events::{EventsQuery, Order};
use sdk::services::faces::{FacesPageSize, FacesQuery, ListsQuery};
use sdk::services::handlers::{HandlersQuery, VerifiersQuery};
use sdk::{Error, LunaClient, RetryPolicy, Service};
use serde_json::json;
use time::macros::datetime;
use time::OffsetDateTime;
use uuid::Uuid;

/// A client whose every service is at `base`.
fn client_at(base: &str) -> LunaClient {
    let mut builder = LunaClient::builder();
    for service in [
        Service::Events,
        Service::Faces,
        Service::Handlers,
        Service::ImageStore,
        Service::Matcher,
        Service::RemoteSdk,
        Service::Sender,
    ] {
        builder = builder.address(service, base);
    }
    builder
        .account_id(ACCOUNT)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client builds")
}

/// At most `cap` results of an iteration (a safety net: a looping iteration fails the test
/// instead of hanging it).
#[maybe_async]
async fn drain<T: Send + 'static>(pages: sdk::Pages<T>, cap: usize) -> Vec<sdk::Result<T>> {
    pages.take(cap).collect().await
}

fn at(base: OffsetDateTime, micros: i64) -> OffsetDateTime {
    base + time::Duration::microseconds(micros)
}

const T0: OffsetDateTime = datetime!(2024-05-01 10:00:00.000001 UTC);

/// Events with random ids at a few times, several sharing a time (more than a page holds at
/// `T0 + 300µs`).
fn stored_events() -> Vec<StoredEvent> {
    let mut events = Vec::new();
    for (micros, count) in [
        (0, 1),
        (100, 3),
        (200, 1),
        (300, 7),
        (400, 2),
        (500, 1),
        (600, 3),
    ] {
        for _ in 0..count {
            events.push(StoredEvent::at(at(T0, micros)));
        }
    }
    events
}

/// Checks that `results` hold each event of `expected` exactly once, in `order` of creation
/// time.
fn assert_exactly_once(
    results: Vec<sdk::Result<sdk::model::events::Event>>,
    expected: &[StoredEvent],
    order: Order,
) {
    let events: Vec<_> = results.into_iter().map(|r| r.expect("no error")).collect();
    let ids: Vec<Uuid> = events.iter().map(|e| e.event_id.unwrap()).collect();
    let unique: HashSet<Uuid> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "an event was returned twice");
    let wanted: HashSet<Uuid> = expected.iter().map(|e| e.id).collect();
    assert_eq!(unique, wanted, "events lost or foreign");
    let times: Vec<OffsetDateTime> = events.iter().map(|e| e.create_time.unwrap()).collect();
    let sorted = times.windows(2).all(|w| match order {
        Order::Desc => w[0] >= w[1],
        Order::Asc => w[0] <= w[1],
    });
    assert!(sorted, "not in {order:?} order: {times:?}");
}

both_modes! {
    // Item 1: every event exactly once with LUNA's real ordering (create_time, random ids),
    // ties across page boundaries and a page made of one time, newest first (the default).
    async fn iter_events_desc_returns_every_event_once_across_equal_times() {
        let stored = stored_events();
        let server = EventsServer::start(stored.clone());
        let events = client_at(&server.base_url).events();
        let results = drain(events.iter_events(EventsQuery::new().page_size(3)), 1000).await;
        assert_exactly_once(results, &stored, Order::Desc);
        for request in server.requests() {
            assert_eq!(request.get("page_size").map(String::as_str), Some("3"));
            assert!(!request.contains_key("event_id__lt"), "{request:?}");
        }
    }

    async fn iter_events_asc_returns_every_event_once_across_equal_times() {
        let stored = stored_events();
        let server = EventsServer::start(stored.clone());
        let events = client_at(&server.base_url).events();
        let query = EventsQuery::new().order(Order::Asc).page_size(2);
        let results = drain(events.iter_events(query), 1000).await;
        assert_exactly_once(results, &stored, Order::Asc);
    }

    // Item 1: events inserted between page requests. Newest first, a new event (now) is above
    // the part being read and is not returned, one inserted with an old time in the unread
    // part is; none is returned twice or makes another one be skipped.
    async fn iter_events_desc_with_inserts_while_iterating() {
        let stored = stored_events();
        let server = EventsServer::start(stored.clone());
        let late_old = StoredEvent::at(at(T0, 50));
        let late_same_time = StoredEvent::at(at(T0, 100));
        let inserted = [late_old.clone(), late_same_time.clone()];
        server.set_hook(move |request, events| {
            if request == 1 {
                events.push(StoredEvent::at(at(T0, 10_000)));
                events.extend(inserted.iter().cloned());
            }
            // A burst of new events at the newest time before every request.
            events.push(StoredEvent::at(at(T0, 20_000 + request as i64)));
        });
        let events = client_at(&server.base_url).events();
        let results = drain(events.iter_events(EventsQuery::new().page_size(3)), 1000).await;
        let mut expected = stored.clone();
        expected.push(late_old);
        expected.push(late_same_time);
        // The events added before the first answer are part of what was there.
        let first_new = StoredEvent { id: Uuid::nil(), create_time: at(T0, 20_000) };
        let results: Vec<_> = results.into_iter().map(|r| r.unwrap()).collect();
        let at_first = results.iter().filter(|e| e.create_time == Some(first_new.create_time)).count();
        assert_eq!(at_first, 1, "the event present at the first request is returned once");
        let rest: Vec<_> = results
            .into_iter()
            .filter(|e| e.create_time != Some(first_new.create_time))
            .map(Ok)
            .collect();
        assert_exactly_once(rest, &expected, Order::Desc);
    }

    // Item 1: oldest first, events created while iterating (newer than everything) are
    // returned once, at the end.
    async fn iter_events_asc_with_inserts_while_iterating() {
        let stored = stored_events();
        let server = EventsServer::start(stored.clone());
        let new_events: Vec<StoredEvent> =
            (0..4).map(|i| StoredEvent::at(at(T0, 1_000 + i / 2))).collect();
        let to_insert = new_events.clone();
        server.set_hook(move |request, events| {
            if request == 2 {
                events.extend(to_insert.iter().cloned());
            }
        });
        let events = client_at(&server.base_url).events();
        let query = EventsQuery::new().order(Order::Asc).page_size(3);
        let results = drain(events.iter_events(query), 1000).await;
        let mut expected = stored.clone();
        expected.extend(new_events);
        assert_exactly_once(results, &expected, Order::Asc);
    }

    // Item 1: the caller's creation-time window bounds every request (never widened), and a
    // target selection still carries what the cursor reads.
    async fn iter_events_keeps_the_callers_time_window_and_targets() {
        let stored = stored_events();
        let server = EventsServer::start(stored.clone());
        let (gte, lt) = (at(T0, 100), at(T0, 500));
        let events = client_at(&server.base_url).events();
        for order in [Order::Desc, Order::Asc] {
            let query = EventsQuery::new()
                .order(order)
                .page_size(2)
                .create_time_gte(gte)
                .create_time_lt(lt)
                .targets([EventTarget::Source]);
            let results = drain(events.iter_events(query), 1000).await;
            let expected: Vec<StoredEvent> = stored
                .iter()
                .filter(|e| e.create_time >= gte && e.create_time < lt)
                .cloned()
                .collect();
            assert_exactly_once(results, &expected, order);
        }
        let parse = |v: &String| {
            OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339).unwrap()
        };
        for request in server.requests() {
            assert!(parse(&request["create_time__gte"]) >= gte, "{request:?}");
            assert!(parse(&request["create_time__lt"]) <= lt, "{request:?}");
            assert_eq!(request["target"], "source,event_id,create_time");
        }
    }

    // Item 2: a luna-events that ignores paging (the same page again) ends the iteration with
    // an error instead of looping forever.
    async fn iter_events_ends_when_the_service_ignores_paging() {
        for order in [Order::Desc, Order::Asc] {
            let server = EventsServer::start(stored_events());
            server.state.lock().unwrap().ignore_paging = true;
            let events = client_at(&server.base_url).events().with_request_id(REQUEST_ID);
            let query = EventsQuery::new().order(order).page_size(2);
            let results = drain(events.iter_events(query), 1000).await;
            assert!(results.len() < 20, "{order:?}: {} results", results.len());
            let error = results.last().unwrap().as_ref().unwrap_err();
            assert!(matches!(error, Error::Decode { .. }), "{error:?}");
            assert_eq!(error.request_id(), Some(REQUEST_ID));
        }
    }

    // Item 2: every page-number iteration ends when the service answers the same full page
    // for every page number.
    async fn every_numbered_iteration_ends_when_the_service_ignores_paging() {
        let server = MockServer::start();
        // The same full page of two items whatever the page number.
        for (resource, id) in [
            ("faces", "face_id"),
            ("lists", "list_id"),
            ("handlers", "handler_id"),
            ("verifiers", "verifier_id"),
        ] {
            server.mock(|when, then| {
                when.method(GET).path_matches(format!("/{resource}$"));
                then.status(200).json_body(json!({resource: [{id: FACE_ID}, {id: FACE_ID_2}]}));
            });
        }
        let client = client_at(&server.base_url());
        let faces = client.faces().with_request_id(REQUEST_ID);
        let handlers = client.handlers().with_request_id(REQUEST_ID);
        let counts = [
            ("faces", last_error(drain(faces.iter_faces(FacesQuery::new().page_size(FacesPageSize::Limit(2))), 500).await)),
            ("lists", last_error(drain(faces.iter_lists(ListsQuery::new().page_size(2)), 500).await)),
            ("handlers", last_error(drain(handlers.iter_handlers(HandlersQuery::new().page_size(2)), 500).await)),
            ("verifiers", last_error(drain(handlers.iter_verifiers(VerifiersQuery::new().page_size(2)), 500).await)),
        ];
        for (name, (count, error)) in counts {
            assert_eq!(count, 3, "{name}: one page, then the error");
            let error = error.unwrap_or_else(|| panic!("{name}: no error"));
            assert!(matches!(error, Error::Decode { .. }), "{name}: {error:?}");
            assert_eq!(error.request_id(), Some(REQUEST_ID), "{name}");
        }
    }

    // Item 22: a decode error raised while paging carries the request id of the reply.
    async fn iter_events_decode_errors_carry_the_request_id() {
        let server = MockServer::start();
        server.mock(|when, then| {
            when.method(GET).path_matches(r"/events$");
            then.status(200)
                .header("luna-request-id", REQUEST_ID)
                .json_body(json!({"events": [{"source": "no id"}]}));
        });
        let events = client_at(&server.base_url()).events();
        let results = drain(events.iter_events(EventsQuery::new().page_size(1)), 10).await;
        assert_eq!(results.len(), 1);
        match &results[0] {
            Err(Error::Decode { request_id, .. }) => assert_eq!(request_id, REQUEST_ID),
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
}

/// The number of results and the last one's error, if any.
fn last_error<T: std::fmt::Debug>(results: Vec<sdk::Result<T>>) -> (usize, Option<Error>) {
    let count = results.len();
    (count, results.into_iter().last().and_then(Result::err))
}

const IMAGE_ID: &str = "9a8b7c6d-6f0e-4a5c-9a55-8c1a0d1f1a99";

both_modes! {
    // Item 3: the documented 200 answer of a PUT upload, `{"url"}` without an id, is success
    // and returns the caller's id (images and objects).
    async fn put_image_and_put_object_succeed_on_the_documented_url_only_answer() {
        let server = MockServer::start();
        let image_url = format!("/1/buckets/bucket-1/images/{IMAGE_ID}");
        let object_url = format!("/1/buckets/bucket-1/objects/{IMAGE_ID}");
        let image = server.mock(|when, then| {
            when.method(PUT).path(image_url.clone());
            then.status(200).json_body(json!({"url": image_url}));
        });
        let object = server.mock(|when, then| {
            when.method(PUT).path(object_url.clone());
            then.status(200).json_body(json!({"url": object_url}));
        });
        let store = client_at(&server.base_url()).image_store("bucket-1");
        let options = sdk::model::image_store::UploadOptions::new();
        let stored = store.put_image(vec![1u8, 2], IMAGE_ID, &options).await.unwrap();
        assert_eq!(stored.image_id.to_string(), IMAGE_ID);
        assert_eq!(stored.url.as_deref(), Some(image_url.as_str()));
        let stored = store.put_object("{}", IMAGE_ID, &options).await.unwrap();
        assert_eq!(stored.object_id.to_string(), IMAGE_ID);
        assert_eq!(stored.url.as_deref(), Some(object_url.as_str()));
        image.assert();
        object.assert();
    }

    // Item 5: the descriptor answer is the raw descriptor, returned as is — also when its
    // first byte is `{` or `"`, with or without `descriptor_version`.
    async fn get_event_descriptor_returns_the_raw_bytes_as_they_are() {
        let server = MockServer::start();
        let mut payload = vec![b'{'; 1];
        payload.extend([3u8; 511]);
        let mut quoted = vec![b'"'; 1];
        quoted.extend([4u8; 511]);
        let path = format!("/2/events/{EVENT_ID}/descriptor");
        let with_version = server.mock(|when, then| {
            when.method(GET).path(path.clone()).query_param("descriptor_version", "59");
            then.status(200).header("content-type", "application/json").body(payload.clone());
        });
        let without = server.mock(|when, then| {
            when.method(GET).path(path.clone()).query_param_missing("descriptor_version");
            then.status(200).header("content-type", "application/octet-stream").body(quoted.clone());
        });
        let events = client_at(&server.base_url()).events();
        let got = events.get_event_descriptor(EVENT_ID, &DescriptorQuery::new().version(59)).await.unwrap();
        assert_eq!(&got[..], &payload[..]);
        let got = events.get_event_descriptor(EVENT_ID, &DescriptorQuery::new()).await.unwrap();
        assert_eq!(&got[..], &quoted[..]);
        with_version.assert();
        without.assert();
    }

    // Item 12: a non-ASCII meta name is refused (no panic), nothing is sent.
    async fn a_non_ascii_meta_name_is_refused_without_panic() {
        let server = MockServer::start();
        let any = nothing_expected(&server);
        let store = client_at(&server.base_url()).image_store("bucket-1");
        for name in ["aéééééé", "Luna-Metaé", "é", "Luna-Meta-é"] {
            let options = sdk::model::image_store::UploadOptions::new().meta(name, "v");
            let error = store.post_image(vec![1u8], &options).await.unwrap_err();
            assert!(matches!(error, Error::InvalidArgument { argument: "meta", .. }), "{name}: {error:?}");
        }
        any.assert_calls(0);
    }
}

// Item 6: the payload length of every descriptor version VisionLabs' SDK tests give.
#[test]
fn every_known_descriptor_version_has_its_payload_length_checked() {
    use sdk::{RawDescriptor, SdkDescriptor};
    let lengths = [
        (54, 512),
        (56, 512),
        (57, 512),
        (58, 512),
        (59, 512),
        (60, 512),
        (62, 512),
        (65, 512),
        (105, 512),
        (106, 512),
        (107, 512),
        (108, 512),
        (110, 512),
        (113, 512),
        (116, 512),
        (102, 2048),
        (103, 2048),
        (104, 2048),
    ];
    for (version, len) in lengths {
        assert_eq!(
            sdk::payload_len(version),
            Some(len),
            "version {version}"
        );
        assert!(
            SdkDescriptor::new(version, &vec![1u8; len]).is_ok(),
            "version {version}"
        );
        for wrong in [len - 1, len + 1, if len == 512 { 2048 } else { 512 }] {
            assert!(
                SdkDescriptor::new(version, &vec![1u8; wrong]).is_err(),
                "{version}/{wrong}"
            );
            assert!(
                RawDescriptor::new(vec![1u8; wrong], version).is_err(),
                "{version}/{wrong}"
            );
            let mut blob = b"dp\0\0".to_vec();
            blob.extend(version.to_le_bytes());
            blob.extend(vec![1u8; wrong]);
            assert!(
                SdkDescriptor::from_bytes(blob).is_err(),
                "{version}/{wrong}"
            );
        }
    }
}

both_modes! {
    // Item 4: `get_attribute_ids` reads what LP5 serves (the faces of the list) and sends the
    // documented Python defaults, page 1 of 1000.
    async fn get_attribute_ids_uses_the_lp5_route_with_the_python_defaults() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = when.method(GET).path("/3/faces");
            exact_query(when, &[
                account_query(), ("list_id", LIST_ID), ("page", "1"), ("page_size", "1000"),
                ("targets", "face_id"),
            ]);
            then.status(200).json_body(json!({"faces": [{"face_id": FACE_ID}]}));
        });
        let legacy = server.mock(|when, then| {
            when.method(GET).path("/3/attributes");
            then.status(400).json_body(luna_error(12016));
        });
        let faces = client_at(&server.base_url()).faces();
        let query = sdk::services::faces::AttributeIdsQuery::new().list_id(LIST_ID);
        let ids = faces.get_attribute_ids(&query).await.unwrap();
        assert_eq!(ids, vec![Uuid::parse_str(FACE_ID).unwrap()]);
        mock.assert();
        legacy.assert_calls(0);
    }
}

/// An event whose geo position holds `value` as latitude.
fn event_at_latitude(value: f64) -> sdk::model::events::Event {
    use sdk::model::events::{Event, GeoPosition, Location};
    let mut location = Location::default();
    location.geo_position = Some(GeoPosition::new(37.6, value));
    let mut event = Event::new();
    event.location = Some(location);
    event
}

both_modes! {
    // Item 13: NaN / ±inf are refused wherever a float goes in a JSON body (they were sent as
    // `null`): saved events, raw events, stream sources, statistics filters. Nothing is sent.
    async fn non_finite_numbers_are_refused_before_sending() {
        use sdk::model::handlers::{StreamEvents, StreamSource, StreamSourceType};
        use sdk::services::events::{StatFilter, StatQuery};
        let server = MockServer::start();
        let any = nothing_expected(&server);
        let client = client_at(&server.base_url());
        let (events, handlers) = (client.events(), client.handlers());
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut errors = Vec::new();
            errors.push(events.save_events(&[event_at_latitude(bad)], Saving::ServiceDefault).await.unwrap_err());
            errors.push(handlers.save_event(FACE_ID, &event_at_latitude(bad), Saving::ServiceDefault).await.unwrap_err());
            let stream = StreamEvents::new([StreamSource::new(StreamSourceType::RawImage)
                .image(&[1, 2, 3])
                .detect_ts(bad)]);
            errors.push(handlers.emit_stream_events(FACE_ID, &stream).await.unwrap_err());
            let stats = StatQuery::count().filter(StatFilter::new(
                "age",
                sdk::services::events::StatOperator::Gte,
                bad,
            ));
            errors.push(events.get_events_stats(&stats).await.unwrap_err());
            for error in errors {
                assert!(matches!(error, Error::InvalidArgument { .. }), "{bad}: {error:?}");
                assert!(error.to_string().contains(&bad.to_string()), "{error}");
            }
        }
        any.assert_calls(0);
    }
}

both_modes! {
    // Item 14: sizes are bounded: every `limit` by its documented cap, and a request whose URL
    // would exceed `MAX_URL_LEN` (10^6 ids made a 37 MB URL) is `InvalidArgument` with
    // nothing sent.
    async fn unbounded_sizes_are_refused_before_sending() {
        use sdk::model::handlers::{MatchPolicy, Policies};
        use sdk::model::matching::{
            Candidates, CrossMatchParams, MatchReference, MATCH_LIMIT_MAX,
        };
        use sdk::services::faces::ListAttributesQuery;
        let server = MockServer::start();
        let any = nothing_expected(&server);
        let client = client_at(&server.base_url());
        let (faces, matcher, handlers) = (client.faces(), client.matcher(), client.handlers());
        let mut errors = Vec::new();
        for limit in [MATCH_LIMIT_MAX + 1, u32::MAX] {
            let candidates = [Candidates::faces(FacesQuery::new().list_id(LIST_ID)).limit(limit)];
            errors.push(matcher.match_faces(&candidates, &[MatchReference::face(FACE_ID)]).await.unwrap_err());
            let params = CrossMatchParams::new().limit(limit);
            errors.push(
                matcher
                    .crossmatch_faces(FacesQuery::new().list_id(LIST_ID), FacesQuery::new(), &params)
                    .await
                    .unwrap_err(),
            );
            let policy = MatchPolicy::new("staff", FacesQuery::new().list_id(LIST_ID)).unwrap().limit(limit);
            errors.push(handlers.validate_handler(&Policies::new().match_policy(policy)).await.unwrap_err());
        }
        for limit in [10_001, u32::MAX] {
            let query = ListAttributesQuery::new().limit(limit);
            errors.push(faces.get_attributes_from_list(LIST_ID, &query).await.unwrap_err());
        }
        let many: Vec<Uuid> = (0..1_000_000u128).map(Uuid::from_u128).collect();
        errors.push(faces.get_faces(&FacesQuery::new().face_ids(many.clone())).await.unwrap_err());
        let events = client.events();
        errors.push(events.get_events(&EventsQuery::new().event_ids(many[..300].to_vec())).await.unwrap_err());
        for error in &errors {
            assert!(matches!(error, Error::InvalidArgument { .. }), "{error:?}");
            assert_eq!(error.request_id(), None, "nothing was sent");
        }
        any.assert_calls(0);
    }

    // Item 14: a URL just under the cap is sent.
    async fn a_long_url_under_the_cap_is_sent() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            when.method(GET).path("/3/faces");
            then.status(200).json_body(json!({"faces": []}));
        });
        // 36 bytes per id plus a 3-byte separator: 150 ids stay under 8000 bytes.
        let ids: Vec<Uuid> = (0..150u128).map(Uuid::from_u128).collect();
        let faces = client_at(&server.base_url()).faces();
        faces.get_faces(&FacesQuery::new().face_ids(ids)).await.unwrap();
        mock.assert();
    }
}

both_modes! {
    // Item 7: publishing by the caller's route; the events' own times are sent unchanged (the
    // call's times only fill missing ones); every event is attempted and reported.
    async fn publish_keeps_event_times_and_reports_every_event() {
        use sdk::services::sender::PublishRoute;
        let server = MockServer::start();
        let path = format!("/1/handlers/{FACE_ID}/events/raw");
        let own_times = server.mock(|when, then| {
            let when = when.method(POST).path(path.clone()).query_param_missing("handler_id");
            json_request(when, json!({
                "source": "a", "create_time": "2024-01-01T08:00:00Z", "end_time": "2024-01-01T08:00:01Z",
            }));
            then.status(201).json_body(json!({"event_id": EVENT_ID}));
        });
        let failing = server.mock(|when, then| {
            let when = when.method(POST).path(path.clone());
            json_request(when, json!({
                "source": "b", "create_time": "2024-01-31T12:00:00Z", "end_time": "2024-01-31T12:00:05Z",
            }));
            then.status(500).json_body(luna_error(1));
        });
        let defaults = server.mock(|when, then| {
            let when = when.method(POST).path(path.clone());
            json_request(when, json!({
                "source": "c", "create_time": "2024-01-31T12:00:00Z", "end_time": "2024-01-31T12:00:05Z",
            }));
            then.status(201).json_body(json!({"event_id": FACE_ID_2}));
        });
        let events = [
            json!({"source": "a", "create_time": "2024-01-01T08:00:00Z", "end_time": "2024-01-01T08:00:01Z"}),
            json!({"source": "b"}),
            json!({"source": "c"}),
        ];
        let sender = client_at(&server.base_url()).sender();
        let report = sender
            .publish(
                &PublishRoute::HandlersRawEvents,
                &events,
                FACE_ID,
                &EventTimes::new()
                    .create_time(datetime!(2024-01-31 12:00 UTC))
                    .end_time(datetime!(2024-01-31 12:00:05 UTC)),
            )
            .await
            .unwrap();
        own_times.assert();
        failing.assert();
        defaults.assert();
        assert!(!report.all_published());
        let published: Vec<usize> = report.published().map(|(i, _)| i).collect();
        assert_eq!(published, vec![0, 2]);
        let failed: Vec<(usize, Option<i64>)> = report.failed().map(|(i, e)| (i, e.error_code())).collect();
        assert_eq!(failed, vec![(1, Some(1))]);
    }

    // Item 7: a caller-given luna-sender path is used as given, on the Sender's address.
    async fn publish_by_a_sender_path_posts_there() {
        use sdk::services::sender::PublishRoute;
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = when.method(POST).path("/1/events/general").query_param("handler_id", FACE_ID);
            json_request(when, json!({"source": "a"}));
            then.status(204);
        });
        let sender = client_at(&server.base_url()).sender();
        let route = PublishRoute::SenderPath("/events/general".into());
        let report = sender.publish(&route, &[json!({"source": "a"})], FACE_ID, &EventTimes::new()).await.unwrap();
        mock.assert();
        assert!(report.all_published());
    }
}

}
