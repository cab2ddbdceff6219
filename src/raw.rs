//! Raw requests: any path of any service, answered with status, headers and bytes.
//!
//! This is Python's `raiseError=False`: a raw call returns every HTTP answer as `Ok`, and
//! [`RawResponse::error_for_status`] turns a failure into the typed [`Error::Api`].

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::call::{Call, Reply, JSON};
use crate::error::{Error, Result};
use crate::options::caller_header;

/// A request to any path of a service.
#[derive(Clone)]
pub struct RawRequest {
    method: Method,
    path: String,
    versioned: bool,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<(Bytes, String)>,
    retry_safe: Option<bool>,
}

/// Header and query values (possibly credentials) and body bytes are not shown.
impl std::fmt::Debug for RawRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("versioned", &self.versioned)
            .field(
                "query",
                &self.query.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            )
            .field(
                "headers",
                &self.headers.iter().map(|(name, _)| name).collect::<Vec<_>>(),
            )
            .field(
                "body",
                &self.body.as_ref().map(|(bytes, ct)| (bytes.len(), ct)),
            )
            .finish()
    }
}

impl RawRequest {
    /// A request with `method` to `path` (below the service's versioned base, starting with `/`).
    ///
    /// A path with a `.` or `..` segment (also percent-encoded, `%2e%2E`) is refused when sent:
    /// it would leave the service base.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        RawRequest {
            method,
            path: path.into(),
            versioned: true,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            retry_safe: None,
        }
    }

    /// `GET path`.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    /// `POST path`.
    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
    }

    /// `PUT path`.
    pub fn put(path: impl Into<String>) -> Self {
        Self::new(Method::PUT, path)
    }

    /// `PATCH path`.
    pub fn patch(path: impl Into<String>) -> Self {
        Self::new(Method::PATCH, path)
    }

    /// `DELETE path`.
    pub fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// `HEAD path`.
    pub fn head(path: impl Into<String>) -> Self {
        Self::new(Method::HEAD, path)
    }

    /// Resolves `path` against the service origin instead of `<origin>/<api_version>` (for
    /// `/version`, `/healthcheck`, `/docs/spec`).
    #[must_use]
    pub fn unversioned(mut self) -> Self {
        self.versioned = false;
        self
    }

    /// Adds a query pair (values are percent-encoded).
    #[must_use]
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a header (validated when sent: a bad name or value, or a framing header such as
    /// `Content-Length` or `Host`, fails with [`Error::InvalidArgument`] and nothing is sent).
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body (shared, not copied) and its content type.
    #[must_use]
    pub fn body(mut self, body: impl Into<Bytes>, content_type: impl Into<String>) -> Self {
        self.body = Some((body.into(), content_type.into()));
        self
    }

    /// Serializes `value` as a JSON body.
    pub fn json<T: Serialize + ?Sized>(self, value: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| Error::invalid("body", format!("cannot serialize: {e}")))?;
        Ok(self.body(bytes, JSON))
    }

    /// Declares whether the request may be re-sent under the client's retry policy (default:
    /// only `GET` and `HEAD`).
    #[must_use]
    pub fn retry_safe(mut self, safe: bool) -> Self {
        self.retry_safe = Some(safe);
        self
    }

    pub(crate) fn into_call(self) -> Result<Call> {
        if !self.path.starts_with('/') {
            return Err(Error::invalid(
                "path",
                format!("{:?} must start with '/'", self.path),
            ));
        }
        let path = self.path.split(['?', '#']).next().unwrap_or_default();
        if path.split(['/', '\\']).any(is_dot_segment) {
            return Err(Error::invalid(
                "path",
                format!("{:?} has a `.` or `..` segment: it would leave the service base", self.path),
            ));
        }
        let mut call = Call::new(self.method, self.path);
        call.versioned = self.versioned;
        if let Some(safe) = self.retry_safe {
            call.retry_safe = safe;
        }
        for (name, value) in self.query {
            call.query.push_owned(name, value);
        }
        for (name, value) in self.headers {
            let (name, value) = caller_header("header", &name, &value)?;
            call.headers.append(name, value);
        }
        if let Some((bytes, content_type)) = self.body {
            let content_type = HeaderValue::from_str(&content_type)
                .map_err(|_| Error::invalid("content_type", "not a valid header value"))?;
            call.body = Some((crate::transport::RequestBody::Bytes(bytes), content_type));
        }
        Ok(call)
    }
}

/// Whether a path segment is `.` or `..`, percent-encoded or not (URL parsers resolve both).
fn is_dot_segment(segment: &str) -> bool {
    let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
    decoded == "." || decoded == ".."
}

/// Any answer of a service.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RawResponse {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// Response body.
    pub body: Bytes,
    /// `Luna-Request-Id` of the exchange.
    pub request_id: String,
    /// The request as errors name it: `<service> <METHOD> <url>` (credentials and query left
    /// out).
    pub request: String,
}

impl RawResponse {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// Decodes the body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        self.as_reply().decode()
    }

    /// The body as UTF-8 text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// `Ok(self)` for 2xx, otherwise the typed [`Error::Api`] parsed from the LUNA error body
    /// ([`Error::Redirect`] for a 3xx: redirects are never followed).
    pub fn error_for_status(self) -> Result<Self> {
        self.as_reply().success().map(|_| self)
    }

    fn as_reply(&self) -> Reply {
        Reply {
            status: self.status,
            headers: self.headers.clone(),
            body: self.body.clone(),
            request_id: self.request_id.clone(),
            request: self.request.clone(),
        }
    }
}

impl From<Reply> for RawResponse {
    fn from(reply: Reply) -> Self {
        RawResponse {
            status: reply.status,
            headers: reply.headers,
            body: reply.body,
            request_id: reply.request_id,
            request: reply.request,
        }
    }
}
