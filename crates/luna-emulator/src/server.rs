//! The services, their listeners, and the embedded handle: [`Emulator::start`] runs every
//! service on a background thread with its own tokio runtime; dropping the handle stops them.

use crate::context::{json_text, ok, request_layer, App};
use crate::errors::{panic_response, ApiError};
use crate::matcher::MatchLimits;
use crate::openapi::{spec, Routes};
use crate::store::Store;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::thread::JoinHandle;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::catch_panic::CatchPanicLayer;
use uuid::Uuid;

/// A service the emulator serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// luna-faces.
    Faces,
    /// luna-events.
    Events,
    /// luna-image-store.
    ImageStore,
    /// luna-remote-sdk.
    RemoteSdk,
    /// luna-handlers.
    Handlers,
    /// luna-python-matcher.
    PythonMatcher,
    /// luna-sender.
    Sender,
}

impl Service {
    /// Every service, in start order.
    pub const ALL: [Service; 7] = [
        Service::Faces,
        Service::Events,
        Service::ImageStore,
        Service::RemoteSdk,
        Service::Handlers,
        Service::PythonMatcher,
        Service::Sender,
    ];

    /// The LUNA service name.
    pub fn name(self) -> &'static str {
        match self {
            Service::Faces => "luna-faces",
            Service::Events => "luna-events",
            Service::ImageStore => "luna-image-store",
            Service::RemoteSdk => "luna-remote-sdk",
            Service::Handlers => "luna-handlers",
            Service::PythonMatcher => "luna-python-matcher",
            Service::Sender => "luna-sender",
        }
    }

    /// The default LUNA port (reference `common.md` §1.1).
    pub fn default_port(self) -> u16 {
        match self {
            Service::Faces => 5030,
            Service::Events => 5040,
            Service::ImageStore => 5020,
            Service::RemoteSdk => 5220,
            Service::Handlers => 5090,
            Service::PythonMatcher => 5100,
            Service::Sender => 5080,
        }
    }

    /// The API version prefix number (`GET /version` → `Version.api`).
    pub fn api_version(self) -> u32 {
        match self {
            Service::Faces => 3,
            Service::Events => 2,
            Service::ImageStore
            | Service::RemoteSdk
            | Service::Handlers
            | Service::PythonMatcher
            | Service::Sender => 1,
        }
    }

    /// The LUNA settings name of the service address.
    pub fn env_name(self) -> &'static str {
        match self {
            Service::Faces => "LUNA_FACES_ADDRESS",
            Service::Events => "LUNA_EVENTS_ADDRESS",
            Service::ImageStore => "LUNA_IMAGE_STORE_ADDRESS",
            Service::RemoteSdk => "LUNA_REMOTE_SDK_ADDRESS",
            Service::Handlers => "LUNA_HANDLERS_ADDRESS",
            Service::PythonMatcher => "LUNA_PYTHON_MATCHER_ADDRESS",
            Service::Sender => "LUNA_SENDER_ADDRESS",
        }
    }

    fn routes(self) -> Routes {
        match self {
            Service::Faces => crate::faces::routes(),
            Service::Events => crate::events::routes(),
            Service::ImageStore => crate::image_store::routes(),
            Service::RemoteSdk => crate::remote_sdk::routes(),
            Service::Handlers => crate::handlers::routes(),
            Service::PythonMatcher => crate::matcher::routes(),
            Service::Sender => crate::sender::routes(),
        }
    }
}

/// How to run the emulator.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on (default `127.0.0.1`).
    pub host: IpAddr,
    /// `None`: ephemeral ports (embedded); `Some(n)`: each service on its default port + `n`.
    pub port_offset: Option<u16>,
    /// Account of state-changing requests without `Luna-Account-Id` (default: none, such
    /// requests fail with 403 as on luna-api).
    pub default_account: Option<Uuid>,
    /// Log one line per request to stderr (default off).
    pub log_requests: bool,
    /// Largest request body in bytes (default 64 MiB).
    pub body_limit: usize,
    /// Sizes luna-python-matcher accepts.
    pub match_limits: MatchLimits,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port_offset: None,
            default_account: None,
            log_requests: false,
            body_limit: 64 * 1024 * 1024,
            match_limits: MatchLimits::default(),
        }
    }
}

/// A running emulator. Dropping it stops every service and waits for the thread.
pub struct Emulator {
    addresses: Vec<(Service, SocketAddr)>,
    store: Arc<Store>,
    default_account: Option<Uuid>,
    shutdown: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addresses", &self.addresses)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Starts every service on ephemeral ports of `127.0.0.1`.
    pub fn start() -> io::Result<Self> {
        Self::start_with(Config::default())
    }

    /// Starts every service with `config`; returns once all listeners are bound.
    pub fn start_with(config: Config) -> io::Result<Self> {
        // Listeners are bound here (plain std, so this works inside an async runtime too) and
        // handed to the background thread, which owns the tokio runtime.
        let store = Arc::new(Store::default());
        let (shutdown, stop) = watch::channel(false);
        let mut services = Vec::new();
        for service in Service::ALL {
            let port = match config.port_offset {
                None => 0,
                Some(offset) => service.default_port().checked_add(offset).ok_or_else(|| {
                    io::Error::new(io::ErrorKind::InvalidInput, "port offset too large")
                })?,
            };
            let listener = std::net::TcpListener::bind(SocketAddr::new(config.host, port))?;
            listener.set_nonblocking(true)?;
            let app = App {
                store: store.clone(),
                default_account: config.default_account,
                body_limit: config.body_limit,
                match_limits: config.match_limits,
                log_requests: config.log_requests,
                service: service.name(),
            };
            services.push((service, listener, service_router(service, app)));
        }
        let addresses = services
            .iter()
            .map(|(s, l, _)| l.local_addr().map(|a| (*s, a)))
            .collect::<io::Result<Vec<_>>>()?;
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<()>>();
        let thread = std::thread::Builder::new()
            .name("luna-emulator".into())
            .spawn(move || serve_all(services, stop, ready_tx))?;
        ready_rx
            .recv()
            .map_err(|_| io::Error::other("the emulator thread stopped while starting"))??;
        Ok(Self {
            addresses,
            store,
            default_account: config.default_account,
            shutdown,
            thread: Some(thread),
        })
    }

    /// The socket address of a service.
    pub fn address(&self, service: Service) -> SocketAddr {
        self.addresses
            .iter()
            .find(|(s, _)| *s == service)
            .map(|(_, a)| *a)
            .unwrap_or_else(|| SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0))
    }

    /// `http://host:port` of a service.
    pub fn origin(&self, service: Service) -> String {
        format!("http://{}", self.address(service))
    }

    /// `http://host:port/<api version>` of a service (the `LUNA_*_ADDRESS` value).
    pub fn base_url(&self, service: Service) -> String {
        format!("{}/{}", self.origin(service), service.api_version())
    }

    /// The `LUNA_<SERVICE>_ADDRESS` pairs of every service.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        Service::ALL
            .iter()
            .map(|s| (s.env_name(), self.base_url(*s)))
            .collect()
    }

    /// The value of one LUNA setting for clients of this emulator: a `LUNA_<SERVICE>_ADDRESS`
    /// of [`Emulator::env`], or `LUNA_ACCOUNT_ID` when a default account is configured.
    pub fn var(&self, name: &str) -> Option<String> {
        if name == "LUNA_ACCOUNT_ID" {
            return self.default_account.map(|a| a.to_string());
        }
        self.env()
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// Empties the state of every service (between tests).
    pub fn reset(&self) {
        self.store.reset();
    }

    /// Blocks until the services stop (standalone use: they run until the process ends).
    pub fn join(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The background thread: a runtime serving every listener until `stop` turns true.
fn serve_all(
    services: Vec<(Service, std::net::TcpListener, Router)>,
    stop: watch::Receiver<bool>,
    ready: std::sync::mpsc::Sender<io::Result<()>>,
) {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("luna-emulator-worker")
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    runtime.block_on(async move {
        let mut tasks = Vec::new();
        for (_, listener, router) in services {
            let listener = match TcpListener::from_std(listener) {
                Ok(listener) => listener,
                Err(e) => {
                    let _ = ready.send(Err(e));
                    return;
                }
            };
            // Answers go out at once (no Nagle delay on multi-segment bodies).
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            let mut stop = stop.clone();
            tasks.push(tokio::spawn(async move {
                let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|s| *s).await;
                });
                if let Err(e) = serve.await {
                    eprintln!("luna-emulator: a service stopped: {e}");
                }
            }));
        }
        let _ = ready.send(Ok(()));
        for task in tasks {
            let _ = task.await;
        }
    });
    runtime.shutdown_background();
}

fn service_router(service: Service, app: App) -> Router {
    let Routes {
        docs,
        router: business,
    } = service.routes();
    let spec_body = spec(service.name(), env!("CARGO_PKG_VERSION"), &docs).to_string();
    let api = service.api_version();
    Router::new()
        .route(
            "/version",
            get(move || async move {
                ok(serde_json::json!({"Version": {"api": api, "major": 0, "minor": 1, "patch": 0}}))
            }),
        )
        .route(
            "/healthcheck",
            get(|| async { ok(serde_json::json!({"execution_time": 0.0})) }),
        )
        .route(
            "/docs/spec",
            get(move |request: Request| {
                let body = spec_body.clone();
                async move { spec_response(&request, body) }
            }),
        )
        .merge(business)
        .fallback(|request: Request| async move {
            ApiError::page_not_found(request.uri().path()).into_response()
        })
        .method_not_allowed_fallback(|request: Request| async move {
            ApiError::method_not_allowed(request.method().as_str(), request.uri().path())
                .into_response()
        })
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            request_layer,
        ))
        .with_state(app)
}

/// The spec as JSON, or with `Accept: application/x-yaml` as YAML (JSON is valid YAML 1.2).
fn spec_response(request: &Request, body: String) -> Response {
    let yaml = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("yaml"));
    let mut response = json_text(StatusCode::OK, body);
    if yaml {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-yaml"),
        );
    }
    response
}
