//! The async client (feature `async`, default): reqwest on tokio. Its items are exported at the
//! crate root. The mode-dependent source files are shared with the blocking client
//! (`mode_tree!`); this module gives them `must_be_async` and the async halves below.

use maybe_async::must_be_async as maybe_async;

mod byte_stream;
mod pages;
#[cfg(feature = "sender")]
mod socket;

/// The async transport: reqwest, tokio's timer, a streamed body as a `Stream`.
mod transport {
    pub(crate) use super::byte_stream::ByteStream;
    pub(crate) use crate::retry::async_sleep as sleep;
    pub(crate) use crate::transport::reqwest_backend::{Backend, ResponseStream};

    /// An answer of the async backend.
    pub(crate) type HttpResponse = crate::transport::HttpResponse<ResponseStream>;
}

mode_tree!();

/// The mode of the client at the crate root: `"async"`.
pub const MODE: &str = "async";
/// `User-Agent` sent by the async client: `luna-clients/<version> (async)`.
pub const USER_AGENT: &str = concat!("luna-clients/", env!("CARGO_PKG_VERSION"), " (async)");
