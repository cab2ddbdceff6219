//! TLS settings shared by the HTTP backends and the Sender WebSocket: the trusted roots and the
//! rustls configuration. No crypto provider is ever installed process-wide: rustls
//! configurations are built with an explicit provider (the application's default when it
//! installed one, `ring` otherwise).
//!
//! Trust: by default the backends' own roots (Mozilla's `webpki-roots` with rustls, the system
//! store with native-tls). Once root certificates are added
//! ([`LunaClientBuilder::add_root_certificate`](crate::LunaClientBuilder::add_root_certificate)),
//! only those are trusted, in both modes and with both TLS features.

use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::CertificateDer;

use crate::error::{Error, Result};

/// The root certificates (DER) added by the caller; empty for the defaults.
#[derive(Clone, Debug, Default)]
pub(crate) struct TlsRoots(pub Vec<CertificateDer<'static>>);

impl TlsRoots {
    /// Adds every certificate of a PEM document.
    pub(crate) fn add_pem(&mut self, pem: &[u8]) -> Result<()> {
        let before = self.0.len();
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|e| Error::Config(format!("root certificate PEM: {e}")))?;
            self.0.push(cert);
        }
        if self.0.len() == before {
            return Err(Error::Config(
                "root certificate PEM holds no CERTIFICATE block".into(),
            ));
        }
        Ok(())
    }

    /// Whether the defaults are used.
    pub(crate) fn is_default(&self) -> bool {
        self.0.is_empty()
    }

    /// A rustls client configuration trusting these roots (or Mozilla's), with `alpn` (for
    /// reqwest and the Sender WebSocket; ureq builds its own from the roots).
    #[cfg(all(feature = "rustls", any(feature = "async", feature = "sender")))]
    pub(crate) fn rustls_config(
        &self,
        alpn: &[&[u8]],
    ) -> Result<std::sync::Arc<rustls::ClientConfig>> {
        use std::sync::Arc;
        let provider = rustls::crypto::CryptoProvider::get_default()
            .cloned()
            .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
        let mut store = rustls::RootCertStore::empty();
        if self.is_default() {
            store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        } else {
            for cert in &self.0 {
                store
                    .add(cert.clone())
                    .map_err(|e| Error::Config(format!("root certificate: {e}")))?;
            }
        }
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Config(format!("TLS configuration: {e}")))?
            .with_root_certificates(store)
            .with_no_client_auth();
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Ok(Arc::new(config))
    }

    /// A native-tls connector trusting only these roots (`None` for the defaults).
    #[cfg(all(feature = "native-tls", not(feature = "rustls"), feature = "sender"))]
    pub(crate) fn native_connector(&self) -> Result<Option<native_tls::TlsConnector>> {
        if self.is_default() {
            return Ok(None);
        }
        let mut builder = native_tls::TlsConnector::builder();
        builder.disable_built_in_roots(true);
        for cert in &self.0 {
            let cert = native_tls::Certificate::from_der(cert)
                .map_err(|e| Error::Config(format!("root certificate: {e}")))?;
            builder.add_root_certificate(cert);
        }
        builder
            .build()
            .map(Some)
            .map_err(|e| Error::Config(format!("TLS configuration: {e}")))
    }
}
