//! `get_face` through the SDK beside the same request written by hand (reqwest for the async
//! client, ureq for the blocking one), both decoding into the same `Face`, against a minimal
//! keep-alive HTTP/1.1 server running in this process.
//!
//! Run: `cargo bench --bench get_face --features blocking` (both clients).

#[path = "../tests/common/server.rs"]
mod server;

use criterion::{criterion_group, criterion_main, Criterion};
use luna_clients::model::common::Targets;
use luna_clients::model::faces::Face;
use luna_clients::{generate_request_id, Service};

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

/// The SDK's builder of either client, on the benchmark server.
macro_rules! sdk_client {
    ($client:ty, $base_url:expr) => {
        <$client>::builder()
            .address(Service::Faces, $base_url)
            .account_id(ACCOUNT)
            .build()
            .expect("client")
    };
}

#[cfg(feature = "async")]
fn bench_async(c: &mut Criterion) {
    use luna_clients::FacesApi as _;
    let (base_url, _connections) = server::counting_server(&face_body());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let faces = sdk_client!(luna_clients::LunaClient, &base_url).faces();
    let http = reqwest::Client::new();
    let url = format!("{base_url}/3/faces/{FACE_ID}?account_id={ACCOUNT}");

    let mut group = c.benchmark_group("get_face/async");
    group.bench_function("sdk", |b| {
        b.iter(|| {
            runtime
                .block_on(faces.get_face(FACE_ID, Targets::All))
                .unwrap()
        })
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
fn bench_blocking(c: &mut Criterion) {
    use luna_clients::blocking::FacesApi as _;
    let (base_url, _connections) = server::counting_server(&face_body());
    let faces = sdk_client!(luna_clients::blocking::LunaClient, &base_url).faces();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{base_url}/3/faces/{FACE_ID}?account_id={ACCOUNT}");

    let mut group = c.benchmark_group("get_face/blocking");
    group.bench_function("sdk", |b| {
        b.iter(|| faces.get_face(FACE_ID, Targets::All).unwrap())
    });
    group.bench_function("hand_written_ureq", |b| {
        b.iter(|| {
            let mut response = agent
                .get(&url)
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

fn bench(c: &mut Criterion) {
    #[cfg(feature = "async")]
    bench_async(c);
    #[cfg(feature = "blocking")]
    bench_blocking(c);
}

criterion_group!(benches, bench);
criterion_main!(benches);
