//! Wire tests of the Python Matcher client (both modes): every method with its JSON body
//! checked member by member (references, candidates, filters), its exact query and headers,
//! the decoded per-reference answers (failed references kept), retries of the matching POSTs,
//! refused arguments and the error paths.

mod common;

crate::in_both_modes! {

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::common::*;
use httpmock::prelude::*;
use sdk::model::events::{Emotion, OrNull};
use sdk::model::matching::{
    AttributeFilters, BinaryReference, Candidates, CrossMatchParams, EventFilters, MatchReference,
};
use sdk::services::events::{EventsQuery, MetaFilter};
use sdk::services::faces::FacesQuery;
use sdk::{
    Error, LunaClient, Matcher, RawDescriptor, RetryPolicy, SdkDescriptor, Service,
};
use serde_json::{json, Value};
use time::macros::datetime;

const HANDLER_ID: &str = "8a9b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a99";

fn lpm_client(server: &MockServer) -> LunaClient {
    client_for(server, RetryPolicy::none())
}

fn client_for(server: &MockServer, retry: RetryPolicy) -> LunaClient {
    LunaClient::builder()
        .address(Service::Matcher, &server.base_url())
        .account_id(ACCOUNT)
        .timeout(Duration::from_secs(5))
        .retry(retry)
        .build()
        .unwrap()
}

fn lpm(server: &MockServer) -> Matcher {
    lpm_client(server).matcher().with_request_id(REQUEST_ID)
}

fn lpm_unreachable() -> Matcher {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    LunaClient::builder()
        .address(Service::Matcher, &format!("http://127.0.0.1:{port}"))
        .account_id(ACCOUNT)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
        .matcher()
        .with_request_id(REQUEST_ID)
}

fn sdk_descriptor(fill: u8) -> SdkDescriptor {
    SdkDescriptor::new(59, &[fill; 512]).unwrap()
}

fn raw_descriptor(fill: u8) -> RawDescriptor {
    RawDescriptor::new(vec![fill; 512], 59).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn face_candidates() -> Candidates {
    Candidates::faces(FacesQuery::new().list_id(LIST_ID).external_ids(["ext-1"]))
        .limit(3)
        .threshold(0.8)
        .targets(["face_id", "similarity"])
}

/// A face-matching answer: the first reference matched, the second failed.
fn match_answer() -> Value {
    json!([
        {
            "reference": {"id": EVENT_ID, "type": "event"},
            "matches": [{
                "filters": {"origin": "faces", "list_id": LIST_ID},
                "result": [
                    {"face": {"face_id": FACE_ID, "external_id": "ext-1", "user_data": "ann", "avatar": "", "lists": [LIST_ID]}, "similarity": 0.93},
                    {"face": {"face_id": FACE_ID_2}, "similarity": 0.81},
                ],
            }],
        },
        {
            "reference": {"id": FACE_ID_2, "type": "face"},
            "error": {"error_code": 22002, "desc": "Object not found", "detail": "Face not found"},
        },
    ])
}

fn similarity_answer() -> Value {
    json!([
        {"reference": {"id": "probe-1", "type": "sdk_descriptor"}, "matches": [
            {"candidate": {"id": "cand-1", "type": "sdk_descriptor"}, "similarity": 0.72},
            {"candidate": {"id": "cand-2", "type": "raw_descriptor"}, "similarity": 0.12},
        ]},
        {"reference": {"id": "probe-2", "type": "raw_descriptor"}, "error": {"error_code": 12034, "desc": "Bad SDK descriptor"}},
    ])
}

both_modes! {
    async fn match_faces_sends_every_reference_and_candidate_kind() {
        let server = MockServer::start();
        let sdk = sdk_descriptor(1);
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, "/1/matcher/faces"), &[account_query()]);
            json_request(when, json!({
                "candidates": [
                    {
                        "filters": {"origin": "faces", "list_id": LIST_ID, "external_ids": ["ext-1"]},
                        "limit": 3,
                        "threshold": 0.8,
                        "targets": ["face_id", "similarity"],
                    },
                    {
                        "filters": {
                            "origin": "events",
                            "handler_ids": [HANDLER_ID],
                            "create_time__gte": "2024-01-01T00:00:00Z",
                            "sources": ["entrance", "gate,2"],
                            "emotions": [4, null],
                            "meta": {"badge.number__gte:integer": 17},
                        },
                        "limit": 1,
                    },
                    {"filters": {"origin": "attributes", "attribute_ids": [ATTRIBUTE_ID]}},
                ],
                "references": [
                    {"type": "event", "id": EVENT_ID},
                    {"type": "face", "id": FACE_ID_2},
                    {"type": "attribute", "id": ATTRIBUTE_ID},
                    {"type": "sdk_descriptor", "id": "probe-1", "data": sdk.to_base64()},
                    {"type": "raw_descriptor", "id": "probe-2", "data": {"descriptor": b64(&[2u8; 512]), "version": 59}},
                ],
            }));
            then.status(200).header("luna-request-id", REQUEST_ID).json_body(match_answer());
        });
        let candidates = [
            face_candidates(),
            Candidates::events(
                EventsQuery::new()
                    .handler_ids([HANDLER_ID])
                    .create_time_gte(datetime!(2024-01-01 03:00 +03:00))
                    .sources(["entrance", "gate,2"])
                    .emotions([OrNull::Value(Emotion::Happiness), OrNull::Null])
                    .meta(MetaFilter::new("badge.number", sdk::services::events::MetaOperator::Gte, 17)),
            )
            .limit(1),
            Candidates::attributes(AttributeFilters::new().attribute_ids([ATTRIBUTE_ID])),
        ];
        let references = [
            MatchReference::event(EVENT_ID),
            MatchReference::face(FACE_ID_2),
            MatchReference::attribute(ATTRIBUTE_ID),
            MatchReference::descriptor("probe-1", sdk.clone()),
            BinaryReference::new("probe-2", raw_descriptor(2)).into(),
        ];
        let results = lpm(&server).match_faces(&candidates, &references).await.unwrap();
        mock.assert();
        assert_eq!(results.len(), 2);
        assert!(!results[0].is_error());
        assert_eq!(results[0].reference_id(), Some(EVENT_ID));
        let best = results[0].best().unwrap();
        assert_eq!(best.similarity, Some(0.93));
        let face = best.face.as_ref().unwrap();
        assert_eq!(face.face_id.unwrap().to_string(), FACE_ID);
        assert_eq!(face.user_data.as_deref(), Some("ann"));
        assert_eq!(face.extra["lists"], json!([LIST_ID]));
        assert_eq!(results[0].matches[0].filters.as_ref().unwrap()["origin"], "faces");
        assert!(results[1].is_error());
        assert_eq!(results[1].error.as_ref().unwrap().error_code, Some(22002));
        assert_eq!(results[1].reference.as_ref().unwrap().kind.as_deref(), Some("face"));
    }

    async fn match_bodies_sends_event_candidates_and_references() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, "/1/matcher/bodies"), &[account_query()]);
            json_request(when, json!({
                "candidates": [{
                    "filters": {"origin": "events", "handler_ids": [HANDLER_ID], "track_ids": ["t-1"], "gender": null},
                    "limit": 5,
                    "threshold": 0.5,
                }],
                "references": [
                    {"type": "event", "id": EVENT_ID},
                    {"type": "sdk_descriptor", "id": "probe", "data": sdk_descriptor(3).to_base64()},
                ],
            }));
            then.status(200).json_body(json!([
                {"reference": {"id": EVENT_ID, "type": "event"}, "matches": [{"filters": {"origin": "events"}, "result": [
                    {"event": {"event_id": EVENT_ID, "external_id": "x"}, "similarity": 0.66}
                ]}]},
                {"reference": {"id": "probe", "type": "sdk_descriptor"}, "error": {"error_code": 12034, "desc": "Bad descriptor"}},
            ]));
        });
        let candidates = [Candidates::events(
            EventFilters::new(EventsQuery::new().handler_ids([HANDLER_ID]).track_ids(["t-1"]).gender(OrNull::Null)),
        )
        .limit(5)
        .threshold(0.5)];
        let references = [MatchReference::event(EVENT_ID), MatchReference::descriptor("probe", sdk_descriptor(3))];
        let results = lpm(&server).match_bodies(&candidates, &references).await.unwrap();
        mock.assert();
        let event = results[0].matches[0].result[0].event.as_ref().unwrap();
        assert_eq!(event.event_id.unwrap().to_string(), EVENT_ID);
        assert_eq!(results[0].matches[0].result[0].similarity, Some(0.66));
        assert!(results[1].is_error());
    }

    async fn match_raw_sends_descriptors_without_account_query() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, "/1/matcher/raw"), &[]);
            json_request(when, json!({
                "candidates": [
                    {"type": "sdk_descriptor", "id": "cand-1", "data": sdk_descriptor(4).to_base64()},
                    {"type": "raw_descriptor", "id": "cand-2", "data": {"descriptor": b64(&[5u8; 512]), "version": 59}},
                ],
                "references": [
                    {"type": "sdk_descriptor", "id": "probe-1", "data": sdk_descriptor(6).to_base64()},
                    {"type": "raw_descriptor", "id": "probe-2", "data": {"descriptor": b64(&[7u8; 512]), "version": 59}},
                ],
            }));
            then.status(200).json_body(similarity_answer());
        });
        let candidates = [
            BinaryReference::new("cand-1", sdk_descriptor(4)),
            BinaryReference::new("cand-2", raw_descriptor(5)),
        ];
        let references = [
            BinaryReference::new("probe-1", sdk_descriptor(6)),
            BinaryReference::new("probe-2", raw_descriptor(7)),
        ];
        let results = lpm(&server).match_raw(&candidates, &references).await.unwrap();
        mock.assert();
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].reference_id(), Some("probe-1"));
        assert_eq!(results[0].matches[0].candidate_id(), Some("cand-1"));
        assert_eq!(results[0].matches[0].similarity, Some(0.72));
        assert_eq!(results[0].matches[1].candidate_id(), Some("cand-2"));
        assert!(results[1].is_error());
        assert_eq!(results[1].error.as_ref().unwrap().error_code, Some(12034));
    }

    async fn crossmatch_faces_sends_filters_limit_threshold_and_sorting() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, "/1/crossmatcher/faces"), &[("sorting", "1")]);
            json_request(when, json!({
                "candidates": {"filters": {
                    "origin": "faces",
                    "list_id": LIST_ID,
                    "create_time__gte": "2024-01-01T00:00:00Z",
                    "account_id": ACCOUNT,
                }},
                "references": {"filters": {
                    "origin": "events",
                    "sources": ["entrance"],
                    "event_ids": [EVENT_ID],
                    "account_id": ACCOUNT,
                }},
                "limit": 5,
                "threshold": 0.7,
            }));
            then.status(200).json_body(json!([
                {"reference_id": EVENT_ID, "matches": [{"candidate_id": FACE_ID, "similarity": 0.9}]},
                {"reference_id": FACE_ID_2, "error": {"error_code": 31003, "desc": "Cross-matching failed"}},
            ]));
        });
        let results = lpm(&server)
            .crossmatch_faces(
                FacesQuery::new().list_id(LIST_ID).time_gte(datetime!(2024-01-01 00:00 UTC)),
                EventsQuery::new().sources(["entrance"]).event_ids([EVENT_ID]),
                &CrossMatchParams::new().limit(5).threshold(0.7).sorting(true),
            )
            .await
            .unwrap();
        mock.assert();
        assert_eq!(results[0].reference_id(), Some(EVENT_ID));
        assert_eq!(results[0].matches[0].candidate_id(), Some(FACE_ID));
        assert_eq!(results[0].matches[0].similarity, Some(0.9));
        assert!(results[1].is_error());
    }

    async fn crossmatch_faces_takes_attribute_filters_and_defaults() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, "/1/crossmatcher/faces"), &[]);
            json_request(when, json!({
                "candidates": {"filters": {"origin": "attributes", "attribute_ids": [ATTRIBUTE_ID], "account_id": ACCOUNT}},
                "references": {"filters": {"origin": "faces", "face_ids": [FACE_ID], "account_id": ACCOUNT}},
            }));
            then.status(200).json_body(json!({"results": []}));
        });
        let results = lpm(&server)
            .crossmatch_faces(
                AttributeFilters::new().attribute_ids([ATTRIBUTE_ID]),
                FacesQuery::new().face_ids([FACE_ID]),
                &CrossMatchParams::new(),
            )
            .await
            .unwrap();
        mock.assert();
        assert!(results.is_empty());
    }

    async fn crossmatch_bodies_sends_event_filters() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(luna(when, POST, "/1/crossmatcher/bodies"), &[("sorting", "0")]);
            json_request(when, json!({
                "candidates": {"filters": {"origin": "events", "handler_ids": [HANDLER_ID], "account_id": ACCOUNT}},
                "references": {"filters": {"origin": "events", "create_time__lt": "2024-02-01T00:00:00Z", "user_data": "x", "account_id": ACCOUNT}},
                "limit": 2,
            }));
            then.status(200).json_body(json!([
                {"reference": {"id": EVENT_ID}, "matches": [{"candidate": {"id": HANDLER_ID}, "similarity": 0.4}]},
            ]));
        });
        let results = lpm(&server)
            .crossmatch_bodies(
                EventsQuery::new().handler_ids([HANDLER_ID]),
                EventFilters::new(EventsQuery::new().create_time_lt(datetime!(2024-02-01 00:00 UTC)).user_data("x")),
                &CrossMatchParams::new().limit(2).sorting(false),
            )
            .await
            .unwrap();
        mock.assert();
        assert_eq!(results[0].reference_id(), Some(EVENT_ID));
        assert_eq!(results[0].matches[0].similarity, Some(0.4));
    }

    async fn matching_posts_are_retried_on_503() {
        let fast = || RetryPolicy::standard().backoff(Duration::from_millis(1), Duration::from_millis(5));
        let cases: [(&str, Value); 5] = [
            ("/1/matcher/faces", match_answer()),
            ("/1/matcher/bodies", match_answer()),
            ("/1/matcher/raw", similarity_answer()),
            ("/1/crossmatcher/faces", similarity_answer()),
            ("/1/crossmatcher/bodies", similarity_answer()),
        ];
        for (path, answer) in cases {
            let server = MockServer::start();
            let calls = sequence(&server, POST, path, vec![(503, None), (503, Some("0")), (200, None)], answer);
            let matcher = client_for(&server, fast()).matcher();
            let count = match path {
                "/1/matcher/faces" => matcher
                    .match_faces(&[face_candidates()], &[MatchReference::event(EVENT_ID)])
                    .await
                    .unwrap()
                    .len(),
                "/1/matcher/bodies" => matcher
                    .match_bodies(&[Candidates::events(EventsQuery::new())], &[MatchReference::event(EVENT_ID)])
                    .await
                    .unwrap()
                    .len(),
                "/1/crossmatcher/faces" => matcher
                    .crossmatch_faces(FacesQuery::new(), FacesQuery::new(), &CrossMatchParams::new())
                    .await
                    .unwrap()
                    .len(),
                "/1/matcher/raw" => matcher
                    .match_raw(&[BinaryReference::new("c", sdk_descriptor(1))], &[BinaryReference::new("r", sdk_descriptor(2))])
                    .await
                    .unwrap()
                    .len(),
                _ => matcher
                    .crossmatch_bodies(EventsQuery::new(), EventsQuery::new(), &CrossMatchParams::new())
                    .await
                    .unwrap()
                    .len(),
            };
            assert_eq!(count, 2, "{path}");
            assert_eq!(calls.load(Ordering::SeqCst), 3, "{path}");
        }
    }

    // `.await` inside `vec![..]` is not rewritten by maybe-async in blocking builds.
    #[allow(clippy::vec_init_then_push)]
    async fn bad_input_sends_nothing() {
        let server = MockServer::start();
        let guard = nothing_expected(&server);
        let m = lpm(&server);
        let event = || [MatchReference::event(EVENT_ID)];
        let bin = || [BinaryReference::new("x", sdk_descriptor(1))];
        let mut errors = Vec::with_capacity(18);
        errors.push(m.match_faces(&[], &event()).await.unwrap_err());
        errors.push(m.match_faces(&[face_candidates()], &[]).await.unwrap_err());
        errors.push(m.match_faces(&[face_candidates()], &[MatchReference::face("not-a-uuid")]).await.unwrap_err());
        errors.push(m.match_faces(&[face_candidates().limit(0)], &event()).await.unwrap_err());
        errors.push(m.match_faces(&[face_candidates().threshold(1.2)], &event()).await.unwrap_err());
        errors.push(m.match_faces(&[Candidates::faces(FacesQuery::new().page(2))], &event()).await.unwrap_err());
        errors.push(m.match_faces(&[Candidates::events(EventsQuery::new().page_size(5))], &event()).await.unwrap_err());
        errors.push(m.match_faces(&[Candidates::events(EventsQuery::new().origin_latitude(1.0))], &event()).await.unwrap_err());
        errors.push(m.match_faces(&[face_candidates()], &[MatchReference::descriptor("", sdk_descriptor(1))]).await.unwrap_err());
        errors.push(m.match_bodies(&[face_candidates()], &event()).await.unwrap_err());
        errors.push(m.match_bodies(&[Candidates::events(EventsQuery::new())], &[MatchReference::face(FACE_ID)]).await.unwrap_err());
        errors.push(m.match_raw(&[], &bin()).await.unwrap_err());
        errors.push(m.match_raw(&bin(), &[]).await.unwrap_err());
        errors.push(m.match_raw(&bin(), &[BinaryReference::new("", sdk_descriptor(1))]).await.unwrap_err());
        errors.push(m.crossmatch_faces(FacesQuery::new(), FacesQuery::new(), &CrossMatchParams::new().limit(0)).await.unwrap_err());
        errors.push(m.crossmatch_faces(FacesQuery::new().list_id("nope"), FacesQuery::new(), &CrossMatchParams::new()).await.unwrap_err());
        errors.push(m.crossmatch_bodies(EventsQuery::new(), EventsQuery::new(), &CrossMatchParams::new().threshold(f64::NAN)).await.unwrap_err());
        errors.push(m.crossmatch_bodies(EventsQuery::new().order(sdk::services::events::Order::Asc), EventsQuery::new(), &CrossMatchParams::new()).await.unwrap_err());
        for err in errors {
            assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
        }
        assert_eq!(guard.calls(), 0);
    }

    async fn get_address_is_origin_plus_prefix() {
        let server = MockServer::start();
        assert_eq!(lpm_client(&server).matcher().get_address(), format!("{}/1", server.base_url()));
    }
}

error_path_tests! {
    handle: lpm, unreachable: lpm_unreachable;
    match_faces => POST "/1/matcher/faces", decodes: true, |m| m.match_faces(&[face_candidates()], &[MatchReference::event(EVENT_ID)]);
    match_bodies => POST "/1/matcher/bodies", decodes: true, |m| m.match_bodies(&[Candidates::events(EventsQuery::new())], &[MatchReference::event(EVENT_ID)]);
    match_raw => POST "/1/matcher/raw", decodes: true, |m| m.match_raw(&[BinaryReference::new("c", sdk_descriptor(1))], &[BinaryReference::new("r", sdk_descriptor(2))]);
    crossmatch_faces => POST "/1/crossmatcher/faces", decodes: true, |m| m.crossmatch_faces(FacesQuery::new(), EventsQuery::new(), &CrossMatchParams::new());
    crossmatch_bodies => POST "/1/crossmatcher/bodies", decodes: true, |m| m.crossmatch_bodies(EventsQuery::new(), EventsQuery::new(), &CrossMatchParams::new());
}
}
