//! Mode-free settings shared by both clients: defaults, the environment variable of the
//! account id, the LUNA header names and the cap on request URLs.

use std::time::Duration;

/// Default connect timeout (ureq has none by default; LUNA services are usually close by).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default timeout of a whole request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default cap on response bodies: 64 MiB, so that large source images fit.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// Default number of idle connections a client keeps per service host: enough for this many
/// threads (or tasks) sharing one client to reuse connections.
pub const DEFAULT_MAX_IDLE_CONNECTIONS_PER_HOST: usize = 32;
/// Environment variable read by `LunaClientBuilder::from_env` for the account id.
pub const ACCOUNT_ID_VARIABLE: &str = "LUNA_ACCOUNT_ID";

/// `Luna-Request-Id` header name.
pub const REQUEST_ID_HEADER: &str = "luna-request-id";
/// `Luna-Account-Id` header name.
pub const ACCOUNT_ID_HEADER: &str = "luna-account-id";

/// Longest request URL (scheme to query, in bytes) the client sends: a request line of 8 KiB
/// is what HTTP servers and proxies in front of LUNA commonly accept, so a longer one (e.g.
/// an id list of thousands of ids) is refused before anything is sent.
pub const MAX_URL_LEN: usize = 8000;
