//! Events and Sender, blocking: `cargo run --example events_sender_blocking --features blocking`.
//! Needs reachable luna-events, luna-handlers and luna-sender; set `LUNA_EVENTS_ADDRESS`,
//! `LUNA_HANDLERS_ADDRESS`, `LUNA_SENDER_ADDRESS`, `LUNA_ACCOUNT_ID` and `LUNA_HANDLER_ID`.

mod support;

// events:start
use luna_clients::blocking::prelude::*;
use luna_clients::model::events::{Emotion, OrNull};
use luna_clients::services::events::{
    Aggregator, EventsQuery, GroupBy, MetaFilter, MetaOperator, StatFilter, StatQuery,
};
use luna_clients::services::sender::{EventTimes, PublishRoute, SubscriptionFilters};
use luna_clients::OffsetDateTime;
use serde_json::json;

fn run() -> luna_clients::Result<()> {
    let client = LunaClient::from_env()?;
    let events = client.events();

    // Every happy (or not estimated) visitor of gate 3 with a badge number ≥ 17, newest first,
    // page after page (keyset paging on the creation time), each exactly once.
    let query = EventsQuery::new()
        .sources(["gate-3"])
        .emotions([OrNull::Value(Emotion::Happiness), OrNull::Null])
        .meta(MetaFilter::new("badge.number", MetaOperator::Gte, 17))
        .page_size(100);
    for event in events.iter_events(query) {
        let event = event?;
        println!("{:?} at {:?}", event.event_id, event.create_time);
    }

    // Average age per day of the events whose best match is employee "emp-1".
    let stats = StatQuery::new(Aggregator::Avg)
        .target("age")
        .group_by(GroupBy::Interval("1d".into()))
        .filter(StatFilter::eq("top_similar_external_id", "emp-1"));
    println!("{}", events.get_events_stats(&stats)?);

    // Publish a user-generated event to the Sender's subscribers (through luna-handlers,
    // which also stores it in luna-events), then listen.
    let sender = client.sender();
    let mut subscription = sender.subscribe(&SubscriptionFilters::new().sources(["door"]))?;
    let handler_id = std::env::var("LUNA_HANDLER_ID").unwrap_or_default();
    let now = OffsetDateTime::now_utc();
    let report = sender.publish(
        &PublishRoute::HandlersRawEvents,
        &[json!({"source": "door", "meta": {"opened": true}})],
        handler_id,
        &EventTimes::new().create_time(now).end_time(now),
    )?;
    for (index, error) in report.failed() {
        eprintln!("event {index} not published: {error}");
    }
    if let Some(event) = subscription.next_event()? {
        println!("delivered: {event}");
    }
    subscription.close()
}
// events:end

/// Errors are printed with `Display` (see `support::exit`).
fn main() -> std::process::ExitCode {
    support::exit(run())
}
