//! The real stack for end-to-end tests: a fresh PostgreSQL database
//! (`DATABASE_URL` admin URL, via the store crate's test support) and the
//! real `Application` on a free port in a thread of its own. The OpenID
//! provider is the auth crate's `test_support::Provider`.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::mpsc;
use std::time::Duration;

use innsyn_auth_oidc::test_support::{JWT_AUD, OPAQUE_AUD, resource_server_settings};
use innsyn_auth_oidc::{AuthMode, AuthSettings};
use innsyn_server::config::Settings;
use innsyn_server::settings::ServerSettings;
use innsyn_server::{Application, Builder};
use innsyn_store_diesel::test_support::test_settings;

/// A running server; stopped on drop.
pub(crate) struct Server {
    pub(crate) port: u16,
    /// The use cases behind it, for what no HTTP route offers a test (the
    /// page's downloads without a browser login).
    pub(crate) service: innsyn_app::Service,
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

/// The settings of a real server: the test `[server]`, the database at
/// `db_url`, `auth` for tokens, everything else default.
pub(crate) fn real_settings(db_url: &str, auth: AuthSettings) -> Settings {
    Settings {
        server: test_server_settings(),
        database: test_settings(db_url),
        auth,
        ..Settings::default()
    }
}

/// Builds and runs an `Application` in a thread of its own; `customize`
/// replaces adapters on that thread before the build.
pub(crate) fn start_app(
    settings: Settings,
    customize: impl FnOnce(Builder) -> Builder + Send + 'static,
) -> Server {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = customize(Application::builder(&settings))
                .build()
                .expect("build");
            tx.send((app.port(), app.handle(), app.service().clone()))
                .unwrap();
            let _ = app.run_until_stopped().await;
        });
    });
    let (port, handle, service) = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("server start");
    Server {
        port,
        service,
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
    start_app(real_settings(db_url, auth), |b| b)
}

/// The real application validating opaque tokens by introspection.
pub(crate) fn start_introspection_server(db_url: &str, issuer: &str) -> Server {
    start_server_with(db_url, introspection_settings(issuer))
}

/// The real application over the database at `db_url` and the provider.
pub(crate) fn start_server(db_url: &str, issuer: &str) -> Server {
    start_server_with(db_url, auth_settings(issuer))
}
