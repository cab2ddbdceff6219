//! A 1,000-event `get_events` page on one keep-alive connection: the SDK beside the same
//! request written by hand (reqwest / ureq), both decoding the same `EventsPage`, interleaved
//! call by call (`support/interleave.rs`).
//!
//! Run: `cargo bench --bench get_events --features blocking` (both clients).

mod support;

use luna_clients::model::events::EventsPage;
use luna_clients::services::events::EventsQuery;
use luna_clients::Service;
use support::interleave::Bench;
use support::ACCOUNT;

const EVENTS: usize = 1_000;
/// Calls per side and round.
const BATCH: usize = 30;

/// A page of `EVENTS` events as luna-events answers it.
fn page_body() -> String {
    let events: Vec<_> = (0..EVENTS)
        .map(|i| {
            serde_json::json!({
                "event_id": format!("6d3f8a2e-1c4b-4e0a-9f7d-{i:012x}"),
                "account_id": ACCOUNT,
                "handler_id": "0c4c9d5e-8f3a-4b7e-9c2d-1a2b3c4d5e6f",
                "create_time": "2024-01-31T12:00:00.123456+03:00",
                "end_time": "2024-01-31T12:00:01.654321+03:00",
                "external_id": format!("ext-{i}"),
                "source": "entrance camera",
                "stream_id": "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b",
                "user_data": "benchmark event",
                "tags": ["visitor", "morning"],
                "gender": 1,
                "age": 30 + i % 40,
            })
        })
        .collect();
    serde_json::json!({ "events": events }).to_string()
}

fn main() {
    let bench = Bench::from_env();
    let base_url = support::one_thread_server(&page_body());
    let url = format!("{base_url}/2/events?account_id={ACCOUNT}&page=1&page_size={EVENTS}");
    let query = EventsQuery::new().page(1).page_size(EVENTS as u32);
    #[cfg(feature = "async")]
    {
        use luna_clients::EventsApi as _;
        let runtime = support::runtime();
        let events = support::async_client(Service::Events, &base_url).events();
        let http = support::reqwest_client();
        bench.compare(
            "get_events/async (1,000 events)",
            BATCH,
            || {
                let page = runtime.block_on(events.get_events(&query)).unwrap();
                assert_eq!(page.events.len(), EVENTS);
                page
            },
            || {
                let page: EventsPage =
                    runtime.block_on(support::hand_get_async(&http, url.clone()));
                assert_eq!(page.events.len(), EVENTS);
                page
            },
        );
    }
    #[cfg(feature = "blocking")]
    {
        use luna_clients::blocking::EventsApi as _;
        let events = support::blocking_client(Service::Events, &base_url).events();
        let agent = support::ureq_agent();
        bench.compare(
            "get_events/blocking (1,000 events)",
            BATCH,
            || {
                let page = events.get_events(&query).unwrap();
                assert_eq!(page.events.len(), EVENTS);
                page
            },
            || {
                let page: EventsPage = support::hand_get_blocking(&agent, &url);
                assert_eq!(page.events.len(), EVENTS);
                page
            },
        );
    }
}
