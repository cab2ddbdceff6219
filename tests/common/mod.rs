//! Helpers shared by the integration tests (each test file runs in both modes).
#![allow(dead_code)]

use std::time::Duration;

use httpmock::prelude::*;
use httpmock::Mock;
use luna_clients::{Faces, LunaClient, RetryPolicy, Service, USER_AGENT};
use serde_json::{json, Value};

pub const ACCOUNT: &str = "8950722f-3fd4-4223-b48f-03f95f0e8dfb";
pub const REQUEST_ID: &str = "1700000000,0b8b5937-2e9c-4e8b-a7a7-5caf86621b5a";
pub const FACE_ID: &str = "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11";
pub const FACE_ID_2: &str = "4a2b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a22";
pub const LIST_ID: &str = "5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33";
pub const ATTRIBUTE_ID: &str = "6d4e3c6e-6f0e-4a5c-9a55-8c1a0d1f1a44";
pub const EVENT_ID: &str = "7e5f3c6e-6f0e-4a5c-9a55-8c1a0d1f1a55";

/// A client whose Faces service is the mock server.
pub fn client(server: &MockServer) -> LunaClient {
    client_with(server, |b| b)
}

pub fn client_with(
    server: &MockServer,
    tweak: impl FnOnce(luna_clients::LunaClientBuilder) -> luna_clients::LunaClientBuilder,
) -> LunaClient {
    let builder = LunaClient::builder()
        .address(Service::Faces, &server.base_url())
        .account_id(ACCOUNT)
        .timeout(Duration::from_secs(5));
    tweak(builder).build().expect("client builds")
}

/// The Faces handle used by the wire tests: fixed request id, mock server address.
pub fn faces(server: &MockServer) -> Faces {
    client(server).faces().with_request_id(REQUEST_ID)
}

/// A Faces handle pointing at a port where nothing listens.
pub fn faces_unreachable() -> Faces {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    LunaClient::builder()
        .address(Service::Faces, &format!("http://127.0.0.1:{port}"))
        .account_id(ACCOUNT)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
        .faces()
        .with_request_id(REQUEST_ID)
}

/// Expectations every LUNA request of these tests meets.
pub fn luna(when: httpmock::When, method: httpmock::Method, path: &str) -> httpmock::When {
    when.method(method)
        .path(path)
        .header("luna-account-id", ACCOUNT)
        .header("luna-request-id", REQUEST_ID)
        .header("user-agent", USER_AGENT)
}

/// Requires the query to be exactly these pairs (any order).
pub fn exact_query(when: httpmock::When, expected: &[(&str, &str)]) -> httpmock::When {
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    expected.sort();
    when.is_true(move |req: &HttpMockRequest| {
        let mut got = req.query_params();
        got.sort();
        got == expected
    })
}

/// Requires a JSON body equal to `body` with `Content-Type: application/json`.
pub fn json_request(when: httpmock::When, body: Value) -> httpmock::When {
    when.header("content-type", "application/json")
        .json_body(body)
}

/// Requires no body.
pub fn no_body(when: httpmock::When) -> httpmock::When {
    when.is_true(|req: &HttpMockRequest| req.body_ref().is_empty())
}

/// A LUNA error body.
pub fn luna_error(code: i64) -> Value {
    json!({
        "error_code": code,
        "desc": "Object not found",
        "detail": format!("detail of {code}"),
        "link": format!("https://docs.visionlabs.ai/info/luna/troubleshooting/errors-description/code-{code}"),
    })
}

/// A mock that fails the test if anything at all reaches the server.
pub fn nothing_expected(server: &MockServer) -> Mock<'_> {
    server.mock(|when, then| {
        when.any_request();
        then.status(599);
    })
}

pub fn account_query() -> (&'static str, &'static str) {
    ("account_id", ACCOUNT)
}

/// Declares tests that run in the mode of the build: `#[tokio::test] async fn` in async
/// builds, plain `#[test] fn` in blocking builds (`.await` is removed by maybe-async).
#[macro_export]
macro_rules! both_modes {
    ($( $(#[$meta:meta])* async fn $name:ident() $body:block )*) => {
        $(
            $(#[$meta])*
            #[maybe_async::test(feature = "blocking", async(not(feature = "blocking"), tokio::test))]
            async fn $name() $body
        )*
    };
}
