use std::fmt;

use async_trait::async_trait;

/// A login started at the OpenID provider and not yet finished: what the
/// relying party must keep until the browser comes back. `Debug` never
/// prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct PendingLogin {
    /// The `state` sent to the provider (CSRF protection of the callback).
    pub state: String,
    /// The `nonce` the ID token must carry.
    pub nonce: String,
    /// The PKCE (S256) code verifier.
    pub pkce_verifier: String,
}

impl fmt::Debug for PendingLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PendingLogin(<redacted>)")
    }
}

/// Where to send the browser to log in, and what to keep meanwhile.
#[derive(Debug, Clone)]
pub struct LoginStart {
    /// The provider's authorization URL for this login.
    pub authorize_url: String,
    /// Kept server-side until the callback.
    pub pending: PendingLogin,
}

/// A finished login: the verified subject and the raw ID token (kept only
/// as the logout hint). `Debug` never prints either.
#[derive(Clone)]
pub struct LoggedIn {
    /// The configured identity claim (ID-porten: `pid`), else `sub`.
    pub subject: String,
    /// The ID token as received.
    pub id_token: String,
}

impl fmt::Debug for LoggedIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LoggedIn(<redacted>)")
    }
}

/// Why a login could not be started or finished. Messages are safe to log:
/// they never carry tokens, codes or claims.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    /// The provider could not be reached or answered badly: try later.
    #[error("the OpenID provider could not be reached or answered badly: {0}")]
    Unavailable(String),
    /// The provider's answer was refused (bad code, ID token that does not
    /// verify, missing ID token).
    #[error("the login response was refused: {0}")]
    Rejected(String),
}

/// The citizen page's relying party: OpenID Connect authorization code flow
/// with PKCE, `state` and `nonce`, the ID token verified.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait CitizenLogin: Send + Sync {
    /// Starts a login; `ui_locale` is passed on as `ui_locales`.
    ///
    /// # Errors
    /// [`LoginError::Unavailable`] when the provider cannot be discovered.
    async fn begin(&self, ui_locale: &str) -> Result<LoginStart, LoginError>;

    /// Exchanges `code` and verifies the ID token against `pending`.
    ///
    /// # Errors
    /// [`LoginError`].
    async fn finish(&self, pending: PendingLogin, code: String) -> Result<LoggedIn, LoginError>;

    /// The provider's end-session URL (RP-initiated logout) when it
    /// advertises one, with `id_token_hint` when given.
    async fn logout_url(&self, id_token: Option<String>, ui_locale: &str) -> Option<String>;

    /// The issuer's origin (`https://host[:port]`), for the page's
    /// `form-action` policy.
    fn issuer_origin(&self) -> String;
}
