//! The `[auth]` configuration section.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use innsyn_domain::Secret;

#[cfg(test)]
mod tests;

/// How bearer tokens are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    /// Only JWT access tokens (RFC 9068), verified locally against the
    /// issuer's JWKS; anything else is malformed.
    Jwt,
    /// Only RFC 7662 introspection at the issuer (cached).
    Introspection,
    /// A JWT-shaped token (three base64url parts) is verified locally, any
    /// other token is introspected.
    #[default]
    Auto,
    /// Only tokens of the local dev issuer ([`crate::DevIssuer`]); never in
    /// production. The server wires the dev validator only in this mode.
    Dev,
}

/// How the resource server authenticates itself at the introspection
/// endpoint (RFC 7591 names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthMethod {
    /// HTTP Basic with the form-encoded client id and secret.
    #[default]
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the form body.
    ClientSecretPost,
    /// A JWT signed with `client_private_key_file` (RFC 7523), `aud` = the
    /// issuer; no secret.
    PrivateKeyJwt,
}

/// Settings of the local dev issuer (`innsyn dev`, `innsyn token`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct DevSettings {
    /// The `iss` of dev tokens. Not a URL, so no real issuer can collide.
    pub issuer: String,
}

/// The issuer string dev tokens carry by default.
pub const DEV_ISSUER: &str = "urn:innsyn:dev";
/// The audience dev tokens carry when `auth.audience` is empty.
pub const DEV_AUDIENCE: &str = "urn:innsyn:api";

impl Default for DevSettings {
    fn default() -> Self {
        Self {
            issuer: DEV_ISSUER.to_owned(),
        }
    }
}

/// The `[auth]` section: how access tokens become callers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    /// `jwt`, `introspection`, `auto` or `dev`.
    pub mode: AuthMode,
    /// The issuer identifier; discovery reads
    /// `{issuer}/.well-known/openid-configuration` and its `issuer` must be
    /// exactly this string.
    pub issuer: String,
    /// This resource server's identifier: JWTs must name it in `aud`
    /// (required for `jwt` and `auto`; for introspection it is checked when
    /// the response carries `aud`).
    pub audience: String,
    /// The claim holding the person (ID-porten: `pid`).
    pub subject_claim: String,
    /// The claim holding the client's organisation number: a string
    /// (`991825827` or `0192:991825827`) or Maskinporten's
    /// `{"authority":"iso6523-actorid-upis","ID":"0192:…"}`.
    pub orgno_claim: String,
    /// Also accept JWTs whose header `typ` is `JWT` or absent. RFC 9068 wants
    /// `at+jwt`; some issuers (Maskinporten) do not send it. The audience
    /// check still keeps ID tokens out.
    pub accept_generic_jwt_typ: bool,
    /// Client id of this resource server at the issuer (introspection).
    pub client_id: String,
    /// Its client secret.
    pub client_secret: Secret,
    /// `client_secret_basic`, `client_secret_post` or `private_key_jwt`.
    pub client_auth_method: ClientAuthMethod,
    /// For `private_key_jwt`: a PKCS#8 PEM file (`BEGIN PRIVATE KEY`) with an
    /// Ed25519, P-256 or RSA key, read at start.
    pub client_private_key_file: String,
    /// For `private_key_jwt`: the `kid` to put in the assertion header
    /// (empty: none).
    pub client_key_id: String,
    /// Timeout of every call to the issuer (discovery, JWKS, introspection).
    pub http_timeout_ms: u64,
    /// Allowed clock skew for `exp` and `nbf`.
    pub leeway_secs: u64,
    /// Longest time an active introspection result is reused (never past
    /// the token's `exp`).
    pub introspection_cache_max_ttl_secs: u64,
    /// Most introspection results kept; the soonest-expiring go first.
    pub introspection_cache_capacity: usize,
    /// How long a negative introspection result (inactive, bad claims) is
    /// reused.
    pub inactive_cache_secs: u64,
    /// Most verified JWTs remembered (by SHA-256) so a repeated token skips
    /// the signature check; 0 turns this off.
    pub jwt_cache_capacity: usize,
    /// Longest time a verified JWT is remembered (never past its `exp`). A
    /// key removed from the JWKS keeps its tokens valid this long at most.
    pub jwt_cache_max_ttl_secs: u64,
    /// Least time between two JWKS refreshes caused by an unknown `kid`.
    pub jwks_refresh_min_interval_secs: u64,
    /// Keys older than this are fetched again on the next request (old keys
    /// stay in use if that fails).
    pub jwks_max_age_secs: u64,
    /// After a failed discovery, requests fail fast (503) for this long
    /// before the issuer is asked again.
    pub discovery_retry_secs: u64,
    /// The dev issuer.
    pub dev: DevSettings,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            mode: AuthMode::Auto,
            issuer: String::new(),
            audience: String::new(),
            subject_claim: "sub".to_owned(),
            orgno_claim: "consumer".to_owned(),
            accept_generic_jwt_typ: false,
            client_id: String::new(),
            client_secret: Secret::default(),
            client_auth_method: ClientAuthMethod::ClientSecretBasic,
            client_private_key_file: String::new(),
            client_key_id: String::new(),
            http_timeout_ms: 3_000,
            leeway_secs: 30,
            introspection_cache_max_ttl_secs: 300,
            introspection_cache_capacity: 10_000,
            inactive_cache_secs: 10,
            jwt_cache_capacity: 10_000,
            jwt_cache_max_ttl_secs: 60,
            jwks_refresh_min_interval_secs: 30,
            jwks_max_age_secs: 3_600,
            discovery_retry_secs: 2,
            dev: DevSettings::default(),
        }
    }
}

impl AuthSettings {
    pub(crate) fn http_timeout(&self) -> Duration {
        Duration::from_millis(self.http_timeout_ms.max(1))
    }

    /// The audience dev tokens carry and the dev validator requires.
    pub fn dev_audience(&self) -> &str {
        if self.audience.is_empty() {
            DEV_AUDIENCE
        } else {
            &self.audience
        }
    }
}
