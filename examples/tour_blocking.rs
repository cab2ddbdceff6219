//! The tour with the blocking client: `cargo run --example tour_blocking --features blocking`.
//! The same scenario as `examples/tour.rs` (the one flow of `examples/support/tour_flow.rs`),
//! with no async runtime in the program: the emulator serves from its own thread.

mod tour {
    use luna_clients::blocking as sdk;
    use maybe_async::must_be_sync as maybe_async;
    use sdk::prelude::*;

    include!("support/tour_flow.rs");
}

fn main() -> std::process::ExitCode {
    tour::watchdog(120);
    tour::exit_code(run())
}

fn run() -> Result<(), tour::TourError> {
    // Seven LUNA services in memory, on ephemeral ports, for the life of `emulator`.
    let emulator = luna_emulator::Emulator::start()?;
    let client = tour::connect(&emulator)?;
    tour::run(&client)
}
