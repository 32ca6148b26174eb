//! Test support (feature `test-support`): the real OpenID provider of
//! `tests/provider` (oidc-provider on Node) for the tests of this crate,
//! the server's end-to-end tests and the citizen page's browser test.
//!
//! One [`Provider`] is one `node provider.mjs` process on loopback, killed
//! on drop. Node is `$NODE` or `node` on `PATH`. `npm ci` runs once when
//! `tests/provider/node_modules` lacks oidc-provider, under a file lock
//! (`tests/provider/.npm-ci.lock`) so that parallel test processes do not
//! install over each other.
//!
//! Tokens are minted over a minimal HTTP/1.1 client on loopback ([`http`]),
//! blocking and dependency-free, so sync tests and async tests alike can
//! call it (the provider is another process: blocking a test's executor
//! thread while it answers cannot deadlock).

// Test support: a provider that cannot start, or a token request that
// fails, must fail the test loudly and at once.
#![allow(clippy::expect_used, clippy::panic)]

use std::fs::{File, OpenOptions};
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Once, mpsc};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::{AuthMode, AuthSettings, OidcIntrospector, Secret};

pub mod http;

/// The resource server's client at the provider (introspection).
pub const RS_CLIENT: &str = "innsyn-rs";
/// Its secret.
pub const RS_SECRET: &str = "innsyn-rs-secret";
/// A resource indicator for which the provider issues JWT access tokens.
pub const JWT_AUD: &str = "https://innsyn.test/jwt";
/// A resource indicator for which the provider issues opaque access tokens
/// (any resource containing `opaque`).
pub const OPAQUE_AUD: &str = "https://innsyn.test/opaque";
/// The test citizen.
pub const PID: &str = "12345678901";
/// The organisation number of the clients `svc-a` and `writer`.
pub const SVC_A_ORGNO: &str = "991825827";

/// The environment the provider reads; cleared before every start so that
/// the test process's own environment (a shell's `HOST`, say) never leaks in.
const PROVIDER_ENV: [&str; 6] = [
    "HOST",
    "PORT",
    "ISSUER",
    "KEY_FILE",
    "EXTRA_REDIRECT_URIS",
    "PKJWT_CLIENT_JWKS",
];

/// The provider's folder (`crates/innsyn-auth-oidc/tests/provider`).
#[must_use]
pub fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/provider")
}

fn node() -> String {
    std::env::var("NODE").unwrap_or_else(|_| "node".to_owned())
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
                .expect("npm must be installed to run the OpenID provider");
            assert!(status.success(), "npm ci failed in {}", dir.display());
        }
        drop(lock);
    });
}

/// Kills a child process (ours, by its id) and waits for it when dropped.
#[derive(Debug)]
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// How to start a [`Provider`]: [`Provider::builder`].
#[derive(Debug, Default)]
#[must_use]
pub struct ProviderBuilder {
    port: u16,
    key_file: Option<PathBuf>,
    log_file: Option<PathBuf>,
    env: Vec<(String, String)>,
}

impl ProviderBuilder {
    /// Listens on `port` (default 0: a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Uses the keys in `key_file`, made there if missing (default: new
    /// keys in a temporary folder).
    pub fn key_file(mut self, key_file: &Path) -> Self {
        self.key_file = Some(key_file.to_owned());
        self
    }

    /// Writes the provider's stderr to `log_file` (default: a temporary
    /// folder; see [`Provider::log`]).
    pub fn log_file(mut self, log_file: &Path) -> Self {
        self.log_file = Some(log_file.to_owned());
        self
    }

    /// Sets one more environment variable of the provider (`HOST`,
    /// `ISSUER`, `EXTRA_REDIRECT_URIS`, `PKJWT_CLIENT_JWKS`, or `PORT`,
    /// which wins over [`Self::port`]).
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Starts the provider and waits (60 s at most) for its ready line.
    ///
    /// # Panics
    /// When node or npm is missing or the provider does not start.
    #[must_use]
    pub fn start(self) -> Provider {
        ensure_node_modules();
        let dir = tempfile::tempdir().expect("temp dir");
        let key_file = self
            .key_file
            .unwrap_or_else(|| dir.path().join("keys.json"));
        let log_file = self
            .log_file
            .unwrap_or_else(|| dir.path().join("provider.log"));
        let log = File::create(&log_file).expect("provider log file");
        let mut command = Command::new(node());
        command.arg("provider.mjs").current_dir(provider_dir());
        for key in PROVIDER_ENV {
            command.env_remove(key);
        }
        command
            .env("PORT", self.port.to_string())
            .env("KEY_FILE", &key_file)
            .envs(self.env)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log);
        let mut child = command
            .spawn()
            .expect("node must be installed to run the OpenID provider");
        let stdout = child.stdout.take().expect("piped stdout");
        let child = KillOnDrop(child);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            // Keep the pipe open (and drained) while the provider runs.
            let mut sink = String::new();
            while reader.read_line(&mut sink).unwrap_or(0) > 0 {
                sink.clear();
            }
        });
        let line = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_default();
        let Ok(ready) = serde_json::from_str::<Value>(&line) else {
            drop(child);
            panic!(
                "the provider did not start (stdout {line:?}):\n{}",
                std::fs::read_to_string(&log_file).unwrap_or_default()
            );
        };
        Provider {
            child,
            issuer: ready["issuer"].as_str().expect("issuer").to_owned(),
            port: u16::try_from(ready["port"].as_u64().expect("port")).expect("port"),
            key_file,
            log_file,
            _dir: dir,
        }
    }
}

/// A running test provider; killed on drop.
#[derive(Debug)]
pub struct Provider {
    child: KillOnDrop,
    /// Its issuer URL (`http://127.0.0.1:<port>` unless `ISSUER`/`HOST`
    /// said otherwise).
    pub issuer: String,
    /// The port it listens on (on loopback).
    pub port: u16,
    /// Its private JWKS.
    pub key_file: PathBuf,
    log_file: PathBuf,
    _dir: tempfile::TempDir,
}

impl Provider {
    /// How to start one.
    pub fn builder() -> ProviderBuilder {
        ProviderBuilder::default()
    }

    /// A provider on a free port with new keys.
    #[must_use]
    pub fn start() -> Self {
        Self::builder().start()
    }

    /// A provider on a free port with new keys and extra environment
    /// (`HOST`, `PORT`, `ISSUER`, `EXTRA_REDIRECT_URIS`, …).
    #[must_use]
    pub fn start_with(env: &[(&str, &str)]) -> Self {
        env.iter()
            .fold(Self::builder(), |b, (k, v)| b.env(k, v))
            .start()
    }

    /// A provider on `port` (0: a free one) with the keys in `key_file`
    /// (made if missing).
    #[must_use]
    pub fn start_at(port: u16, key_file: &Path) -> Self {
        Self::builder().port(port).key_file(key_file).start()
    }

    /// Kills the provider and waits until it is gone.
    pub fn stop(&mut self) {
        let _ = self.child.0.kill();
        let _ = self.child.0.wait();
    }

    /// What the provider wrote to stderr so far.
    #[must_use]
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_file).unwrap_or_default()
    }

    /// One request to the provider on loopback (`path` absolute, e.g. `/token`).
    fn request(
        &self,
        method: &str,
        path: &str,
        client: Option<&str>,
        form: &[(&str, &str)],
    ) -> http::Response {
        let auth = client.map(|c| format!("Basic {}", STANDARD.encode(format!("{c}:{c}-secret"))));
        let mut headers = Vec::new();
        if let Some(auth) = &auth {
            headers.push(("Authorization", auth.as_str()));
        }
        let body = (!form.is_empty()).then(|| http::form(form));
        if body.is_some() {
            headers.push(("Content-Type", "application/x-www-form-urlencoded"));
        }
        http::request(
            self.port,
            method,
            path,
            &headers,
            body.as_deref().map(str::as_bytes),
        )
    }

    /// POSTs to `/token` as `client` (secret `<client>-secret`, HTTP Basic);
    /// the access token.
    ///
    /// # Panics
    /// When the provider refuses.
    #[must_use]
    pub fn token(&self, client: &str, params: &[(&str, &str)]) -> String {
        let res = self.request("POST", "/token", Some(client), params);
        assert_eq!(res.status, 200, "token request failed: {}", res.text());
        res.json()["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// A user token from the test grant `urn:innsyn:test:token` of `client`
    /// for `subject` and `resource`, with `scope` (none if empty), expiring
    /// in `ttl` seconds (already expired if `ttl <= 0`).
    #[must_use]
    pub fn user_as(
        &self,
        client: &str,
        subject: &str,
        scope: &str,
        resource: &str,
        ttl: i64,
    ) -> String {
        let ttl = ttl.to_string();
        let mut params = vec![
            ("grant_type", "urn:innsyn:test:token"),
            ("subject", subject),
            ("resource", resource),
            ("ttl", ttl.as_str()),
        ];
        if !scope.is_empty() {
            params.push(("scope", scope));
        }
        self.token(client, &params)
    }

    /// A user token of `svc-a` (orgno [`SVC_A_ORGNO`]) for [`PID`] and `resource`.
    #[must_use]
    pub fn user_token(&self, resource: &str, scope: &str, ttl: i64) -> String {
        self.user_as("svc-a", PID, scope, resource, ttl)
    }

    /// A user token of `svc-a` for `subject` and [`JWT_AUD`], valid 600 s.
    #[must_use]
    pub fn user(&self, subject: &str, scope: &str) -> String {
        self.user_as("svc-a", subject, scope, JWT_AUD, 600)
    }

    /// A client-credentials token of `client` for `resource`.
    #[must_use]
    pub fn client_token(&self, client: &str, resource: &str, scope: &str) -> String {
        self.token(
            client,
            &[
                ("grant_type", "client_credentials"),
                ("resource", resource),
                ("scope", scope),
            ],
        )
    }

    /// Revokes `token` as `client` (the client it was issued to).
    ///
    /// # Panics
    /// When the provider refuses.
    pub fn revoke(&self, client: &str, token: &str) {
        let res = self.request(
            "POST",
            "/token/revocation",
            Some(client),
            &[("token", token)],
        );
        assert_eq!(res.status, 200, "revocation failed: {}", res.text());
    }

    /// `GET /__test/stats`: `{"introspections":n,"token_requests":m}`.
    #[must_use]
    pub fn stats(&self) -> Value {
        let res = self.request("GET", "/__test/stats", None, &[]);
        assert_eq!(res.status, 200, "{}", res.text());
        res.json()
    }

    /// Introspection requests since start or the last reset.
    #[must_use]
    pub fn introspections(&self) -> u64 {
        self.stats()["introspections"]
            .as_u64()
            .expect("introspections")
    }

    /// `DELETE /__test/stats`: counters back to 0.
    pub fn reset_stats(&self) {
        let res = self.request("DELETE", "/__test/stats", None, &[]);
        assert_eq!(res.status, 204, "{}", res.text());
    }

    /// Settings for this provider as ID-porten would be configured, with
    /// a short HTTP timeout.
    #[must_use]
    pub fn settings(&self, mode: AuthMode, audience: &str) -> AuthSettings {
        AuthSettings {
            http_timeout_ms: 2_000,
            ..resource_server_settings(&self.issuer, mode, audience)
        }
    }

    /// A validator with [`Self::settings`].
    #[must_use]
    pub fn introspector(&self, mode: AuthMode, audience: &str) -> OidcIntrospector {
        OidcIntrospector::new(&self.settings(mode, audience)).expect("valid settings")
    }
}

/// `[auth]` for a test provider at `issuer`: the resource server
/// [`RS_CLIENT`] (HTTP Basic), subject claim `pid`, other settings default.
#[must_use]
pub fn resource_server_settings(issuer: &str, mode: AuthMode, audience: &str) -> AuthSettings {
    AuthSettings {
        mode,
        issuer: issuer.to_owned(),
        audience: audience.to_owned(),
        subject_claim: "pid".to_owned(),
        client_id: RS_CLIENT.to_owned(),
        client_secret: Secret::new(RS_SECRET),
        ..AuthSettings::default()
    }
}
