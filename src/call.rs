//! The mode-free description of one service request ([`Call`]) and of its answer ([`Reply`]).
//! Service methods only build calls and read replies; sending is done once, in `context.rs`.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{snippet, ApiError, Error, Result};
use crate::json_path::{self, Outline};
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
        let bytes = crate::finite::to_vec(body, "body")?;
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

    /// Decodes a JSON body (what follows the value is not read); an error says where in the
    /// JSON it failed.
    pub(crate) fn decode<T: DeserializeOwned>(&self) -> Result<T> {
        T::deserialize(&mut serde_json::Deserializer::from_slice(&self.body))
            .map_err(|e| self.json_error(&e, 0))
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

    /// The decode error of serde_json's `error` about the body from byte `start` on: it names
    /// the JSON path where decoding failed (`.` is the document) and the line and column in
    /// the whole body. Kept out of the generic decoders: compiled once.
    #[cold]
    fn json_error(&self, error: &serde_json::Error, start: usize) -> Error {
        let body = &self.body[..];
        let Some(local) = json_path::offset_of(
            body.get(start..).unwrap_or_default(),
            error.line(),
            error.column(),
        ) else {
            return self.decode_error(error);
        };
        let offset = start + local;
        let path = json_path::error_path(body, offset, error);
        let text = error.to_string();
        let place = format!(" at line {} column {}", error.line(), error.column());
        let what = text.strip_suffix(&place).unwrap_or(&text);
        let (line, column) = json_path::position_of(body, offset);
        self.decode_error(format_args!(
            "at `{path}`: {what} at line {line} column {column}"
        ))
    }

    /// Decodes a list answer whose container is not published: an empty body, a JSON array, an
    /// object wrapping the array under `key`, an object with exactly one array member, or an
    /// empty object. The array is decoded straight from the body (no `serde_json::Value`).
    pub(crate) fn decode_items<T: DeserializeOwned>(&self, key: &str) -> Result<Vec<T>> {
        let Some(start) = self.items_start(key)? else {
            return Ok(Vec::new());
        };
        let array = self.body.get(start..).unwrap_or_default();
        Vec::<T>::deserialize(&mut serde_json::Deserializer::from_slice(array))
            .map_err(|e| self.json_error(&e, start))
    }

    /// Where the array of a list answer starts in the body ([`Reply::decode_items`]), `None`
    /// when there is none (an empty body or object). The whole value is checked to be JSON.
    fn items_start(&self, key: &str) -> Result<Option<usize>> {
        let body = &self.body[..];
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        match Outline::read(body).map_err(|e| self.json_error(&e, 0))? {
            // serde_json skips the blanks before it.
            Outline::Array => Ok(Some(0)),
            Outline::Object(members) => {
                let member = Outline::items_member(&members, key).map_err(|m| self.decode_error(m))?;
                member
                    .map(|member| {
                        json_path::member_value_start(body, member)
                            .ok_or_else(|| self.decode_error("cannot find the array in the answer"))
                    })
                    .transpose()
            }
            Outline::Other => Err(self.decode_error("expected a JSON array or object")),
        }
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

    /// An answer type: nested structs, a list, an enum, a missing field and a custom check.
    #[derive(Debug, Deserialize)]
    struct Face {
        face_id: u32,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Person,
        Pet,
    }

    #[derive(Debug, Deserialize)]
    struct Page {
        faces: Vec<Face>,
        count: u64,
    }

    /// The message of the decode error of `result`.
    fn message<T: std::fmt::Debug>(result: Result<T>) -> String {
        match result {
            Err(Error::Decode { message, .. }) => message,
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn decode_errors_name_the_path_and_the_place() {
        let cases = [
            (
                r#"{"faces":[{"face_id":1},{"face_id":"x"}],"count":2}"#,
                "at `faces[1].face_id`: invalid type: string \"x\", expected u32 at line 1 column 38",
            ),
            (
                r#"{"faces":[{"tags":["a"]}],"count":1}"#,
                "at `faces[0]`: missing field `face_id` at line 1 column 24",
            ),
            (r#"{"faces":[]}"#, "at `.`: missing field `count` at line 1 column 12"),
            (
                "{\"faces\": [\n  {\"face_id\": 1, \"kind\": \"cat\"}\n], \"count\": 1}",
                "at `faces[0].kind`: unknown variant `cat`, expected `person` or `pet` at line 2 column 30",
            ),
            (
                r#"{"faces":[{"face_id":1,"tags":["a",7]}],"count":1}"#,
                "at `faces[0].tags[1]`: invalid type: integer `7`, expected a string at line 1 column 36",
            ),
            (
                r#"{"faces":[{"face_id":1,"ta"#,
                "at `faces[0]`: EOF while parsing a string at line 1 column 26",
            ),
            (r#"{"faces":[{"face_id":1},"#, "at `faces[1]`: EOF while parsing a value at line 1 column 24"),
            (r#"{"fa\"ces": 1, "faces": x}"#, "at `faces`: expected value at line 1 column 25"),
        ];
        for (body, expected) in cases {
            assert_eq!(message(reply(body).decode::<Page>()), expected, "{body}");
        }
    }

    #[test]
    fn list_errors_name_the_path_in_the_whole_body() {
        let cases = [
            (
                "{\"count\": 1,\n \"faces\": [{\"face_id\": 1}, {\"face_id\": -1}]}",
                "at `faces[1].face_id`: invalid value: integer `-1`, expected u32 at line 2 column 41",
            ),
            ("[{\"face_id\": 1}, {}]", "at `[1]`: missing field `face_id` at line 1 column 19"),
            (
                r#"{"other": [{"face_id": true}]}"#,
                "at `other[0].face_id`: invalid type: boolean `true`, expected u32 at line 1 column 27",
            ),
            (r#"{"faces": [{"face_id": 1},]}"#, "at `faces[1]`: trailing comma at line 1 column 27"),
            (r#"{"faces": [], "x": tru}"#, "at `x`: expected ident at line 1 column 23"),
        ];
        for (body, expected) in cases {
            assert_eq!(message(reply(body).decode_items::<Face>("faces")), expected, "{body}");
        }
        // What follows the value is not read, as before.
        assert_eq!(reply("[1] x").decode_items::<u8>("items").unwrap(), vec![1]);
        assert_eq!(reply(r#"{"items": [2]} [}"#).decode_items::<u8>("items").unwrap(), vec![2]);
        let escaped = r#"{"it\u0065ms": [3], "other": [4]}"#;
        assert_eq!(reply(escaped).decode_items::<u8>("items").unwrap(), vec![3]);
        let repeated = r#"{"items": [1], "x": 0, "items": [5, 6]}"#;
        assert_eq!(reply(repeated).decode_items::<u8>("items").unwrap(), vec![5, 6]);
        let repeated = r#"{"items": [1], "items": 2}"#;
        assert!(reply(repeated).decode_items::<u8>("items").is_err());
    }

    #[test]
    fn no_panic_on_any_cut_or_corruption_of_an_answer() {
        let body = "{\"count\": 2, \"faces\": [{\"face_id\": 1, \"tags\": [\"a\\\"]\", \"\\u00e9\"]},\n \
                    {\"face_id\": 2, \"kind\": \"pet\"}]}";
        let page: Page = reply(body).decode().unwrap();
        assert_eq!((page.count, page.faces[1].face_id), (2, 2));
        assert_eq!(page.faces[0].tags, ["a\"]", "é"]);
        assert!(matches!(page.faces[1].kind, Some(Kind::Pet)));
        assert!(matches!(page.faces[0].kind, None | Some(Kind::Person)));
        let check = |text: &[u8]| {
            let answer = Reply {
                body: Bytes::copy_from_slice(text),
                ..reply("")
            };
            for result in [
                answer.decode::<Page>().map(|_| ()),
                answer.decode_items::<Face>("faces").map(|_| ()),
                answer.decode_items::<u8>("faces").map(|_| ()),
            ] {
                if let Err(error) = result {
                    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
                }
            }
        };
        let body = body.as_bytes();
        for cut in 0..=body.len() {
            check(&body[..cut]);
        }
        for at in 0..body.len() {
            for byte in *b"{}[]\",:\\ 1\xff" {
                let mut text = body.to_vec();
                text[at] = byte;
                check(&text);
            }
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
