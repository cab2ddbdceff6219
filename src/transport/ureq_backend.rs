//! Blocking backend: ureq. One `ureq::Agent` (and its pool) per `LunaClient`; no async runtime.
//!
//! Timeouts: ureq enforces an overall (`timeout_global`/`timeout_per_call`) deadline by resolving
//! the host name on a new thread for every request, which measured about 1 ms per call on
//! loopback (a tenfold slowdown of a small GET). This backend therefore bounds each phase of the
//! exchange with the request timeout instead — sending the request, sending the body, waiting
//! for the answer's head, reading the body — and connecting with the connect timeout. The agent
//! carries the client-wide values; a per-service or per-call timeout is applied to that request
//! only.

use std::io::{self, Read};
use std::time::Duration;

use bytes::Bytes;
use http::Method;
use ureq::typestate::{WithBody, WithoutBody};
use ureq::{RequestBuilder, SendBody};

use super::{
    HttpRequest, HttpResponse, RequestBody, ResponseBody, TransportConfig, TransportFailure,
};
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
            // Redirects are never followed (they become `Error::Redirect`).
            .max_redirects(0)
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

    /// Sends a request; the body is read whole unless `streaming`.
    pub(crate) fn send(
        &self,
        mut request: HttpRequest,
        streaming: bool,
    ) -> std::result::Result<HttpResponse, TransportFailure> {
        let limit = request.max_response_bytes.unwrap_or(self.max_body);
        let body = request.body.take();
        let url = request.url.as_str();
        let result = match request.method {
            Method::POST => self.with_body(self.agent.post(url), &request, body),
            Method::PUT => self.with_body(self.agent.put(url), &request, body),
            Method::PATCH => self.with_body(self.agent.patch(url), &request, body),
            Method::GET => self.without_body(self.agent.get(url), &request, body),
            Method::HEAD => self.without_body(self.agent.head(url), &request, body),
            Method::DELETE => self.without_body(self.agent.delete(url), &request, body),
            ref other => {
                return Err(TransportFailure::Failed {
                    kind: TransportErrorKind::Other,
                    message: format!("HTTP method {other} is not supported by this client"),
                })
            }
        };
        let response = result.map_err(classify)?;
        let (parts, body) = response.into_parts();
        let stream = ResponseStream {
            // One byte over the cap is read to tell "exactly the cap" from "over it".
            reader: body.into_with_config().limit(limit).reader(),
            limit,
            // An error answer over the cap is cut at the cap (it still tells the status).
            truncate: !parts.status.is_success(),
        };
        let body = if streaming {
            ResponseBody::Streaming(stream)
        } else {
            ResponseBody::Complete(stream.collect()?)
        };
        Ok(HttpResponse {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    }
}

/// A response body still on the wire, read under the cap.
pub(crate) struct ResponseStream {
    reader: ureq::BodyReader<'static>,
    limit: u64,
    /// Whether a body over the cap ends at the cap instead of failing.
    truncate: bool,
}

impl ResponseStream {
    /// Reads into `buf`; `Ok(0)` at the end.
    pub(crate) fn read(&mut self, buf: &mut [u8]) -> std::result::Result<usize, TransportFailure> {
        self.reader.read(buf).map_err(|e| self.failure(e))
    }

    /// Reads the rest of the body.
    pub(crate) fn collect(mut self) -> std::result::Result<Bytes, TransportFailure> {
        let mut out = Vec::new();
        // On an error `read_to_end` keeps what it read: for a truncated body, the cap's worth.
        match self.reader.read_to_end(&mut out).map_err(|e| self.failure(e)) {
            Err(TransportFailure::Failed {
                kind: TransportErrorKind::BodyTooLarge,
                ..
            }) if self.truncate => out.truncate(self.limit as usize),
            other => {
                other?;
            }
        }
        Ok(Bytes::from(out))
    }

    fn failure(&self, error: io::Error) -> TransportFailure {
        let inner = error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<ureq::Error>());
        match inner {
            Some(ureq::Error::BodyExceedsLimit(_)) => TransportFailure::body_too_large(self.limit),
            Some(ureq::Error::Timeout(_)) => TransportFailure::Timeout,
            _ if error.kind() == io::ErrorKind::TimedOut => TransportFailure::Timeout,
            _ => TransportFailure::Failed {
                kind: TransportErrorKind::Other,
                message: error.to_string(),
            },
        }
    }
}

impl Backend {
    fn with_body(
        &self,
        builder: RequestBuilder<WithBody>,
        request: &HttpRequest,
        body: Option<RequestBody>,
    ) -> std::result::Result<http::Response<ureq::Body>, ureq::Error> {
        let builder = self.prepare(builder, request);
        match body {
            // ureq writes straight from the caller's buffer (through its fixed-size send buffer).
            Some(RequestBody::Bytes(bytes)) => builder.send(&bytes[..]),
            Some(RequestBody::Stream(stream)) => {
                builder.send(SendBody::from_owned_reader(stream.source))
            }
            None => builder.send_empty(),
        }
    }

    fn without_body(
        &self,
        builder: RequestBuilder<WithoutBody>,
        request: &HttpRequest,
        body: Option<RequestBody>,
    ) -> std::result::Result<http::Response<ureq::Body>, ureq::Error> {
        let builder = self.prepare(builder, request);
        match body {
            // DELETE with a JSON body (delete faces/lists/images by ids) is part of the LUNA API.
            Some(RequestBody::Bytes(bytes)) => builder.force_send_body().send(&bytes[..]),
            Some(RequestBody::Stream(stream)) => builder
                .force_send_body()
                .send(SendBody::from_owned_reader(stream.source)),
            None => builder.call(),
        }
    }

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
