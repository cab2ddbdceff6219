//! What every request carries: the `Luna-Request-Id` (echoed or generated), the account
//! (`Luna-Account-Id` header and `account_id` query), the query string and a bounded body; and
//! the one-line request log.

use crate::errors::{ApiError, ApiResult};
use crate::query::{parse_uuid, Params};
use crate::store::Store;
use crate::time_format::now;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The query parameter every route accepts: reads, updates and deletes restricted to the
/// objects of that account (reference `faces.md` §1; for luna-events the reference does not
/// say whether the header or the query is read, and the emulator takes both).
pub const ACCOUNT_QUERY: &str = "account_id";
use std::time::Instant;
use uuid::Uuid;

/// Header of the request id.
pub const REQUEST_ID_HEADER: &str = "luna-request-id";
/// Header of the account id.
pub const ACCOUNT_HEADER: &str = "luna-account-id";

/// What the handlers of all services share.
#[derive(Clone)]
pub struct App {
    /// The in-memory state.
    pub store: Arc<Store>,
    /// Account given to state-changing requests that carry no `Luna-Account-Id`.
    pub default_account: Option<Uuid>,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Sizes luna-python-matcher accepts.
    pub match_limits: crate::matcher::MatchLimits,
    /// Whether to log one line per request to stderr.
    pub log_requests: bool,
    /// The service name, for the log line.
    pub service: &'static str,
}

/// The request id of the current request (set by [`request_layer`]).
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Checks the LUNA request id pattern: `^[0-9]{10},<lowercase uuid>$`.
pub fn is_valid_request_id(value: &str) -> bool {
    let Some((stamp, id)) = value.split_once(',') else {
        return false;
    };
    stamp.len() == 10
        && stamp.bytes().all(|b| b.is_ascii_digit())
        && id.len() == 36
        && !id.bytes().any(|b| b.is_ascii_uppercase())
        && Uuid::try_parse(id).is_ok()
}

/// A new request id: `<10-digit unix seconds>,<uuid4>`.
pub fn new_request_id() -> String {
    format!("{:010},{}", now().unix_timestamp(), Uuid::new_v4())
}

/// Middleware: takes the caller's request id (a value that breaks the pattern is replaced, as
/// LUNA services do), echoes it on the answer, and logs one line per request.
pub async fn request_layer(State(app): State<App>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_valid_request_id(v))
        .map(str::to_owned)
        .unwrap_or_else(new_request_id);
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    request
        .extensions_mut()
        .insert(RequestId(request_id.clone()));
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    if app.log_requests {
        eprintln!(
            "{} {method} {path} {} {:.3}ms {request_id}",
            app.service,
            response.status().as_u16(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    response
}

/// A request as the handlers read it: headers, query, account and body (bounded).
pub struct Req {
    /// Request headers.
    pub headers: HeaderMap,
    /// The raw query string.
    pub query: Option<String>,
    /// The body, at most [`App::body_limit`] bytes.
    pub body: Bytes,
    /// `Luna-Account-Id`.
    pub header_account: Option<Uuid>,
    /// The account of state-changing requests without the header ([`App::default_account`]).
    pub default_account: Option<Uuid>,
    /// The method.
    pub method: Method,
}

impl FromRequest<App> for Req {
    type Rejection = ApiError;

    async fn from_request(request: Request, app: &App) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let header_account = match parts.headers.get(ACCOUNT_HEADER) {
            None => None,
            Some(value) => {
                let text = value
                    .to_str()
                    .map_err(|_| ApiError::bad_input("Luna-Account-Id is not a valid uuid"))?;
                Some(parse_uuid("Luna-Account-Id", text).map_err(|_| {
                    ApiError::bad_input(format!("Luna-Account-Id '{text}' is not a valid uuid"))
                })?)
            }
        };
        let body = read_body(body, app.body_limit).await?;
        Ok(Self {
            headers: parts.headers,
            query: parts.uri.query().map(str::to_owned),
            body,
            header_account,
            default_account: app.default_account,
            method: parts.method,
        })
    }
}

async fn read_body(body: Body, limit: usize) -> ApiResult<Bytes> {
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::too_large(limit))
}

/// Which accounts a read may see: the header account and the `account_id` query, when given,
/// must both match the object's owner.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    accounts: Vec<Uuid>,
}

impl Scope {
    /// The scope of one account.
    pub fn of(account: Uuid) -> Self {
        Self {
            accounts: vec![account],
        }
    }

    /// Whether an object of `owner` is visible.
    pub fn sees(&self, owner: Uuid) -> bool {
        self.accounts.iter().all(|a| *a == owner)
    }

    /// The scope narrowed to `account` too.
    pub fn and(mut self, account: Uuid) -> Self {
        self.accounts.push(account);
        self
    }
}

impl Req {
    /// Parses the query against the accepted names (`account_id` is always accepted).
    pub fn params(&self, allowed: &[&str]) -> ApiResult<Params> {
        let mut names: Vec<&str> = allowed.to_vec();
        names.push(ACCOUNT_QUERY);
        Params::parse(self.query.as_deref(), &names)
    }

    /// The query (checked against `allowed`) and the visibility scope of the request.
    pub fn scoped(&self, allowed: &[&str]) -> ApiResult<(Params, Scope)> {
        let params = self.params(allowed)?;
        let scope = self.scope(&params)?;
        Ok((params, scope))
    }

    /// The visibility scope of a read, from the header and the `account_id` query.
    pub fn scope(&self, params: &Params) -> ApiResult<Scope> {
        let mut accounts: Vec<Uuid> = self.header_account.into_iter().collect();
        if let Some(query) = params.uuid(ACCOUNT_QUERY)? {
            accounts.push(query);
        }
        Ok(Scope { accounts })
    }

    /// The owner of an object this request creates: `Luna-Account-Id`, else the default
    /// account; one of them is required.
    pub fn owner(&self) -> ApiResult<Uuid> {
        self.header_account
            .or(self.default_account)
            .ok_or_else(ApiError::account_required)
    }

    /// The `Content-Type` without parameters, lowercased.
    pub fn content_type(&self) -> Option<String> {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
    }

    /// The body as a JSON value (`application/json` required when a type is given).
    pub fn json(&self) -> ApiResult<serde_json::Value> {
        if let Some(kind) = self.content_type() {
            if kind != "application/json" {
                return Err(ApiError::bad_content_type(&kind));
            }
        }
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_json("the request body is empty"));
        }
        serde_json::from_slice(&self.body).map_err(ApiError::bad_json)
    }

    /// The body as a JSON object.
    pub fn json_object(&self) -> ApiResult<serde_json::Map<String, serde_json::Value>> {
        match self.json()? {
            serde_json::Value::Object(map) => Ok(map),
            _ => Err(ApiError::bad_json_at("", "expected an object")),
        }
    }
}

/// `status` with a JSON body.
pub fn json_response(status: StatusCode, body: serde_json::Value) -> Response {
    json_text(status, body.to_string())
}

/// `status` with a body already serialised as JSON.
pub fn json_text(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// 200 with a JSON body.
pub fn ok(body: serde_json::Value) -> Response {
    json_response(StatusCode::OK, body)
}

/// 201 with a JSON body and a `Location` header.
pub fn created(location: &str, body: serde_json::Value) -> Response {
    let mut response = json_response(StatusCode::CREATED, body);
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// 204 without a body.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
