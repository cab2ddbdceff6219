//! The one error type of the crate, shared by the async and blocking clients.

use std::fmt;

use http::StatusCode;
use serde::Deserialize;

use crate::error_codes;

/// Result alias used by every fallible call of the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How many bytes of an undecodable body an [`Error::Decode`] keeps.
pub const BODY_SNIPPET_LIMIT: usize = 512;

/// Everything that can go wrong when talking to a LUNA service.
///
/// Every variant that follows a request that was (or may have been) sent carries the
/// `Luna-Request-Id` of that request, so a failure can be found in the service logs; see
/// [`Error::request_id`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with a non-success HTTP status (LUNA error body parsed when present).
    #[error("{0}")]
    Api(Box<ApiError>),

    /// The request could not be carried out at the transport level (connection refused, reset,
    /// DNS failure, TLS failure, body larger than the configured cap...).
    #[error("transport error ({kind}) for request {request_id}: {message}")]
    Transport {
        /// What kind of transport failure this was.
        kind: TransportErrorKind,
        /// The request (`<service> <METHOD> <url>`, credentials and query left out) and what
        /// went wrong (the root cause, worded the same in both modes).
        message: String,
        /// `Luna-Request-Id` that was sent.
        request_id: String,
        /// The HTTP backend's own error, when there was one.
        #[source]
        source: Option<BoxError>,
    },

    /// The request (connect or whole exchange) did not finish within its timeout.
    #[error("{request}: timed out (request {request_id})")]
    Timeout {
        /// `Luna-Request-Id` that was sent.
        request_id: String,
        /// The request: `<service> <METHOD> <url>` (credentials and query left out).
        request: String,
    },

    /// The service answered with a redirect (3xx). Redirects are never followed: following one
    /// could send the credentials and `Luna-Account-Id` to another origin or re-send a request.
    #[error("{request}: redirected (HTTP {}) to {}, redirects are not followed (request {request_id})", status.as_u16(), location.as_deref().unwrap_or("no location"))]
    Redirect {
        /// The request: `<service> <METHOD> <url>` (credentials and query left out).
        request: String,
        /// HTTP status of the answer (301, 302, 303, 307, 308...).
        status: StatusCode,
        /// The `Location` header of the answer, when there was one.
        location: Option<String>,
        /// `Luna-Request-Id` of the request.
        request_id: String,
    },

    /// The service answered with a success status but a body that could not be decoded.
    #[error("{request}: could not decode the {status} answer (request {request_id}): {message}; body starts with {snippet:?}")]
    Decode {
        /// The request: `<service> <METHOD> <url>` (credentials and query left out).
        request: String,
        /// HTTP status of the answer.
        status: StatusCode,
        /// Decoder message, with where in the JSON it failed (``at `faces[2].face_id` ``).
        message: String,
        /// The first [`BODY_SNIPPET_LIMIT`] bytes of the body (lossy UTF-8).
        snippet: String,
        /// `Luna-Request-Id` of the request.
        request_id: String,
    },

    /// An argument was rejected before anything was sent.
    #[error("invalid argument `{argument}`: {reason}")]
    InvalidArgument {
        /// Name of the offending argument (Rust name).
        argument: &'static str,
        /// Why it was rejected.
        reason: String,
    },

    /// The client configuration (addresses, environment, TLS) is not usable.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

/// The underlying error kept as [`std::error::Error::source`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Kinds of [`Error::Transport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established (refused, unreachable, DNS failure).
    Connect,
    /// The response body was larger than the configured cap (`max_response_bytes`).
    BodyTooLarge,
    /// The connection was closed or reset before any byte of the answer came (e.g. a kept-alive
    /// connection the server closed just as the request was sent). Retry-safe requests are
    /// retried under the client's policy.
    Closed,
    /// Any other failure while sending the request or reading the answer.
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::BodyTooLarge => "body too large",
            TransportErrorKind::Closed => "closed before the answer",
            TransportErrorKind::Other => "other",
        })
    }
}

/// A non-success answer of a LUNA service.
///
/// LUNA services answer failures with `{"error_code", "desc", "detail", "link"}`; every member is
/// optional here because older services and proxies may send less (or the legacy key `error`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status of the answer.
    pub status: StatusCode,
    /// LUNA error code (`error_code`, or legacy `error`), e.g. `22002` (face not found).
    pub error_code: Option<i64>,
    /// Short error class, e.g. "Object not found".
    pub desc: Option<String>,
    /// The specific message.
    pub detail: Option<String>,
    /// URL of the online description of the error code.
    pub link: Option<String>,
    /// `Luna-Request-Id` of the request (the echoed one when the service sent it back).
    pub request_id: String,
    /// The request: `<service> <METHOD> <url>` (credentials and query left out).
    pub request: String,
    /// The first [`BODY_SNIPPET_LIMIT`] bytes of the body when it was not a LUNA error body
    /// (a proxy's JSON of another shape, an HTML page, text).
    pub body_snippet: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: LUNA API error: HTTP {}", self.request, self.status.as_u16())?;
        if let Some(code) = self.error_code {
            write!(f, ", error_code {code}")?;
        }
        if let Some(desc) = &self.desc {
            write!(f, ", {desc}")?;
        }
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        if let (None, None, Some(snippet)) = (&self.desc, &self.detail, &self.body_snippet) {
            write!(f, ": {snippet:?}")?;
        }
        write!(f, " (request {})", self.request_id)
    }
}

#[derive(Deserialize)]
struct LunaErrorBody {
    #[serde(default)]
    error_code: Option<i64>,
    #[serde(default)]
    error: Option<i64>,
    #[serde(default)]
    desc: Option<String>,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    link: Option<String>,
}

impl ApiError {
    /// Builds the error from a failed answer, parsing the LUNA error body leniently; a body of
    /// another shape is kept as a snippet.
    pub(crate) fn from_response(
        status: StatusCode,
        body: &[u8],
        request_id: String,
        request: String,
    ) -> Self {
        let parsed = serde_json::from_slice::<LunaErrorBody>(body)
            .ok()
            .filter(|p| p.error_code.or(p.error).is_some() || p.desc.is_some() || p.detail.is_some());
        match parsed {
            Some(parsed) => ApiError {
                status,
                error_code: parsed.error_code.or(parsed.error),
                desc: parsed.desc,
                detail: parsed.detail,
                link: parsed.link,
                request_id,
                request,
                body_snippet: None,
            },
            None => ApiError {
                status,
                error_code: None,
                desc: None,
                detail: None,
                link: None,
                request_id,
                request,
                body_snippet: (!body.is_empty()).then(|| snippet(body)),
            },
        }
    }
}

impl Error {
    /// The `Luna-Request-Id` of the failed request, when a request was sent.
    ///
    /// `None` only for [`Error::InvalidArgument`] and [`Error::Config`], where nothing was sent.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => Some(&api.request_id),
            Error::Transport { request_id, .. }
            | Error::Timeout { request_id, .. }
            | Error::Redirect { request_id, .. }
            | Error::Decode { request_id, .. } => Some(request_id),
            Error::InvalidArgument { .. } | Error::Config(_) => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } | Error::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The LUNA `error_code` of an [`Error::Api`].
    pub fn error_code(&self) -> Option<i64> {
        match self {
            Error::Api(api) => api.error_code,
            _ => None,
        }
    }

    /// Whether the object asked for does not exist: HTTP 404, or a LUNA "not found" error code
    /// ([`error_codes::NOT_FOUND`]) whatever the status.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
            || self
                .error_code()
                .is_some_and(|code| error_codes::NOT_FOUND.contains(&code))
    }

    /// The API error, when this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    pub(crate) fn invalid(argument: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidArgument {
            argument,
            reason: reason.into(),
        }
    }
}

/// The first [`BODY_SNIPPET_LIMIT`] bytes of a body, as lossy UTF-8.
pub(crate) fn snippet(body: &[u8]) -> String {
    let end = body.len().min(BODY_SNIPPET_LIMIT);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_luna_error_body() {
        let body = br#"{"error_code":22002,"desc":"Object not found","detail":"Face with id 'x' not found","link":"https://docs.visionlabs.ai/info/luna/troubleshooting/errors-description/code-22002"}"#;
        let err = ApiError::from_response(StatusCode::NOT_FOUND, body, "rid".into(), "r".into());
        assert_eq!(err.error_code, Some(22002));
        assert_eq!(err.desc.as_deref(), Some("Object not found"));
        assert_eq!(err.detail.as_deref(), Some("Face with id 'x' not found"));
        assert!(err.link.unwrap().ends_with("code-22002"));
        assert_eq!(err.body_snippet, None);
    }

    #[test]
    fn accepts_legacy_error_key_and_nulls() {
        let body = br#"{"error":4,"desc":null,"detail":null}"#;
        let err = ApiError::from_response(StatusCode::BAD_REQUEST, body, "rid".into(), "r".into());
        assert_eq!(err.error_code, Some(4));
        assert_eq!(err.desc, None);
    }

    #[test]
    fn keeps_snippet_of_non_json_error_body() {
        let body = vec![b'x'; 2000];
        let err = ApiError::from_response(StatusCode::BAD_GATEWAY, &body, "rid".into(), "r".into());
        assert_eq!(err.error_code, None);
        assert_eq!(err.body_snippet.unwrap().len(), BODY_SNIPPET_LIMIT);
    }

    #[test]
    fn an_error_body_of_another_shape_is_kept() {
        for body in [&br#"{"message":"upstream timed out"}"#[..], b"<html>Bad gateway</html>"] {
            let err = ApiError::from_response(StatusCode::BAD_GATEWAY, body, "rid".into(), "r".into());
            assert_eq!(err.error_code, None);
            let kept = err.body_snippet.as_deref().unwrap();
            assert_eq!(kept.as_bytes(), body);
            assert!(err.to_string().contains(&format!("{kept:?}")), "{err}");
        }
    }

    #[test]
    fn not_found_by_status_or_code() {
        let api = |status: u16, code: i64| {
            let body = format!(r#"{{"error_code":{code},"desc":"d"}}"#);
            let status = StatusCode::from_u16(status).unwrap();
            Error::Api(Box::new(ApiError::from_response(status, body.as_bytes(), "rid".into(), "r".into())))
        };
        assert!(api(404, error_codes::FACE_NOT_FOUND).is_not_found());
        assert!(api(400, error_codes::FACES_NOT_FOUND).is_not_found());
        assert!(!api(400, error_codes::BAD_QUERY_PARAMETERS).is_not_found());
        assert!(!Error::invalid("x", "y").is_not_found());
    }

    #[test]
    fn request_id_is_reported_by_every_sent_variant() {
        let err = Error::Timeout {
            request_id: "1700000000,abc".into(),
            request: "luna-faces GET http://127.0.0.1:5030/3/faces".into(),
        };
        assert_eq!(err.request_id(), Some("1700000000,abc"));
        assert_eq!(Error::invalid("face_id", "bad").request_id(), None);
    }
}
