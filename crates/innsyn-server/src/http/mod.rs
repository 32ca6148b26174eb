//! The HTTP server: routes, middleware, TLS, and binding them to a
//! listener with the use cases behind them.

mod drain;
mod routes;
mod tls;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{HttpServer, web};
use utoipa::OpenApi as _;

pub use drain::Drain;
pub use routes::app;
pub use tls::load_tls;

use crate::api::AppState;
use crate::middleware::RateLimiter;
use crate::openapi::ApiDoc;
use crate::settings::ServerSettings;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// A setting is invalid.
    #[error("{0}")]
    Config(String),
    /// Binding or reading a file failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The TLS certificate or key is unusable.
    #[error("TLS: {0}")]
    Tls(String),
    /// An adapter could not be set up (store, token validation, login).
    #[error("{0}")]
    Adapter(String),
}

/// A bound, not yet running, HTTP server.
pub struct Listening {
    /// The server.
    pub server: Server,
    /// The bound port.
    pub port: u16,
    /// Whether it serves HTTPS.
    pub tls: bool,
    /// What a shutdown leaves unanswered.
    pub drain: Arc<Drain>,
}

/// SIGTERM (an orchestrator) or SIGINT (a terminal) begins the graceful
/// shutdown; from then on [`Drain`] counts what it cuts off.
async fn termination(drain: Arc<Drain>) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        tracing::error!("cannot listen for SIGTERM/SIGINT; stop the server with SIGKILL");
        return std::future::pending().await;
    };
    futures_util::future::select(Box::pin(term.recv()), Box::pin(int.recv())).await;
    drain.begin();
    tracing::info!("stopping: requests in flight may finish, no new connections");
}

/// Checks the `[server]` settings and prepares the server on `listener`:
/// HTTPS when a certificate is configured; plain HTTP only with
/// `allow_plain_http`.
pub fn listen(
    s: &ServerSettings,
    listener: TcpListener,
    state: AppState,
    page: Option<innsyn_web::WebState>,
) -> Result<Listening, StartupError> {
    let tls_config = match (&s.tls_cert_file, &s.tls_key_file) {
        (Some(cert), Some(key)) => Some(load_tls(cert, key)?),
        (None, None) if s.allow_plain_http => None,
        (None, None) => {
            return Err(StartupError::Config(
                "no TLS certificate configured (server.tls_cert_file, server.tls_key_file); set server.allow_plain_http = true to serve plain HTTP".to_owned(),
            ));
        }
        _ => {
            return Err(StartupError::Config(
                "server.tls_cert_file and server.tls_key_file must be given together".to_owned(),
            ));
        }
    };
    let port = listener
        .local_addr()
        .map_err(|source| StartupError::Io {
            context: "cannot read the bound address".to_owned(),
            source,
        })?
        .port();
    let state = web::Data::new(state);
    let limiter = web::Data::new(RateLimiter::new(
        s.rate_limit_per_second,
        s.rate_limit_burst,
    ));
    let tls = tls_config.is_some();
    let openapi = ApiDoc::openapi();
    let drain = Arc::new(Drain::default());
    let drain_data = web::Data::from(Arc::clone(&drain));
    let factory = move || {
        app(
            state.clone(),
            limiter.clone(),
            tls,
            openapi.clone(),
            page.clone(),
        )
        .app_data(drain_data.clone())
        .wrap(from_fn(drain::track))
    };
    let mut server = HttpServer::new(factory)
        .shutdown_signal(termination(Arc::clone(&drain)))
        // actix keeps the OS default (Nagle on): a response that leaves
        // in more than one segment can then wait for the client's
        // delayed ACK, up to 40 ms on Linux.
        .tcp_nodelay(true)
        .shutdown_timeout(s.shutdown_timeout_secs)
        .client_request_timeout(Duration::from_secs(30));
    if s.workers > 0 {
        server = server.workers(s.workers);
    }
    let server = match tls_config {
        Some(cfg) => server.listen_rustls_0_23(listener, cfg),
        None => server.listen(listener),
    }
    .map_err(|source| StartupError::Io {
        context: "cannot start the server".to_owned(),
        source,
    })?
    .run();
    Ok(Listening {
        server,
        port,
        tls,
        drain,
    })
}
