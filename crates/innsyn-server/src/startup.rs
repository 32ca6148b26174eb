//! Building and running the HTTP server.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServerHandle, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use innsyn_domain::{ScopeNames, Zone};
use utoipa::OpenApi as _;
use utoipa_swagger_ui::SwaggerUi;

use crate::api::{access_history, admin, ingest, login_history, ops};
use crate::middleware::{self, RateLimiter, TlsOn};
use crate::openapi::ApiDoc;
use crate::settings::ServerSettings;
use crate::state::{AppState, Deps};

/// What the HTTP layer needs from the configuration.
#[derive(Debug, Clone, Default)]
pub struct AppSettings {
    /// `[server]`.
    pub server: ServerSettings,
    /// `[scopes]`.
    pub scopes: ScopeNames,
    /// `[web]`: the citizen's page under [`innsyn_web::BASE_PATH`].
    pub web: innsyn_web::WebSettings,
}

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
}

/// A bound, not yet running, server.
pub struct Application {
    port: u16,
    tls: bool,
    server: Server,
}

impl Application {
    /// Validates the settings, binds `server.bind` (port 0 picks a free
    /// port) and prepares the server. HTTPS when a certificate is
    /// configured; plain HTTP only with `allow_plain_http`.
    pub fn build(settings: &AppSettings, deps: Deps) -> Result<Self, StartupError> {
        let s = &settings.server;
        let listener = TcpListener::bind(&s.bind).map_err(|source| StartupError::Io {
            context: format!("cannot listen on {}", s.bind),
            source,
        })?;
        Self::build_with_listener(settings, deps, listener)
    }

    /// As [`Application::build`], on an already bound listener.
    pub fn build_with_listener(
        settings: &AppSettings,
        deps: Deps,
        listener: TcpListener,
    ) -> Result<Self, StartupError> {
        let s = &settings.server;
        let zone = Zone::named(&s.time_zone)
            .map_err(|e| StartupError::Config(format!("server.time_zone: {e}")))?;
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
                    "server.tls_cert_file and server.tls_key_file must be given together"
                        .to_owned(),
                ));
            }
        };
        if let Some(base) = &s.public_base_url
            && !(base.starts_with("https://") || base.starts_with("http://"))
        {
            return Err(StartupError::Config(
                "server.public_base_url must start with https:// or http://".to_owned(),
            ));
        }
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Io {
                context: "cannot read the bound address".to_owned(),
                source,
            })?
            .port();
        // One page state for all workers: sessions live in it.
        let page = if settings.web.enabled {
            Some(
                innsyn_web::WebState::new(
                    settings.web.clone(),
                    deps.store.clone(),
                    zone,
                    deps.clock.clone(),
                )
                .map_err(|e| StartupError::Config(e.to_string()))?,
            )
        } else {
            None
        };
        let state = web::Data::new(AppState {
            store: deps.store,
            tokens: deps.tokens,
            clock: deps.clock,
            zone,
            scopes: settings.scopes.clone(),
            public_base_url: s
                .public_base_url
                .as_ref()
                .map(|b| b.trim_end_matches('/').to_owned()),
            body_limit: s.body_limit_bytes,
            retention_cutoff: deps.retention_cutoff,
            metrics: deps.metrics,
            store_gate: deps.store_gate,
        });
        let limiter = web::Data::new(RateLimiter::new(
            s.rate_limit_per_second,
            s.rate_limit_burst,
        ));
        let tls = tls_config.is_some();
        let openapi = ApiDoc::openapi();
        let factory = move || {
            app(
                state.clone(),
                limiter.clone(),
                tls,
                openapi.clone(),
                page.clone(),
            )
        };
        let mut server = HttpServer::new(factory)
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
        Ok(Self { port, tls, server })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether it serves HTTPS.
    pub fn tls(&self) -> bool {
        self.tls
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped (SIGTERM/SIGINT stop it gracefully: in-flight
    /// requests get `shutdown_timeout_secs` to finish).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The application: routes and middleware. Shared by the server and tests.
/// `page` mounts the citizen's page under [`innsyn_web::BASE_PATH`]; build it
/// once and clone it into every worker so they share its sessions.
pub fn app(
    state: web::Data<AppState>,
    limiter: web::Data<RateLimiter>,
    tls: bool,
    openapi: utoipa::openapi::OpenApi,
    page: Option<innsyn_web::WebState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let metrics = web::Data::new(state.metrics.clone());
    let get = |path: &str, handler| {
        web::resource(path)
            .route(web::get().to(handler))
            .default_service(web::to(ops::method_not_allowed))
    };
    App::new()
        .app_data(state)
        .app_data(limiter)
        .app_data(metrics)
        .app_data(web::Data::new(TlsOn(tls)))
        .wrap(from_fn(middleware::problem_fallback))
        .wrap(from_fn(middleware::rate_limit))
        .wrap(from_fn(middleware::security_headers))
        .wrap(from_fn(middleware::observe))
        .service(
            web::resource("/innlogginger/logg/idporten")
                .route(web::get().to(login_history::login_history))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource([
                "/metadata/v1/{userId}/accessHistory",
                "/metadata/v1/{userId}/accessHistory/",
            ])
            .route(web::get().to(access_history::access_history))
            .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/v1/login-events")
                .route(web::post().to(ingest::login_events))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/v1/access-records")
                .route(web::post().to(ingest::access_records))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/v1/catalog")
                .route(web::get().to(admin::get_catalog))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/v1/catalog/clients/{clientId}")
                .route(web::put().to(admin::put_client))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/v1/catalog/resources/{name}")
                .route(web::put().to(admin::put_resource))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/v1/retention")
                .route(web::post().to(admin::retention))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(get("/healthz", ops::healthz))
        .service(
            web::resource("/readyz")
                .route(web::get().to(ops::readyz))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/metrics")
                .route(web::get().to(ops::metrics))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/docs")
                .route(web::get().to(ops::docs_redirect))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", openapi))
        .configure(move |cfg| {
            if let Some(page) = page {
                innsyn_web::configure(cfg, page);
            }
        })
        .default_service(web::to(ops::not_found))
}

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
