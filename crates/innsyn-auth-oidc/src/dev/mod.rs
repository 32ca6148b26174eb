//! The local dev issuer of `innsyn dev` and `innsyn token`: an Ed25519 key
//! made once in the data directory, tokens minted with it, and a validator
//! that accepts exactly those tokens. The server wires it only in
//! `mode = "dev"`.

mod introspector;
mod key_file;
mod mint;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{Ed25519KeyPair, KeyPair as _};
use serde_json::{Value, json};

pub use introspector::DevIntrospector;

use crate::cache::IntrospectionCache;
use crate::claims::{ClaimMapping, unix_now};
use crate::jwt::{JwtPolicy, KeySet, VerifyKey};
use crate::settings::AuthSettings;
use key_file::{create_key_file, load_key_file};

/// The key file's name inside the data directory.
pub const DEV_KEY_FILE: &str = "dev-issuer-key.json";

/// Why the dev issuer could not be set up or could not mint.
#[derive(Debug, thiserror::Error)]
pub enum DevIssuerError {
    /// The key file could not be read or written.
    #[error("dev issuer key file {path}: {source}")]
    Io {
        /// The key file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The key file exists but is not a dev issuer key.
    #[error("dev issuer key file {0} is not a valid Ed25519 JWK; remove it to make a new key")]
    BadKeyFile(PathBuf),
    /// The system's random number generator failed.
    #[error("no randomness available for the dev issuer")]
    Random,
    /// A token request field is invalid (the message names the field only).
    #[error("invalid token request: {0}")]
    InvalidRequest(&'static str),
}

/// What `innsyn token` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevTokenRequest {
    /// The person (`sub` and `pid`); `None` for a client token.
    pub sub: Option<String>,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// The client the token is issued to.
    pub client_id: String,
    /// The client's organisation number (as a Maskinporten `consumer`).
    pub orgno: Option<String>,
    /// Lifetime in seconds; zero or negative mints an expired token.
    pub ttl_secs: i64,
    /// Optional `acr`.
    pub acr: Option<String>,
}

impl Default for DevTokenRequest {
    fn default() -> Self {
        Self {
            sub: None,
            scopes: Vec::new(),
            client_id: "innsyn-dev".to_owned(),
            orgno: None,
            ttl_secs: 3_600,
            acr: None,
        }
    }
}

/// Validation state shared by the issuer and its validators.
struct Verifier {
    keys: KeySet,
    policy: JwtPolicy,
    cache: Option<IntrospectionCache>,
    cache_max_ttl: Duration,
}

/// The local dev token issuer.
pub struct DevIssuer {
    signing: Ed25519KeyPair,
    kid: String,
    header_b64: String,
    orgno_claim: String,
    verifier: Arc<Verifier>,
}

impl std::fmt::Debug for DevIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevIssuer")
            .field("issuer", &self.verifier.policy.issuer)
            .field("audience", &self.verifier.policy.audience)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl DevIssuer {
    /// Loads the key from `data_dir/dev-issuer-key.json`, creating it (mode
    /// 0600) on first use. Issuer from `settings.dev.issuer`, audience from
    /// [`AuthSettings::dev_audience`], subject/orgno claims and leeway as
    /// configured.
    ///
    /// # Errors
    /// [`DevIssuerError`] when the file cannot be read, written or parsed.
    pub fn load_or_create(
        data_dir: &Path,
        settings: &AuthSettings,
    ) -> Result<Self, DevIssuerError> {
        let path = data_dir.join(DEV_KEY_FILE);
        if !path.exists() {
            create_key_file(&path)?;
        }
        let (signing, kid) = load_key_file(&path)?;
        let policy = JwtPolicy {
            issuer: settings.dev.issuer.clone(),
            audience: settings.dev_audience().to_owned(),
            leeway_secs: i64::try_from(settings.leeway_secs).unwrap_or(i64::MAX),
            accept_generic_typ: false,
            mapping: ClaimMapping {
                subject_claim: settings.subject_claim.clone(),
                orgno_claim: settings.orgno_claim.clone(),
            },
        };
        let public: [u8; 32] = signing
            .public_key()
            .as_ref()
            .try_into()
            .map_err(|_| DevIssuerError::BadKeyFile(path.clone()))?;
        let keys = KeySet::new(vec![VerifyKey::ed25519(kid.clone(), public)]);
        let header = json!({"alg": "EdDSA", "typ": "at+jwt", "kid": kid});
        Ok(Self {
            header_b64: URL_SAFE_NO_PAD.encode(header.to_string()),
            signing,
            kid,
            orgno_claim: settings.orgno_claim.clone(),
            verifier: Arc::new(Verifier {
                keys,
                policy,
                cache: (settings.jwt_cache_capacity > 0)
                    .then(|| IntrospectionCache::new(settings.jwt_cache_capacity)),
                cache_max_ttl: Duration::from_secs(settings.jwt_cache_max_ttl_secs),
            }),
        })
    }

    /// The `iss` of its tokens.
    pub fn issuer(&self) -> &str {
        &self.verifier.policy.issuer
    }

    /// The `aud` of its tokens.
    pub fn audience(&self) -> &str {
        &self.verifier.policy.audience
    }

    /// Its public key as a JWKS document.
    pub fn jwks(&self) -> Value {
        json!({"keys": [{
            "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": self.kid,
            "x": URL_SAFE_NO_PAD.encode(self.signing.public_key().as_ref()),
        }]})
    }

    /// A validator that accepts this issuer's tokens only.
    pub fn introspector(&self) -> DevIntrospector {
        DevIntrospector {
            verifier: Arc::clone(&self.verifier),
        }
    }
}
