//! Wire tests of the Sender client (both modes): `publish` by each route (luna-handlers'
//! raw-events resource, a caller-given Sender path) with its per-event report, `get_address`,
//! error paths and refused arguments.

mod common;

crate::in_both_modes! {

use crate::common::*;
use sdk::services::sender::EventTimes;

/// The publish times from two optional times.
fn times(create: Option<sdk::OffsetDateTime>, end: Option<sdk::OffsetDateTime>) -> EventTimes {
    let mut times = EventTimes::new();
    if let Some(t) = create {
        times = times.create_time(t);
    }
    if let Some(t) = end {
        times = times.end_time(t);
    }
    times
}
use httpmock::prelude::*;
use sdk::model::events::{Emotion, Event};
use sdk::services::sender::PublishRoute;
use sdk::{Error, LunaClient, RetryPolicy, Sender, Service, TransportErrorKind};
use serde_json::json;
use time::macros::datetime;

const HANDLER_ID: &str = "0a1b2c3d-6f0e-4a5c-9a55-8c1a0d1f1a66";

fn client_at(base: &str) -> LunaClient {
    LunaClient::builder()
        .address(Service::Sender, base)
        .address(Service::Handlers, base)
        .account_id(ACCOUNT)
        .retry(RetryPolicy::none())
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .expect("client builds")
}

fn sender(server: &MockServer) -> Sender {
    client_at(&server.base_url())
        .sender()
        .with_request_id(REQUEST_ID)
}

fn raw_path() -> String {
    format!("/1/handlers/{HANDLER_ID}/events/raw")
}

both_modes! {
    async fn publish_posts_each_event_to_the_raw_events_resource() {
        let server = MockServer::start();
        let first = server.mock(|when, then| {
            let when = luna(when, POST, &raw_path());
            let when = exact_query(when, &[]);
            json_request(when, json!({
                "source": "door", "meta": {"n": 1},
                "create_time": "2024-01-31T12:00:00Z", "end_time": "2024-01-31T12:00:05Z",
            }));
            then.status(201).json_body(json!({"event_id": EVENT_ID, "url": format!("/1/events/{EVENT_ID}")}));
        });
        let second = server.mock(|when, then| {
            let when = luna(when, POST, &raw_path());
            json_request(when, json!({
                "emotion": 4,
                "create_time": "2024-01-31T12:00:00Z", "end_time": "2024-01-31T12:00:05Z",
            }));
            then.status(201).json_body(json!({"event_id": FACE_ID}));
        });
        let mut typed = Event::new();
        typed.emotion = Some(Emotion::Happiness);
        let events = vec![
            json!({"source": "door", "meta": {"n": 1}}),
            serde_json::to_value(&typed).unwrap(),
        ];
        let report = sender(&server)
            .publish(
                &PublishRoute::HandlersRawEvents,
                &events,
                HANDLER_ID,
                &EventTimes::new()
                    .create_time(datetime!(2024-01-31 15:00 +03:00))
                    .end_time(datetime!(2024-01-31 12:00:05 UTC)),
            )
            .await
            .unwrap();
        first.assert();
        second.assert();
        assert!(report.all_published());
        let published: Vec<_> = report.published().map(|(_, p)| p).collect();
        assert_eq!(published.len(), 2);
        assert_eq!(published[0].event_id.unwrap().to_string(), EVENT_ID);
        assert_eq!(published[0].url.as_deref(), Some(format!("/1/events/{EVENT_ID}").as_str()));
        assert_eq!(published[1].event_id.unwrap().to_string(), FACE_ID);
    }

    async fn publish_accepts_typed_events_and_an_empty_answer() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            let when = luna(when, POST, &raw_path());
            json_request(when, json!({
                "source": "cam", "create_time": "2024-01-31T12:00:00Z", "end_time": "2024-01-31T12:00:00Z",
            }));
            then.status(201);
        });
        let mut event = Event::new();
        event.source = Some("cam".into());
        let t = Some(datetime!(2024-01-31 12:00 UTC));
        let report = sender(&server)
            .publish(&PublishRoute::HandlersRawEvents, &[event], HANDLER_ID, &times(t, t))
            .await
            .unwrap();
        mock.assert();
        assert_eq!(report.outcomes.len(), 1);
        assert_eq!(report.outcomes[0].as_ref().unwrap().event_id, None);
    }

    async fn publish_reports_an_api_error_per_event_with_its_request_id() {
        let server = MockServer::start();
        let mock = server.mock(|when, then| {
            luna(when, POST, &raw_path());
            then.status(404).header("luna-request-id", REQUEST_ID).json_body(luna_error(34000));
        });
        let t = Some(datetime!(2024-01-31 12:00 UTC));
        let report = sender(&server)
            .publish(&PublishRoute::HandlersRawEvents, &[json!({"a": 1}), json!({"b": 2})], HANDLER_ID, &times(t, t))
            .await
            .unwrap();
        mock.assert_calls(2);
        let failed: Vec<_> = report.failed().collect();
        assert_eq!(failed.iter().map(|(i, _)| *i).collect::<Vec<_>>(), vec![0, 1]);
        for (_, error) in failed {
            assert_eq!(error.error_code(), Some(34000));
            assert_eq!(error.request_id(), Some(REQUEST_ID));
        }
    }

    async fn publish_reports_a_refused_connection_per_event() {
        let t = Some(datetime!(2024-01-31 12:00 UTC));
        let report = sender_unreachable()
            .publish(&PublishRoute::HandlersRawEvents, &[json!({"a": 1})], HANDLER_ID, &times(t, t))
            .await
            .unwrap();
        let (index, error) = report.failed().next().unwrap();
        assert_eq!(index, 0);
        assert!(matches!(error, Error::Transport { kind: TransportErrorKind::Connect, .. }), "{error:?}");
        assert_eq!(error.request_id(), Some(REQUEST_ID));
    }

    async fn publish_bad_arguments_send_nothing() {
        let server = MockServer::start();
        let guard = nothing_expected(&server);
        let s = sender(&server);
        let route = PublishRoute::HandlersRawEvents;
        let t0 = Some(datetime!(2024-01-31 12:00 UTC));
        let t1 = Some(datetime!(2024-01-31 12:00:01 UTC));
        assert_refused(s.publish(&route, &[json!({})], "handler-1", &times(t0, t1)).await);
        assert_refused(s.publish::<serde_json::Value>(&route, &[], HANDLER_ID, &times(t0, t1)).await);
        assert_refused(s.publish(&route, &[json!({}), json!("text")], HANDLER_ID, &times(t0, t1)).await);
        assert_refused(s.publish(&route, &[json!({})], HANDLER_ID, &times(t1, t0)).await);
        let bad_path = PublishRoute::SenderPath("/events?x=1".into());
        assert_refused(s.publish(&bad_path, &[json!({})], HANDLER_ID, &times(t0, t1)).await);
        guard.assert_calls(0);
    }

    async fn get_address_is_the_sender_origin_plus_prefix() {
        let server = MockServer::start();
        assert_eq!(sender(&server).get_address(), format!("{}/1", server.base_url()));
        let custom = LunaClient::builder()
            .address(Service::Sender, "http://sender.local:5080")
            .api_version(Service::Sender, 2)
            .build()
            .unwrap();
        assert_eq!(custom.sender().get_address(), "http://sender.local:5080/2");
    }
}

/// Checks that a call was refused before sending.
fn assert_refused<T: std::fmt::Debug>(result: sdk::Result<T>) {
    let err = result.unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
}

fn sender_unreachable() -> Sender {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    client_at(&format!("http://127.0.0.1:{port}"))
        .sender()
        .with_request_id(REQUEST_ID)
}

#[cfg(feature = "sender")]
mod subscription {
    use super::*;
    use sdk::model::events::Mask;
    use sdk::services::events::{MetaFilter, MetaOperator};
    use sdk::services::sender::SubscriptionFilters;
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};
    use tungstenite::handshake::server::{ErrorResponse, Request, Response};
    use tungstenite::Message;

    type Seen = Arc<Mutex<Option<(String, http::HeaderMap)>>>;

    /// A one-connection WebSocket server: records the handshake, then sends `frames` and
    /// closes — or refuses the handshake with `refuse` (status, body). The callback's error type
    /// is tungstenite's.
    #[allow(clippy::result_large_err)]
    fn ws_server(
        frames: Vec<Message>,
        refuse: Option<(u16, String)>,
    ) -> (String, Seen, std::thread::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen: Seen = Arc::new(Mutex::new(None));
        let record = seen.clone();
        let handle = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let callback =
                move |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
                    *record.lock().unwrap() = Some((req.uri().to_string(), req.headers().clone()));
                    match refuse {
                        Some((status, body)) => {
                            let mut refusal = ErrorResponse::new(Some(body));
                            *refusal.status_mut() = http::StatusCode::from_u16(status).unwrap();
                            refusal
                                .headers_mut()
                                .insert("content-type", "application/json".parse().unwrap());
                            Err(refusal)
                        }
                        None => Ok(resp),
                    }
                };
            let Ok(mut ws) = tungstenite::accept_hdr(stream, callback) else {
                return;
            };
            for frame in frames {
                ws.send(frame).unwrap();
            }
            let _ = ws.close(None);
            while ws.read().is_ok() {}
        });
        (base, seen, handle)
    }

    fn sender_at(base: &str) -> Sender {
        client_at(base).sender().with_request_id(REQUEST_ID)
    }

    both_modes! {
        async fn subscribe_sends_filters_and_headers_and_reads_events_until_closed() {
            let frames = vec![
                Message::text(json!({"event_id": EVENT_ID, "source": "cam-1"}).to_string()),
                Message::Ping(vec![1u8].into()),
                Message::binary(json!({"event_id": FACE_ID}).to_string().into_bytes()),
            ];
            let (base, seen, server) = ws_server(frames, None);
            let filters = SubscriptionFilters::new()
                .sources(["cam-1"])
                .masks([Mask::Missing, Mask::Occluded])
                .object_similarity_gte(0.8)
                .meta(MetaFilter::new("zone", MetaOperator::Eq, "north"));
            let mut subscription = sender_at(&base).subscribe(&filters).await.unwrap();
            assert_eq!(subscription.request_id(), REQUEST_ID);
            let first = subscription.next_event().await.unwrap().unwrap();
            let second = subscription.next_event().await.unwrap().unwrap();
            let end = subscription.next_event().await.unwrap();
            assert_eq!(first["event_id"], EVENT_ID);
            assert_eq!(second["event_id"], FACE_ID);
            assert_eq!(end, None);
            server.join().unwrap();
            let (uri, headers) = seen.lock().unwrap().clone().unwrap();
            assert_eq!(
                uri,
                "/1/ws?sources=cam-1&object_similarity__gte=0.8&masks=1%2C3&meta.zone__eq%3Astring=north"
            );
            assert_eq!(headers["luna-account-id"], ACCOUNT);
            assert_eq!(headers["luna-request-id"], REQUEST_ID);
            assert_eq!(headers["user-agent"], sdk::USER_AGENT);
            assert_eq!(headers["upgrade"], "websocket");
        }

        async fn close_ends_the_subscription_politely() {
            let (base, _seen, server) = ws_server(vec![], None);
            let subscription = sender_at(&base).subscribe(&SubscriptionFilters::new()).await.unwrap();
            subscription.close().await.unwrap();
            server.join().unwrap();
        }

        async fn refused_handshake_is_an_api_error() {
            let body = luna_error(29001).to_string();
            let (base, _seen, server) = ws_server(vec![], Some((403, body)));
            let err = sender_at(&base).subscribe(&SubscriptionFilters::new()).await.unwrap_err();
            server.join().unwrap();
            assert_eq!(err.error_code(), Some(29001), "{err:?}");
            assert_eq!(err.as_api().unwrap().status.as_u16(), 403);
            assert_eq!(err.request_id(), Some(REQUEST_ID));
        }

        async fn undecodable_frame_is_a_decode_error() {
            let (base, _seen, server) = ws_server(vec![Message::text("not json")], None);
            let mut subscription = sender_at(&base).subscribe(&SubscriptionFilters::new()).await.unwrap();
            let err = subscription.next_event().await.unwrap_err();
            assert!(matches!(err, Error::Decode { .. }), "{err:?}");
            assert_eq!(err.request_id(), Some(REQUEST_ID));
            drop(subscription);
            server.join().unwrap();
        }

        async fn connection_refused_is_a_connect_error() {
            let port = {
                let listener = TcpListener::bind("127.0.0.1:0").unwrap();
                listener.local_addr().unwrap().port()
            };
            let err = sender_at(&format!("http://127.0.0.1:{port}"))
                .subscribe(&SubscriptionFilters::new())
                .await
                .unwrap_err();
            assert!(matches!(err, Error::Transport { kind: TransportErrorKind::Connect, .. }), "{err:?}");
            assert_eq!(err.request_id(), Some(REQUEST_ID));
        }

        async fn an_upgrade_that_never_comes_is_a_timeout() {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let base = format!("http://{}", listener.local_addr().unwrap());
            let server = std::thread::spawn(move || {
                let (stream, _) = listener.accept().unwrap();
                std::thread::sleep(std::time::Duration::from_millis(1500));
                drop(stream);
            });
            let sender = LunaClient::builder()
                .address(Service::Sender, &base)
                .account_id(ACCOUNT)
                .timeout(std::time::Duration::from_millis(300))
                .build()
                .unwrap()
                .sender()
                .with_request_id(REQUEST_ID);
            let started = std::time::Instant::now();
            let err = sender.subscribe(&SubscriptionFilters::new()).await.unwrap_err();
            assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
            assert_eq!(err.request_id(), Some(REQUEST_ID));
            assert!(started.elapsed() < std::time::Duration::from_millis(1400));
            server.join().unwrap();
        }

        async fn no_account_or_bad_filters_send_nothing() {
            let server = MockServer::start();
            let guard = nothing_expected(&server);
            let no_account = LunaClient::builder()
                .address(Service::Sender, &server.base_url())
                .build()
                .unwrap()
                .sender();
            assert_refused(no_account.subscribe(&SubscriptionFilters::new()).await);
            let bad = SubscriptionFilters::new().stream_ids(["not-a-uuid"]);
            assert_refused(sender(&server).subscribe(&bad).await);
            guard.assert_calls(0);
        }
    }
}
}
