//! The citizen's page "Min innloggingshistorikk" for the `innsyn` binary.
//!
//! A citizen logs in with OpenID Connect (authorization code + PKCE, `state`,
//! `nonce`, verified ID token) and sees their own login events and who
//! accessed their data, with misuse hints
//! ([`innsyn_domain::insights`]), filters, paging and a CSV/JSON download.
//! The page calls the same use cases as the API ([`innsyn_app::Service`]);
//! it has no data path of its own, and its store calls pass the same gate.
//!
//! Mounting (the server's composition root does this once):
//!
//! ```ignore
//! let web = innsyn_web::WebState::new(settings.web.clone(), service)?;
//! App::new().configure(|cfg| innsyn_web::configure(cfg, web.clone()))
//! ```
//!
//! Everything lives under [`BASE_PATH`] (`/min-side`). The page works without
//! JavaScript, ships its CSS from the binary and sends a strict
//! Content-Security-Policy.

mod disputes_html;
mod export;
mod handlers;
mod html;
mod i18n;
mod marks;
mod plain;
#[cfg(test)]
mod plain_tests;
mod reads_html;
mod return_to;
mod scope;
mod session;
mod view;

use std::fmt;
use std::sync::Arc;

use innsyn_app::Service;
use innsyn_domain::Secret;
use serde::{Deserialize, Serialize};

use crate::session::PageSecrets;

/// Where the page is mounted.
pub const BASE_PATH: &str = "/min-side";
/// The OpenID Connect redirect URI's path: register
/// `<public_base_url>/min-side/callback` at the provider.
pub const CALLBACK_PATH: &str = "/min-side/callback";

/// A pending login may take this long at the provider.
const PENDING_LOGIN_MINUTES: i64 = 10;

/// The `[web]` section of the configuration.
#[derive(Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebSettings {
    /// Serve the page at all (default `true`).
    pub enabled: bool,
    /// The OpenID provider's issuer URL; empty disables provider login.
    pub issuer_url: String,
    /// This page's client id at the provider.
    pub client_id: String,
    /// Its client secret (`client_secret_basic`); never printed.
    pub client_secret: Secret,
    /// The page's public origin, e.g. `https://innsyn.example.no`; the
    /// redirect URI is this plus [`CALLBACK_PATH`]. Default
    /// `http://127.0.0.1:8080`.
    pub public_base_url: String,
    /// The ID-token claim holding the citizen's identity (default `pid`,
    /// ID-porten's national identity number); `sub` is used when absent.
    pub subject_claim: String,
    /// Scopes asked for besides `openid` (default `profile`).
    pub scopes: String,
    /// A session ends this many seconds after its last use (default 1800,
    /// at least 60): idle expiry, renewed by each page view.
    pub session_ttl_secs: u64,
    /// …and this many seconds after the login however it is used (default
    /// 28800, 8 hours; at least `session_ttl_secs`): the absolute cap.
    pub session_max_secs: u64,
    /// Force the `Secure` cookie flag; it is set anyway when the request
    /// came over TLS or `public_base_url` is `https`.
    pub secure_cookies: bool,
    /// Where the provider sends the browser after logout; must be
    /// registered there. Default: none (the provider shows its own page).
    pub post_logout_redirect_uri: Option<String>,
    /// Offer `/min-side/dev-login`, a demo-citizen picker that logs in
    /// without a provider. Only `innsyn dev` turns this on.
    pub dev_picker: bool,
    /// The demo citizens the picker lists: an identifier, optionally
    /// followed by a space and a label (`"01818000010 Kari Nordmann (demo)"`).
    pub dev_subjects: Vec<String>,
}

impl Default for WebSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            issuer_url: String::new(),
            client_id: String::new(),
            client_secret: Secret::default(),
            public_base_url: "http://127.0.0.1:8080".into(),
            subject_claim: "pid".into(),
            scopes: "profile".into(),
            session_ttl_secs: 1800,
            session_max_secs: 28_800,
            secure_cookies: false,
            post_logout_redirect_uri: None,
            dev_picker: false,
            dev_subjects: Vec::new(),
        }
    }
}

impl fmt::Debug for WebSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebSettings")
            .field("enabled", &self.enabled)
            .field("issuer_url", &self.issuer_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("public_base_url", &self.public_base_url)
            .field("subject_claim", &self.subject_claim)
            .field("scopes", &self.scopes)
            .field("session_ttl_secs", &self.session_ttl_secs)
            .field("session_max_secs", &self.session_max_secs)
            .field("secure_cookies", &self.secure_cookies)
            .field("post_logout_redirect_uri", &self.post_logout_redirect_uri)
            .field("dev_picker", &self.dev_picker)
            .field("dev_subjects", &self.dev_subjects.len())
            .finish()
    }
}

/// A `[web]` setting that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid [web] configuration: {0}")]
pub struct WebConfigError(String);

/// A dev-picker entry split into identifier and label.
pub(crate) fn dev_subject(entry: &str) -> (&str, &str) {
    let entry = entry.trim();
    match entry.split_once(char::is_whitespace) {
        Some((id, label)) if !label.trim().is_empty() => (id, label.trim()),
        _ => (entry, entry),
    }
}

/// Everything the page's handlers share; cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct WebState {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) settings: WebSettings,
    pub(crate) service: Service,
    pub(crate) secrets: PageSecrets,
    pub(crate) csp: String,
}

impl fmt::Debug for WebState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebState")
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}

impl WebState {
    /// Builds the page's state over the use cases; the citizen login is
    /// the service's (configured by the composition root from these same
    /// `[web]` settings).
    ///
    /// # Errors
    /// None today; the provider's settings are checked where the relying
    /// party is built.
    pub fn new(settings: WebSettings, service: Service) -> Result<Self, WebConfigError> {
        let base = settings.public_base_url.trim_end_matches('/').to_owned();
        // The logout form's redirect to the provider counts as a form
        // submission in browsers' `form-action` checks.
        let form_action = match service.citizen_login_origin() {
            Some(origin) => format!("'self' {origin}"),
            None => "'self'".to_owned(),
        };
        let csp = format!(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action {form_action}; \
             frame-ancestors 'none'; base-uri 'none'"
        );
        let secs = |s: u64| time::Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX / 2));
        let idle = secs(settings.session_ttl_secs.max(60));
        let secrets = PageSecrets {
            idle,
            cap: secs(settings.session_max_secs).max(idle),
            pending: time::Duration::minutes(PENDING_LOGIN_MINUTES),
        };
        Ok(Self {
            inner: Arc::new(Inner {
                secrets,
                settings: WebSettings {
                    public_base_url: base,
                    ..settings
                },
                service,
                csp,
            }),
        })
    }

    /// The redirect URI registered at the provider: the public base URL
    /// plus [`CALLBACK_PATH`].
    pub fn redirect_uri(settings: &WebSettings) -> String {
        format!(
            "{}{CALLBACK_PATH}",
            settings.public_base_url.trim_end_matches('/')
        )
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

/// Mounts the page under [`BASE_PATH`] with its own security headers. Does
/// nothing when `enabled` is off.
pub fn configure(cfg: &mut actix_web::web::ServiceConfig, state: WebState) {
    if !state.inner.settings.enabled {
        return;
    }
    cfg.service(handlers::scope(state));
}
