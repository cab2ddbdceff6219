//! `get_face` on one keep-alive connection: the SDK beside the same request written by hand
//! (reqwest for the async client, ureq for the blocking one), both decoding the same `Face`,
//! interleaved round by round (`support/interleave.rs`) against a keep-alive HTTP/1.1 server
//! in this process.
//!
//! Run: `cargo bench --bench get_face --features blocking` (both clients).

mod support;

use luna_clients::model::faces::Face;
use luna_clients::{generate_request_id, Service};
use support::interleave::Bench;
use support::{server, ACCOUNT};

const FACE_ID: &str = "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11";
/// Calls per side and round.
const BATCH: usize = 200;

fn face_body() -> String {
    serde_json::json!({
        "face_id": FACE_ID, "account_id": ACCOUNT, "event_id": null, "user_data": "benchmark face",
        "create_time": "2024-01-31T12:00:00.123456+03:00", "external_id": "ext-1",
        "avatar": "", "lists": ["5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33"]
    })
    .to_string()
}

fn main() {
    let bench = Bench::from_env();
    let (base_url, _connections) = server::counting_server(&face_body());
    let url = format!("{base_url}/3/faces/{FACE_ID}?account_id={ACCOUNT}");
    #[cfg(feature = "async")]
    {
        let runtime = support::runtime();
        let faces = support::async_client(Service::Faces, &base_url).faces();
        let http = support::reqwest_client();
        bench.compare(
            "get_face/async (1 connection)",
            BATCH,
            || runtime.block_on(faces.get_face(FACE_ID, &[])).unwrap(),
            || {
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
            },
        );
    }
    #[cfg(feature = "blocking")]
    {
        let faces = support::blocking_client(Service::Faces, &base_url).faces();
        let agent = support::ureq_agent();
        bench.compare(
            "get_face/blocking (1 connection)",
            BATCH,
            || faces.get_face(FACE_ID, &[]).unwrap(),
            || {
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
            },
        );
    }
}
