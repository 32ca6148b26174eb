//! Token validation and citizen login for innsyn: implementations of
//! [`innsyn_ports::TokenIntrospector`] and [`innsyn_ports::CitizenLogin`].
//!
//! * [`OidcIntrospector`]: one OpenID issuer (ID-porten, Maskinporten, …).
//!   JWT access tokens (RFC 9068) are verified locally against the JWKS found
//!   by discovery (RS256, PS256, ES256, EdDSA only; an unknown `kid` causes
//!   one rate-limited JWKS refresh; a verified token is remembered by its
//!   SHA-256 until `exp`, at most `jwt_cache_max_ttl_secs`); opaque tokens
//!   are checked by RFC 7662
//!   introspection with this server's client credentials, cached by the
//!   SHA-256 of the token, single-flight and bounded.
//! * [`RelyingParty`]: the citizen page's OpenID Connect login, an
//!   implementation of [`innsyn_ports::CitizenLogin`] (authorization code
//!   with PKCE, `state`, `nonce`, the ID token verified).
//! * [`DevIssuer`] / [`DevIntrospector`]: the local dev issuer of
//!   `innsyn dev` and `innsyn token`, accepted only in `mode = "dev"`.
//!
//! Configuration is the `[auth]` section, [`AuthSettings`].

mod assertion;
mod cache;
mod claims;
mod dev;
mod discovery;
mod jwt;
mod oidc;
mod outbound;
mod relying_party;
mod settings;
#[cfg(feature = "test-support")]
pub mod test_support;

use std::path::Path;
use std::sync::Arc;

use innsyn_ports::TokenIntrospector;

pub use cache::CacheStats;
pub use dev::{DEV_KEY_FILE, DevIntrospector, DevIssuer, DevIssuerError, DevTokenRequest};
pub use innsyn_domain::Secret;
pub use oidc::OidcIntrospector;
pub use relying_party::{RelyingParty, RelyingPartyError, RelyingPartySettings};
pub use settings::{
    AuthMode, AuthSettings, ClientAuthMethod, DEV_AUDIENCE, DEV_ISSUER, DevSettings,
};

/// The `[auth]` settings cannot make a validator.
#[derive(Debug, thiserror::Error)]
pub enum AuthConfigError {
    /// A required setting is empty.
    #[error("{0} must be set")]
    Missing(&'static str),
    /// A setting has an unusable value.
    #[error("{0} is invalid: {1}")]
    Invalid(&'static str, &'static str),
    /// `OidcIntrospector` was asked to serve `mode = "dev"`.
    #[error("auth.mode = \"dev\" is served by the dev issuer, not an OpenID issuer")]
    DevMode,
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
    /// The dev issuer's key could not be loaded or created.
    #[error(transparent)]
    Dev(#[from] DevIssuerError),
}

/// The validator `settings.mode` asks for: the dev issuer's (key under
/// `data_dir`) for `dev`, else an [`OidcIntrospector`].
///
/// # Errors
/// [`AuthConfigError`] when the settings are incomplete or the dev key
/// cannot be loaded.
pub fn build_introspector(
    settings: &AuthSettings,
    data_dir: &Path,
) -> Result<Arc<dyn TokenIntrospector>, AuthConfigError> {
    match settings.mode {
        AuthMode::Dev => Ok(Arc::new(
            DevIssuer::load_or_create(data_dir, settings)?.introspector(),
        )),
        _ => Ok(Arc::new(OidcIntrospector::new(settings)?)),
    }
}
