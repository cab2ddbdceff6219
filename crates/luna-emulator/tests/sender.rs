//! luna-sender routes over HTTP and WebSocket: subscribers receive the stored events of their
//! account that pass their filters and no others; the publish route; every documented error.

mod common;

use common::{call, emulator, Answer};
use luna_emulator::descriptors::DescriptorFormat;
use luna_emulator::recognition::Subject;
use luna_emulator::Service::{Events, Sender};
use serde_json::{json, Value};
use std::net::TcpStream;
use std::time::Duration;
use tungstenite::client::IntoClientRequest;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

fn account() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Opens `/1/ws?<query>`; the handshake answer when it is refused.
fn connect(account: Option<&str>, query: &str) -> Result<Socket, (u16, Value)> {
    let url = format!(
        "ws://{}/1/ws{}{query}",
        emulator().address(Sender),
        if query.is_empty() { "" } else { "?" }
    );
    let mut request = url.into_client_request().expect("a ws url");
    if let Some(account) = account {
        request
            .headers_mut()
            .insert("Luna-Account-Id", account.parse().expect("header"));
    }
    match tungstenite::connect(request) {
        Ok((socket, response)) => {
            assert_eq!(response.status().as_u16(), 101);
            if let MaybeTlsStream::Plain(tcp) = socket.get_ref() {
                tcp.set_read_timeout(Some(Duration::from_secs(10)))
                    .expect("timeout");
            }
            Ok(socket)
        }
        Err(tungstenite::Error::Http(response)) => {
            let status = response.status().as_u16();
            let body = response
                .body()
                .as_deref()
                .and_then(|b| serde_json::from_slice(b).ok())
                .unwrap_or(Value::Null);
            Err((status, body))
        }
        Err(other) => panic!("handshake failed: {other}"),
    }
}

fn subscribe(account: &str, query: &str) -> Socket {
    connect(Some(account), query).unwrap_or_else(|(s, b)| panic!("refused: {s} {b}"))
}

fn save(account: &str, events: Value) -> Vec<String> {
    let answer = call(Events, "POST", "/2/events")
        .header("Luna-Account-Id", account)
        .json(json!({ "events": events }))
        .send();
    assert_eq!(answer.status, 201, "{}", answer.json());
    answer.json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_id"].as_str().unwrap().to_owned())
        .collect()
}

/// The events received until the one with `marker` as `event_id` (included).
fn receive_until(socket: &mut Socket, marker: &str) -> Vec<Value> {
    let mut received = Vec::new();
    loop {
        let message = socket.read().expect("an event before the timeout");
        let text = match message {
            Message::Text(text) => text.to_string(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected frame {other:?}"),
        };
        let event: Value = serde_json::from_str(&text).expect("a JSON event");
        let done = event["event_id"] == marker;
        received.push(event);
        if done {
            return received;
        }
    }
}

fn ids(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["event_id"].as_str().unwrap().to_owned())
        .collect()
}

/// Subscribes with `query`, saves `events` (each tagged by index in `user_data`), then a
/// `marker` event that passes the filters; returns the indexes the subscriber received.
fn delivered(query: &str, events: Value, marker: Value) -> Vec<usize> {
    let account = account();
    let mut socket = subscribe(&account, query);
    let saved = save(&account, events);
    // Another account's events never arrive, even when they pass the filters.
    save(&self::account(), json!([marker.clone()]));
    let marker_id = save(&account, json!([marker]))[0].clone();
    let got = receive_until(&mut socket, &marker_id);
    let got = ids(&got[..got.len() - 1]);
    let _ = socket.close(None);
    got.iter()
        .map(|id| saved.iter().position(|s| s == id).expect("a saved event"))
        .collect()
}

#[test]
fn a_subscriber_receives_stored_events_as_json() {
    let account = account();
    let mut socket = subscribe(&account, "");
    let ids_saved = save(
        &account,
        json!([
            {"source": "door", "create_time": "2024-05-01T10:00:00Z", "meta": {"k": 1},
             "face_descriptors": [Subject::synthetic("a", 0).descriptor(59).to_json(DescriptorFormat::Sdk)]},
            {"source": "gate"},
        ]),
    );
    let got = receive_until(&mut socket, &ids_saved[1]);
    assert_eq!(ids(&got), ids_saved);
    assert_eq!(got[0]["source"], "door");
    assert_eq!(got[0]["account_id"], account.as_str());
    assert_eq!(got[0]["create_time"], "2024-05-01T10:00:00Z");
    assert_eq!(got[0]["meta"], json!({"k": 1}));
    assert!(got[0].get("face_descriptors").is_none());
    let stored = call(Events, "GET", format!("/2/events/{}", ids_saved[0]))
        .header("Luna-Account-Id", &account)
        .send()
        .json();
    assert_eq!(
        got[0], stored,
        "the frame is the event as luna-events answers it"
    );
    // Two subscribers of one account both receive; a reset keeps them subscribed.
    let mut second = subscribe(&account, "sources=gate");
    emulator().reset();
    let again = save(&account, json!([{"source": "gate"}]));
    assert_eq!(ids(&receive_until(&mut socket, &again[0])), again);
    assert_eq!(ids(&receive_until(&mut second, &again[0])), again);
    // Pings are answered while subscribed.
    socket.send(Message::Ping(vec![1, 2].into())).expect("ping");
    let pong = loop {
        match socket.read().expect("a frame") {
            Message::Pong(data) => break data,
            Message::Text(_) => continue,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(pong.as_ref(), &[1, 2]);
    socket.close(None).expect("close");
}

#[test]
fn each_filter_selects_the_events_it_names() {
    let stream = uuid::Uuid::new_v4().to_string();
    let handler = uuid::Uuid::new_v4().to_string();
    let cases: Vec<(String, Value, Vec<usize>, Value)> = vec![
        (
            "sources=door,gate".into(),
            json!([{"source": "door"}, {"source": "lift"}, {"source": "gate"}, {}]),
            vec![0, 2],
            json!({"source": "door"}),
        ),
        (
            format!("stream_ids={stream}"),
            json!([{"stream_id": stream}, {"stream_id": uuid::Uuid::new_v4()}, {}]),
            vec![0],
            json!({"stream_id": stream}),
        ),
        (
            "matching_candidates_labels=vip".into(),
            json!([
                {"match_result": [{"label": "vip", "candidates": [{"similarity": 0.95, "face": {}}]}]},
                {"match_result": [{"label": "vip", "candidates": []}]},
                {"match_result": [{"label": "staff", "candidates": [{"similarity": 0.95}]}]},
                {"top_match": {"label": "vip", "similarity": 0.9}},
                {},
            ]),
            vec![0, 3],
            json!({"top_match": {"label": "vip"}}),
        ),
        (
            "object_similarity__gte=0.9&object_similarity__lt=0.99".into(),
            json!([
                {"top_match": {"similarity": 0.95}},
                {"top_match": {"similarity": 0.5}},
                {"top_match": {"similarity": 0.99}},
                {},
            ]),
            vec![0],
            json!({"top_match": {"similarity": 0.9}}),
        ),
        (
            "age__gte=18&age__lt=30".into(),
            json!([{"age": 18}, {"age": 30}, {"age": 17}, {"age": 29}, {}]),
            vec![0, 3],
            json!({"age": 20}),
        ),
        (
            "emotions=1,2&masks=3".into(),
            json!([
                {"emotion": 1, "mask": 3},
                {"emotion": 2, "mask": 1},
                {"emotion": 5, "mask": 3},
                {"emotion": 2, "mask": 3},
            ]),
            vec![0, 3],
            json!({"emotion": 1, "mask": 3}),
        ),
        (
            "lower_garment_types=jeans&lower_garment_colors=blue&shoes_apparent_colors=white".into(),
            json!([
                {"lower_body": {"lower_garment": {"type": "jeans", "colors": ["blue", "black"]},
                                "shoes": {"apparent_color": "white"}}},
                {"lower_body": {"lower_garment": {"type": "skirt", "colors": ["blue"]},
                                "shoes": {"apparent_color": "white"}}},
                {"lower_body": {"lower_garment": {"type": "jeans", "colors": ["red"]},
                                "shoes": {"apparent_color": "white"}}},
            ]),
            vec![0],
            json!({"lower_body": {"lower_garment": {"type": "jeans", "colors": ["blue"]},
                                  "shoes": {"apparent_color": "white"}}}),
        ),
        (
            "headwear_apparent_colors=red&headwear_states=1&sleeve_lengths=long&upper_clothing_colors=green".into(),
            json!([
                {"upper_body": {"headwear": {"apparent_color": "red", "state": 1},
                                "sleeve": {"length": "long"}, "upper_clothing": {"colors": ["green"]}}},
                {"upper_body": {"headwear": {"apparent_color": "red", "state": 0},
                                "sleeve": {"length": "long"}, "upper_clothing": {"colors": ["green"]}}},
            ]),
            vec![0],
            json!({"upper_body": {"headwear": {"apparent_color": "red", "state": 1},
                                  "sleeve": {"length": "long"}, "upper_clothing": {"colors": ["green"]}}}),
        ),
        (
            format!("handler_ids={handler}&gender=1&ethnic_groups=2,3&liveness=1"),
            json!([
                {"handler_id": handler, "gender": 1, "ethnic_group": 2, "liveness": 1},
                {"handler_id": handler, "gender": 0, "ethnic_group": 2, "liveness": 1},
                {"handler_id": "other", "gender": 1, "ethnic_group": 3, "liveness": 1},
                {"handler_id": handler, "gender": 1, "ethnic_group": 3, "liveness": 0},
            ]),
            vec![0],
            json!({"handler_id": handler, "gender": 1, "ethnic_group": 3, "liveness": 1}),
        ),
        (
            "apparent_gender=0&backpack_states=null".into(),
            json!([
                {"body_basic_attributes": {"apparent_gender": 0}},
                {"body_basic_attributes": {"apparent_gender": 1}},
                {"body_basic_attributes": {"apparent_gender": 0}, "accessories": {"backpack": {"state": 1}}},
            ]),
            vec![0],
            json!({"body_basic_attributes": {"apparent_gender": 0}}),
        ),
        (
            "meta.camera.floor__gte:integer=2&meta.camera.name__like:string=lobby%".into(),
            json!([
                {"meta": {"camera": {"floor": 2, "name": "lobby-east"}}},
                {"meta": {"camera": {"floor": 1, "name": "lobby-west"}}},
                {"meta": {"camera": {"floor": 3, "name": "roof"}}},
                {},
            ]),
            vec![0],
            json!({"meta": {"camera": {"floor": 5, "name": "lobby"}}}),
        ),
    ];
    for (query, events, expected, marker) in cases {
        assert_eq!(delivered(&query, events, marker), expected, "{query}");
    }
}

#[test]
fn subscriptions_without_account_with_bad_filters_or_without_upgrade_are_refused() {
    let (status, body) = connect(None, "").expect_err("refused");
    assert_eq!(
        (status, body["error_code"].as_u64()),
        (403, Some(29001)),
        "{body}"
    );
    assert!(body["detail"].as_str().unwrap().contains("Luna-Account-Id"));
    let account = account();
    for query in [
        "colour=red",
        "emotions=9",
        "masks=x",
        "age__gte=-1",
        "object_similarity__gte=2",
        "stream_ids=not-a-uuid",
        "sources=a,,b",
        "meta.x__zz:string=1",
        "sources=a&sources=b",
    ] {
        let (status, body) = connect(Some(&account), query).expect_err("refused");
        assert_eq!(
            (status, body["error_code"].as_u64()),
            (400, Some(12012)),
            "{query}: {body}"
        );
    }
    let (_, body) = connect(Some(&account), "object_similarity__gte=2")
        .err()
        .unwrap();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("object_similarity__gte"),
        "{body}"
    );
    // A plain GET is no subscription.
    call(Sender, "GET", "/1/ws").send().assert_error(400, 12031);
    call(Sender, "POST", "/1/ws")
        .send()
        .assert_error(405, 12002);
}

fn publish(account: Option<&str>, query: &str, body: Value) -> Answer {
    let request = call(Sender, "POST", format!("/1/publish{query}")).json(body);
    match account {
        Some(account) => request.header("Luna-Account-Id", account),
        None => request.no_account(),
    }
    .send()
}

#[test]
fn published_events_reach_subscribers_without_being_stored() {
    let account = account();
    let handler = uuid::Uuid::new_v4().to_string();
    let mut socket = subscribe(&account, &format!("handler_ids={handler}"));
    let answer = publish(
        Some(&account),
        &format!("?handler_id={handler}"),
        json!({"source": "published", "create_time": "2024-06-01T00:00:00Z"}),
    );
    assert_eq!(answer.status, 201, "{}", answer.json());
    let id = answer.json()["event_id"].as_str().unwrap().to_owned();
    let got = receive_until(&mut socket, &id);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["handler_id"], handler.as_str());
    assert_eq!(got[0]["source"], "published");
    assert_eq!(got[0]["account_id"], account.as_str());
    call(Events, "GET", format!("/2/events/{id}"))
        .header("Luna-Account-Id", &account)
        .send()
        .assert_error(404, 23001);
    let query = format!("?handler_id={handler}");
    publish(Some(&account), "", json!({})).assert_error(400, 12014);
    publish(Some(&account), "?handler_id=nope", json!({})).assert_error(400, 12012);
    publish(Some(&account), &format!("{query}&x=1"), json!({})).assert_error(400, 12012);
    publish(None, &query, json!({})).assert_error(403, 11036);
    publish(Some(&account), &query, json!({"colour": "red"})).assert_error(400, 12022);
    publish(Some(&account), &query, json!({"age": 900})).assert_error(400, 12022);
    publish(Some(&account), &query, json!([])).assert_error(400, 12022);
    publish(
        Some(&account),
        &query,
        json!({"handler_id": uuid::Uuid::new_v4()}),
    )
    .assert_error(400, 12022);
    publish(
        Some(&account),
        &query,
        json!({"account_id": self::account()}),
    )
    .assert_error(400, 12022);
    call(Sender, "POST", format!("/1/publish{query}"))
        .bytes(b"{".to_vec())
        .header("Content-Type", "application/json")
        .send()
        .assert_error(400, 12027);
}

#[test]
fn the_sender_lists_its_routes_in_its_spec() {
    let spec = call(Sender, "GET", "/docs/spec").send().json();
    assert_eq!(spec["info"]["title"], "luna-sender");
    assert!(spec["paths"]["/1/ws"]["get"].is_object());
    assert!(spec["paths"]["/1/publish"]["post"].is_object());
    assert_eq!(
        call(Sender, "GET", "/version").send().json()["Version"]["api"],
        1
    );
}

#[test]
fn dropping_the_emulator_ends_open_subscriptions() {
    let own = luna_emulator::Emulator::start().expect("starts");
    let url = format!("ws://{}/1/ws", own.address(Sender));
    let mut request = url.into_client_request().expect("a ws url");
    request
        .headers_mut()
        .insert("Luna-Account-Id", account().parse().expect("header"));
    let (mut socket, _) = tungstenite::connect(request).expect("subscribed");
    if let MaybeTlsStream::Plain(tcp) = socket.get_ref() {
        tcp.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
    }
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        drop(own);
        let _ = done_tx.send(());
    });
    done_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the emulator stops with a subscriber connected");
    // The subscriber sees the end of the connection (close frame, reset or EOF), not a hang.
    loop {
        match socket.read() {
            Ok(Message::Close(_)) | Err(_) => break,
            Ok(Message::Ping(_) | Message::Pong(_)) => continue,
            Ok(other) => panic!("unexpected frame {other:?}"),
        }
    }
}
