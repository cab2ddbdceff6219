//! The Sender subscription socket of the blocking client: `tungstenite` on a `TcpStream`.

pub(crate) use tungstenite as tg;
pub(crate) use tungstenite::Connector as WsConnector;

use super::sender::subscription::ConnectFailure;

pub(crate) struct Socket(tg::WebSocket<tg::stream::MaybeTlsStream<DeadlineStream>>);

/// A TCP stream whose reads and writes, while armed, wait at most until a deadline and fail
/// with `TimedOut` once it has passed: it bounds the whole handshake (TLS and the HTTP upgrade),
/// not each read.
pub(crate) struct DeadlineStream {
    stream: std::net::TcpStream,
    deadline: std::time::Instant,
    armed: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

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

impl std::io::Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.bound()?;
        self.stream.read(buf)
    }
}

impl std::io::Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bound()?;
        self.stream.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.stream.flush()
    }
}

impl Socket {
    /// Connects: TCP connect, TLS and the upgrade together within `timeout` (one deadline);
    /// afterwards reads wait for the next event without limit, writes up to `timeout` each.
    pub(crate) fn connect(
        request: http::Request<()>,
        connector: Option<WsConnector>,
        timeout: std::time::Duration,
    ) -> std::result::Result<Self, ConnectFailure> {
        use std::net::{TcpStream, ToSocketAddrs};
        let deadline = std::time::Instant::now() + timeout;
        let io = |e: std::io::Error| {
            if matches!(
                e.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) {
                ConnectFailure::Timeout
            } else {
                ConnectFailure::Ws(tg::Error::Io(e))
            }
        };
        let uri = request.uri();
        let host = uri
            .host()
            .ok_or(ConnectFailure::Ws(tg::Error::Url(
                tg::error::UrlError::NoHostName,
            )))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("wss") {
                443
            } else {
                80
            });
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
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no address for the Sender host",
                )
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

    pub(crate) fn read(&mut self) -> std::result::Result<Option<tg::Message>, tg::Error> {
        match self.0.read() {
            Ok(message) => Ok(Some(message)),
            Err(tg::Error::ConnectionClosed | tg::Error::AlreadyClosed) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub(crate) fn close(&mut self) -> std::result::Result<(), tg::Error> {
        self.0.close(None)?;
        self.0.flush()
    }
}
