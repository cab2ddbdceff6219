//! The Sender subscription socket of the async client: `tokio-tungstenite`.

pub(crate) use tokio_tungstenite::tungstenite as tg;
pub(crate) use tokio_tungstenite::Connector as WsConnector;

use super::sender::subscription::ConnectFailure;

pub(crate) struct Socket(
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
);

impl Socket {
    /// Connects within `timeout` (TCP connect, TLS and the HTTP upgrade).
    pub(crate) async fn connect(
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

    pub(crate) async fn read(&mut self) -> std::result::Result<Option<tg::Message>, tg::Error> {
        use futures_util::StreamExt as _;
        match self.0.next().await {
            Some(Ok(message)) => Ok(Some(message)),
            Some(Err(tg::Error::ConnectionClosed | tg::Error::AlreadyClosed)) | None => Ok(None),
            Some(Err(e)) => Err(e),
        }
    }

    pub(crate) async fn close(&mut self) -> std::result::Result<(), tg::Error> {
        self.0.close(None).await
    }
}
