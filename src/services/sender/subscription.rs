//! The subscription side of luna-sender: a WebSocket on `GET /{api_version}/ws?<filters>`
//! that delivers one JSON text frame per event. Everything but the socket itself is mode-free;
//! the socket is `tungstenite` (sync) in blocking builds and `tokio-tungstenite` in async
//! builds, behind the two small `Socket` impls at the end.

use http::header::{HeaderName, HeaderValue, AUTHORIZATION, USER_AGENT as USER_AGENT_HEADER};
use http::{HeaderMap, StatusCode};
use serde_json::Value;
use url::Url;

use crate::context::{ServiceContext, ACCOUNT_ID_HEADER, REQUEST_ID_HEADER};
use crate::error::{Error, Result, TransportErrorKind};
use crate::id::{collect_ids, Id};
use crate::model::common::{Ethnicity, Gender};
use crate::model::events::{
    ApparentColor, ApparentGender, ClothingColor, Emotion, Liveness, LowerGarmentType, Mask,
    PresenceState, SleeveLength,
};
use crate::query::Query;
use crate::transport::{shown_url, TransportFailure};
use crate::services::events::MetaFilter;

#[cfg(feature = "blocking")]
use tungstenite as tg;
#[cfg(feature = "blocking")]
use tungstenite::Connector as WsConnector;
#[cfg(all(feature = "async", not(feature = "blocking")))]
use tokio_tungstenite::tungstenite as tg;
#[cfg(all(feature = "async", not(feature = "blocking")))]
use tokio_tungstenite::Connector as WsConnector;

/// Path of the subscription resource below the Sender's base URL.
pub const SUBSCRIPTION_PATH: &str = "/ws";

/// Filters of a Sender subscription, given at handshake time; delivered events satisfy all
/// of them. Lists are sent comma-separated.
///
/// Documented names: `sources`, `stream_ids`, `matching_candidates_labels`,
/// `object_similarity__gte/__lt`, `age__gte/__lt`, `emotions`, `masks`,
/// `lower_garment_types`, `lower_garment_colors`, `shoes_apparent_colors`,
/// `headwear_apparent_colors`, meta filters. The others (marked *inferred* on their setters)
/// follow the luna-events names of the same attributes; see the wire notes.
#[derive(Clone, Debug, Default)]
pub struct SubscriptionFilters {
    sources: Vec<String>,
    stream_ids: Vec<Id>,
    matching_candidates_labels: Vec<String>,
    object_similarity_gte: Option<f64>,
    object_similarity_lt: Option<f64>,
    age_gte: Option<u32>,
    age_lt: Option<u32>,
    emotions: Vec<Emotion>,
    masks: Vec<Mask>,
    lower_garment_types: Vec<LowerGarmentType>,
    lower_garment_colors: Vec<ClothingColor>,
    shoes_apparent_colors: Vec<ApparentColor>,
    headwear_apparent_colors: Vec<ApparentColor>,
    handler_ids: Vec<Id>,
    gender: Option<Gender>,
    ethnic_groups: Vec<Ethnicity>,
    liveness: Vec<Liveness>,
    apparent_gender: Vec<ApparentGender>,
    headwear_states: Vec<PresenceState>,
    backpack_states: Vec<PresenceState>,
    upper_clothing_colors: Vec<ClothingColor>,
    sleeve_lengths: Vec<SleeveLength>,
    meta: Vec<MetaFilter>,
}

macro_rules! setters {
    ($( $(#[$doc:meta])* $name:ident: $t:ty; )*) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, values: impl IntoIterator<Item = $t>) -> Self {
                self.$name = values.into_iter().collect();
                self
            }
        )*
    };
}

impl SubscriptionFilters {
    /// No filter: every event of the account.
    pub fn new() -> Self {
        Self::default()
    }

    /// Event sources (`sources`).
    pub fn sources<S: Into<String>>(mut self, sources: impl IntoIterator<Item = S>) -> Self {
        self.sources = sources.into_iter().map(Into::into).collect();
        self
    }

    /// Video stream ids (`stream_ids`).
    pub fn stream_ids<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        self.stream_ids = collect_ids(ids);
        self
    }

    /// Labels of which the event must contain at least one (`matching_candidates_labels`).
    pub fn matching_candidates_labels<S: Into<String>>(
        mut self,
        labels: impl IntoIterator<Item = S>,
    ) -> Self {
        self.matching_candidates_labels = labels.into_iter().map(Into::into).collect();
        self
    }

    /// Lower bound, included, of the top-match similarity, 0…1 (`object_similarity__gte`).
    pub fn object_similarity_gte(mut self, similarity: f64) -> Self {
        self.object_similarity_gte = Some(similarity);
        self
    }

    /// Upper bound, excluded, of the top-match similarity, 0…1 (`object_similarity__lt`).
    pub fn object_similarity_lt(mut self, similarity: f64) -> Self {
        self.object_similarity_lt = Some(similarity);
        self
    }

    /// Lower bound, included, of the age (`age__gte`).
    pub fn age_gte(mut self, age: u32) -> Self {
        self.age_gte = Some(age);
        self
    }

    /// Upper bound, excluded, of the age (`age__lt`).
    pub fn age_lt(mut self, age: u32) -> Self {
        self.age_lt = Some(age);
        self
    }

    /// Handler ids (`handler_ids`, inferred).
    pub fn handler_ids<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        self.handler_ids = collect_ids(ids);
        self
    }

    /// Gender (`gender`, inferred).
    pub fn gender(mut self, gender: Gender) -> Self {
        self.gender = Some(gender);
        self
    }

    setters! {
        /// Dominant emotions (`emotions`).
        emotions: Emotion;
        /// Mask states (`masks`).
        masks: Mask;
        /// Lower garment types (`lower_garment_types`).
        lower_garment_types: LowerGarmentType;
        /// Lower garment colours (`lower_garment_colors`).
        lower_garment_colors: ClothingColor;
        /// Shoes colours (`shoes_apparent_colors`).
        shoes_apparent_colors: ApparentColor;
        /// Headwear colours (`headwear_apparent_colors`).
        headwear_apparent_colors: ApparentColor;
        /// Ethnic groups (`ethnic_groups`, inferred).
        ethnic_groups: Ethnicity;
        /// Liveness values (`liveness`, inferred).
        liveness: Liveness;
        /// Apparent genders (`apparent_gender`, inferred).
        apparent_gender: ApparentGender;
        /// Headwear states (`headwear_states`, inferred).
        headwear_states: PresenceState;
        /// Backpack states (`backpack_states`, inferred).
        backpack_states: PresenceState;
        /// Upper clothing colours (`upper_clothing_colors`, inferred).
        upper_clothing_colors: ClothingColor;
        /// Sleeve lengths (`sleeve_lengths`, inferred).
        sleeve_lengths: SleeveLength;
    }

    /// Adds a user-defined-data filter (`meta.<path>__<operator>:<type>`).
    pub fn meta(mut self, filter: MetaFilter) -> Self {
        self.meta.push(filter);
        self
    }

    /// Writes every filter on its wire name.
    pub fn write(&self, q: &mut Query) -> Result<()> {
        for (name, values) in [
            ("sources", &self.sources),
            ("matching_candidates_labels", &self.matching_candidates_labels),
        ] {
            if let Some(bad) = values.iter().find(|v| v.contains(',')) {
                return Err(Error::invalid(
                    name,
                    format!("{bad:?} contains a comma, the list separator"),
                ));
            }
        }
        q.push_list("sources", &self.sources);
        q.push_list("stream_ids", Id::resolve_all(&self.stream_ids, "stream_ids")?);
        q.push_list("matching_candidates_labels", &self.matching_candidates_labels);
        for (name, value) in [
            ("object_similarity__gte", self.object_similarity_gte),
            ("object_similarity__lt", self.object_similarity_lt),
        ] {
            crate::query::check_unit("object_similarity", value)?;
            q.push_opt(name, value);
        }
        q.push_opt("age__gte", self.age_gte);
        q.push_opt("age__lt", self.age_lt);
        q.push_list("emotions", &self.emotions);
        q.push_list("masks", &self.masks);
        q.push_list("lower_garment_types", &self.lower_garment_types);
        q.push_list("lower_garment_colors", &self.lower_garment_colors);
        q.push_list("shoes_apparent_colors", &self.shoes_apparent_colors);
        q.push_list("headwear_apparent_colors", &self.headwear_apparent_colors);
        q.push_list("handler_ids", Id::resolve_all(&self.handler_ids, "handler_ids")?);
        q.push_opt("gender", self.gender);
        q.push_list("ethnic_groups", &self.ethnic_groups);
        q.push_list("liveness", &self.liveness);
        q.push_list("apparent_gender", &self.apparent_gender);
        q.push_list("headwear_states", &self.headwear_states);
        q.push_list("backpack_states", &self.backpack_states);
        q.push_list("upper_clothing_colors", &self.upper_clothing_colors);
        q.push_list("sleeve_lengths", &self.sleeve_lengths);
        for filter in &self.meta {
            q.push_owned(filter.key()?, filter.value()?);
        }
        Ok(())
    }
}

/// The handshake: `ws(s)://<sender base>/ws?<filters>` with the LUNA headers. The account
/// header is required by the service (error 29001 without it), so it is checked here.
pub(crate) fn handshake(
    ctx: &ServiceContext,
    filters: &SubscriptionFilters,
) -> Result<(http::Request<()>, String)> {
    let inner = &ctx.client.inner;
    let account = inner.account_header.clone().ok_or_else(|| {
        Error::invalid(
            "account_id",
            "luna-sender refuses subscriptions without `Luna-Account-Id`: configure an account id",
        )
    })?;
    let mut query = Query::new();
    filters.write(&mut query)?;
    for (name, _) in &ctx.options.query {
        query.remove(name);
    }
    for (name, value) in &ctx.options.query {
        query.push_owned(name.clone(), value.clone());
    }
    let base = inner.endpoint(ctx.service).base_url();
    let mut url = Url::parse(&format!("{base}{SUBSCRIPTION_PATH}"))
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
    let mut headers = HeaderMap::new();
    headers.insert(
        HeaderName::from_static(REQUEST_ID_HEADER),
        HeaderValue::from_str(&request_id)
            .map_err(|_| Error::invalid("request_id", "not a valid header value"))?,
    );
    headers.insert(HeaderName::from_static(ACCOUNT_ID_HEADER), account);
    if let Some(auth) = &inner.auth_header {
        headers.insert(AUTHORIZATION, auth.clone());
    }
    headers.insert(USER_AGENT_HEADER, HeaderValue::from_static(crate::USER_AGENT));
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
/// Read with [`Subscription::next_event`] (blocking, or `.await` in async builds); the
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

#[maybe_async::maybe_async]
impl Subscription {
    pub(crate) async fn open(ctx: &ServiceContext, filters: &SubscriptionFilters) -> Result<Self> {
        let (request, request_id) = handshake(ctx, filters)?;
        tracing::debug!(
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
fn connector(roots: &crate::transport::TlsRoots) -> Result<Option<WsConnector>> {
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
enum ConnectFailure {
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

#[cfg(feature = "blocking")]
struct Socket(tg::WebSocket<tg::stream::MaybeTlsStream<DeadlineStream>>);

/// A TCP stream whose reads and writes, while armed, wait at most until a deadline and fail
/// with `TimedOut` once it has passed: it bounds the whole handshake (TLS and the HTTP upgrade),
/// not each read.
#[cfg(feature = "blocking")]
struct DeadlineStream {
    stream: std::net::TcpStream,
    deadline: std::time::Instant,
    armed: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

#[cfg(feature = "blocking")]
impl DeadlineStream {
    /// Shrinks the socket timeouts to the time left (when armed).
    fn bound(&self) -> std::io::Result<()> {
        if !self.armed.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(());
        }
        let left = self
            .deadline
            .saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the Sender handshake did not finish within the request timeout",
            ));
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.set_write_timeout(Some(left))
    }
}

#[cfg(feature = "blocking")]
impl std::io::Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.bound()?;
        self.stream.read(buf)
    }
}

#[cfg(feature = "blocking")]
impl std::io::Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bound()?;
        self.stream.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.flush()
    }
}

#[cfg(feature = "blocking")]
impl Socket {
    /// Connects: TCP connect, TLS and the upgrade together within `timeout` (one deadline);
    /// afterwards reads wait for the next event without limit, writes up to `timeout` each.
    fn connect(
        request: http::Request<()>,
        connector: Option<WsConnector>,
        timeout: std::time::Duration,
    ) -> std::result::Result<Self, ConnectFailure> {
        use std::net::{TcpStream, ToSocketAddrs};
        let deadline = std::time::Instant::now() + timeout;
        let io = |e: std::io::Error| {
            if matches!(e.kind(), std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock) {
                ConnectFailure::Timeout
            } else {
                ConnectFailure::Ws(tg::Error::Io(e))
            }
        };
        let uri = request.uri();
        let host = uri
            .host()
            .ok_or(ConnectFailure::Ws(tg::Error::Url(tg::error::UrlError::NoHostName)))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("wss") { 443 } else { 80 });
        let mut last = None;
        let mut connected = None;
        for addr in (host.as_str(), port).to_socket_addrs().map_err(io)? {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Err(ConnectFailure::Timeout);
            }
            match TcpStream::connect_timeout(&addr, left) {
                Ok(stream) => {
                    connected = Some(stream);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let stream = connected.ok_or_else(|| {
            io(last.unwrap_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::NotFound, "no address for the Sender host")
            }))
        })?;
        let _ = stream.set_nodelay(true);
        let handle = stream.try_clone().map_err(io)?;
        let armed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let stream = DeadlineStream {
            stream,
            deadline,
            armed: armed.clone(),
        };
        let (socket, _response) = tg::client_tls_with_config(request, stream, None, connector)
            .map_err(|e| match e {
                tg::HandshakeError::Failure(tg::Error::Io(e)) => io(e),
                tg::HandshakeError::Failure(e) => ConnectFailure::Ws(e),
                tg::HandshakeError::Interrupted(_) => ConnectFailure::Timeout,
            })?;
        armed.store(false, std::sync::atomic::Ordering::Relaxed);
        handle.set_read_timeout(None).map_err(io)?;
        handle.set_write_timeout(Some(timeout)).map_err(io)?;
        Ok(Socket(socket))
    }

    fn read(&mut self) -> std::result::Result<Option<tg::Message>, tg::Error> {
        match self.0.read() {
            Ok(message) => Ok(Some(message)),
            Err(tg::Error::ConnectionClosed | tg::Error::AlreadyClosed) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn close(&mut self) -> std::result::Result<(), tg::Error> {
        self.0.close(None)?;
        self.0.flush()
    }
}

#[cfg(all(feature = "async", not(feature = "blocking")))]
struct Socket(
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
);

#[cfg(all(feature = "async", not(feature = "blocking")))]
impl Socket {
    /// Connects within `timeout` (TCP connect, TLS and the HTTP upgrade).
    async fn connect(
        request: http::Request<()>,
        connector: Option<WsConnector>,
        timeout: std::time::Duration,
    ) -> std::result::Result<Self, ConnectFailure> {
        let connect =
            tokio_tungstenite::connect_async_tls_with_config(request, None, true, connector);
        match tokio::time::timeout(timeout, connect).await {
            Ok(Ok((socket, _response))) => Ok(Socket(socket)),
            Ok(Err(e)) => Err(ConnectFailure::Ws(e)),
            Err(_) => Err(ConnectFailure::Timeout),
        }
    }

    async fn read(&mut self) -> std::result::Result<Option<tg::Message>, tg::Error> {
        use futures_util::StreamExt as _;
        match self.0.next().await {
            Some(Ok(message)) => Ok(Some(message)),
            Some(Err(tg::Error::ConnectionClosed | tg::Error::AlreadyClosed)) | None => Ok(None),
            Some(Err(e)) => Err(e),
        }
    }

    async fn close(&mut self) -> std::result::Result<(), tg::Error> {
        self.0.close(None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::events::MetaOperator;

    #[test]
    fn filters_pin_every_wire_name() {
        let filters = SubscriptionFilters::new()
            .sources(["cam-1", "cam-2"])
            .stream_ids(["1b2c3d4e-6f0e-4a5c-9a55-8c1a0d1f1a77"])
            .matching_candidates_labels(["staff"])
            .object_similarity_gte(0.5)
            .object_similarity_lt(0.9)
            .age_gte(18)
            .age_lt(65)
            .emotions([Emotion::Fear, Emotion::Sadness])
            .masks([Mask::Missing])
            .lower_garment_types([LowerGarmentType::Shorts])
            .lower_garment_colors([ClothingColor::Gray])
            .shoes_apparent_colors([ApparentColor::Black])
            .headwear_apparent_colors([ApparentColor::Undefined])
            .handler_ids(["0a1b2c3d-6f0e-4a5c-9a55-8c1a0d1f1a66"])
            .gender(Gender::Female)
            .ethnic_groups([Ethnicity::Asian])
            .liveness([Liveness::Spoof])
            .apparent_gender([ApparentGender::Male])
            .headwear_states([PresenceState::Absent])
            .backpack_states([PresenceState::Present])
            .upper_clothing_colors([ClothingColor::Pink])
            .sleeve_lengths([SleeveLength::Undefined])
            .meta(MetaFilter::new("zone", MetaOperator::Eq, "north"));
        let mut q = Query::new();
        filters.write(&mut q).unwrap();
        let pairs: Vec<(&str, &str)> = q.pairs().collect();
        assert_eq!(
            pairs,
            vec![
                ("sources", "cam-1,cam-2"),
                ("stream_ids", "1b2c3d4e-6f0e-4a5c-9a55-8c1a0d1f1a77"),
                ("matching_candidates_labels", "staff"),
                ("object_similarity__gte", "0.5"),
                ("object_similarity__lt", "0.9"),
                ("age__gte", "18"),
                ("age__lt", "65"),
                ("emotions", "3,6"),
                ("masks", "1"),
                ("lower_garment_types", "shorts"),
                ("lower_garment_colors", "gray"),
                ("shoes_apparent_colors", "black"),
                ("headwear_apparent_colors", "undefined"),
                ("handler_ids", "0a1b2c3d-6f0e-4a5c-9a55-8c1a0d1f1a66"),
                ("gender", "0"),
                ("ethnic_groups", "3"),
                ("liveness", "0"),
                ("apparent_gender", "1"),
                ("headwear_states", "0"),
                ("backpack_states", "1"),
                ("upper_clothing_colors", "pink"),
                ("sleeve_lengths", "undefined"),
                ("meta.zone__eq:string", "north"),
            ]
        );
        for bad in [
            SubscriptionFilters::new().sources(["a,b"]),
            SubscriptionFilters::new().stream_ids(["x"]),
            SubscriptionFilters::new().object_similarity_gte(2.0),
            SubscriptionFilters::new().meta(MetaFilter::eq("", 1)),
        ] {
            assert!(bad.write(&mut Query::new()).is_err(), "{bad:?}");
        }
    }
}
