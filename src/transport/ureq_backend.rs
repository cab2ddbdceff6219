//! Blocking backend: ureq. One `ureq::Agent` (and its pool) per `LunaClient`; no async runtime.
//!
//! Timeouts: the request timeout is one deadline over the whole exchange (connect, TLS, sending,
//! the answer's head and its body, streamed bodies included), ureq's `timeout_global`; the
//! connect timeout bounds connecting within it. Name resolution needs no thread per call:
//! see [`AgentResolver`] (`ureq_resolver.rs`); socket timeouts are not set again on every call:
//! see [`SteadyTimeouts`] (`ureq_timeouts.rs`).

use std::io::{self, Read};
use std::time::Duration;

use bytes::Bytes;
use http::Method;
use ureq::typestate::{WithBody, WithoutBody};
use ureq::unversioned::resolver::DefaultResolver;
use ureq::unversioned::transport::DefaultConnector;
use ureq::{RequestBuilder, SendBody};

use super::{
    is_closed, HttpRequest, HttpResponse, PartsReader, RequestBody, ResponseBody, TlsRoots, TransportConfig,
    TransportFailure,
};
use super::ureq_resolver::AgentResolver;
use super::ureq_timeouts::SteadyTimeouts;
use crate::error::{Result, TransportErrorKind};
use crate::service::Service;

#[derive(Clone, Debug)]
pub(crate) struct Backend {
    agent: ureq::Agent,
    max_body: u64,
    default_timeout: Duration,
}

impl Backend {
    pub(crate) fn new(config: &TransportConfig) -> Result<Self> {
        let agent_config = ureq::Agent::config_builder()
            // LUNA error bodies must be readable: statuses are not turned into errors here.
            .http_status_as_error(false)
            // Redirects are never followed (they become `Error::Redirect`).
            .max_redirects(0)
            .timeout_global(Some(config.request_timeout))
            .timeout_connect(Some(config.connect_timeout))
            .user_agent(config.user_agent.as_str())
            // ureq keeps 3 idle connections per host by default: threads sharing a client
            // would open new connections all the time.
            .max_idle_connections_per_host(config.max_idle_per_host)
            .max_idle_connections(config.max_idle_per_host.saturating_mul(Service::ALL.len()))
            .tls_config(tls_config(&config.roots))
            .build();
        let agent = ureq::Agent::with_parts(
            agent_config,
            SteadyTimeouts(DefaultConnector::new()),
            AgentResolver::<DefaultResolver>::default(),
        );
        Ok(Backend {
            agent,
            max_body: config.max_response_bytes,
            default_timeout: config.request_timeout,
        })
    }

    /// Sends `request` with `body` (the request's own, or a copy of it for a retry); the
    /// answer's body is read whole unless `streaming`.
    pub(crate) fn send(
        &self,
        request: &mut HttpRequest,
        body: Option<RequestBody>,
        streaming: bool,
    ) -> std::result::Result<HttpResponse<ResponseStream>, TransportFailure> {
        let limit = request.max_response_bytes.unwrap_or(self.max_body);
        let body = match body {
            Some(RequestBody::Bytes(bytes)) => Some(Payload::Bytes(bytes)),
            Some(RequestBody::Parts(chunks)) => Some(Payload::Reader(Box::new(PartsReader::new(chunks)))),
            Some(RequestBody::Stream(stream)) => Some(Payload::Reader(stream.source.into_reader()?)),
            None => None,
        };
        let url = request.url.as_str();
        let result = match request.method {
            Method::POST => self.with_body(self.agent.post(url), request, body),
            Method::PUT => self.with_body(self.agent.put(url), request, body),
            Method::PATCH => self.with_body(self.agent.patch(url), request, body),
            Method::GET => self.without_body(self.agent.get(url), request, body),
            Method::HEAD => self.without_body(self.agent.head(url), request, body),
            Method::DELETE => self.without_body(self.agent.delete(url), request, body),
            ref other => {
                return Err(TransportFailure::Failed {
                    kind: TransportErrorKind::Other,
                    message: format!("HTTP method {other} is not supported by this client"),
                    source: None,
                })
            }
        };
        let response = result.map_err(classify)?;
        let (parts, body) = response.into_parts();
        let announced = body.content_length().map_or(0, |len| len.min(limit) as usize);
        let stream = ResponseStream {
            announced,
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

impl ResponseBody<ResponseStream> {
    /// The whole body, under the request's cap.
    pub(crate) fn into_bytes(self) -> std::result::Result<Bytes, TransportFailure> {
        match self {
            ResponseBody::Complete(bytes) => Ok(bytes),
            ResponseBody::Streaming(stream) => stream.collect(),
        }
    }
}

/// What ureq sends: the caller's bytes, or a reader.
enum Payload {
    Bytes(Bytes),
    Reader(Box<dyn Read + Send + 'static>),
}

/// A response body still on the wire, read under the cap.
pub(crate) struct ResponseStream {
    reader: ureq::BodyReader<'static>,
    /// The announced body length (`Content-Length`), bounded by the cap; 0 when unknown.
    announced: usize,
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
        let mut out = Vec::with_capacity(self.announced);
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
            _ => TransportFailure::caused_by(TransportErrorKind::Other, error),
        }
    }
}

impl Backend {
    fn with_body(
        &self,
        builder: RequestBuilder<WithBody>,
        request: &mut HttpRequest,
        body: Option<Payload>,
    ) -> std::result::Result<http::Response<ureq::Body>, ureq::Error> {
        let builder = self.prepare(builder, request);
        match body {
            // ureq writes straight from the caller's buffer (through its fixed-size send buffer).
            Some(Payload::Bytes(bytes)) => builder.send(&bytes[..]),
            Some(Payload::Reader(reader)) => builder.send(SendBody::from_owned_reader(reader)),
            None => builder.send_empty(),
        }
    }

    fn without_body(
        &self,
        builder: RequestBuilder<WithoutBody>,
        request: &mut HttpRequest,
        body: Option<Payload>,
    ) -> std::result::Result<http::Response<ureq::Body>, ureq::Error> {
        let builder = self.prepare(builder, request);
        match body {
            // DELETE with a JSON body (delete faces/lists/images by ids) is part of the LUNA API.
            Some(Payload::Bytes(bytes)) => builder.force_send_body().send(&bytes[..]),
            Some(Payload::Reader(reader)) => builder
                .force_send_body()
                .send(SendBody::from_owned_reader(reader)),
            None => builder.call(),
        }
    }

    fn prepare<B>(&self, mut builder: RequestBuilder<B>, request: &mut HttpRequest) -> RequestBuilder<B> {
        if let Some(headers) = builder.headers_mut() {
            // The request's own headers for its only attempt, else a copy (names and values are
            // shared: reference-counted or static).
            crate::transport::overlay_headers(headers, request.attempt_headers());
        }
        if request.timeout == self.default_timeout {
            return builder;
        }
        builder
            .config()
            .timeout_global(Some(request.timeout))
            .build()
    }
}

/// ureq's TLS settings: the provider of the enabled feature (ureq never picks native-tls by
/// itself) and the roots.
fn tls_config(roots: &TlsRoots) -> ureq::tls::TlsConfig {
    use ureq::tls::{Certificate, RootCerts, TlsConfig, TlsProvider};
    #[cfg(feature = "rustls")]
    let (provider, default_roots) = (TlsProvider::Rustls, RootCerts::WebPki);
    #[cfg(not(feature = "rustls"))]
    let (provider, default_roots) = (TlsProvider::NativeTls, RootCerts::PlatformVerifier);
    let root_certs = if roots.is_default() {
        default_roots
    } else {
        let certs: Vec<_> = roots
            .0
            .iter()
            .map(|der| Certificate::from_der(der).to_owned())
            .collect();
        RootCerts::new_with_certs(&certs)
    };
    let builder = TlsConfig::builder().provider(provider).root_certs(root_certs);
    // An explicit provider: the application's default when it installed one, ring otherwise.
    #[cfg(feature = "rustls")]
    let builder = builder.unversioned_rustls_crypto_provider(
        rustls::crypto::CryptoProvider::get_default()
            .cloned()
            .unwrap_or_else(|| std::sync::Arc::new(rustls::crypto::ring::default_provider())),
    );
    builder.build()
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
        // Only errors before the answer's head come here.
        ureq::Error::Io(io) if is_closed(io) => TransportErrorKind::Closed,
        ureq::Error::BodyExceedsLimit(_) => TransportErrorKind::BodyTooLarge,
        _ => TransportErrorKind::Other,
    };
    // ureq's `Display` prefixes I/O errors with "io: " and has no `source`: the I/O error itself
    // is the root cause, worded as in async builds.
    match error {
        ureq::Error::Io(io) => TransportFailure::caused_by(kind, io),
        other => TransportFailure::caused_by(kind, other),
    }
}
