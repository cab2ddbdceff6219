//! The embedded luna-emulator shared by the tests of one file; each test gets its own account,
//! so tests running at the same time never see each other's data.

use luna_clients::{LunaClient, LunaClientBuilder};
use luna_emulator::Emulator;
use std::sync::OnceLock;
use uuid::Uuid;

/// The emulator of this test binary (started on first use, on ephemeral ports).
pub fn emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR.get_or_init(|| Emulator::start().expect("the emulator starts"))
}

/// A client of the emulator's services under a fresh account; returns the account too.
pub fn emulator_client() -> (LunaClient, Uuid) {
    let account = Uuid::new_v4();
    let em = emulator();
    let client = LunaClientBuilder::from_vars(|name| em.var(name))
        .expect("emulator addresses parse")
        .account_id(account)
        .build()
        .expect("client builds");
    (client, account)
}

/// Every item of a paged iteration (a Stream in async builds, an Iterator in blocking ones).
#[maybe_async::maybe_async]
pub async fn collect<T: Send + 'static>(pages: luna_clients::Pages<T>) -> Vec<T> {
    #[cfg(not(feature = "blocking"))]
    {
        use futures_util::TryStreamExt;
        pages.try_collect().await.unwrap()
    }
    #[cfg(feature = "blocking")]
    {
        pages.collect::<Result<Vec<_>, _>>().unwrap()
    }
}
