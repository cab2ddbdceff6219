//! [`LunaClient`]: configuration shared by all seven services (addresses, account id, auth,
//! timeouts, retries, body cap) and the HTTP connection pool.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderValue};
use uuid::Uuid;

use super::context::{base_headers, ServiceContext};
use super::events::Events;
use super::faces::Faces;
use super::handlers::Handlers;
use super::image_store::ImageStore;
use super::matcher::Matcher;
use super::maybe_async;
use super::remote_sdk::RemoteSdk;
use super::sender::Sender;
use super::transport::Backend;
use super::USER_AGENT;
use crate::auth::{Auth, Secret};
use crate::call::Call;
#[cfg(feature = "conformance")]
use crate::conformance::{check_document, ConformanceReport, ServiceOutcome, ServiceReport};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::model::common::{ServiceVersion, VersionEnvelope};
use crate::raw::{RawRequest, RawResponse};
use crate::retry::RetryPolicy;
use crate::service::{parse_timeouts_setting, Service, ServiceEndpoint};
use crate::settings::{
    ACCOUNT_ID_VARIABLE, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IDLE_CONNECTIONS_PER_HOST,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
};
use crate::transport::{TlsRoots, TransportConfig};

/// The entry point: one configured client for every LUNA service.
///
/// Cheap to clone (an `Arc`); clones share the connection pool. Service handles
/// ([`LunaClient::faces`], ...) are cheap too and may be created per call.
#[derive(Clone)]
pub struct LunaClient {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub endpoints: Vec<ServiceEndpoint>,
    /// Per service (by index): the base of versioned paths (`<origin>/<api_version>`) and the
    /// origin, written once when the client is built (not per call).
    pub bases: Vec<(String, String)>,
    pub account_id: Option<Uuid>,
    /// The account id as the `account_id` query value (hyphenated), written once.
    pub account_text: Option<String>,
    pub auth_kind: &'static str,
    /// The headers every request starts from (see [`base_headers`]).
    pub base_headers: HeaderMap,
    pub timeout: Duration,
    pub retry: RetryPolicy,
    pub backend: Backend,
    /// Trusted TLS roots (for the Sender WebSocket; the HTTP backends have their copy).
    #[cfg(feature = "sender")]
    pub roots: TlsRoots,
}

impl ClientInner {
    pub(crate) fn endpoint(&self, service: Service) -> &ServiceEndpoint {
        &self.endpoints[service.index()]
    }

    /// The base URL of a service's paths: versioned (`<origin>/<api_version>`) or not.
    pub(crate) fn base(&self, service: Service, versioned: bool) -> &str {
        let (versioned_base, origin) = &self.bases[service.index()];
        if versioned {
            versioned_base
        } else {
            origin
        }
    }
}

impl fmt::Debug for LunaClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("LunaClient")
            .field("mode", &super::MODE)
            .field(
                "endpoints",
                &inner
                    .endpoints
                    .iter()
                    .map(ServiceEndpoint::base_url)
                    .collect::<Vec<_>>(),
            )
            .field("account_id", &inner.account_id)
            .field("auth", &inner.auth_kind)
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .finish_non_exhaustive()
    }
}

impl LunaClient {
    /// Starts a builder with the defaults of the LUNA reference (every service on `127.0.0.1`
    /// at its default port and prefix).
    pub fn builder() -> LunaClientBuilder {
        LunaClientBuilder::default()
    }

    /// Builds a client from the process environment; see [`LunaClientBuilder::from_env`].
    pub fn from_env() -> Result<Self> {
        LunaClientBuilder::from_env()?.build()
    }

    /// The luna-events client (Python `Events`).
    pub fn events(&self) -> Events {
        Events::new(self.clone())
    }

    /// The luna-faces client (Python `Faces`).
    pub fn faces(&self) -> Faces {
        Faces::new(self.clone())
    }

    /// The luna-handlers client (Python `Handlers`).
    pub fn handlers(&self) -> Handlers {
        Handlers::new(self.clone())
    }

    /// The luna-image-store client bound to `bucket` (Python `LIS(lisClient, accountId,
    /// bucket)`). The name is checked by each call (S3 naming rules).
    pub fn image_store(&self, bucket: &str) -> ImageStore {
        ImageStore::new(self.clone(), bucket)
    }

    /// The luna-python-matcher client (Python `LPM`).
    pub fn matcher(&self) -> Matcher {
        Matcher::new(self.clone())
    }

    /// The luna-remote-sdk client (Python `LRS`).
    pub fn remote_sdk(&self) -> RemoteSdk {
        RemoteSdk::new(self.clone())
    }

    /// The luna-sender client (Python `Sender`).
    pub fn sender(&self) -> Sender {
        Sender::new(self.clone())
    }

    /// Where `service` lives.
    pub fn endpoint(&self, service: Service) -> &ServiceEndpoint {
        self.inner.endpoint(service)
    }

    /// The account id sent as `Luna-Account-Id`, if any.
    pub fn account_id(&self) -> Option<Uuid> {
        self.inner.account_id
    }

    pub(crate) fn context(&self, service: Service) -> ServiceContext {
        ServiceContext::new(self.clone(), service)
    }
}

#[maybe_async]
impl LunaClient {
    /// Sends any request to `service` and returns its answer whatever the status (Python's
    /// `raiseError=False`); see [`RawResponse::error_for_status`].
    pub async fn raw(&self, service: Service, request: RawRequest) -> Result<RawResponse> {
        self.context(service).raw(request).await
    }

    /// `GET /version` of `service` (outside the API prefix): its version numbers, `api` being
    /// the prefix this client should use.
    pub async fn version(&self, service: Service) -> Result<ServiceVersion> {
        let call = Call::get("/version").unversioned();
        let envelope: VersionEnvelope = self.context(service).json(call).await?;
        Ok(envelope.version)
    }

    /// `GET /docs/spec` of `service`: its OpenAPI document, the final word on its wire (asked
    /// for as YAML, `Accept: application/x-yaml`; a service may answer JSON: see the
    /// `Content-Type`).
    pub async fn openapi_spec(&self, service: Service) -> Result<RawResponse> {
        let call = Call::get("/docs/spec")
            .unversioned()
            .header(http::header::ACCEPT, HeaderValue::from_static("application/x-yaml"));
        self.context(service).send(call).await.map(RawResponse::from)
    }

    /// Compares every service's OpenAPI document (`GET /docs/spec`, JSON or YAML) with the
    /// [endpoint catalogue](crate::catalogue): see [`LunaClient::check_conformance_of`].
    #[cfg(feature = "conformance")]
    #[cfg_attr(docsrs, doc(cfg(feature = "conformance")))]
    pub async fn check_conformance(&self) -> ConformanceReport {
        self.check_conformance_of(&Service::ALL).await
    }

    /// Compares the OpenAPI documents of `services` with the catalogue entries of each: per
    /// entry, whether the document has its path and method, lists every query name the crate
    /// may send, and requires nothing the crate never sends; plus the document's operations
    /// the crate does not call. A service that cannot be reached or does not serve an OpenAPI
    /// document is reported as such; the others are still checked. Print the report for a
    /// table; [`ConformanceReport::is_conformant`] is the verdict.
    #[cfg(feature = "conformance")]
    #[cfg_attr(docsrs, doc(cfg(feature = "conformance")))]
    pub async fn check_conformance_of(&self, services: &[Service]) -> ConformanceReport {
        let mut reports = Vec::with_capacity(services.len());
        for &service in services {
            let outcome = match self.openapi_spec(service).await {
                Ok(answer) => {
                    let content_type = answer
                        .headers
                        .get(http::header::CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok());
                    check_document(service, self.endpoint(service), &answer.body, content_type)
                }
                Err(error) => ServiceOutcome::Unreachable(error),
            };
            reports.push(ServiceReport::new(service, self.endpoint(service), outcome));
        }
        ConformanceReport::new(reports)
    }
}

/// Builder of [`LunaClient`]. Errors in the settings are reported by [`LunaClientBuilder::build`].
#[derive(Debug)]
pub struct LunaClientBuilder {
    endpoints: Vec<ServiceEndpoint>,
    account_id: Option<Id>,
    auth: Auth,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    max_response_bytes: u64,
    max_idle_per_host: usize,
    roots: TlsRoots,
    errors: Vec<Error>,
}

impl Default for LunaClientBuilder {
    fn default() -> Self {
        LunaClientBuilder {
            endpoints: Service::ALL
                .iter()
                .map(|s| ServiceEndpoint::default_for(*s))
                .collect(),
            account_id: None,
            auth: Auth::None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::none(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_idle_per_host: DEFAULT_MAX_IDLE_CONNECTIONS_PER_HOST,
            roots: TlsRoots::default(),
            errors: Vec::new(),
        }
    }
}

impl LunaClientBuilder {
    /// A builder filled from the process environment (LUNA settings names):
    /// `LUNA_<SERVICE>_ADDRESS` for each service (`LUNA_FACES_ADDRESS`, `LUNA_EVENTS_ADDRESS`,
    /// `LUNA_IMAGE_STORE_ADDRESS`, `LUNA_PYTHON_MATCHER_ADDRESS`, `LUNA_REMOTE_SDK_ADDRESS`,
    /// `LUNA_SENDER_ADDRESS`, `LUNA_HANDLERS_ADDRESS`), `LUNA_<SERVICE>_TIMEOUTS` (its `request`
    /// member, seconds) and `LUNA_ACCOUNT_ID`. Unset variables keep the defaults.
    pub fn from_env() -> Result<Self> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Like [`LunaClientBuilder::from_env`], reading variables through `lookup`.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let mut builder = Self::default();
        for service in Service::ALL {
            if let Some(address) = lookup(&service.address_variable()) {
                let endpoint = ServiceEndpoint::parse(service, &address).map_err(|e| match e {
                    Error::Config(message) => {
                        Error::Config(format!("{}: {message}", service.address_variable()))
                    }
                    other => other,
                })?;
                builder.endpoints[service.index()] = endpoint;
            }
            if let Some(timeouts) = lookup(&service.timeouts_variable()) {
                if let Some(timeout) = parse_timeouts_setting(service, &timeouts)? {
                    let endpoint = &mut builder.endpoints[service.index()];
                    *endpoint = endpoint.clone().with_request_timeout(timeout);
                }
            }
        }
        if let Some(account) = lookup(ACCOUNT_ID_VARIABLE).filter(|a| !a.trim().is_empty()) {
            builder = builder.account_id(account.trim());
        }
        Ok(builder)
    }

    /// Puts every service on `host` at its default port over plain HTTP (explicit
    /// [`LunaClientBuilder::address`] calls made afterwards win).
    #[must_use]
    pub fn host(mut self, host: &str) -> Self {
        for service in Service::ALL {
            let api = self.endpoints[service.index()].api_version();
            match ServiceEndpoint::parse(
                service,
                &format!("http://{host}:{}", service.default_port()),
            ) {
                Ok(e) => self.endpoints[service.index()] = e.with_api_version(api),
                Err(e) => self.errors.push(e),
            }
        }
        self
    }

    /// Sets the address of one service: `http://host:port`, `http://host:port/<api>` or the
    /// LUNA settings object `{"origin": "...", "api": n}`.
    #[must_use]
    pub fn address(mut self, service: Service, address: &str) -> Self {
        match ServiceEndpoint::parse(service, address) {
            Ok(e) => self.endpoints[service.index()] = e,
            Err(e) => self.errors.push(e),
        }
        self
    }

    /// Sets a full endpoint of one service.
    #[must_use]
    pub fn endpoint(mut self, service: Service, endpoint: ServiceEndpoint) -> Self {
        self.endpoints[service.index()] = endpoint;
        self
    }

    /// Sets the API-version prefix of one service.
    #[must_use]
    pub fn api_version(mut self, service: Service, api_version: u32) -> Self {
        let e = &mut self.endpoints[service.index()];
        *e = e.clone().with_api_version(api_version);
        self
    }

    /// Sets the request timeout of one service.
    #[must_use]
    pub fn service_timeout(mut self, service: Service, timeout: Duration) -> Self {
        let e = &mut self.endpoints[service.index()];
        *e = e.clone().with_request_timeout(timeout);
        self
    }

    /// The account id: sent as `Luna-Account-Id` on every request (and as the `account_id`
    /// query where the service filters by it). Must be a UUID.
    #[must_use]
    pub fn account_id(mut self, account_id: impl Into<Id>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// Basic authentication (`Authorization: Basic ...`). The password never appears in
    /// `Debug` output, errors or logs.
    #[must_use]
    pub fn basic_auth(mut self, login: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.auth = Auth::Basic {
            login: login.into(),
            password: password.into(),
        };
        self
    }

    /// Bearer authentication (`Authorization: Bearer <token>`). The token never appears in
    /// `Debug` output, errors or logs.
    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.auth = Auth::Bearer(token.into());
        self
    }

    /// Connect timeout (default 10 s), capped by the request timeout.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Timeout of a whole request (default 60 s): one deadline over connecting, TLS, sending,
    /// the answer's head and its body (streamed downloads included) in both modes. Per-service
    /// and per-call timeouts override it. Retries start a new deadline per attempt.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Retry policy (default: no retries).
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Largest response body accepted (default 64 MiB); a larger one fails with a transport
    /// error of kind `BodyTooLarge`.
    #[must_use]
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// How many idle connections the pool keeps per service host (default
    /// [`DEFAULT_MAX_IDLE_CONNECTIONS_PER_HOST`]): at least the number of threads or tasks that
    /// share the client, so that they reuse connections instead of opening new ones.
    #[must_use]
    pub fn max_idle_connections_per_host(mut self, n: usize) -> Self {
        self.max_idle_per_host = n;
        self
    }

    /// Trusts the root CA certificate(s) of a PEM document (e.g. a deployment's private CA) for
    /// `https` services and `wss` subscriptions.
    ///
    /// Once a root is added, **only** the added roots are trusted (not Mozilla's nor the
    /// system's), in both modes and with both TLS features. A PEM without a certificate fails
    /// [`LunaClientBuilder::build`] with [`Error::Config`].
    #[must_use]
    pub fn add_root_certificate(mut self, pem: impl AsRef<[u8]>) -> Self {
        if let Err(e) = self.roots.add_pem(pem.as_ref()) {
            self.errors.push(e);
        }
        self
    }

    /// Builds the client (and its connection pool).
    pub fn build(mut self) -> Result<LunaClient> {
        if let Some(first) = self.errors.drain(..).next() {
            return Err(first);
        }
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::Config("timeouts must be greater than zero".into()));
        }
        let account_id = self
            .account_id
            .as_ref()
            .map(|id| {
                id.resolve("account_id")
                    .map_err(|e| Error::Config(e.to_string()))
            })
            .transpose()?;
        let account_text = account_id.map(|id| id.hyphenated().to_string());
        let account_header = account_text.as_deref().map(|id| {
            HeaderValue::from_str(id).expect("a UUID is a header value")
        });
        let auth_kind = match self.auth {
            Auth::None => "none",
            Auth::Basic { .. } => "basic",
            Auth::Bearer(_) => "bearer",
        };
        let backend = Backend::new(&TransportConfig {
            // Connecting is part of the request: it never gets longer than the whole.
            connect_timeout: self.connect_timeout.min(self.timeout),
            request_timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
            user_agent: USER_AGENT.to_owned(),
            max_idle_per_host: self.max_idle_per_host,
            roots: self.roots.clone(),
        })?;
        Ok(LunaClient {
            inner: Arc::new(ClientInner {
                bases: self
                    .endpoints
                    .iter()
                    .map(|e| (e.base_url(), e.origin().to_owned()))
                    .collect(),
                endpoints: self.endpoints,
                account_id,
                account_text,
                auth_kind,
                base_headers: base_headers(account_header.as_ref(), self.auth.header_value()?),
                timeout: self.timeout,
                retry: self.retry,
                backend,
                #[cfg(feature = "sender")]
                roots: self.roots,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn from_vars_reads_luna_settings_names() {
        let client = LunaClientBuilder::from_vars(vars(&[
            ("LUNA_FACES_ADDRESS", r#"{"origin": "http://faces:5030", "api": 3}"#),
            ("LUNA_IMAGE_STORE_ADDRESS", "http://lis:5020/1"),
            ("LUNA_FACES_TIMEOUTS", r#"{"connect": 5, "request": 12}"#),
            (ACCOUNT_ID_VARIABLE, "8950722f-3fd4-4223-b48f-03f95f0e8dfb"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(
            client.endpoint(Service::Faces).base_url(),
            "http://faces:5030/3"
        );
        assert_eq!(
            client.endpoint(Service::Faces).request_timeout(),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            client.endpoint(Service::ImageStore).base_url(),
            "http://lis:5020/1"
        );
        assert_eq!(
            client.endpoint(Service::Events).base_url(),
            "http://127.0.0.1:5040/2"
        );
        assert_eq!(
            client.account_id().unwrap().to_string(),
            "8950722f-3fd4-4223-b48f-03f95f0e8dfb"
        );
    }

    #[test]
    fn bad_settings_are_config_errors() {
        let err = LunaClientBuilder::from_vars(vars(&[("LUNA_FACES_ADDRESS", "nope")])).unwrap_err();
        assert!(matches!(err, Error::Config(m) if m.contains("LUNA_FACES_ADDRESS")));
        let err = LunaClient::builder().account_id("not-a-uuid").build().unwrap_err();
        assert!(matches!(err, Error::Config(_)));
        let err = LunaClient::builder()
            .address(Service::Faces, "http://u:secret@h")
            .build()
            .unwrap_err();
        assert!(!err.to_string().contains("secret"));
    }

    #[test]
    fn host_moves_every_service_and_keeps_prefixes() {
        let client = LunaClient::builder()
            .api_version(Service::Events, 7)
            .host("luna.local")
            .address(Service::Faces, "http://faces.local:9000")
            .build()
            .unwrap();
        assert_eq!(
            client.endpoint(Service::Events).base_url(),
            "http://luna.local:5040/7"
        );
        assert_eq!(
            client.endpoint(Service::Handlers).base_url(),
            "http://luna.local:5090/1"
        );
        assert_eq!(
            client.endpoint(Service::Faces).base_url(),
            "http://faces.local:9000/3"
        );
    }

    #[test]
    fn debug_hides_credentials() {
        let client = LunaClient::builder()
            .basic_auth("root@visionlabs.ai", "very-secret-pw")
            .build()
            .unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("very-secret-pw"));
        assert!(shown.contains("basic"));
        let builder = LunaClient::builder().bearer_token("tok-123456");
        assert!(!format!("{builder:?}").contains("tok-123456"));
    }
}
