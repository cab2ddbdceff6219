//! The clients against a fault-injecting local server (`common::faults`), in both modes:
//! redirects, framing headers, raw paths, secrets, oversized error bodies, deadlines, retries and
//! connection reuse. Each test asserts the error variant, the elapsed time against the configured
//! timeout where time matters (a deadline check, not a benchmark) and how many requests the server
//! saw.

mod common;

crate::in_both_modes! {

use std::time::{Duration, Instant};

use luna_clients::model::common::{Targets};

use crate::common::faults::{Fault, FaultServer};
use crate::common::{ACCOUNT, FACE_ID, FACE_ID_2, REQUEST_ID};
use sdk::{
    Error, LunaClient, LunaClientBuilder, RawRequest, RequestOptions, RetryPolicy, Service,
    TransportErrorKind,
};

/// A client whose Faces service is `server`, with an account id and `timeout`.
fn client_for(server: &FaultServer, timeout: Duration) -> LunaClientBuilder {
    LunaClient::builder()
        .address(Service::Faces, &server.url)
        .account_id(ACCOUNT)
        .timeout(timeout)
}

fn fault_client(server: &FaultServer) -> LunaClient {
    client_for(server, Duration::from_secs(5)).build().unwrap()
}

/// Asserts that `elapsed` is the configured deadline (within 10 % and a little scheduling slack).
fn assert_deadline(elapsed: Duration, timeout: Duration) {
    let low = timeout.mul_f64(0.9);
    let high = timeout.mul_f64(1.1) + Duration::from_millis(150);
    assert!(
        elapsed >= low && elapsed <= high,
        "took {elapsed:?} for a {timeout:?} timeout"
    );
}

both_modes! {
    async fn a_cross_origin_redirect_is_not_followed_and_no_secret_leaves() {
        let other = FaultServer::start(|_, _| Fault::ok());
        let location = format!("location: {}/stolen", other.url);
        let server = FaultServer::start(move |_, _| Fault::answer(302, &[location.as_str()], ""));
        let client = client_for(&server, Duration::from_secs(5))
            .bearer_token("t0k3n")
            .build()
            .unwrap();
        let faces = client
            .faces()
            .with_options(RequestOptions::new().header("X-Api-Key", "k3y").header("X-Auth-Token", "a"));
        let result = faces.get_face(FACE_ID, Targets::All).await;
        let error = result.unwrap_err();
        match &error {
            Error::Redirect { status, location, .. } => {
                assert_eq!(status.as_u16(), 302);
                assert_eq!(location.as_deref(), Some(format!("{}/stolen", other.url).as_str()));
            }
            other => panic!("expected a redirect error, got {other:?}"),
        }
        assert_eq!(error.status().map(|s| s.as_u16()), Some(302));
        assert_eq!(server.requests(), 1);
        assert_eq!(other.requests(), 0, "the other origin saw a request");
    }

    async fn a_307_does_not_resend_a_post_and_a_302_does_not_turn_it_into_a_get() {
        for status in [307u16, 302, 303, 308] {
            let server = FaultServer::start(move |_, request| {
                if !request.line.contains("elsewhere") {
                    Fault::answer(status, &["location: /3/elsewhere"], "")
                } else {
                    Fault::ok()
                }
            });
            let request = RawRequest::post("/faces").body(&b"{\"x\":1}"[..], "application/json");
            let result = fault_client(&server).raw(Service::Faces, request.clone()).await;
            let answer = result.unwrap();
            assert_eq!(answer.status.as_u16(), status, "a raw request returns the 3xx as it is");
            let error = answer.error_for_status().unwrap_err();
            assert!(matches!(error, Error::Redirect { .. }), "{error:?}");
            let result = fault_client(&server).faces().create_face(&Default::default()).await;
            let error = result.unwrap_err();
            assert!(matches!(error, Error::Redirect { .. }), "{status}: {error:?}");
            let seen = server.seen();
            assert_eq!(seen.len(), 2, "{status}: {seen:?}");
            assert!(seen.iter().all(|r| r.line.starts_with("POST /3/faces ")), "{seen:?}");
        }
    }
}

/// Headers that frame the message, in the spellings a caller might use.
const FRAMING: [(&str, &str); 5] = [
    ("Content-Length", "1"),
    ("transfer-encoding", "chunked"),
    ("Host", "evil.example"),
    ("Connection", "close"),
    ("Upgrade", "websocket"),
];

both_modes! {
    async fn framing_headers_are_refused_and_nothing_is_sent() {
        let server = FaultServer::start(|_, _| Fault::ok());
        let client = fault_client(&server);
        for (name, value) in FRAMING {
            let faces = client.faces().with_options(RequestOptions::new().header(name, value));
            let result = faces.create_face(&Default::default()).await;
            let error = result.unwrap_err();
            assert!(matches!(error, Error::InvalidArgument { .. }), "{name}: {error:?}");
            let request = RawRequest::post("/faces").body(&b"{}"[..], "application/json").header(name, value);
            let result = client.raw(Service::Faces, request).await;
            let error = result.unwrap_err();
            assert!(matches!(error, Error::InvalidArgument { .. }), "{name}: {error:?}");
        }
        assert_eq!(server.requests(), 0);
    }

    async fn raw_paths_cannot_leave_the_service_base() {
        let server = FaultServer::start(|_, _| Fault::ok());
        let client = fault_client(&server);
        for path in [
            "/faces/../../etc/passwd",
            "/..",
            "/faces/./x",
            "/faces/%2e%2e/%2E%2e/etc",
            "/faces/.%2E/x",
            "/faces/%2e/x",
            "/faces\\..\\..\\etc",
            "/faces/..?x=1",
        ] {
            let result = client.raw(Service::Faces, RawRequest::get(path)).await;
            let error = result.unwrap_err();
            assert!(matches!(error, Error::InvalidArgument { argument: "path", .. }), "{path}: {error:?}");
        }
        assert_eq!(server.requests(), 0);
        let result = client.raw(Service::Faces, RawRequest::get("/faces/a..b/.x/x.")).await;
        assert_eq!(result.unwrap().status.as_u16(), 200);
        let seen = server.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].line, "GET /3/faces/a..b/.x/x. HTTP/1.1");
    }
}

both_modes! {
    async fn secrets_in_addresses_queries_and_transport_errors_are_redacted() {
        for address in [
            "http://root:hunter2@faces:99999",
            "root:hunter2@faces:99999",
            r#"{"origin": "http://root:hunter2@faces:99999", "api": 3}"#,
        ] {
            let builder = LunaClient::builder().address(Service::Faces, address);
            assert!(!format!("{builder:?}").contains("hunter2"), "{builder:?}");
            let error = builder.build().unwrap_err();
            assert!(matches!(error, Error::Config(_)), "{error:?}");
            assert!(!format!("{error} {error:?}").contains("hunter2"), "{error}");
            let from_env = LunaClientBuilder::from_vars(|name| {
                (name == "LUNA_FACES_ADDRESS").then(|| address.to_owned())
            });
            let error = from_env.unwrap_err();
            assert!(!format!("{error} {error:?}").contains("hunter2"), "{error}");
            assert!(format!("{error}").contains("LUNA_FACES_ADDRESS"), "{error}");
        }

        let options = RequestOptions::new().query("token", "s3cr3t");
        assert!(!format!("{options:?}").contains("s3cr3t"));
        assert!(format!("{options:?}").contains("token"));
        let raw = RawRequest::get("/faces").query("token", "s3cr3t");
        assert!(!format!("{raw:?}").contains("s3cr3t"));

        // A transport error names the request, without its query.
        let server = FaultServer::start(|_, _| Fault::Close);
        let faces = fault_client(&server).faces().with_options(RequestOptions::new().query("token", "s3cr3t"));
        let result = faces.get_face(FACE_ID, Targets::All).await;
        let error = result.unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(matches!(error, Error::Transport { .. }), "{shown}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains(&format!("luna-faces GET {}/3/faces/{FACE_ID}", server.url)), "{shown}");
        drop(server);
        let closed = LunaClient::builder()
            .address(Service::Faces, "http://127.0.0.1:9")
            .build()
            .unwrap();
        let faces = closed.faces().with_options(RequestOptions::new().query("token", "s3cr3t"));
        let result = faces.get_face(FACE_ID, Targets::All).await;
        let error = result.unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(matches!(error, Error::Transport { kind: TransportErrorKind::Connect, .. }), "{shown}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }
}

both_modes! {
    async fn an_error_answer_over_the_body_cap_is_still_an_api_error() {
        let big = format!("<html>{}</html>", "x".repeat(4000));
        let server = FaultServer::start(move |_, _| Fault::answer(502, &["content-type: text/html"], &big));
        let client = client_for(&server, Duration::from_secs(5))
            .address(Service::ImageStore, &server.url)
            .max_response_bytes(1000)
            .build()
            .unwrap();
        let result = client.faces().get_face(FACE_ID, Targets::All).await;
        let error = result.unwrap_err();
        let api = error.as_api().unwrap_or_else(|| panic!("expected an API error, got {error:?}"));
        assert_eq!(api.status.as_u16(), 502);
        let snippet = api.body_snippet.as_deref().unwrap();
        assert!(snippet.starts_with("<html>xxx"), "{snippet}");
        assert_eq!(snippet.len(), sdk::BODY_SNIPPET_LIMIT);
        // The same for a streamed download and for a success answer over the cap (that one
        // stays a transport error).
        let result = client.image_store("bucket").get_object_stream(FACE_ID).await;
        let error = result.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(502), "{error:?}");
        let ok = FaultServer::start(move |_, _| Fault::answer(200, &[], &format!("[{}]", "1,".repeat(800) + "1")));
        let client = client_for(&ok, Duration::from_secs(5)).max_response_bytes(1000).build().unwrap();
        let result = client.faces().get_face(FACE_ID, Targets::All).await;
        let error = result.unwrap_err();
        assert!(matches!(error, Error::Transport { kind: TransportErrorKind::BodyTooLarge, .. }), "{error:?}");
        assert_eq!(server.requests(), 2);
    }

    async fn an_answer_without_a_length_is_read_whole_under_the_cap() {
        // Chunked answers (no Content-Length, several chunks): the cap is checked while reading.
        let user_data = "u".repeat(400);
        let face = format!(
            r#"{{"face_id":"{FACE_ID}","account_id":"{ACCOUNT}","event_id":null,"user_data":"{user_data}","create_time":"2024-01-31T12:00:00.123456+03:00","external_id":"e","avatar":"","lists":[]}}"#
        );
        let ok = FaultServer::start(move |_, _| chunked(200, &face));
        let whole = client_for(&ok, Duration::from_secs(5)).max_response_bytes(1000).build().unwrap();
        let read = whole.faces().get_face(FACE_ID, Targets::All).await.unwrap();
        assert_eq!(read.user_data.as_deref(), Some(user_data.as_str()));
        let capped = client_for(&ok, Duration::from_secs(5)).max_response_bytes(300).build().unwrap();
        let error = capped.faces().get_face(FACE_ID, Targets::All).await.unwrap_err();
        assert!(matches!(error, Error::Transport { kind: TransportErrorKind::BodyTooLarge, .. }), "{error:?}");
        assert_eq!(ok.requests(), 2);
        // An error answer is cut at the cap and still tells its status.
        let big = format!("<html>{}</html>", "x".repeat(4000));
        let failing = FaultServer::start(move |_, _| chunked(502, &big));
        let client = client_for(&failing, Duration::from_secs(5)).max_response_bytes(1000).build().unwrap();
        let error = client.faces().get_face(FACE_ID, Targets::All).await.unwrap_err();
        let api = error.as_api().unwrap_or_else(|| panic!("expected an API error, got {error:?}"));
        assert_eq!(api.status.as_u16(), 502);
        assert!(api.body_snippet.as_deref().unwrap().starts_with("<html>xxx"), "{api:?}");
        assert_eq!(failing.requests(), 1);
    }
}

/// An answer with `status` whose `body` is sent chunked, in chunks of 100 bytes (no length).
fn chunked(status: u16, body: &str) -> Fault {
    let mut answer = format!("HTTP/1.1 {status} X\r\ntransfer-encoding: chunked\r\n\r\n");
    for chunk in body.as_bytes().chunks(100) {
        answer.push_str(&format!("{:x}\r\n", chunk.len()));
        answer.push_str(std::str::from_utf8(chunk).unwrap());
        answer.push_str("\r\n");
    }
    answer.push_str("0\r\n\r\n");
    Fault::Raw(answer)
}

const ONE_SECOND: Duration = Duration::from_secs(1);

/// Asserts that `get_face` fails with `Error::Timeout` at the one-second deadline.
#[maybe_async]
async fn get_face_times_out(faces: &sdk::Faces) {
    let started = Instant::now();
    let result = faces.get_face(FACE_ID, Targets::All).await;
    let elapsed = started.elapsed();
    assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
    assert_deadline(elapsed, ONE_SECOND);
}

/// A head after 700 ms, then 20 body bytes, one per 150 ms.
const SLOW_BODY: Fault = Fault::SlowBody {
    head_after: Duration::from_millis(700),
    len: 20,
    gap: Duration::from_millis(150),
};

both_modes! {
    async fn a_slow_head_times_out_at_the_deadline() {
        let server = FaultServer::start(|_, _| Fault::SlowHead(Duration::from_secs(3)));
        let client = client_for(&server, ONE_SECOND).build().unwrap();
        get_face_times_out(&client.faces()).await;
        assert_eq!(server.requests(), 1);
    }

    async fn a_slow_body_times_out_at_the_deadline() {
        // The head comes after 700 ms, then one byte every 150 ms: each phase and each read is
        // quick, the whole is not.
        let server = FaultServer::start(|_, _| SLOW_BODY);
        let client = client_for(&server, ONE_SECOND).build().unwrap();
        get_face_times_out(&client.faces()).await;
        // A per-call timeout is one deadline too.
        let client = client_for(&server, Duration::from_secs(30)).build().unwrap();
        get_face_times_out(&client.faces().with_options(RequestOptions::new().timeout(ONE_SECOND))).await;
        assert_eq!(server.requests(), 2);
    }

    async fn streamed_downloads_honour_the_deadline() {
        for fault in [SLOW_BODY, Fault::Endless] {
            let script = fault.clone();
            let server = FaultServer::start(move |_, _| script.clone());
            let client = client_for(&server, ONE_SECOND)
                .address(Service::ImageStore, &server.url)
                .max_response_bytes(u64::MAX)
                .build()
                .unwrap();
            let started = Instant::now();
            let result = client.image_store("bucket").get_object_stream(FACE_ID).await;
            let download = result.unwrap();
            let result = drain_stream(download.body).await;
            let elapsed = started.elapsed();
            let error = result.unwrap_err();
            assert!(matches!(error, Error::Timeout { .. }), "{fault:?}: {error:?}");
            assert_deadline(elapsed, ONE_SECOND);
            assert_eq!(server.requests(), 1);
        }
    }

    #[cfg(feature = "sender")]
    async fn the_sender_handshake_is_bounded_by_one_deadline() {
        // The upgrade answer comes one byte every 100 ms: about 8 s for the whole head.
        let head = "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\nsec-websocket-accept: x\r\n\r\n";
        let server = FaultServer::start(move |_, _| Fault::Dribble { bytes: head.to_owned(), gap: Duration::from_millis(100) });
        let client = LunaClient::builder()
            .address(Service::Sender, &server.url)
            .account_id(ACCOUNT)
            .timeout(ONE_SECOND)
            .build()
            .unwrap();
        let started = Instant::now();
        let result = client.sender().subscribe(&Default::default()).await;
        let elapsed = started.elapsed();
        let error = result.unwrap_err();
        assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
        assert_deadline(elapsed, ONE_SECOND);
        assert_eq!(server.requests(), 1);
    }
}

both_modes! {
    async fn errors_name_the_request_and_read_the_same_in_both_modes() {
        // A refused connection.
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let client = LunaClient::builder()
            .address(Service::Faces, &format!("http://127.0.0.1:{port}"))
            .build()
            .unwrap();
        let faces = client.faces().with_request_id(REQUEST_ID);
        let result = faces.get_face(FACE_ID, Targets::All).await;
        let error = result.unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "transport error (connect) for request {REQUEST_ID}: luna-faces GET \
                 http://127.0.0.1:{port}/3/faces/{FACE_ID}: Connection refused (os error 111)"
            )
        );
        assert!(std::error::Error::source(&error).is_some(), "{error:?}");

        // An API error, a proxy's JSON of another shape, a decode error.
        let server = FaultServer::start(|n, _| match n {
            0 => Fault::answer(404, &[], r#"{"error_code":22002,"desc":"Object not found","detail":"Face not found"}"#),
            1 => Fault::answer(502, &[], r#"{"message":"upstream unavailable"}"#),
            _ => Fault::answer(200, &[], r#"{"face_id":"not-a-uuid"}"#),
        });
        let faces = client_for(&server, Duration::from_secs(5)).build().unwrap().faces();
        let target = format!("luna-faces GET {}/3/faces/{FACE_ID}", server.url);
        let result = faces.get_face(FACE_ID, Targets::All).await;
        let error = result.unwrap_err();
        assert!(error.is_not_found());
        assert_eq!(error.error_code(), Some(sdk::error_codes::FACE_NOT_FOUND));
        assert!(error.to_string().starts_with(&format!("{target}: LUNA API error: HTTP 404")), "{error}");
        let result = faces.get_face(FACE_ID, Targets::All).await;
        let error = result.unwrap_err();
        assert!(!error.is_not_found());
        let api = error.as_api().unwrap();
        assert_eq!(api.body_snippet.as_deref(), Some(r#"{"message":"upstream unavailable"}"#));
        assert!(error.to_string().contains("upstream unavailable"), "{error}");
        let result = faces.get_face(FACE_ID, Targets::All).await;
        let error = result.unwrap_err();
        match &error {
            Error::Decode { request, message, .. } => {
                assert_eq!(request, &target);
                assert!(message.starts_with("at `face_id`: "), "{message}");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert_eq!(server.requests(), 3);
    }
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::standard().backoff(Duration::from_millis(1), Duration::from_millis(5))
}

both_modes! {
    async fn a_pooled_connection_closed_before_the_answer_is_retried() {
        // The first request is answered on a kept-alive connection; the server then closes that
        // connection when the second request arrives on it, before any answer byte.
        let server = FaultServer::start(|_, request| {
            if request.connection == 0 && request.line.contains(FACE_ID_2) {
                Fault::Close
            } else {
                Fault::answer(200, &[], &format!(r#"{{"face_id":"{FACE_ID}"}}"#))
            }
        });
        let client = client_for(&server, Duration::from_secs(5)).retry(fast_retries()).build().unwrap();
        let result = client.faces().get_face(FACE_ID, Targets::All).await;
        result.unwrap();
        let result = client.faces().get_face(FACE_ID_2, Targets::All).await;
        let face = result.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(face.face_id.map(|id| id.to_string()).as_deref(), Some(FACE_ID));
        assert_eq!(server.requests(), 3);
        assert_eq!(server.connections(), 2);
        // Without retries the same race is a transport error.
        let server2 = FaultServer::start(|n, _| if n == 1 { Fault::Close } else { Fault::ok() });
        let client = client_for(&server2, Duration::from_secs(5)).build().unwrap();
        let result = client.raw(Service::Faces, RawRequest::get("/faces")).await;
        result.unwrap();
        let result = client.raw(Service::Faces, RawRequest::get("/faces")).await;
        let error = result.unwrap_err();
        assert!(matches!(error, Error::Transport { kind: TransportErrorKind::Closed, .. }), "{error:?}");
        assert_eq!(server2.requests(), 2);
    }

    async fn retries_stop_at_the_overall_budget() {
        let server = FaultServer::start(|_, _| Fault::answer(503, &[], ""));
        let policy = RetryPolicy::standard()
            .max_retries(1000)
            .backoff(Duration::from_millis(100), Duration::from_millis(100))
            .budget(ONE_SECOND);
        let client = client_for(&server, Duration::from_secs(5)).retry(policy).build().unwrap();
        let started = Instant::now();
        let result = client.faces().get_face(FACE_ID, Targets::All).await;
        let elapsed = started.elapsed();
        let error = result.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
        assert!(elapsed <= ONE_SECOND + Duration::from_millis(150), "took {elapsed:?}");
        let seen = server.requests();
        assert!(seen >= 2, "{seen} requests");
        // The budget also bounds a slow attempt: the last one gets only what is left.
        let slow = FaultServer::start(|_, _| Fault::SlowHead(Duration::from_secs(3)));
        let policy = fast_retries().budget(ONE_SECOND);
        let client = client_for(&slow, Duration::from_secs(5)).retry(policy).build().unwrap();
        let started = Instant::now();
        let result = client.faces().get_face(FACE_ID, Targets::All).await;
        let elapsed = started.elapsed();
        assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
        assert_deadline(elapsed, ONE_SECOND);
    }
}

both_modes! {
    async fn threads_sharing_a_client_reuse_its_connections() {
        const WORKERS: usize = 16;
        const CALLS: usize = 100;
        let (url, connections) = crate::common::counting_server(&format!(r#"{{"face_id":"{FACE_ID}"}}"#));
        let client = LunaClient::builder().address(Service::Faces, &url).build().unwrap();
        concurrently(WORKERS, || {
            let faces = client.faces();
            async move {
                for _ in 0..CALLS {
                    faces.get_face(FACE_ID, Targets::All).await.unwrap();
                }
            }
        })
        .await;
        let opened = connections.load(std::sync::atomic::Ordering::SeqCst);
        assert!(opened <= WORKERS, "{opened} connections for {WORKERS} workers");
    }
}

}

/// No `unsafe` anywhere in the crate: the attribute makes the compiler refuse it.
#[test]
fn the_crate_forbids_unsafe_code() {
    let lib = include_str!("../src/lib.rs");
    assert!(lib
        .lines()
        .any(|line| line.trim() == "#![forbid(unsafe_code)]"));
}
