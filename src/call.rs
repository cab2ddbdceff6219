//! The mode-free description of one service request ([`Call`]) and of its answer ([`Reply`]).
//! Service methods only build calls and read replies; sending is done once, in `context.rs`.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{snippet, ApiError, Error, Result};
use crate::query::Query;
use crate::transport::{RequestBody, UploadBody};

/// `Content-Type` of JSON bodies.
pub(crate) const JSON: &str = "application/json";

/// What a service method wants sent ([`CallParts`], boxed). A call travels down the send
/// path's nested `async fn`s, and an async function's future keeps its arguments for as long
/// as it lives: a pointer at each layer instead of the whole description keeps an async call's
/// future small (about 1 KB less for a `get_face`), at one allocation per call.
#[derive(Debug)]
pub(crate) struct Call(Box<CallParts>);

/// The parts of a [`Call`].
#[derive(Debug)]
pub(crate) struct CallParts {
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

impl std::ops::Deref for Call {
    type Target = CallParts;

    fn deref(&self) -> &CallParts {
        &self.0
    }
}

impl std::ops::DerefMut for Call {
    fn deref_mut(&mut self) -> &mut CallParts {
        &mut self.0
    }
}

impl Call {
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Self {
        let retry_safe = matches!(method, Method::GET | Method::HEAD);
        Call(Box::new(CallParts {
            method,
            path: path.into(),
            versioned: true,
            query: Query::new(),
            headers: HeaderMap::new(),
            body: None,
            retry_safe,
            account_query: false,
        }))
    }

    /// The parts, unboxed (to be taken apart).
    pub(crate) fn into_parts(self) -> CallParts {
        *self.0
    }

    pub(crate) fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    pub(crate) fn post(path: impl Into<String>) -> Self {
        Self::new(Method::POST, path)
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

    /// Serializes `body` as the JSON body (non-finite numbers refused: JSON would carry `null`).
    pub(crate) fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        crate::finite::check(body, "body")?;
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid("body", format!("cannot serialize: {e}")))?;
        self.body = Some((
            RequestBody::Bytes(Bytes::from(bytes)),
            HeaderValue::from_static(JSON),
        ));
        Ok(self)
    }

    /// Uses `body`, JSON text the SDK's encoder wrote (no floating-point number in it), as the
    /// JSON body.
    pub(crate) fn json_text(mut self, body: String) -> Self {
        self.body = Some((
            RequestBody::Bytes(Bytes::from(body)),
            HeaderValue::from_static(JSON),
        ));
        self
    }

    /// Uses caller-owned bytes (one buffer, or a multipart body's parts) as the body, without
    /// copying them.
    #[allow(dead_code)]
    pub(crate) fn bytes(mut self, body: impl Into<RequestBody>, content_type: HeaderValue) -> Self {
        self.body = Some((body.into(), content_type));
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

/// The error of a non-2xx answer: [`Error::Redirect`] for a 3xx (never followed), otherwise
/// [`Error::Api`] parsed from the body.
pub(crate) fn failure(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    request_id: String,
    request: String,
) -> Error {
    if status.is_redirection() {
        let location = headers
            .get(http::header::LOCATION)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        return Error::Redirect {
            request,
            status,
            location,
            request_id,
        };
    }
    Error::Api(Box::new(ApiError::from_response(
        status, body, request_id, request,
    )))
}

/// A service's answer, whatever its status.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub request_id: String,
    /// The request as errors name it: `<service> <METHOD> <url>`.
    pub request: String,
}

impl Reply {
    /// Turns a non-2xx answer into [`Error::Api`] (a 3xx into [`Error::Redirect`]).
    pub(crate) fn success(self) -> Result<Reply> {
        if self.status.is_success() {
            Ok(self)
        } else {
            Err(failure(
                self.status,
                &self.headers,
                &self.body,
                self.request_id,
                self.request,
            ))
        }
    }

    /// Decodes a JSON body; an error says where in the JSON it failed. The body is decoded
    /// without tracking the path (which costs as much again on large answers); only a body
    /// that fails is decoded a second time, with the path tracked, for the error.
    pub(crate) fn decode<T: DeserializeOwned>(&self) -> Result<T> {
        if let Ok(value) = T::deserialize(&mut serde_json::Deserializer::from_slice(&self.body)) {
            return Ok(value);
        }
        let mut json = serde_json::Deserializer::from_slice(&self.body);
        serde_path_to_error::deserialize(&mut json).map_err(|e| self.path_error(e))
    }

    /// A decode error about this answer (status, body snippet, request id and request kept).
    pub(crate) fn decode_error(&self, message: impl std::fmt::Display) -> Error {
        Error::Decode {
            request: self.request.clone(),
            status: self.status,
            message: message.to_string(),
            snippet: snippet(&self.body),
            request_id: self.request_id.clone(),
        }
    }

    /// A decode error naming the JSON path where decoding failed (`.` is the document).
    fn path_error(&self, error: serde_path_to_error::Error<serde_json::Error>) -> Error {
        let path = error.path().to_string();
        self.decode_error(format_args!("at `{path}`: {}", error.inner()))
    }

    /// Decodes a list answer whose container is not published: an empty body, a JSON array, an
    /// object wrapping the array under `key`, an object with exactly one array member, or an
    /// empty object.
    pub(crate) fn decode_items<T: DeserializeOwned>(&self, key: &str) -> Result<Vec<T>> {
        let Some(value) = self.decode_optional::<serde_json::Value>()? else {
            return Ok(Vec::new());
        };
        let array = match value {
            serde_json::Value::Array(_) => value,
            serde_json::Value::Object(mut map) => match map.remove(key) {
                Some(inner @ serde_json::Value::Array(_)) => inner,
                Some(_) => {
                    return Err(self.decode_error(format!("`{key}` is not an array")));
                }
                None if map.is_empty() => serde_json::Value::Array(Vec::new()),
                None => {
                    let mut arrays = map.into_iter().filter(|(_, v)| v.is_array());
                    match (arrays.next(), arrays.next()) {
                        (Some((_, inner)), None) => inner,
                        _ => {
                            return Err(self.decode_error(format!(
                                "expected an array or an object with `{key}`"
                            )))
                        }
                    }
                }
            },
            _ => return Err(self.decode_error("expected a JSON array or object")),
        };
        serde_path_to_error::deserialize(array).map_err(|e| self.path_error(e))
    }

    /// Decodes a count answer whose member name is not published: a bare number, or an object
    /// with `preferred`, `count`, or exactly one numeric member.
    pub(crate) fn decode_count(&self, preferred: &str) -> Result<u64> {
        let value: serde_json::Value = self.decode()?;
        let found = match &value {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::Object(map) => map
                .get(preferred)
                .or_else(|| map.get("count"))
                .and_then(serde_json::Value::as_u64)
                .or_else(|| {
                    let mut numbers = map.values().filter_map(serde_json::Value::as_u64);
                    match (numbers.next(), numbers.next()) {
                        (Some(n), None) => Some(n),
                        _ => None,
                    }
                }),
            _ => None,
        };
        found.ok_or_else(|| self.decode_error(format!("no count (`{preferred}`) in the answer")))
    }

    /// Decodes a JSON body, or `None` when the body is empty (some 2xx answers carry none).
    pub(crate) fn decode_optional<T: DeserializeOwned>(&self) -> Result<Option<T>> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            Ok(None)
        } else {
            self.decode().map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(body: &str) -> Reply {
        Reply {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(body.to_owned()),
            request_id: "rid".into(),
            request: "luna-faces GET http://127.0.0.1:5030/3/faces".into(),
        }
    }

    #[test]
    fn list_answers_in_every_container() {
        for body in ["[1,2]", r#"{"items":[1,2]}"#, r#"{"other":[1,2],"total":2}"#] {
            assert_eq!(reply(body).decode_items::<u8>("items").unwrap(), vec![1, 2], "{body}");
        }
        for body in ["", "{}", "  "] {
            assert!(reply(body).decode_items::<u8>("items").unwrap().is_empty());
        }
        for body in [r#"{"items":3}"#, r#"{"a":[1],"b":[2]}"#, "7", "[\"x\"]", "nope"] {
            let error = reply(body).decode_items::<u8>("items").unwrap_err();
            assert!(matches!(error, Error::Decode { .. }), "{body}: {error:?}");
        }
    }

    #[test]
    fn count_answers_in_every_form() {
        for body in ["5", r#"{"faces_count":5}"#, r#"{"count":5}"#, r#"{"n":5,"s":"x"}"#] {
            assert_eq!(reply(body).decode_count("faces_count").unwrap(), 5, "{body}");
        }
        for body in [r#"{"a":1,"b":2}"#, "\"5\"", "{}", "-1"] {
            assert!(reply(body).decode_count("faces_count").is_err(), "{body}");
        }
    }
}
