//! LUNA error bodies: `{"error_code", "desc", "detail", "link"}` with the HTTP status of each
//! documented error (reference `common.md` §4).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Where the reference publishes the description page of an error code (`link`, LP 5.24.1).
const ERROR_LINK_BASE: &str =
    "https://docs.visionlabs.ai/info/luna/troubleshooting/errors-description/code-";

/// A failed request, answered as a LUNA error body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status of the answer.
    pub status: StatusCode,
    /// LUNA `error_code`.
    pub code: u32,
    /// LUNA `desc`: the class of the error.
    pub desc: &'static str,
    /// LUNA `detail`: the message with its values filled in.
    pub detail: String,
}

/// Result of a handler step.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    fn new(status: StatusCode, code: u32, desc: &'static str, detail: String) -> Self {
        Self {
            status,
            code,
            desc,
            detail,
        }
    }

    /// The JSON body of the error.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({
            "error_code": self.code,
            "desc": self.desc,
            "detail": self.detail,
            "link": format!("{ERROR_LINK_BASE}{}", self.code),
        })
    }

    /// 1: internal server error (a handler panicked; the service keeps serving).
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            1,
            "Internal server error",
            detail.into(),
        )
    }

    /// 12012: bad query parameters (bad value, unknown parameter, out of range).
    pub fn bad_query(name: &str, why: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            12012,
            "Bad/incomplete input data",
            format!("Bad query parameters '{name}': {why}"),
        )
    }

    /// 12014: a required query parameter is missing.
    pub fn missing_query(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            12014,
            "Bad/incomplete input data",
            format!("Required parameters '{name}' not found"),
        )
    }

    /// 12041: a multipart part has a `Content-Type` not accepted here.
    pub fn bad_part_type(got: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            12041,
            "Bad/incomplete input data",
            format!("Bad content type '{got}' of a multipart part"),
        )
    }

    /// 100010: an image that cannot be read (reported inside batch answers).
    pub fn invalid_image(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            100010,
            "Invalid image",
            detail.into(),
        )
    }

    /// 100022: an image that could not be loaded (reported inside batch answers).
    pub fn image_load(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            100022,
            "Error while loading image",
            detail.into(),
        )
    }

    /// 12017: the request's `Content-Type` is not accepted here.
    pub fn bad_content_type(got: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            12017,
            "Bad/incomplete input data",
            format!("Bad content type '{got}'"),
        )
    }

    /// 12022: the JSON body breaks the schema at `path`.
    pub fn bad_json_at(path: &str, why: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            12022,
            "Bad/incomplete input data",
            format!("Failed to validate input json. Path: '{path}', message: '{why}'"),
        )
    }

    /// 12027: the body is not JSON (or not the expected top-level shape).
    pub fn bad_json(why: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            12027,
            "Bad/incomplete input data",
            format!("Failed to validate input json. Message: '{why}'"),
        )
    }

    /// 12031: bad input data that no narrower code describes (empty body, bad account id...).
    pub fn bad_input(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            12031,
            "Bad/incomplete input data",
            detail.into(),
        )
    }

    /// 12031 with status 413: the body exceeds the emulator's limit.
    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            12031,
            "Bad/incomplete input data",
            format!("Request body is larger than {limit} bytes"),
        )
    }

    /// 12024 / 415: unsupported media type.
    pub fn unsupported_media(got: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            12024,
            "Unsupported media type",
            format!("Unsupported media type '{got}'"),
        )
    }

    /// 404 for a path no service route matches (LUNA's `PageNotFoundError`).
    pub fn page_not_found(path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            12001,
            "Object not found",
            format!("Page '{path}' not found"),
        )
    }

    /// 405 for a known path with another method.
    pub fn method_not_allowed(method: &str, path: &str) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            12002,
            "Method not allowed",
            format!("Method '{method}' is not allowed for '{path}'"),
        )
    }

    /// 403: a state-changing request without `Luna-Account-Id`.
    pub fn account_required() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            11036,
            "Forbidden",
            "Luna-Account-Id header is required for requests which change the state of the system"
                .into(),
        )
    }

    /// A "forbidden" error of a service: `code` with status 403.
    pub fn forbidden(code: u32, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, "Forbidden", detail.into())
    }

    /// A "not found" error of a service: `code` with status 404.
    pub fn not_found(code: u32, what: &str, id: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            code,
            "Object not found",
            format!("{what} with id '{id}' not found"),
        )
    }

    /// A "one or more ... not found" error of a service: `code` with status 400.
    pub fn some_not_found(code: u32, what: &str, ids: &[String]) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            code,
            "Object not found",
            format!(
                "One or more {what} not found, including: {}",
                ids.join(", ")
            ),
        )
    }

    /// A conflict (unique constraint) error of a service: `code` with status 409.
    pub fn conflict(code: u32, detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            code,
            "Unique constraint error",
            detail.into(),
        )
    }

    /// A service-specific validation error: `code` with status 400.
    pub fn invalid(code: u32, detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            code,
            "Bad/incomplete input data",
            detail.into(),
        )
    }

    /// Same error with another status (LUNA answers some codes with more than one status).
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.body().to_string();
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}

/// Maps a handler panic to a LUNA 500 body (tower-http's `CatchPanic` layer calls this).
pub fn panic_response(_payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("Internal server error: the request could not be processed").into_response()
}
