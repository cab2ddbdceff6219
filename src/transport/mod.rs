//! The only code that knows the HTTP backends: one request type in, one response type out.
//!
//! * the async client (feature `async`): [`reqwest`] on tokio (`reqwest_backend.rs`);
//! * the blocking client (feature `blocking`): [`ureq`] (`ureq_backend.rs`).
//!
//! Both backends compile in the same build when both features are on; each client picks its
//! own (the `transport` module of `src/nonblocking/` and `src/blocking/`).
//!
//! Both keep a connection pool for the lifetime of the client, cap response bodies at
//! `max_response_bytes`, and report timeouts and connect failures apart from other failures.
//! Request bodies are shared [`Bytes`] or a stream ([`UploadBody`]); a response body is read
//! whole or handed out as a stream (the mode's `ByteStream`).

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use url::Url;

use crate::error::{BoxError, Error, TransportErrorKind};

mod body;
pub use body::UploadBody;
pub(crate) use body::{BodyStream, RequestBody};
#[cfg(feature = "blocking")]
pub(crate) use body::PartsReader;
mod tls;
pub(crate) use tls::TlsRoots;

#[cfg(feature = "async")]
pub(crate) mod reqwest_backend;

#[cfg(feature = "blocking")]
pub(crate) mod ureq_backend;
#[cfg(feature = "blocking")]
mod ureq_resolver;
#[cfg(feature = "blocking")]
mod ureq_timeouts;

/// Settings the backends are built from.
#[derive(Clone, Debug)]
pub(crate) struct TransportConfig {
    pub connect_timeout: Duration,
    /// The client-wide request timeout (backends may preconfigure it).
    pub request_timeout: Duration,
    pub max_response_bytes: u64,
    pub user_agent: String,
    /// Idle connections kept per host (both backends).
    pub max_idle_per_host: usize,
    /// Trusted roots (the backend's defaults when empty).
    pub roots: TlsRoots,
}

/// The URL of one request, written once as text: the service base (parsed once, when the
/// client was built) and the path, then the query, form-encoded. Both backends take it as
/// text (ureq parses it into its URI, reqwest into its `Url`), so nothing here parses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RequestUrl {
    text: String,
    /// How errors and logs show it (no query, no fragment), when it is not the text up to the
    /// query.
    shown: Option<String>,
}

impl RequestUrl {
    /// `base` (`scheme://host[:port][/prefix]`, from a parsed address) joined with `path` and
    /// the `query` pairs. A path of plain characters (letters, digits, `-._~/,:@!$&'()*+;=`,
    /// no `.`/`..` segment) is appended as it is; any other path goes through the URL parser
    /// (percent-encoding, a `?` in a raw path), as every path used to.
    pub(crate) fn new<'a>(
        base: &str,
        path: &str,
        query: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> std::result::Result<Self, url::ParseError> {
        if !is_plain_path(path) {
            return Self::parsed(base, path, query);
        }
        let mut text = String::with_capacity(base.len() + path.len() + 96);
        text.push_str(base);
        text.push_str(path);
        let mut separator = '?';
        for (name, value) in query {
            text.push(separator);
            separator = '&';
            push_form(&mut text, name);
            text.push('=');
            push_form(&mut text, value);
        }
        Ok(RequestUrl { text, shown: None })
    }

    /// The URL parser's way, for paths that need it.
    fn parsed<'a>(
        base: &str,
        path: &str,
        query: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> std::result::Result<Self, url::ParseError> {
        let mut url = Url::parse(&format!("{base}{path}"))?;
        let mut query = query.peekable();
        if query.peek().is_some() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in query {
                pairs.append_pair(name, value);
            }
        }
        Ok(RequestUrl {
            shown: Some(shown_url(&url)),
            text: url.into(),
        })
    }

    /// The whole URL.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The URL as errors and logs show it: no query (query values may be credentials or
    /// personal data). Addresses never carry credentials (refused when parsed).
    pub(crate) fn shown(&self) -> &str {
        match &self.shown {
            Some(shown) => shown,
            None => self.text.split('?').next().unwrap_or_default(),
        }
    }

    /// The path (without the query), for logs (feature `tracing`).
    #[cfg(any(feature = "tracing", test))]
    pub(crate) fn path(&self) -> &str {
        let shown = self.shown();
        let authority = shown.find("://").map_or(0, |i| i + 3);
        shown[authority..]
            .find('/')
            .map_or("/", |i| &shown[authority + i..])
    }
}

/// Appends `value` form-encoded (`application/x-www-form-urlencoded`, as `Url::query_pairs_mut`
/// writes it): as it is when every byte is one the encoding keeps (ids, numbers, flags).
fn push_form(text: &mut String, value: &str) {
    if value.bytes().all(|b| FORM_KEPT[usize::from(b)]) {
        text.push_str(value);
    } else {
        text.extend(url::form_urlencoded::byte_serialize(value.as_bytes()));
    }
}

/// A table of the bytes that are ASCII letters or digits or one of `others`.
const fn byte_table(others: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let mut i = 0;
    while i < others.len() {
        table[others[i] as usize] = true;
        i += 1;
    }
    table
}

/// Bytes form-encoding keeps as they are.
const FORM_KEPT: [bool; 256] = byte_table(b"*-._");

/// Bytes a URL path keeps as they are (`/` included).
const PATH_KEPT: [bool; 256] = byte_table(b"-._~/,:@!$&'()*+;=");

/// Whether `path` starts with `/`, holds only characters a URL path keeps as they are, and has
/// no `.` or `..` segment (which a URL parser would resolve).
fn is_plain_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.first() == Some(&b'/')
        && bytes.iter().all(|&b| PATH_KEPT[usize::from(b)])
        && !(bytes.contains(&b'.') && path.split('/').any(|s| s == "." || s == ".."))
}

/// One fully prepared HTTP exchange, without its body: the backends borrow it for each attempt
/// and take the body (`Option<RequestBody>`) apart.
#[derive(Debug)]
pub(crate) struct HttpRequest {
    pub method: Method,
    pub url: RequestUrl,
    pub headers: HeaderMap,
    pub timeout: Duration,
    /// Response body cap of this request (the client's when `None`).
    pub max_response_bytes: Option<u64>,
    /// Whether another attempt may follow this one (the call may be retried).
    pub resend: bool,
}

/// Puts every header of `overlay` into `headers`: a name of `overlay` replaces that name's
/// values in `headers`, and all of its own values are kept (a name's further values come
/// without it in `HeaderMap`'s iteration).
pub(crate) fn overlay_headers(headers: &mut HeaderMap, overlay: HeaderMap) {
    let mut last = None;
    for (name, value) in overlay {
        match name {
            Some(name) => {
                headers.insert(name.clone(), value);
                last = Some(name);
            }
            None => {
                if let Some(name) = &last {
                    headers.append(name.clone(), value);
                }
            }
        }
    }
}

impl HttpRequest {
    /// The headers of one attempt: a copy while another attempt may follow, the request's own
    /// (moved out, no copy) for the only one.
    pub(crate) fn attempt_headers(&mut self) -> HeaderMap {
        if self.resend {
            self.headers.clone()
        } else {
            std::mem::take(&mut self.headers)
        }
    }
}

/// An answer, whatever its status; `S` is the backend's body still on the wire.
#[derive(Debug)]
pub(crate) struct HttpResponse<S> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: ResponseBody<S>,
}

/// A response body: read whole, or still on the wire (`S`, the backend's stream).
pub(crate) enum ResponseBody<S> {
    Complete(Bytes),
    Streaming(S),
}

impl<S> std::fmt::Debug for ResponseBody<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResponseBody::Complete(bytes) => write!(f, "Complete({} bytes)", bytes.len()),
            ResponseBody::Streaming(_) => f.write_str("Streaming"),
        }
    }
}

/// A URL as errors and logs show it: no credentials and no query (query values may be
/// credentials or personal data).
pub(crate) fn shown_url(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.into()
}

/// Whether an I/O error before the answer means the peer closed the connection.
pub(crate) fn is_closed(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        error.kind(),
        UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe
    )
}

/// Why an exchange produced no answer.
#[derive(Debug)]
pub(crate) enum TransportFailure {
    Timeout,
    Failed {
        kind: TransportErrorKind,
        /// The root cause, worded by the OS or the TLS library (the same in both modes).
        message: String,
        source: Option<BoxError>,
    },
    /// A streamed body built for the other client; nothing was sent.
    #[allow(dead_code)] // only built when both modes are on
    OtherModeBody {
        built_by: &'static str,
        sent_by: &'static str,
    },
}

impl TransportFailure {
    /// A failure caused by `error`: its root cause is the message, `error` the source.
    pub(crate) fn caused_by(
        kind: TransportErrorKind,
        error: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        let mut root: &(dyn std::error::Error + 'static) = &error;
        while let Some(cause) = root.source() {
            root = cause;
        }
        TransportFailure::Failed {
            kind,
            message: root.to_string(),
            source: Some(Box::new(error)),
        }
    }

    pub(crate) fn body_too_large(limit: u64) -> Self {
        TransportFailure::Failed {
            kind: TransportErrorKind::BodyTooLarge,
            message: format!("response body exceeds the {limit}-byte cap (max_response_bytes)"),
            source: None,
        }
    }

    /// Whether a retry-safe request may be sent again after this failure.
    pub(crate) fn is_retryable(&self) -> bool {
        matches!(
            self,
            TransportFailure::Timeout
                | TransportFailure::Failed {
                    kind: TransportErrorKind::Connect | TransportErrorKind::Closed,
                    ..
                }
        )
    }

    /// The public error of this failure of `request` (`<service> <METHOD> <url>`).
    pub(crate) fn into_error(self, request_id: String, request: &str) -> Error {
        match self {
            TransportFailure::Timeout => Error::Timeout {
                request_id,
                request: request.to_owned(),
            },
            TransportFailure::Failed {
                kind,
                message,
                source,
            } => Error::Transport {
                kind,
                message: format!("{request}: {message}"),
                request_id,
                source,
            },
            TransportFailure::OtherModeBody { built_by, sent_by } => Error::invalid(
                "body",
                format!("a body built with {built_by} cannot be sent by the {sent_by} client"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_path_is_written_as_the_url_parser_would() {
        // Bases as the client writes them: from a parsed address (default ports dropped).
        let bases = ["http://127.0.0.1:5030/3", "https://gw.example/luna/faces/3", "http://[::1]:8080"];
        let paths = [
            "/faces/3f1b3c6e-6f0e-4a5c-9a55-8c1a0d1f1a11",
            "/",
            "/a.b/c~d/e_f/g-h/x:y@z/!$&'()*+,;=",
            "/faces",
        ];
        let queries: [&[(&str, &str)]; 3] = [
            &[],
            &[("account_id", "8950722f-3fd4-4223-b48f-03f95f0e8dfb"), ("page", "1")],
            &[("q", "a b&c=d/é?#+%"), ("k y", ""), ("list", "a,b,c"), ("x", "A-z_0.9*~")],
        ];
        for base in bases {
            for path in paths {
                assert!(is_plain_path(path), "{path}");
                for query in queries {
                    let fast = RequestUrl::new(base, path, query.iter().copied()).unwrap();
                    let parsed = RequestUrl::parsed(base, path, query.iter().copied()).unwrap();
                    assert_eq!(fast.as_str(), parsed.as_str());
                    assert_eq!(fast.shown(), parsed.shown());
                }
            }
        }
    }

    #[test]
    fn other_paths_go_through_the_url_parser() {
        for path in ["/a b", "/é", "/a/%2e%2e/b", "/a/../b", "/a/./b", "/x?y=1", "/x#f", "/a\\b", "x"] {
            assert!(!is_plain_path(path), "{path}");
        }
        let url = RequestUrl::new("http://h:1/3", "/x y?a=1#f", [("b", "2")].into_iter()).unwrap();
        assert_eq!(url.as_str(), "http://h:1/3/x%20y?a=1&b=2#f");
        assert_eq!(url.shown(), "http://h:1/3/x%20y");
        assert_eq!(url.path(), "/3/x%20y");
        let url = RequestUrl::new("http://h:1/3", "/faces", [("a", "1")].into_iter()).unwrap();
        assert_eq!((url.shown(), url.path()), ("http://h:1/3/faces", "/3/faces"));
    }
}
