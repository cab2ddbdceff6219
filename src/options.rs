//! Per-call options: Python's `raiseError`/`**kwargs` counterpart (timeout, request id, extra
//! headers, extra query pairs).

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{Error, Result};
use crate::request_id;

/// Options applied to calls made through a service handle (see `with_options` on every service).
///
/// Extra query pairs and headers are the escape hatch for deployments whose wire differs from
/// this crate's choices: an extra query pair **replaces** every pair of the same name the method
/// would send, an extra header replaces the header of the same name.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) request_id: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) max_response_bytes: Option<u64>,
}

/// Header and query values are never shown (either may carry a credential); names are.
impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("request_id", &self.request_id)
            .field(
                "headers",
                &self.headers.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            )
            .field(
                "query",
                &self.query.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            )
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// Headers whose values are credentials: marked sensitive so that `http`'s `Debug` hides them.
const SENSITIVE_HEADERS: [&str; 4] = ["authorization", "proxy-authorization", "cookie", "x-api-key"];

/// Headers that frame the HTTP message: the transport writes them, a caller never does (a
/// caller's `Content-Length` truncated an async body to its value; `Host` or `Connection` would
/// change where and how the request goes).
const FRAMING_HEADERS: [&str; 5] = [
    "content-length",
    "transfer-encoding",
    "host",
    "connection",
    "upgrade",
];

/// Validates a header given by a caller (per-call options, raw requests): a valid name and
/// value, not a framing header; credentials are marked sensitive. `argument` names the caller's
/// method in the error.
pub(crate) fn caller_header(
    argument: &'static str,
    name: &str,
    value: &str,
) -> Result<(HeaderName, HeaderValue)> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid(argument, format!("bad header name {name:?}")))?;
    if FRAMING_HEADERS.contains(&name.as_str()) {
        return Err(Error::invalid(
            argument,
            format!("header {name} frames the HTTP message and is set by the client itself"),
        ));
    }
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| Error::invalid(argument, format!("bad value for header {name}")))?;
    if SENSITIVE_HEADERS.contains(&name.as_str()) {
        value.set_sensitive(true);
    }
    Ok((name, value))
}

impl RequestOptions {
    /// Empty options: client defaults everywhere.
    pub fn new() -> Self {
        Self::default()
    }

    /// Timeout of the whole request (overrides the service and client timeouts).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// `Luna-Request-Id` to send instead of a generated one (`<10-digit unix secs>,<uuid>`).
    ///
    /// A malformed id fails the call with [`Error::InvalidArgument`] before anything is sent.
    #[must_use]
    pub fn request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    /// Adds (or replaces) a header. Names and values are validated when the call is made; the
    /// framing headers (`Content-Length`, `Transfer-Encoding`, `Host`, `Connection`, `Upgrade`)
    /// are refused with [`Error::InvalidArgument`].
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Largest response body accepted by this call (overrides the client's
    /// `max_response_bytes`), e.g. to download one large object.
    #[must_use]
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Adds a query pair, replacing the method's own pairs of the same name.
    #[must_use]
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Merges `other` over `self` (other's timeout/request id win; headers and pairs add up).
    pub(crate) fn merged(&self, other: &RequestOptions) -> RequestOptions {
        RequestOptions {
            timeout: other.timeout.or(self.timeout),
            request_id: other.request_id.clone().or_else(|| self.request_id.clone()),
            headers: self.headers.iter().chain(&other.headers).cloned().collect(),
            query: self.query.iter().chain(&other.query).cloned().collect(),
            max_response_bytes: other.max_response_bytes.or(self.max_response_bytes),
        }
    }

    /// The request id to send: the caller's (validated) or a fresh one.
    pub(crate) fn resolve_request_id(&self) -> Result<String> {
        match &self.request_id {
            Some(id) => request_id::validate(id).map(|_| id.clone()),
            None => Ok(request_id::generate()),
        }
    }

    /// Applies the extra headers over `headers`, refusing anything that could inject a header
    /// or change the message framing.
    pub(crate) fn apply_headers(&self, headers: &mut HeaderMap) -> Result<()> {
        for (name, value) in &self.headers {
            let (name, value) = caller_header("RequestOptions::header", name, value)?;
            headers.insert(name, value);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_prefers_the_later_options() {
        let base = RequestOptions::new()
            .timeout(Duration::from_secs(1))
            .header("A", "1");
        let call = RequestOptions::new()
            .timeout(Duration::from_secs(2))
            .query("x", "y");
        let merged = base.merged(&call);
        assert_eq!(merged.timeout, Some(Duration::from_secs(2)));
        assert_eq!(merged.headers.len(), 1);
        assert_eq!(merged.query.len(), 1);
    }

    #[test]
    fn debug_hides_header_values() {
        let opts = RequestOptions::new().header("Authorization", "Bearer secret-token");
        let shown = format!("{opts:?}");
        assert!(shown.contains("Authorization"));
        assert!(!shown.contains("secret-token"));
        let mut headers = HeaderMap::new();
        opts.apply_headers(&mut headers).unwrap();
        assert!(headers["authorization"].is_sensitive());
    }

    #[test]
    fn header_injection_is_refused() {
        let opts = RequestOptions::new().header("X-Test", "a\r\nInjected: yes");
        let mut headers = HeaderMap::new();
        assert!(matches!(
            opts.apply_headers(&mut headers),
            Err(Error::InvalidArgument { .. })
        ));
        let opts = RequestOptions::new().header("Bad Name", "v");
        assert!(opts.apply_headers(&mut headers).is_err());
    }
}
