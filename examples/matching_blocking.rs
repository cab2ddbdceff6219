//! Matching (blocking): `cargo run --example matching_blocking --features blocking -- <list id> <event id>`.
//! Needs a reachable luna-python-matcher; set `LUNA_PYTHON_MATCHER_ADDRESS` and `LUNA_ACCOUNT_ID`.

mod support;

// matching:start
use luna_clients::blocking::prelude::*;
use luna_clients::model::matching::{Candidates, CrossMatchParams, MatchReference};
use luna_clients::services::events::EventsQuery;
use luna_clients::services::faces::FacesQuery;
use luna_clients::OffsetDateTime;
use std::time::Duration;

fn run() -> luna_clients::Result<()> {
    let mut args = std::env::args().skip(1);
    let list_id = args.next().expect("a list id");
    let event_id = args.next().expect("an event id");
    let matcher = LunaClient::from_env()?.matcher();

    // The faces of a list and yesterday's entrance events as candidates of one event.
    let yesterday = OffsetDateTime::now_utc() - Duration::from_secs(24 * 3600);
    let candidates = [
        Candidates::faces(FacesQuery::new().list_id(list_id.as_str()))
            .limit(3)
            .threshold(0.8),
        Candidates::events(
            EventsQuery::new()
                .sources(["entrance"])
                .create_time_gte(yesterday),
        )
        .limit(1),
    ];
    let references = [MatchReference::event(event_id.as_str())];
    for reference in matcher.match_faces(&candidates, &references)? {
        // A reference that failed keeps its error; the others are still answered.
        if reference.is_error() {
            println!("{:?}: {:?}", reference.reference_id(), reference.error);
            continue;
        }
        for set in &reference.matches {
            for candidate in &set.result {
                println!("{:?} {:?}", candidate.face, candidate.similarity);
            }
        }
    }

    // Every face of the list against every entrance event, the best 5 of each, sorted.
    let params = CrossMatchParams::new()
        .limit(5)
        .threshold(0.7)
        .sorting(true);
    let pairs = matcher.crossmatch_faces(
        FacesQuery::new().list_id(list_id.as_str()),
        EventsQuery::new().sources(["entrance"]),
        &params,
    )?;
    println!("{} reference(s) cross-matched", pairs.len());
    Ok(())
}
// matching:end

/// Errors are printed with `Display` (see `support::exit`).
fn main() -> std::process::ExitCode {
    support::exit(run())
}
