//! The blocking client (feature `blocking`): ureq, no async runtime.
//!
//! The same API as the async client at the crate root, without `.await`: [`LunaClient`] and
//! its service clients, [`Pages`] as an [`Iterator`], [`ByteStream`] as an
//! [`std::io::Read`], `Subscription` on a blocking WebSocket (feature `sender`). The mode-free types (models,
//! queries, [`Error`], [`Descriptor`], [`RetryPolicy`], [`RequestOptions`], ...) are the crate
//! root's, re-exported here so that `use luna_clients::blocking as luna;` is enough.
//!
//! ```no_run
//! use luna_clients::blocking::prelude::*;
//! use luna_clients::blocking::LunaClient;
//!
//! # fn main() -> luna_clients::Result<()> {
//! let client = LunaClient::builder().host("10.0.0.5").build()?;
//! let count = client.faces().get_faces_count(&Default::default())?;
//! println!("{count} faces");
//! # Ok(())
//! # }
//! ```
//!
//! Both clients can live in one build (features `async` and `blocking` together), for example
//! an async server and a blocking command-line tool in one workspace.

use maybe_async::must_be_sync as maybe_async;

mod byte_stream;
mod pages;
#[cfg(feature = "sender")]
mod socket;

/// The blocking transport: ureq, the thread's sleep, a streamed body as a reader.
mod transport {
    pub(crate) use super::byte_stream::ByteStream;
    pub(crate) use crate::retry::blocking_sleep as sleep;
    pub(crate) use crate::transport::ureq_backend::{Backend, ResponseStream};

    /// An answer of the blocking backend.
    pub(crate) type HttpResponse = crate::transport::HttpResponse<ResponseStream>;
}

mode_tree!();

pub use crate::shared::*;
pub use crate::{catalogue, error_codes, model, services};
#[cfg(feature = "conformance")]
pub use crate::{conformance, openapi};

/// The mode of this client: `"blocking"`.
pub const MODE: &str = "blocking";
/// `User-Agent` sent by the blocking client: `luna-clients/<version> (blocking)`.
pub const USER_AGENT: &str = concat!("luna-clients/", env!("CARGO_PKG_VERSION"), " (blocking)");
