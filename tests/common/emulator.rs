//! The embedded luna-emulator shared by the tests of one file; each test gets its own account
//! (see `emulator_client` in the mode helpers), so tests running at the same time never see each
//! other's data.

use luna_clients::Error;
use luna_emulator::Emulator;
use std::sync::OnceLock;

/// The emulator of this test binary (started on first use, on ephemeral ports), shared by both
/// modes.
pub fn emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR.get_or_init(|| Emulator::start().expect("the emulator starts"))
}

/// The items of a paged iteration, failing the test on the first error.
pub fn all_ok<T>(items: Vec<luna_clients::Result<T>>) -> Vec<T> {
    items
        .into_iter()
        .collect::<luna_clients::Result<_>>()
        .expect("every page loads")
}

/// The status and LUNA error code of a call that must fail with a LUNA error.
pub fn api_code(result: Result<impl std::fmt::Debug, Error>) -> (u16, Option<i64>) {
    match result {
        Err(Error::Api(e)) => (e.status.as_u16(), e.error_code),
        other => panic!("expected a LUNA error, got {other:?}"),
    }
}
