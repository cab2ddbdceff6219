//! Blocking backend: ureq. One `ureq::Agent` (and its pool) per `LunaClient`; no async runtime.
//!
//! Timeouts: ureq enforces an overall (`timeout_global`/`timeout_per_call`) deadline by resolving
//! the host name on a new thread for every request, which measured about 1 ms per call on
//! loopback (a tenfold slowdown of a small GET). This backend therefore bounds each phase of the
//! exchange with the request timeout instead — sending the request, sending the body, waiting
//! for the answer's head, reading the body — and connecting with the connect timeout. The agent
//! carries the client-wide values; a per-service or per-call timeout is applied to that request
//! only.

use std::io;
use std::time::Duration;

use bytes::Bytes;
use http::Method;
use ureq::typestate::{WithBody, WithoutBody};
use ureq::RequestBuilder;

use super::{HttpRequest, HttpResponse, TransportConfig, TransportFailure};
use crate::error::{Result, TransportErrorKind};

#[derive(Clone, Debug)]
pub(crate) struct Backend {
    agent: ureq::Agent,
    max_body: u64,
    default_timeout: Duration,
}

impl Backend {
    pub(crate) fn new(config: &TransportConfig) -> Result<Self> {
        let phase = Some(config.request_timeout);
        let agent_config = ureq::Agent::config_builder()
            // LUNA error bodies must be readable: statuses are not turned into errors here.
            .http_status_as_error(false)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_send_request(phase)
            .timeout_send_body(phase)
            .timeout_recv_response(phase)
            .timeout_recv_body(phase)
            .user_agent(config.user_agent.as_str())
            .build();
        Ok(Backend {
            agent: ureq::Agent::new_with_config(agent_config),
            max_body: config.max_response_bytes,
            default_timeout: config.request_timeout,
        })
    }

    pub(crate) fn send(
        &self,
        request: HttpRequest,
    ) -> std::result::Result<HttpResponse, TransportFailure> {
        let url = request.url.as_str();
        let body: &[u8] = request.body.as_deref().unwrap_or(&[]);
        let has_body = request.body.is_some();
        let result = match request.method {
            Method::POST => self.with_body(self.agent.post(url), &request, body, has_body),
            Method::PUT => self.with_body(self.agent.put(url), &request, body, has_body),
            Method::PATCH => self.with_body(self.agent.patch(url), &request, body, has_body),
            Method::GET => self.without_body(self.agent.get(url), &request, body, has_body),
            Method::HEAD => self.without_body(self.agent.head(url), &request, body, has_body),
            Method::DELETE => self.without_body(self.agent.delete(url), &request, body, has_body),
            ref other => {
                return Err(TransportFailure::Failed {
                    kind: TransportErrorKind::Other,
                    message: format!("HTTP method {other} is not supported by this client"),
                })
            }
        };
        let response = result.map_err(classify)?;
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(self.max_body)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => TransportFailure::body_too_large(self.max_body),
                other => classify(other),
            })?;
        Ok(HttpResponse {
            status: parts.status,
            headers: parts.headers,
            body: Bytes::from(bytes),
        })
    }

    fn with_body(
        &self,
        builder: RequestBuilder<WithBody>,
        request: &HttpRequest,
        body: &[u8],
        has_body: bool,
    ) -> std::result::Result<http::Response<ureq::Body>, ureq::Error> {
        let builder = self.prepare(builder, request);
        if has_body {
            builder.send(body)
        } else {
            builder.send_empty()
        }
    }

    fn without_body(
        &self,
        builder: RequestBuilder<WithoutBody>,
        request: &HttpRequest,
        body: &[u8],
        has_body: bool,
    ) -> std::result::Result<http::Response<ureq::Body>, ureq::Error> {
        let builder = self.prepare(builder, request);
        if has_body {
            // DELETE with a JSON body (delete faces/lists by ids) is part of the LUNA API.
            builder.force_send_body().send(body)
        } else {
            builder.call()
        }
    }
}

impl Backend {
    fn prepare<B>(&self, mut builder: RequestBuilder<B>, request: &HttpRequest) -> RequestBuilder<B> {
        if let Some(headers) = builder.headers_mut() {
            headers.extend(request.headers.clone());
        }
        if request.timeout == self.default_timeout {
            return builder;
        }
        let phase = Some(request.timeout);
        builder
            .config()
            .timeout_send_request(phase)
            .timeout_send_body(phase)
            .timeout_recv_response(phase)
            .timeout_recv_body(phase)
            .build()
    }
}

fn classify(error: ureq::Error) -> TransportFailure {
    let kind = match &error {
        ureq::Error::Timeout(_) => return TransportFailure::Timeout,
        ureq::Error::Io(io) if io.kind() == io::ErrorKind::TimedOut => {
            return TransportFailure::Timeout
        }
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => TransportErrorKind::Connect,
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                io::ErrorKind::ConnectionRefused
                    | io::ErrorKind::AddrNotAvailable
                    | io::ErrorKind::NotConnected
            ) =>
        {
            TransportErrorKind::Connect
        }
        ureq::Error::BodyExceedsLimit(_) => TransportErrorKind::BodyTooLarge,
        _ => TransportErrorKind::Other,
    };
    TransportFailure::Failed {
        kind,
        message: error.to_string(),
    }
}
