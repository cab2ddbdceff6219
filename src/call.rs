//! The mode-free description of one service request ([`Call`]) and of its answer ([`Reply`]).
//! Service methods only build calls and read replies; sending is done once, in `context.rs`.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::{ApiError, Error, Result};
use crate::query::Query;
use crate::transport::{RequestBody, UploadBody};

/// `Content-Type` of JSON bodies.
pub(crate) const JSON: &str = "application/json";

/// What a service method wants sent.
#[derive(Debug)]
pub(crate) struct Call {
    pub method: Method,
    /// Path below the service base, starting with `/`.
    pub path: String,
    /// Whether the path sits under the API-version prefix (`false` for `/version`, `/healthcheck`).
    pub versioned: bool,
    pub query: Query,
    pub headers: HeaderMap,
    pub body: Option<(RequestBody, HeaderValue)>,
    /// Whether the request may be sent again after a retryable failure.
    pub retry_safe: bool,
    /// Whether the client's account id also goes into the `account_id` query.
    pub account_query: bool,
}

impl Call {
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Self {
        let retry_safe = matches!(method, Method::GET | Method::HEAD);
        Call {
            method,
            path: path.into(),
            versioned: true,
            query: Query::new(),
            headers: HeaderMap::new(),
            body: None,
            retry_safe,
            account_query: false,
        }
    }

    pub(crate) fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    pub(crate) fn head(path: impl Into<String>) -> Self {
        Self::new(Method::HEAD, path)
    }

    pub(crate) fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
    }

    pub(crate) fn put(path: impl Into<String>) -> Self {
        Self::new(Method::PUT, path)
    }

    pub(crate) fn patch(path: impl Into<String>) -> Self {
        Self::new(Method::PATCH, path)
    }

    pub(crate) fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// Fills the query.
    pub(crate) fn query(mut self, fill: impl FnOnce(&mut Query)) -> Self {
        fill(&mut self.query);
        self
    }

    /// Fills the query with a fallible writer (ids are validated there).
    pub(crate) fn try_query(mut self, fill: impl FnOnce(&mut Query) -> Result<()>) -> Result<Self> {
        fill(&mut self.query)?;
        Ok(self)
    }

    /// Serializes `body` as the JSON body.
    pub(crate) fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid("body", format!("cannot serialize: {e}")))?;
        self.body = Some((
            RequestBody::Bytes(Bytes::from(bytes)),
            HeaderValue::from_static(JSON),
        ));
        Ok(self)
    }

    /// Uses caller-owned bytes as the body, without copying them.
    #[allow(dead_code)]
    pub(crate) fn bytes(mut self, body: Bytes, content_type: HeaderValue) -> Self {
        self.body = Some((RequestBody::Bytes(body), content_type));
        self
    }

    /// Uses an upload body (shared bytes or a stream) as the body. A streamed body cannot be
    /// replayed, so the call is never retried.
    pub(crate) fn upload(mut self, body: UploadBody, content_type: HeaderValue) -> Self {
        if body.is_streamed() {
            self.retry_safe = false;
        }
        self.body = Some((body.repr, content_type));
        self
    }

    /// Adds a method-specific header.
    #[allow(dead_code)]
    pub(crate) fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Also sends the client's account id as the `account_id` query parameter.
    pub(crate) fn with_account_query(mut self) -> Self {
        self.account_query = true;
        self
    }

    /// Marks a POST/PUT/PATCH/DELETE as safe to re-send (read-only POSTs such as matching).
    #[allow(dead_code)]
    pub(crate) fn retry_safe(mut self) -> Self {
        self.retry_safe = true;
        self
    }

    /// Marks the path as outside the API-version prefix.
    pub(crate) fn unversioned(mut self) -> Self {
        self.versioned = false;
        self
    }
}

/// A service's answer, whatever its status.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub request_id: String,
}

impl Reply {
    /// Turns a non-2xx answer into [`Error::Api`].
    pub(crate) fn success(self) -> Result<Reply> {
        if self.status.is_success() {
            Ok(self)
        } else {
            Err(Error::Api(Box::new(ApiError::from_response(
                self.status,
                &self.body,
                self.request_id,
            ))))
        }
    }

    /// Decodes a JSON body.
    pub(crate) fn decode<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body)
            .map_err(|e| Error::decode(self.status, &self.body, self.request_id.clone(), e))
    }

    /// Decodes a JSON body, or `None` when the body is empty (some 2xx answers carry none).
    pub(crate) fn decode_optional<T: DeserializeOwned>(&self) -> Result<Option<T>> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            Ok(None)
        } else {
            self.decode().map(Some)
        }
    }

    /// Reads a count answer: a bare number, or an object with one numeric member (the member name
    /// is not published: `faces_count`, `lists_count`, `count`... are all accepted).
    pub(crate) fn decode_count(&self, preferred: &str) -> Result<u64> {
        let value: Value = self.decode()?;
        let found = match &value {
            Value::Number(n) => n.as_u64(),
            Value::Object(map) => map
                .get(preferred)
                .or_else(|| map.get("count"))
                .and_then(Value::as_u64)
                .or_else(|| {
                    let mut numbers = map.values().filter_map(Value::as_u64);
                    match (numbers.next(), numbers.next()) {
                        (Some(n), None) => Some(n),
                        _ => None,
                    }
                }),
            _ => None,
        };
        found.ok_or_else(|| {
            Error::decode(
                self.status,
                &self.body,
                self.request_id.clone(),
                format!("no count (`{preferred}`) in the answer"),
            )
        })
    }

    /// Reads an answer that is a JSON array, or an object wrapping one array under `key`.
    pub(crate) fn decode_list<T: DeserializeOwned>(&self, key: &str) -> Result<Vec<T>> {
        let value: Value = self.decode()?;
        let array = match value {
            Value::Array(_) => value,
            Value::Object(mut map) => match map.remove(key) {
                Some(inner @ Value::Array(_)) => inner,
                _ => {
                    let mut arrays = map.into_iter().filter(|(_, v)| v.is_array());
                    match (arrays.next(), arrays.next()) {
                        (Some((_, inner)), None) => inner,
                        _ => {
                            return Err(Error::decode(
                                self.status,
                                &self.body,
                                self.request_id.clone(),
                                format!("expected an array or an object with `{key}`"),
                            ))
                        }
                    }
                }
            },
            _ => {
                return Err(Error::decode(
                    self.status,
                    &self.body,
                    self.request_id.clone(),
                    "expected a JSON array",
                ))
            }
        };
        serde_json::from_value(array)
            .map_err(|e| Error::decode(self.status, &self.body, self.request_id.clone(), e))
    }
}
