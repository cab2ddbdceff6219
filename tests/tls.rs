//! One real TLS handshake per backend and TLS feature: `https` for requests and `wss` for a
//! Sender subscription, against local servers whose certificate is issued in the test by a CA
//! the client trusts through `add_root_certificate`, in both modes from one build. `.ci/run` runs
//! this file with each TLS feature (both clients in the build: each backend).

mod common;

crate::in_both_modes! {

use std::io::{BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use luna_clients::model::common::{Targets};

use crate::common::{ACCOUNT, FACE_ID};
use sdk::{Error, LunaClient, Service};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A CA (PEM, for the client) and a server configuration with a certificate it issued for
/// `127.0.0.1`.
fn pki() -> (String, Arc<rustls::ServerConfig>) {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "luna-clients test CA");
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf_params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let chain: Vec<CertificateDer<'static>> = vec![leaf.der().clone()];
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    (ca.pem(), Arc::new(config))
}

/// Starts a TLS server; `serve` runs for each accepted, handshaken connection. Returns the
/// port and the number of completed TLS handshakes.
fn tls_server(
    config: Arc<rustls::ServerConfig>,
    serve: fn(rustls::StreamOwned<rustls::ServerConnection, std::net::TcpStream>),
) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handshakes = Arc::new(AtomicUsize::new(0));
    let counter = handshakes.clone();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let config = config.clone();
            let counter = counter.clone();
            thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let mut connection = rustls::ServerConnection::new(config).unwrap();
                while connection.is_handshaking() {
                    if connection.complete_io(&mut stream).is_err() {
                        return;
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                serve(rustls::StreamOwned::new(connection, stream));
            });
        }
    });
    (port, handshakes)
}

/// Answers one HTTP/1.1 request with a face.
fn answer_face(stream: rustls::StreamOwned<rustls::ServerConnection, std::net::TcpStream>) {
    let mut reader = BufReader::new(stream);
    if !crate::common::server::read_head(&mut reader) {
        return;
    }
    let body = format!(r#"{{"face_id":"{FACE_ID}"}}"#);
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = reader.into_inner();
    let _ = stream.write_all(answer.as_bytes());
    let _ = stream.flush();
    stream.conn.send_close_notify();
    let _ = stream.flush();
}

/// Accepts a WebSocket and sends one event.
#[cfg(feature = "sender")]
fn send_one_event(stream: rustls::StreamOwned<rustls::ServerConnection, std::net::TcpStream>) {
    let Ok(mut socket) = tungstenite::accept(stream) else {
        return;
    };
    let event = format!(r#"{{"event_id":"{FACE_ID}"}}"#);
    let _ = socket.send(tungstenite::Message::text(event));
    let _ = socket.close(None);
    let _ = socket.flush();
}

both_modes! {
    async fn https_and_wss_handshakes_with_a_custom_root() {
        let (ca_pem, config) = pki();
        let (https_port, https_handshakes) = tls_server(config.clone(), answer_face);
        let client = LunaClient::builder()
            .address(Service::Faces, &format!("https://127.0.0.1:{https_port}"))
            .account_id(ACCOUNT)
            .timeout(Duration::from_secs(10));
        // The WebSocket half needs the `sender` feature.
        #[cfg(feature = "sender")]
        let (client, wss_handshakes) = {
            let (wss_port, wss_handshakes) = tls_server(config, send_one_event);
            let client = client.address(Service::Sender, &format!("https://127.0.0.1:{wss_port}"));
            (client, wss_handshakes)
        };
        #[cfg(not(feature = "sender"))]
        drop(config);
        let client = client.add_root_certificate(&ca_pem).build().unwrap();

        let result = client.faces().get_face(FACE_ID, Targets::All).await;
        let face = result.unwrap_or_else(|e| panic!("https: {e}"));
        assert_eq!(face.face_id.map(|id| id.to_string()).as_deref(), Some(FACE_ID));
        assert_eq!(https_handshakes.load(Ordering::SeqCst), 1);

        #[cfg(feature = "sender")]
        {
            let result = client.sender().subscribe(&Default::default()).await;
            let mut subscription = result.unwrap_or_else(|e| panic!("wss: {e}"));
            let result = subscription.next_event().await;
            let event = result.unwrap_or_else(|e| panic!("wss event: {e}")).expect("one event");
            assert_eq!(event["event_id"], FACE_ID);
            assert_eq!(wss_handshakes.load(Ordering::SeqCst), 1);
        }

        // Without the CA the same server is refused, in both modes.
        let untrusting = LunaClient::builder()
            .address(Service::Faces, &format!("https://127.0.0.1:{https_port}"))
            .build()
            .unwrap();
        let result = untrusting.faces().get_face(FACE_ID, Targets::All).await;
        let error = result.unwrap_err();
        assert!(matches!(error, Error::Transport { .. }), "{error:?}");
        assert_eq!(https_handshakes.load(Ordering::SeqCst), 1);
    }

    async fn a_pem_without_a_certificate_is_a_config_error() {
        let result = LunaClient::builder().add_root_certificate("not a certificate").build();
        assert!(matches!(result, Err(Error::Config(_))), "{result:?}");
    }
}

both_modes! {
    /// The library never installs a process-wide rustls crypto provider (the application's
    /// choice).
    #[cfg(feature = "rustls")]
    async fn no_crypto_provider_is_installed_process_wide() {
        let (ca_pem, _) = pki();
        for builder in [
            LunaClient::builder(),
            LunaClient::builder().add_root_certificate(&ca_pem),
        ] {
            let client = builder.build().unwrap();
            drop(client);
        }
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
    }
}

}
