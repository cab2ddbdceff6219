//! Client-level behaviour in both modes: request ids, headers, auth, timeouts, retries, body
//! cap, raw requests, per-call options, service version, pagination.

// One loop serves both modes (`while let .. = pages.next().await`): `for` cannot await a Stream.
#![allow(clippy::while_let_on_iterator)]

mod common;

crate::in_both_modes! {

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::common::*;
use sdk::model::common::{Targets};
use sdk::services::faces::{NewList};
use httpmock::prelude::*;
use sdk::model::faces::NewFace;
use sdk::services::faces::{FacesPageSize, FacesQuery, ListsQuery};
use sdk::{
    Error, LunaClient, Method, RawRequest, RequestOptions, RetryPolicy, Service, TransportErrorKind,
};
use serde_json::json;


fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard().backoff(Duration::from_millis(1), Duration::from_millis(5))
}

both_modes! {
    async fn generates_a_request_id_in_the_luna_format() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            when.method(GET)
                .path(format!("/3/faces/{FACE_ID}"))
                .header_matches("luna-request-id", r"^[0-9]{10},[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
            then.status(404).json_body(luna_error(22002));
        });
        let result = client(&server).faces().get_face(FACE_ID, Targets::All).await;
        let error = result.unwrap_err();
        mock.assert();
        sdk::validate_request_id(error.request_id().unwrap()).unwrap();
    }

    async fn the_echoed_request_id_is_reported() {
        let server = MockServer::start();
        let echoed = "1700000001,1b8b5937-2e9c-4e8b-a7a7-5caf86621b5a";
        server.mock(|when, then| {
            when.method(GET);
            then.status(500).header("luna-request-id", echoed).json_body(luna_error(1));
        });
        let result = faces(&server).get_face(FACE_ID, Targets::All).await;
        assert_eq!(result.unwrap_err().request_id(), Some(echoed));
    }

    async fn sends_user_agent_accept_and_no_account_when_none_is_set() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            when.method(GET)
                .path(format!("/3/faces/{FACE_ID}"))
                .header("user-agent", sdk::USER_AGENT)
                .header("accept", "application/json")
                .header_missing("luna-account-id")
                .header_missing("authorization")
                .query_param_missing("account_id");
            then.status(200).json_body(json!({"face_id": FACE_ID}));
        });
        let client = LunaClient::builder().address(Service::Faces, &server.base_url()).build().unwrap();
        client.faces().get_face(FACE_ID, Targets::All).await.unwrap();
        mock.assert();
    }

    async fn basic_and_bearer_auth_headers() {
        let server = MockServer::start();
        let basic = server.mock(|when, then| {
            when.method(httpmock::Method::HEAD).path(format!("/3/faces/{FACE_ID}"))
                .header("authorization", "Basic cm9vdEB2aXNpb25sYWJzLmFpOnJvb3Q=");
            then.status(200);
        });
        let bearer = server.mock(|when, then| {
            when.method(httpmock::Method::HEAD).path(format!("/3/faces/{FACE_ID_2}")).header("authorization", "Bearer t0k3n");
            then.status(200);
        });
        let with_basic = client_with(&server, |b| b.basic_auth("root@visionlabs.ai", "root"));
        let found = with_basic.faces().head_face(FACE_ID).await.unwrap();
        assert!(found);
        let with_bearer = client_with(&server, |b| b.bearer_token("t0k3n"));
        let found = with_bearer.faces().head_face(FACE_ID_2).await.unwrap();
        assert!(found);
        basic.assert();
        bearer.assert();
        assert!(!format!("{with_basic:?}{with_bearer:?}").contains("t0k3n"));
    }

    async fn per_call_timeout_becomes_timeout_error() {
        let server = MockServer::start();
        server.mock(|when, then| {
            when.method(GET);
            then.status(200).delay(Duration::from_secs(3)).json_body(json!({"face_id": FACE_ID}));
        });
        let result = faces(&server)
            .with_options(RequestOptions::new().timeout(Duration::from_millis(200)))
            .get_face(FACE_ID, Targets::All)
            .await;
        let error = result.unwrap_err();
        assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
        assert_eq!(error.request_id(), Some(REQUEST_ID));
    }

    async fn connections_are_reused_across_calls_and_handles() {
        let (url, connections) = counting_server(r#"{"face_id": "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11"}"#);
        let client = LunaClient::builder().address(Service::Faces, &url).build().unwrap();
        for _ in 0..5 {
            // A new handle per call still shares the client's pool.
            client.faces().get_face(FACE_ID, Targets::All).await.unwrap();
        }
        let clone = client.clone();
        clone.faces().with_request_id(REQUEST_ID).get_face(FACE_ID, Targets::All).await.unwrap();
        assert_eq!(connections.load(Ordering::SeqCst), 1);
    }

    async fn client_and_service_timeouts_apply() {
        let server = MockServer::start();
        server.mock(|when, then| {
            when.method(GET);
            then.status(200).delay(Duration::from_secs(3)).json_body(json!({"face_id": FACE_ID}));
        });
        let client = client_with(&server, |b| b.timeout(Duration::from_millis(200)));
        let result = client.faces().get_face(FACE_ID, Targets::All).await;
        assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
        let client = client_with(&server, |b| b.service_timeout(Service::Faces, Duration::from_millis(200)));
        let result = client.faces().get_face(FACE_ID, Targets::All).await;
        assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
    }

    async fn retry_safe_reads_are_retried_on_503_and_429() {
        let server = MockServer::start();
        let calls = sequence(&server, GET, &format!("/3/faces/{FACE_ID}"),
            vec![(503, None), (429, Some("0")), (200, None)], json!({"face_id": FACE_ID}));
        let client = client_with(&server, |b| b.retry(fast_retries()));
        let face = client.faces().get_face(FACE_ID, Targets::All).await.unwrap();
        assert_eq!(face.face_id.unwrap().to_string(), FACE_ID);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    async fn every_attempt_carries_the_request_headers() {
        let server = MockServer::start();
        // Only an attempt with every header is answered (503, 503, then the face): one without
        // them gets httpmock's 404 and ends the call.
        let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = calls.clone();
        server.mock(move |when, then| {
            when.method(GET)
                .path(format!("/3/faces/{FACE_ID}"))
                .header("luna-account-id", ACCOUNT)
                .header_exists("luna-request-id")
                .header("accept", "application/json")
                .header("x-extra", "1");
            then.respond_with(move |_req: &httpmock::HttpMockRequest| {
                let status = if counter.fetch_add(1, Ordering::SeqCst) < 2 { 503 } else { 200 };
                httpmock::HttpMockResponse::builder()
                    .status(status)
                    .body(json!({"face_id": FACE_ID}).to_string())
                    .build()
            });
        });
        let client = client_with(&server, |b| b.retry(fast_retries()));
        let faces = client.faces().with_options(RequestOptions::new().header("X-Extra", "1"));
        let face = faces.get_face(FACE_ID, Targets::All).await.unwrap();
        assert_eq!(face.face_id.unwrap().to_string(), FACE_ID);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    async fn retries_stop_after_the_policy_limit() {
        let server = MockServer::start();
        let calls = sequence(&server, GET, "/3/faces", vec![(502, None)], json!({}));
        let client = client_with(&server, |b| b.retry(fast_retries().max_retries(2)));
        let result = client.faces().get_faces(&FacesQuery::new()).await;
        assert_eq!(result.unwrap_err().status().unwrap().as_u16(), 502);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    async fn creates_are_never_retried() {
        let server = MockServer::start();
        let calls = sequence(&server, POST, "/3/faces", vec![(503, None), (201, None)], json!({"face_id": FACE_ID}));
        let client = client_with(&server, |b| b.retry(fast_retries()));
        let result = client.faces().create_face(&NewFace::new()).await;
        assert_eq!(result.unwrap_err().status().unwrap().as_u16(), 503);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    async fn a_long_retry_after_ends_the_retries() {
        let server = MockServer::start();
        let calls = sequence(&server, GET, "/3/lists", vec![(503, Some("120"))], json!({}));
        let client = client_with(&server, |b| b.retry(fast_retries()));
        let result = client.faces().get_lists(&ListsQuery::new()).await;
        assert!(result.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    async fn other_errors_are_not_retried() {
        let server = MockServer::start();
        let calls = sequence(&server, GET, "/3/lists", vec![(500, None), (200, None)], json!({"lists": []}));
        let client = client_with(&server, |b| b.retry(fast_retries()));
        let result = client.faces().get_lists(&ListsQuery::new()).await;
        assert!(result.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    async fn oversized_answers_are_refused() {
        let server = MockServer::start();
        server.mock(|when, then| {
            when.method(GET);
            then.status(200).json_body(json!({"face_id": FACE_ID, "user_data": "x".repeat(500)}));
        });
        let client = client_with(&server, |b| b.max_response_bytes(128));
        let result = client.faces().with_request_id(REQUEST_ID).get_face(FACE_ID, Targets::All).await;
        let error = result.unwrap_err();
        assert!(matches!(error, Error::Transport { kind: TransportErrorKind::BodyTooLarge, .. }), "{error:?}");
        assert_eq!(error.request_id(), Some(REQUEST_ID));
    }

    async fn extra_query_pairs_and_headers_override_the_method() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = exact_query(when.method(GET).path("/3/faces"), &[
                ("account_id", ACCOUNT), ("page_size", "7"), ("new_filter", "v"),
            ]);
            when.header("x-trace", "abc").header("accept", "application/msgpack, application/json");
            then.status(200).json_body(json!({"faces": []}));
        });
        let options = RequestOptions::new()
            .query("page_size", "7")
            .query("new_filter", "v")
            .header("X-Trace", "abc")
            .header("Accept", "application/msgpack, application/json");
        faces(&server)
            .with_options(options)
            .get_faces(&FacesQuery::new().page_size(FacesPageSize::Limit(50)))
            .await
            .unwrap();
        mock.assert();
    }

    async fn raw_requests_return_any_status() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, "/3/faces/custom");
            exact_query(when, &[("a", "1 2")])
                .header("content-type", "application/octet-stream")
                .header("x-one", "1")
                .body("raw-bytes");
            then.status(418).header("x-answer", "yes").json_body(luna_error(12345));
        });
        let request = RawRequest::post("/faces/custom")
            .query("a", "1 2")
            .header("X-One", "1")
            .body(&b"raw-bytes"[..], "application/octet-stream");
        let response = faces(&server).raw(request).await.unwrap();
        mock.assert();
        assert_eq!(response.status.as_u16(), 418);
        assert_eq!(response.headers["x-answer"], "yes");
        let error = response.error_for_status().unwrap_err();
        assert_eq!(error.error_code(), Some(12345));
        assert_eq!(error.request_id(), Some(REQUEST_ID));
    }

    async fn raw_request_through_the_client_and_unversioned_paths() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            when.method(GET).path("/healthcheck");
            then.status(200).json_body(json!({"execution_time": 0.1}));
        });
        let response = client(&server)
            .raw(Service::Faces, RawRequest::new(Method::GET, "/healthcheck").unversioned())
            .await
            .unwrap();
        mock.assert();
        let body: serde_json::Value = response.json().unwrap();
        assert_eq!(body["execution_time"], 0.1);
        let bad = client(&server).raw(Service::Faces, RawRequest::get("no-slash")).await;
        assert!(matches!(bad, Err(Error::InvalidArgument { .. })));
    }

    async fn a_raw_request_sends_every_value_of_a_repeated_header() {
        let server = MockServer::start();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = seen.clone();
        server.mock(move |when, then| {
            when.method(GET).path("/3/faces");
            then.respond_with(move |req: &httpmock::HttpMockRequest| {
                let headers = req.headers();
                let values = |name: &str| -> Vec<String> {
                    headers
                        .get_all(name)
                        .iter()
                        .map(|v| v.to_str().unwrap().to_owned())
                        .collect()
                };
                record.lock().unwrap().push((values("x-tag"), values("accept")));
                httpmock::HttpMockResponse::builder().status(200).body("[]").build()
            });
        });
        let request = RawRequest::get("/faces")
            .header("X-Tag", "one")
            .header("X-Tag", "two")
            .header("Accept", "text/plain");
        let response = client(&server).raw(Service::Faces, request).await.unwrap();
        assert_eq!(response.status.as_u16(), 200);
        // Both values of the caller's header; the caller's `Accept` replaces the client's.
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen, vec![(vec!["one".to_owned(), "two".to_owned()], vec!["text/plain".to_owned()])]);
    }

    async fn service_version_and_spec() {
        let server = MockServer::start();
        let version = server.mock(|when, then| {
            when.method(GET).path("/version");
            then.status(200).json_body(json!({"Version": {"api": 3, "major": 4, "minor": 13, "patch": 2}}));
        });
        let spec = server.mock(|when, then| {
            when.method(GET).path("/docs/spec").header("accept", "application/x-yaml");
            then.status(200).body("openapi: 3.0.0\n");
        });
        let client = client(&server);
        let v = client.version(Service::Faces).await.unwrap();
        assert_eq!((v.api, v.major, v.minor, v.patch), (Some(3), Some(4), Some(13), Some(2)));
        let document = client.openapi_spec(Service::Faces).await.unwrap();
        assert!(document.text().starts_with("openapi"));
        version.assert();
        spec.assert();
    }

    async fn iter_faces_walks_every_page_and_stops_on_a_short_one() {
        let server = MockServer::start();
        let ids: Vec<String> = (0..5).map(|i| format!("3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a{i:02}")).collect();
        let mut mocks = Vec::new();
        for (page, chunk) in ids.chunks(2).enumerate() {
            let faces_json: Vec<_> = chunk.iter().map(|id| json!({"face_id": id})).collect();
            let page = (page + 1).to_string();
            mocks.push(server.mock(move |when, then| {
                let when = luna(when, GET, "/3/faces");
                exact_query(when, &[account_query(), ("list_id", LIST_ID), ("page", &page), ("page_size", "2")]);
                then.status(200).json_body(json!({"faces": faces_json}));
            }));
        }
        let mut pages = faces(&server).iter_faces(
            FacesQuery::new().list_id(LIST_ID).page_size(FacesPageSize::Limit(2)),
        );
        let mut seen = Vec::new();
        while let Some(face) = pages.next().await {
            seen.push(face.unwrap().face_id.unwrap().to_string());
        }
        assert_eq!(seen, ids);
        for mock in &mocks {
            mock.assert_calls(1);
        }
    }

    async fn iter_lists_stops_after_an_empty_page_and_on_errors() {
        let server = MockServer::start();
        let first = server.mock(|when, then| {
            when.method(GET).path("/3/lists").query_param("page", "1").query_param("page_size", "2");
            then.status(200).json_body(json!({"lists": [{"list_id": LIST_ID}, {"list_id": FACE_ID}]}));
        });
        let second = server.mock(|when, then| {
            when.method(GET).path("/3/lists").query_param("page", "2");
            then.status(200).json_body(json!({"lists": []}));
        });
        let mut pages = faces(&server).iter_lists(ListsQuery::new().page_size(2));
        let mut count = 0;
        while let Some(list) = pages.next().await {
            list.unwrap();
            count += 1;
        }
        assert_eq!(count, 2);
        first.assert_calls(1);
        second.assert_calls(1);

        let failing = MockServer::start();
        failing.mock(|when, then| {
            when.method(GET).path("/3/lists");
            then.status(500).json_body(luna_error(1));
        });
        let mut pages = faces(&failing).iter_lists(ListsQuery::new());
        let first_item = pages.next().await;
        assert_eq!(first_item.unwrap().unwrap_err().error_code(), Some(1));
        let after_error = pages.next().await;
        assert!(after_error.is_none());
    }

    async fn malformed_answers_never_panic() {
        let bodies = ["", "null", "[]", "{\"faces\": 5}", "{\"faces\": [null]}", "\u{0}\u{1}", "{\"face_id\": \"nope\"}"];
        for body in bodies {
            let server = MockServer::start();
            server.mock(|when, then| {
                when.any_request();
                then.status(200).body(body);
            });
            let f = faces(&server);
            let a = f.get_faces(&FacesQuery::new()).await;
            let b = f.get_face(FACE_ID, Targets::All).await;
            let c = f.get_faces_count(&FacesQuery::new()).await;
            let d = f.create_list(&NewList::new("x")).await;
            let e = f.get_attribute_ids(&Default::default()).await;
            for error in [a.err(), b.err(), c.err(), d.err(), e.err()].into_iter().flatten() {
                assert!(matches!(error, Error::Decode { .. }), "{body:?}: {error:?}");
            }
        }
    }
}
}
