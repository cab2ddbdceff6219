//! What the interleaved benches share: the measuring harness, the in-process keep-alive server
//! and the SDK clients built on it.
#![allow(dead_code)] // each bench binary uses its own part

pub mod interleave;
#[path = "../../tests/common/server.rs"]
pub mod server;

pub const ACCOUNT: &str = "8950722f-3fd4-4223-b48f-03f95f0e8dfb";

/// A current-thread tokio runtime: each async call is driven with `block_on`, on both sides.
#[cfg(feature = "async")]
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The async SDK client with `service` on `base_url`.
#[cfg(feature = "async")]
pub fn async_client(service: luna_clients::Service, base_url: &str) -> luna_clients::LunaClient {
    luna_clients::LunaClient::builder()
        .address(service, base_url)
        .account_id(ACCOUNT)
        .build()
        .expect("async client")
}

/// The blocking SDK client with `service` on `base_url`.
#[cfg(feature = "blocking")]
pub fn blocking_client(
    service: luna_clients::Service,
    base_url: &str,
) -> luna_clients::blocking::LunaClient {
    luna_clients::blocking::LunaClient::builder()
        .address(service, base_url)
        .account_id(ACCOUNT)
        .build()
        .expect("blocking client")
}

/// The hand-written side's reqwest client (reqwest is built without a bundled crypto provider:
/// ring is installed process-wide first, as an application would).
#[cfg(feature = "async")]
pub fn reqwest_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// The hand-written side's ureq agent: statuses are not errors (as in the SDK).
#[cfg(feature = "blocking")]
pub fn ureq_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}
