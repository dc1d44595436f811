//! HTTPS served directly from PEM certificate files (rustls), for a node
//! without a reverse proxy in front of it.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::server::TlsStream;

/// A client that opens a connection and never finishes the handshake
/// holds only its own task, and not for longer than this.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Handshakes finished but not yet taken by the server.
const ACCEPTED_QUEUE: usize = 64;

/// Handshakes in progress at most; a flood of unfinished ones beyond this
/// is turned away at once instead of holding file descriptors and cores.
const HANDSHAKES_AT_ONCE: usize = 256;

/// A certificate chain and its private key, checked when configuration is
/// read so a wrong file stops the server before it binds.
#[derive(Clone)]
pub struct TlsConfig(Arc<rustls::ServerConfig>);

impl std::fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TlsConfig(..)")
    }
}

impl TlsConfig {
    /// Reads a PEM certificate chain (server certificate first) and a PEM
    /// private key (PKCS#8, PKCS#1 or SEC1). Errors name the file, never
    /// the key's content.
    pub fn from_pem_files(cert: &Path, key: &Path) -> Result<TlsConfig, String> {
        let certs = CertificateDer::pem_file_iter(cert)
            .map_err(|e| format!("cannot read the certificate file {}: {e}", cert.display()))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("the certificate file {} is not valid PEM: {e}", cert.display()))?;
        if certs.is_empty() {
            return Err(format!("the certificate file {} holds no certificate", cert.display()));
        }
        let key = PrivateKeyDer::from_pem_file(key)
            .map_err(|e| format!("cannot read a private key from {}: {e}", key.display()))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS setup failed: {e}"))?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| format!("the certificate and the private key do not form a usable pair: {e}"))?;
        // The server speaks HTTP/1.1 only (axum's http1 feature).
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsConfig(Arc::new(config)))
    }
}

/// Accepts TCP connections and hands the server only those whose TLS
/// handshake finished. Handshakes run in their own tasks, so one slow
/// client does not hold up the others.
pub struct TlsListener {
    accepted: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    pub fn new(tcp: TcpListener, tls: &TlsConfig) -> std::io::Result<TlsListener> {
        let local = tcp.local_addr()?;
        let acceptor = TlsAcceptor::from(tls.0.clone());
        let (sender, accepted) = mpsc::channel(ACCEPTED_QUEUE);
        let handshakes = std::sync::Arc::new(tokio::sync::Semaphore::new(HANDSHAKES_AT_ONCE));
        tokio::spawn(async move {
            let mut tcp = tcp;
            loop {
                let (stream, peer) = tokio::select! {
                    next = axum::serve::Listener::accept(&mut tcp) => next,
                    // The server stopped taking connections: let the port go.
                    _ = sender.closed() => return,
                };
                let Ok(permit) = handshakes.clone().try_acquire_owned() else {
                    tracing::warn!("too many TLS handshakes at once; a connection was turned away");
                    continue;
                };
                let acceptor = acceptor.clone();
                let sender = sender.clone();
                tokio::spawn(async move {
                    let _permit = permit;
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => {
                            let _ = sender.send((stream, peer)).await;
                        }
                        Ok(Err(e)) => tracing::debug!(error = %e, "TLS handshake failed"),
                        Err(_) => tracing::debug!("TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(TlsListener { accepted, local })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.accepted.recv().await {
            Some(next) => next,
            // The accepting task only ends once this receiver is gone.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}
