//! The Sender subscription socket of the async client: `tokio-tungstenite`.

pub(crate) use tokio_tungstenite::tungstenite as tg;

use super::sender::subscription::ConnectFailure;

pub(crate) struct Socket(
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
);

impl Socket {
    /// Connects within `timeout` (TCP connect, TLS and the HTTP upgrade).
    pub(crate) async fn connect(
        request: http::Request<()>,
        timeout: std::time::Duration,
    ) -> std::result::Result<Self, ConnectFailure> {
        match tokio::time::timeout(timeout, tokio_tungstenite::connect_async(request)).await {
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
