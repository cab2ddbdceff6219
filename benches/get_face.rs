//! `get_face` through the SDK beside the same request written by hand (reqwest in async
//! builds, ureq in blocking builds), both decoding into the same `Face`, against a minimal
//! keep-alive HTTP/1.1 server running in this process.
//!
//! Run: `cargo bench --bench get_face` (async) and
//! `cargo bench --bench get_face --features blocking` (blocking).

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::thread;

use criterion::{criterion_group, criterion_main, Criterion};
use luna_clients::model::faces::Face;
use luna_clients::{generate_request_id, LunaClient, Service};

const FACE_ID: &str = "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11";
const ACCOUNT: &str = "8950722f-3fd4-4223-b48f-03f95f0e8dfb";

fn face_body() -> String {
    serde_json::json!({
        "face_id": FACE_ID, "account_id": ACCOUNT, "event_id": null, "user_data": "benchmark face",
        "create_time": "2024-01-31T12:00:00.123456+03:00", "external_id": "ext-1",
        "avatar": "", "lists": ["5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33"]
    })
    .to_string()
}

/// Serves every request on every connection with the same 200 JSON answer (keep-alive).
fn start_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().unwrap();
    let body = face_body();
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nluna-request-id: 1700000000,0b8b5937-2e9c-4e8b-a7a7-5caf86621b5a\r\ncontent-length: {}\r\n\r\n{}",
        body.len(),
        body
    );
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let response = response.clone();
            thread::spawn(move || {
                let _ = stream.set_nodelay(true);
                let mut writer = stream.try_clone().expect("clone stream");
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                loop {
                    // Read one request head (GET, no body), then answer it.
                    loop {
                        line.clear();
                        match reader.read_line(&mut line) {
                            Ok(0) | Err(_) => return,
                            Ok(_) if line == "\r\n" => break,
                            Ok(_) => {}
                        }
                    }
                    if writer.write_all(response.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

fn sdk_client(addr: SocketAddr) -> LunaClient {
    LunaClient::builder()
        .address(Service::Faces, &format!("http://{addr}"))
        .account_id(ACCOUNT)
        .build()
        .expect("client")
}

#[cfg(not(feature = "blocking"))]
fn bench(c: &mut Criterion) {
    let addr = start_server();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let faces = sdk_client(addr).faces();
    let http = reqwest::Client::new();
    let url = format!("http://{addr}/3/faces/{FACE_ID}?account_id={ACCOUNT}");

    let mut group = c.benchmark_group("get_face/async");
    group.bench_function("sdk", |b| {
        b.iter(|| runtime.block_on(faces.get_face(FACE_ID, &[])).unwrap())
    });
    group.bench_function("hand_written_reqwest", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let response = http
                    .get(&url)
                    .header("luna-request-id", generate_request_id())
                    .header("luna-account-id", ACCOUNT)
                    .header("accept", "application/json")
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success());
                let bytes = response.bytes().await.unwrap();
                serde_json::from_slice::<Face>(&bytes).unwrap()
            })
        })
    });
    group.finish();
}

#[cfg(feature = "blocking")]
fn bench(c: &mut Criterion) {
    let addr = start_server();
    let faces = sdk_client(addr).faces();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("http://{addr}/3/faces/{FACE_ID}");

    let mut group = c.benchmark_group("get_face/blocking");
    group.bench_function("sdk", |b| b.iter(|| faces.get_face(FACE_ID, &[]).unwrap()));
    group.bench_function("hand_written_ureq", |b| {
        b.iter(|| {
            let mut response = agent
                .get(&url)
                .query("account_id", ACCOUNT)
                .header("luna-request-id", generate_request_id())
                .header("luna-account-id", ACCOUNT)
                .header("accept", "application/json")
                .call()
                .unwrap();
            assert!(response.status().is_success());
            let bytes = response.body_mut().read_to_vec().unwrap();
            serde_json::from_slice::<Face>(&bytes).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
