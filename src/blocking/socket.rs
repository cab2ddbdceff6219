//! The Sender subscription socket of the blocking client: `tungstenite` on a `TcpStream`.

pub(crate) use tungstenite as tg;

use super::sender::subscription::ConnectFailure;

pub(crate) struct Socket(tg::WebSocket<tg::stream::MaybeTlsStream<std::net::TcpStream>>);

impl Socket {
    /// Connects: TCP connect, TLS and the upgrade each bounded by `timeout`; afterwards reads
    /// wait for the next event without limit.
    pub(crate) fn connect(
        request: http::Request<()>,
        timeout: std::time::Duration,
    ) -> std::result::Result<Self, ConnectFailure> {
        use std::net::{TcpStream, ToSocketAddrs};
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
            match TcpStream::connect_timeout(&addr, timeout) {
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
        stream.set_read_timeout(Some(timeout)).map_err(io)?;
        stream.set_write_timeout(Some(timeout)).map_err(io)?;
        let handle = stream.try_clone().map_err(io)?;
        let (socket, _response) =
            tg::client_tls_with_config(request, stream, None, None).map_err(|e| match e {
                tg::HandshakeError::Failure(tg::Error::Io(e)) => io(e),
                tg::HandshakeError::Failure(e) => ConnectFailure::Ws(e),
                tg::HandshakeError::Interrupted(_) => ConnectFailure::Timeout,
            })?;
        handle.set_read_timeout(None).map_err(io)?;
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
