//! A running provider: its address, its log, its test routes, and settings
//! that point at it.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::{KillOnDrop, ProviderBuilder, RS_CLIENT, RS_SECRET, http};
use crate::{AuthMode, AuthSettings, OidcIntrospector, Secret};

/// A running test provider; killed on drop.
#[derive(Debug)]
pub struct Provider {
    pub(super) child: KillOnDrop,
    /// Its issuer URL (`http://127.0.0.1:<port>` unless `ISSUER`/`HOST`
    /// said otherwise).
    pub issuer: String,
    /// The port it listens on (on loopback).
    pub port: u16,
    /// Its private JWKS.
    pub key_file: PathBuf,
    pub(super) log_file: PathBuf,
    pub(super) _dir: tempfile::TempDir,
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
    pub(super) fn request(
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
