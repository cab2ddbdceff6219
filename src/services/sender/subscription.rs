//! The subscription side of luna-sender: a WebSocket on `GET /{api_version}/ws?<filters>`
//! that delivers one JSON text frame per event, compiled once per mode. The socket is
//! `tungstenite` (sync) for the blocking client and `tokio-tungstenite` for the async one, in
//! the `socket.rs` of each mode.

use http::header::{HeaderValue, ACCEPT, USER_AGENT as USER_AGENT_HEADER};
use http::StatusCode;
use serde_json::Value;
use url::Url;

use super::super::context::{ServiceContext, REQUEST_ID};
use super::super::maybe_async;
use super::super::socket::{tg, Socket, WsConnector};
use crate::error::{Error, Result, TransportErrorKind};
use crate::query::Query;
use crate::model::sender::SubscriptionFilters;
use crate::transport::{shown_url, TlsRoots, TransportFailure};

/// The handshake: `ws(s)://<sender base>/ws?<filters>` with the LUNA headers. The account
/// header is required by the service (error 29001 without it), so it is checked here.
pub(crate) fn handshake(
    ctx: &ServiceContext,
    filters: &SubscriptionFilters,
) -> Result<(http::Request<()>, String)> {
    let inner = &ctx.client.inner;
    if inner.account_text.is_none() {
        return Err(Error::invalid(
            "account_id",
            "luna-sender refuses subscriptions without `Luna-Account-Id`: configure an account id",
        ));
    }
    let mut query = Query::new();
    filters.write(&mut query)?;
    for (name, _) in &ctx.options.query {
        query.remove(name);
    }
    for (name, value) in &ctx.options.query {
        query.push_owned(name.clone(), value.clone());
    }
    let base = inner.endpoint(ctx.service).base_url();
    let path = crate::catalogue::sender::SUBSCRIBE.path(&[])?;
    let mut url = Url::parse(&format!("{base}{path}"))
        .map_err(|e| Error::Config(format!("Sender address {base:?}: {e}")))?;
    let scheme = match url.scheme() {
        "http" | "ws" => "ws",
        "https" | "wss" => "wss",
        other => return Err(Error::Config(format!("unsupported Sender scheme {other:?}"))),
    };
    url.set_scheme(scheme)
        .map_err(|_| Error::Config(format!("cannot use {scheme} for {base:?}")))?;
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in query.pairs() {
            pairs.append_pair(name, value);
        }
    }

    let request_id = ctx.options.resolve_request_id()?;
    // The client's LUNA headers (request id slot, account, credentials), without `Accept`.
    let mut headers = inner.base_headers.clone();
    headers.remove(ACCEPT);
    headers.insert(
        REQUEST_ID,
        HeaderValue::from_str(&request_id)
            .map_err(|_| Error::invalid("request_id", "not a valid header value"))?,
    );
    headers.insert(USER_AGENT_HEADER, HeaderValue::from_static(super::super::USER_AGENT));
    ctx.options.apply_headers(&mut headers)?;

    use tg::client::IntoClientRequest as _;
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(|e| Error::Config(format!("WebSocket request: {e}")))?;
    for (name, value) in headers.iter() {
        request.headers_mut().insert(name.clone(), value.clone());
    }
    Ok((request, request_id))
}

/// Maps a WebSocket failure to the crate's error.
fn ws_error(error: tg::Error, request_id: &str, request: &str) -> Error {
    let failure = match error {
        tg::Error::Http(response) => {
            let body = response.body().clone().unwrap_or_default();
            return crate::call::failure(
                response.status(),
                response.headers(),
                &body,
                request_id.to_owned(),
                request.to_owned(),
            );
        }
        tg::Error::Io(io) => {
            use std::io::ErrorKind::*;
            let kind = match io.kind() {
                ConnectionRefused | AddrNotAvailable | NotFound | HostUnreachable
                | NetworkUnreachable => TransportErrorKind::Connect,
                _ => TransportErrorKind::Other,
            };
            TransportFailure::caused_by(kind, io)
        }
        // The sync `connect` reports a refused or unreachable address this way.
        tg::Error::Url(e @ tg::error::UrlError::UnableToConnect(_)) => {
            TransportFailure::caused_by(TransportErrorKind::Connect, e)
        }
        tg::Error::Url(e) => return Error::Config(format!("WebSocket address: {e}")),
        other => TransportFailure::caused_by(TransportErrorKind::Other, other),
    };
    failure.into_error(request_id.to_owned(), request)
}

/// What one frame means for the reader.
enum Frame {
    Event(Value),
    Skip,
    Closed,
}

fn frame(message: tg::Message, request_id: &str, request: &str) -> Result<Frame> {
    let bytes: &[u8] = match &message {
        tg::Message::Text(text) => text.as_str().as_bytes(),
        tg::Message::Binary(data) => data,
        tg::Message::Close(_) => return Ok(Frame::Closed),
        _ => return Ok(Frame::Skip),
    };
    serde_json::from_slice(bytes)
        .map(Frame::Event)
        .map_err(|e| Error::Decode {
            request: request.to_owned(),
            status: StatusCode::SWITCHING_PROTOCOLS,
            message: e.to_string(),
            snippet: crate::error::snippet(bytes),
            request_id: request_id.to_owned(),
        })
}

/// An open subscription: the events luna-sender pushes, one JSON value per event (the
/// generated-event layout: `event_id`, `url`, `face`, detections...; not published in
/// detail, so kept as JSON).
///
/// Read with [`Subscription::next_event`] (blocking, or `.await` for the async client); the
/// service's pings are answered while reading. Dropping the subscription closes the TCP
/// connection; [`Subscription::close`] closes it politely.
pub struct Subscription {
    socket: Socket,
    request_id: String,
    /// The handshake as errors name it: `luna-sender GET ws://.../ws`.
    request: String,
}

impl std::fmt::Debug for Subscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subscription")
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

impl Subscription {
    /// The `Luna-Request-Id` sent with the handshake.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }
}

#[maybe_async]
impl Subscription {
    pub(crate) async fn open(ctx: &ServiceContext, filters: &SubscriptionFilters) -> Result<Self> {
        let (request, request_id) = handshake(ctx, filters)?;
        debug_event!(
            service = %ctx.service,
            path = request.uri().path(),
            request_id = %request_id,
            "opening LUNA subscription"
        );
        let shown = Url::parse(&request.uri().to_string())
            .map(|url| shown_url(&url))
            .unwrap_or_default();
        let shown = format!("{} GET {shown}", ctx.service);
        let timeout = ctx.client.inner.timeout;
        let connector = connector(&ctx.client.inner.roots)?;
        let socket = Socket::connect(request, connector, timeout)
            .await
            .map_err(|e| e.into_error(&request_id, &shown))?;
        Ok(Subscription {
            socket,
            request_id,
            request: shown,
        })
    }

    /// The next event; `Ok(None)` once the service has closed the subscription. Waits as long
    /// as no event comes.
    pub async fn next_event(&mut self) -> Result<Option<Value>> {
        loop {
            let message = match self.socket.read().await {
                Ok(Some(message)) => message,
                Ok(None) => return Ok(None),
                Err(e) => return Err(ws_error(e, &self.request_id, &self.request)),
            };
            match frame(message, &self.request_id, &self.request)? {
                Frame::Event(value) => return Ok(Some(value)),
                // After a close frame, reading on sends the close reply and then reports the
                // end of the connection.
                Frame::Skip | Frame::Closed => continue,
            }
        }
    }

    /// Closes the subscription (close handshake).
    pub async fn close(mut self) -> Result<()> {
        match self.socket.close().await {
            Ok(()) | Err(tg::Error::ConnectionClosed) | Err(tg::Error::AlreadyClosed) => Ok(()),
            Err(e) => Err(ws_error(e, &self.request_id, &self.request)),
        }
    }
}

/// The TLS connector of `wss` subscriptions: the client's roots and an explicit rustls
/// provider; `None` leaves tungstenite's defaults (native-tls without added roots).
fn connector(roots: &TlsRoots) -> Result<Option<WsConnector>> {
    #[cfg(feature = "rustls")]
    return roots
        .rustls_config(&[])
        .map(|config| Some(WsConnector::Rustls(config)));
    #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
    return Ok(roots.native_connector()?.map(WsConnector::NativeTls));
    #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
    {
        let _ = roots;
        Ok(None)
    }
}

/// Why connecting failed.
pub(crate) enum ConnectFailure {
    Ws(tg::Error),
    Timeout,
}

impl ConnectFailure {
    fn into_error(self, request_id: &str, request: &str) -> Error {
        match self {
            ConnectFailure::Ws(e) => ws_error(e, request_id, request),
            ConnectFailure::Timeout => {
                TransportFailure::Timeout.into_error(request_id.to_owned(), request)
            }
        }
    }
}

