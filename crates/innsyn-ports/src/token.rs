use std::fmt;

use async_trait::async_trait;
use innsyn_domain::Caller;

/// A bearer token as received (RFC 6750). `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps the token text.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token itself: for the validator only. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// Why a token did not yield a caller. Every variant but `Unavailable` is
/// the client's fault (HTTP 401 `invalid_token`); `Unavailable` is ours or
/// the issuer's (HTTP 503). Messages never contain the token or claims.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a token this validator can read (bad encoding, unknown format).
    #[error("the access token is malformed")]
    Malformed,
    /// The issuer says the token is not active (revoked, unknown).
    #[error("the access token is not active")]
    Inactive,
    /// Past its `exp` (or before its `nbf`), beyond the allowed leeway.
    #[error("the access token has expired or is not yet valid")]
    Expired,
    /// Issued for another resource server.
    #[error("the access token was issued for another audience")]
    WrongAudience,
    /// Issued by an issuer this server does not trust.
    #[error("the access token was issued by an untrusted issuer")]
    WrongIssuer,
    /// The signature does not verify, or uses an algorithm not allowed.
    #[error("the access token signature is invalid")]
    BadSignature,
    /// The token is valid but its claims cannot describe a caller
    /// (an invalid organisation number, subject or scope claim).
    #[error("the access token's claims are invalid: {0}")]
    BadClaims(String),
    /// The issuer (discovery, JWKS or introspection) could not be reached
    /// in time; try again later.
    #[error("the token issuer is unavailable: {0}")]
    Unavailable(String),
}

impl TokenError {
    /// Whether the client should get a new token (401) rather than retry (503).
    pub fn is_client_error(&self) -> bool {
        !matches!(self, TokenError::Unavailable(_))
    }
}

/// Turns a bearer token into a verified caller.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait TokenIntrospector: Send + Sync {
    /// Verifies `token` and maps its claims to a [`Caller`].
    ///
    /// # Errors
    /// A [`TokenError`] other than `Unavailable` when the token is not
    /// acceptable; `Unavailable` when the issuer could not be asked. Never
    /// panics on any input.
    async fn introspect(&self, token: &AccessToken) -> Result<Caller, TokenError>;

    /// Whether validation can work now (discovery and keys loaded, issuer
    /// reachable), for `/readyz`.
    ///
    /// # Errors
    /// `Unavailable` with a reason safe to show operators.
    async fn ready(&self) -> Result<(), TokenError>;
}
