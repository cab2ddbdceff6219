//! The only code that knows the HTTP backends: one request type in, one response type out.
//!
//! * async builds (default features): [`reqwest`] on tokio (`reqwest_backend.rs`);
//! * blocking builds (`features = ["blocking"]`): [`ureq`] (`ureq_backend.rs`).
//!
//! Both keep a connection pool for the lifetime of the client, cap response bodies at
//! `max_response_bytes`, and report timeouts and connect failures apart from other failures.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use url::Url;

use crate::error::TransportErrorKind;

#[cfg(all(feature = "async", not(feature = "blocking")))]
mod reqwest_backend;
#[cfg(all(feature = "async", not(feature = "blocking")))]
pub(crate) use reqwest_backend::Backend;

#[cfg(feature = "blocking")]
mod ureq_backend;
#[cfg(feature = "blocking")]
pub(crate) use ureq_backend::Backend;

/// Settings the backends are built from.
#[derive(Clone, Debug)]
pub(crate) struct TransportConfig {
    pub connect_timeout: Duration,
    /// The client-wide request timeout (backends may preconfigure it).
    pub request_timeout: Duration,
    pub max_response_bytes: u64,
    pub user_agent: String,
}

/// One fully prepared HTTP exchange. Cloning is cheap: the body is shared, never copied.
#[derive(Clone, Debug)]
pub(crate) struct HttpRequest {
    pub method: Method,
    pub url: Url,
    pub headers: HeaderMap,
    pub body: Option<Bytes>,
    pub timeout: Duration,
}

/// A complete answer, whatever its status.
#[derive(Clone, Debug)]
pub(crate) struct HttpResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Why an exchange produced no answer.
#[derive(Debug)]
pub(crate) enum TransportFailure {
    Timeout,
    Failed {
        kind: TransportErrorKind,
        message: String,
    },
}

impl TransportFailure {
    pub(crate) fn body_too_large(limit: u64) -> Self {
        TransportFailure::Failed {
            kind: TransportErrorKind::BodyTooLarge,
            message: format!("response body exceeds the {limit}-byte cap (max_response_bytes)"),
        }
    }

    /// Whether a retry-safe request may be sent again after this failure.
    pub(crate) fn is_retryable(&self) -> bool {
        matches!(
            self,
            TransportFailure::Timeout
                | TransportFailure::Failed {
                    kind: TransportErrorKind::Connect,
                    ..
                }
        )
    }
}
