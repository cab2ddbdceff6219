//! The tour (async, default features): `cargo run --example tour`. Needs no LUNA deployment:
//! it starts the luna-emulator in-process and walks a realistic scenario — a list, three people
//! enrolled from photos, a handler that detects, extracts, matches against the list, tags and
//! stores events, a Sender subscription, events from new photos of the enrolled people and of a
//! stranger, event queries and statistics, matching and cross-matching, clean-up — printing
//! each step. Exits non-zero when a call fails or an expected outcome does not hold (each
//! enrolled person is their own top match at ≥ 0.9, the stranger has no candidate above the
//! threshold, the subscription receives the events). The blocking twin is
//! `examples/tour_blocking.rs`; both run the one flow of `examples/support/tour_flow.rs`.

mod tour {
    use luna_clients as sdk;
    use maybe_async::must_be_async as maybe_async;
    use sdk::prelude::*;

    include!("support/tour_flow.rs");
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tour::watchdog(120);
    tour::exit_code(run().await)
}

async fn run() -> Result<(), tour::TourError> {
    // Seven LUNA services in memory, on ephemeral ports, for the life of `emulator`.
    let emulator = luna_emulator::Emulator::start()?;
    let client = tour::connect(&emulator)?;
    tour::run(&client).await
}
