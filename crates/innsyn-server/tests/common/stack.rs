//! The real stack for end-to-end tests: the test OpenID provider (node,
//! `crates/innsyn-auth-oidc/tests/provider`), a fresh PostgreSQL database
//! (`DATABASE_URL` admin URL, via the store crate's test support) and the
//! real `Application` on a free port in a thread of its own.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs::{File, OpenOptions};
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Once, mpsc};
use std::time::Duration;

use innsyn_auth_oidc::{AuthMode, AuthSettings, OidcIntrospector, Secret};
use innsyn_server::metrics::{Metrics, PoolMetrics};
use innsyn_server::settings::ServerSettings;
use innsyn_server::{AppSettings, Application, Deps, SystemClock};
use innsyn_store_diesel::Store;
use innsyn_store_diesel::test_support::test_settings;
use serde_json::Value;

use super::request;

pub(crate) const PID: &str = "12345678901";
pub(crate) const JWT_AUD: &str = "https://innsyn.test/jwt";
/// The provider issues opaque tokens for resources containing `opaque`.
pub(crate) const OPAQUE_AUD: &str = "https://innsyn.test/opaque";

fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../innsyn-auth-oidc/tests/provider")
}

fn ensure_node_modules() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let dir = provider_dir();
        let marker = dir.join("node_modules/oidc-provider/package.json");
        if marker.exists() {
            return;
        }
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(".npm-ci.lock"))
            .expect("open npm lock file");
        lock.lock().expect("lock npm lock file");
        if !marker.exists() {
            let status = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&dir)
                .status()
                .expect("npm must be installed to run the end-to-end tests");
            assert!(status.success(), "npm ci failed in {}", dir.display());
        }
        drop(lock);
    });
}

/// The running test provider; killed on drop.
pub(crate) struct Provider {
    child: Child,
    pub(crate) issuer: String,
    pub(crate) port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn basic(client: &str) -> &'static str {
    match client {
        "svc-a" => "Basic c3ZjLWE6c3ZjLWEtc2VjcmV0",
        "svc-b" => "Basic c3ZjLWI6c3ZjLWItc2VjcmV0",
        "writer" => "Basic d3JpdGVyOndyaXRlci1zZWNyZXQ=",
        other => panic!("no secret for {other}"),
    }
}

fn form(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(k, v)| {
            let enc: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={enc}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

impl Provider {
    pub(crate) fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts the provider with extra environment (`HOST`, `PORT`, `ISSUER`…).
    pub(crate) fn start_with(env: &[(&str, &str)]) -> Self {
        ensure_node_modules();
        let dir = tempfile::tempdir().unwrap();
        let log = File::create(dir.path().join("provider.log")).unwrap();
        let mut command = Command::new(std::env::var("NODE").unwrap_or_else(|_| "node".into()));
        command
            .arg("provider.mjs")
            .current_dir(provider_dir())
            .env("PORT", "0")
            .env_remove("HOST")
            .env_remove("ISSUER")
            .env("KEY_FILE", dir.path().join("keys.json"));
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("node must be installed to run the end-to-end tests");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            // Keep the pipe open while the provider runs.
            let mut sink = String::new();
            while reader.read_line(&mut sink).unwrap_or(0) > 0 {}
        });
        let line = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_default();
        let ready: Value = serde_json::from_str(&line).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!(
                "the provider did not start: {}",
                std::fs::read_to_string(dir.path().join("provider.log")).unwrap_or_default()
            )
        });
        Self {
            child,
            issuer: ready["issuer"].as_str().unwrap().to_owned(),
            port: u16::try_from(ready["port"].as_u64().unwrap()).unwrap(),
            _dir: dir,
        }
    }

    /// POSTs to `/token` as `client`; the access token.
    pub(crate) fn token(&self, client: &str, params: &[(&str, &str)]) -> String {
        let body = form(params);
        let res = request(
            self.port,
            "POST",
            "/token",
            &[
                ("Authorization", basic(client)),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            Some(body.as_bytes()),
        );
        assert_eq!(res.status, 200, "token request failed: {}", res.text());
        res.json()["access_token"].as_str().unwrap().to_owned()
    }

    /// A user token of `svc-a` (orgno 991825827) for `subject`.
    pub(crate) fn user(&self, subject: &str, scope: &str) -> String {
        self.user_as("svc-a", subject, scope, JWT_AUD, 600)
    }

    pub(crate) fn user_as(
        &self,
        client: &str,
        subject: &str,
        scope: &str,
        resource: &str,
        ttl: i64,
    ) -> String {
        let ttl = ttl.to_string();
        let mut p = vec![
            ("grant_type", "urn:innsyn:test:token"),
            ("subject", subject),
            ("resource", resource),
            ("ttl", ttl.as_str()),
        ];
        if !scope.is_empty() {
            p.push(("scope", scope));
        }
        self.token(client, &p)
    }

    /// `GET /__test/stats`: `{"introspections":n,"token_requests":m}`.
    pub(crate) fn stats(&self) -> Value {
        let res = request(self.port, "GET", "/__test/stats", &[], None);
        assert_eq!(res.status, 200, "{}", res.text());
        res.json()
    }

    /// Introspection requests since start or the last reset.
    pub(crate) fn introspections(&self) -> u64 {
        self.stats()["introspections"].as_u64().unwrap()
    }

    /// `DELETE /__test/stats`: counters back to 0.
    pub(crate) fn reset_stats(&self) {
        let res = request(self.port, "DELETE", "/__test/stats", &[], None);
        assert_eq!(res.status, 204, "{}", res.text());
    }

    /// Revokes `token` as `client` (the client it was issued to).
    pub(crate) fn revoke(&self, client: &str, token: &str) {
        let body = form(&[("token", token)]);
        let res = request(
            self.port,
            "POST",
            "/token/revocation",
            &[
                ("Authorization", basic(client)),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            Some(body.as_bytes()),
        );
        assert_eq!(res.status, 200, "revocation failed: {}", res.text());
    }

    /// A client-credentials token of `writer` (orgno 991825827).
    pub(crate) fn client(&self, client: &str, scope: &str) -> String {
        self.token(
            client,
            &[
                ("grant_type", "client_credentials"),
                ("resource", JWT_AUD),
                ("scope", scope),
            ],
        )
    }
}

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

pub(crate) fn auth_settings(issuer: &str) -> AuthSettings {
    AuthSettings {
        mode: AuthMode::Auto,
        issuer: issuer.to_owned(),
        audience: JWT_AUD.to_owned(),
        subject_claim: "pid".to_owned(),
        client_id: "innsyn-rs".to_owned(),
        client_secret: Secret::new("innsyn-rs-secret"),
        ..AuthSettings::default()
    }
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
    AuthSettings {
        mode: AuthMode::Introspection,
        audience: OPAQUE_AUD.to_owned(),
        ..auth_settings(issuer)
    }
}

/// The real application validating opaque tokens by introspection.
pub(crate) fn start_introspection_server(db_url: &str, issuer: &str) -> Server {
    let db_url = db_url.to_owned();
    let auth = introspection_settings(issuer);
    let settings = AppSettings {
        server: test_server_settings(),
        ..AppSettings::default()
    };
    start_app(settings, move || real_deps(&db_url, &auth))
}

/// The real application over the database at `db_url` and the provider.
pub(crate) fn start_server(db_url: &str, issuer: &str) -> Server {
    let db_url = db_url.to_owned();
    let auth = auth_settings(issuer);
    let settings = AppSettings {
        server: test_server_settings(),
        ..AppSettings::default()
    };
    start_app(settings, move || real_deps(&db_url, &auth))
}
