//! The real stack for end-to-end tests: a fresh PostgreSQL database
//! (`DATABASE_URL` admin URL, via the store crate's test support) and the
//! real `Application` on a free port in a thread of its own. The OpenID
//! provider is the auth crate's `test_support::Provider`.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, mpsc};
use std::time::Duration;

use innsyn_auth_oidc::test_support::{JWT_AUD, OPAQUE_AUD, resource_server_settings};
use innsyn_auth_oidc::{AuthMode, AuthSettings, OidcIntrospector};
use innsyn_server::metrics::{Metrics, PoolMetrics};
use innsyn_server::settings::ServerSettings;
use innsyn_server::{AppSettings, Application, Deps, StoreGate, SystemClock};
use innsyn_store_diesel::Store;
use innsyn_store_diesel::test_support::test_settings;

/// A running server; stopped on drop.
pub(crate) struct Server {
    pub(crate) port: u16,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let h = self.handle.clone();
        let _ = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(h.stop(false));
        })
        .join();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// `[auth]` for JWT access tokens from the test provider at `issuer`,
/// audience [`JWT_AUD`].
pub(crate) fn auth_settings(issuer: &str) -> AuthSettings {
    resource_server_settings(issuer, AuthMode::Auto, JWT_AUD)
}

/// The `[server]` settings of the tests: plain HTTP on a free loopback port,
/// no rate limit, two workers.
pub(crate) fn test_server_settings() -> ServerSettings {
    ServerSettings {
        bind: "127.0.0.1:0".into(),
        allow_plain_http: true,
        rate_limit_per_second: 0,
        workers: 2,
        shutdown_timeout_secs: 1,
        ..ServerSettings::default()
    }
}

/// The real store on the database at `db_url` and a validator with `auth`.
pub(crate) fn real_deps(db_url: &str, auth: &AuthSettings) -> Deps {
    let store = Arc::new(Store::connect(&test_settings(db_url)).expect("store"));
    let s = Arc::clone(&store);
    let tokens = Arc::new(OidcIntrospector::new(auth).expect("introspector"));
    Deps {
        store,
        tokens,
        clock: Arc::new(SystemClock),
        metrics: Metrics::with_sources(vec![Arc::new(PoolMetrics::of_store(Arc::clone(&s)))]),
        retention_cutoff: Arc::new(move |now| s.retention_cutoff(now)),
        store_gate: StoreGate::default(),
    }
}

/// Builds and runs an `Application` in a thread of its own; `deps` is
/// called on that thread.
pub(crate) fn start_app(
    settings: AppSettings,
    deps: impl FnOnce() -> Deps + Send + 'static,
) -> Server {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = Application::build(&settings, deps()).expect("build");
            tx.send((app.port(), app.handle())).unwrap();
            let _ = app.run_until_stopped().await;
        });
    });
    let (port, handle) = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("server start");
    Server {
        port,
        handle,
        thread: Some(thread),
    }
}

/// `[auth]` for opaque tokens: RFC 7662 introspection at the provider as
/// the resource server `innsyn-rs`, audience [`OPAQUE_AUD`].
pub(crate) fn introspection_settings(issuer: &str) -> AuthSettings {
    resource_server_settings(issuer, AuthMode::Introspection, OPAQUE_AUD)
}

/// The real application over the database at `db_url`, validating with `auth`.
pub(crate) fn start_server_with(db_url: &str, auth: AuthSettings) -> Server {
    let db_url = db_url.to_owned();
    let settings = AppSettings {
        server: test_server_settings(),
        ..AppSettings::default()
    };
    start_app(settings, move || real_deps(&db_url, &auth))
}

/// The real application validating opaque tokens by introspection.
pub(crate) fn start_introspection_server(db_url: &str, issuer: &str) -> Server {
    start_server_with(db_url, introspection_settings(issuer))
}

/// The real application over the database at `db_url` and the provider.
pub(crate) fn start_server(db_url: &str, issuer: &str) -> Server {
    start_server_with(db_url, auth_settings(issuer))
}
