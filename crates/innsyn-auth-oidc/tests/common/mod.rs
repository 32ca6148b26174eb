//! Test harness: the real OpenID provider of `tests/provider` (oidc-provider
//! on Node), one process per test, killed on drop.
//!
//! Node is `$NODE` or `node` on `PATH`. `npm ci` runs once when
//! `tests/provider/node_modules` lacks oidc-provider, under a file lock so
//! that parallel test processes (nextest) do not race.

// Test support: a provider that cannot start must fail the test loudly.
#![allow(dead_code, unreachable_pub, clippy::expect_used, clippy::panic)]

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::{Once, mpsc};
use std::time::Duration;

use innsyn_auth_oidc::{AuthMode, AuthSettings, ClientAuthMethod, OidcIntrospector, Secret};
use serde_json::Value;

pub const RS_CLIENT: &str = "innsyn-rs";
pub const RS_SECRET: &str = "innsyn-rs-secret";
pub const JWT_AUD: &str = "https://innsyn.test/jwt";
pub const OPAQUE_AUD: &str = "https://innsyn.test/opaque";
pub const PID: &str = "12345678901";
pub const SVC_A_ORGNO: &str = "991825827";

fn provider_dir() -> PathBuf {
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
                .expect("npm must be installed to run the provider tests");
            assert!(status.success(), "npm ci failed in {}", dir.display());
        }
        drop(lock);
    });
}

/// A running provider.
pub struct Provider {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    pub issuer: String,
    pub port: u16,
    pub key_file: PathBuf,
    log_file: PathBuf,
    _dir: tempfile::TempDir,
}

impl Provider {
    /// A provider on a free port with new keys.
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let key_file = dir.path().join("keys.json");
        Self::spawn(0, key_file, dir, &[])
    }

    /// A provider on a free port with new keys and extra environment.
    pub fn start_with_env(env: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let key_file = dir.path().join("keys.json");
        Self::spawn(0, key_file, dir, env)
    }

    /// A provider on `port` with the keys in `key_file` (made if missing).
    pub fn start_at(port: u16, key_file: &Path) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::spawn(port, key_file.to_owned(), dir, &[])
    }

    fn spawn(port: u16, key_file: PathBuf, dir: tempfile::TempDir, env: &[(&str, &str)]) -> Self {
        ensure_node_modules();
        let log_file = dir.path().join("provider.log");
        let log = File::create(&log_file).expect("log file");
        let mut child = Command::new(node())
            .arg("provider.mjs")
            .current_dir(provider_dir())
            .env("PORT", port.to_string())
            .env("KEY_FILE", &key_file)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("node must be installed to run the provider tests");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let read = reader.read_line(&mut line);
            let _ = tx.send((read.map(|_| line), reader));
        });
        let Ok((Ok(line), reader)) = rx.recv_timeout(Duration::from_secs(60)) else {
            let _ = child.kill();
            panic!(
                "the provider did not start:\n{}",
                std::fs::read_to_string(&log_file).unwrap_or_default()
            );
        };
        let ready: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "unexpected provider output {line:?}:\n{}",
                    std::fs::read_to_string(&log_file).unwrap_or_default()
                );
            }
        };
        Self {
            child,
            _stdout: reader,
            issuer: ready["issuer"].as_str().expect("issuer").to_owned(),
            port: u16::try_from(ready["port"].as_u64().expect("port")).expect("port"),
            key_file,
            log_file,
            _dir: dir,
        }
    }

    /// Kills the provider and waits until it is gone.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_file).unwrap_or_default()
    }

    /// POSTs to `/token`, returns the access token.
    pub async fn token(&self, client: &str, params: &[(&str, &str)]) -> String {
        let resp = reqwest::Client::new()
            .post(format!("{}/token", self.issuer))
            .basic_auth(client, Some(format!("{client}-secret")))
            .form(params)
            .send()
            .await
            .expect("token request");
        let status = resp.status();
        let body: Value = serde_json::from_slice(&resp.bytes().await.expect("body")).expect("json");
        assert!(status.is_success(), "token request failed: {status} {body}");
        body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// A user token from the test grant of `svc-a`.
    pub async fn user_token(&self, resource: &str, scope: &str, ttl: i64) -> String {
        let ttl = ttl.to_string();
        let mut params = vec![
            ("grant_type", "urn:innsyn:test:token"),
            ("subject", PID),
            ("resource", resource),
            ("ttl", &ttl),
        ];
        if !scope.is_empty() {
            params.push(("scope", scope));
        }
        self.token("svc-a", &params).await
    }

    /// A client-credentials token of `svc-a`.
    pub async fn client_token(&self, resource: &str, scope: &str) -> String {
        self.token(
            "svc-a",
            &[
                ("grant_type", "client_credentials"),
                ("resource", resource),
                ("scope", scope),
            ],
        )
        .await
    }

    pub async fn revoke(&self, token: &str) {
        let resp = reqwest::Client::new()
            .post(format!("{}/token/revocation", self.issuer))
            .basic_auth("svc-a", Some("svc-a-secret"))
            .form(&[("token", token)])
            .send()
            .await
            .expect("revocation");
        assert!(resp.status().is_success(), "revocation: {}", resp.status());
    }

    /// Number of introspection requests since start or the last reset.
    pub async fn introspections(&self) -> u64 {
        let resp = reqwest::get(format!("{}/__test/stats", self.issuer))
            .await
            .expect("stats");
        let v: Value = serde_json::from_slice(&resp.bytes().await.expect("body")).expect("json");
        v["introspections"].as_u64().expect("count")
    }

    pub async fn reset_stats(&self) {
        reqwest::Client::new()
            .delete(format!("{}/__test/stats", self.issuer))
            .send()
            .await
            .expect("reset stats");
    }

    /// Settings for this provider as ID-porten would be configured.
    pub fn settings(&self, mode: AuthMode, audience: &str) -> AuthSettings {
        AuthSettings {
            mode,
            issuer: self.issuer.clone(),
            audience: audience.to_owned(),
            subject_claim: "pid".to_owned(),
            client_id: RS_CLIENT.to_owned(),
            client_secret: Secret::new(RS_SECRET),
            client_auth_method: ClientAuthMethod::ClientSecretBasic,
            http_timeout_ms: 2_000,
            ..AuthSettings::default()
        }
    }

    pub fn introspector(&self, mode: AuthMode, audience: &str) -> OidcIntrospector {
        OidcIntrospector::new(&self.settings(mode, audience)).expect("valid settings")
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        self.stop();
    }
}
