//! `get_face`: the SDK beside the same request written by hand (reqwest for the async client,
//! ureq for the blocking one), both decoding the same `Face`, interleaved call by call
//! (`support/interleave.rs`) against a keep-alive HTTP/1.1 server in this process, one thread
//! serving every connection of both sides (`support::one_thread_server`). Three
//! loads: one call at a time (one connection), async with 256 calls in flight (one unit = 256
//! concurrent calls), blocking with 8 threads sharing one client (one unit = 8 threads × 25
//! calls). The hand-written side writes its URL per call (`format!`), as a function taking a
//! face id must, and its reqwest client has the SDK's default deadlines (its ureq agent has
//! none: see `support::ureq_agent`). Both sides keep every connection idle between units (the SDK client is given
//! `max_idle_connections_per_host(256)`, as its documentation advises for 256 tasks).
//!
//! Run: `cargo bench --bench get_face --features blocking` (both clients).

mod support;

use luna_clients::model::common::Targets;
use luna_clients::model::faces::Face;
use luna_clients::Service;
use support::interleave::Bench;
use support::ACCOUNT;

const FACE_ID: &str = "3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11";
/// Calls per side and round.
const BATCH: usize = 200;
/// Calls in flight at once (async).
#[cfg(feature = "async")]
const IN_FLIGHT: usize = 256;
/// Units of `IN_FLIGHT` calls per side and round.
#[cfg(feature = "async")]
const WAVES: usize = 3;
/// Threads sharing one client (blocking), and calls per thread in one unit.
#[cfg(feature = "blocking")]
const THREADS: usize = 8;
#[cfg(feature = "blocking")]
const PER_THREAD: usize = 25;
/// Units of `THREADS` × `PER_THREAD` calls per side and round.
#[cfg(feature = "blocking")]
const THREAD_UNITS: usize = 2;

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
    let base_url = support::one_thread_server(&face_body());
    // The hand-written side writes its URL per call, as a `get_face(face_id)` must.
    let face_url = |face_id: &str| format!("{base_url}/3/faces/{face_id}?account_id={ACCOUNT}");
    #[cfg(feature = "async")]
    {
        use luna_clients::FacesApi as _;
        let runtime = support::runtime();
        let faces = support::async_client(Service::Faces, &base_url).faces();
        let http = support::reqwest_client();
        bench.compare(
            "get_face/async (1 connection)",
            BATCH,
            || {
                runtime
                    .block_on(faces.get_face(FACE_ID, Targets::All))
                    .unwrap()
            },
            || runtime.block_on(support::hand_get_async::<Face>(&http, face_url(FACE_ID))),
        );

        // 256 calls in flight on one runtime thread.
        let faces = luna_clients::LunaClient::builder()
            .address(Service::Faces, &base_url)
            .account_id(ACCOUNT)
            .max_idle_connections_per_host(IN_FLIGHT)
            .build()
            .expect("async client")
            .faces();
        bench.compare(
            "get_face/async (256 in flight)",
            WAVES,
            || {
                let calls = (0..IN_FLIGHT).map(|_| faces.get_face(FACE_ID, Targets::All));
                let faces = runtime.block_on(futures_util::future::join_all(calls));
                assert!(faces.iter().all(Result::is_ok));
                faces
            },
            || {
                let calls = (0..IN_FLIGHT)
                    .map(|_| support::hand_get_async::<Face>(&http, face_url(FACE_ID)));
                runtime.block_on(futures_util::future::join_all(calls))
            },
        );
    }
    #[cfg(feature = "blocking")]
    {
        use luna_clients::blocking::FacesApi as _;
        let faces = support::blocking_client(Service::Faces, &base_url).faces();
        let agent = support::ureq_agent();
        bench.compare(
            "get_face/blocking (1 connection)",
            BATCH,
            || faces.get_face(FACE_ID, Targets::All).unwrap(),
            || support::hand_get_blocking::<Face>(&agent, &face_url(FACE_ID)),
        );

        // 8 threads sharing one client (one agent on the hand-written side).
        let faces = luna_clients::blocking::LunaClient::builder()
            .address(Service::Faces, &base_url)
            .account_id(ACCOUNT)
            .build()
            .expect("blocking client")
            .faces();
        let hand =
            |agent: &ureq::Agent| support::hand_get_blocking::<Face>(agent, &face_url(FACE_ID));
        bench.compare(
            "get_face/blocking (8 threads)",
            THREAD_UNITS,
            || {
                std::thread::scope(|scope| {
                    for _ in 0..THREADS {
                        scope.spawn(|| {
                            for _ in 0..PER_THREAD {
                                std::hint::black_box(
                                    faces.get_face(FACE_ID, Targets::All).unwrap(),
                                );
                            }
                        });
                    }
                })
            },
            || {
                std::thread::scope(|scope| {
                    for _ in 0..THREADS {
                        scope.spawn(|| {
                            for _ in 0..PER_THREAD {
                                std::hint::black_box(hand(&agent));
                            }
                        });
                    }
                })
            },
        );
    }
}
