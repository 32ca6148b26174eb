//! HTTPS with rustls and the ring provider (no aws-lc).

use std::path::Path;
use std::sync::Arc;

use super::StartupError;

/// Reads a PEM certificate chain and key into a rustls server config with
/// the ring provider (installed explicitly: no aws-lc).
pub fn load_tls(cert: &Path, key: &Path) -> Result<rustls::ServerConfig, StartupError> {
    use rustls_pki_types::pem::PemObject as _;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    // Ignored when already installed (tests build several servers).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let certs = CertificateDer::pem_file_iter(cert)
        .map_err(|e| StartupError::Tls(format!("cannot read {}: {e}", cert.display())))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| StartupError::Tls(format!("bad certificate in {}: {e}", cert.display())))?;
    if certs.is_empty() {
        return Err(StartupError::Tls(format!(
            "no certificate in {}",
            cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| {
        StartupError::Tls(format!(
            "cannot read a private key from {}: {e}",
            key.display()
        ))
    })?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StartupError::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| StartupError::Tls(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
