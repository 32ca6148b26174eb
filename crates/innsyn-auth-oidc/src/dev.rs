//! The local dev issuer of `innsyn dev` and `innsyn token`: an Ed25519 key
//! made once in the data directory, tokens minted with it, and a validator
//! that accepts exactly those tokens. The server wires it only in
//! `mode = "dev"`.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use innsyn_domain::{Caller, OrgNumber, Scope, SubjectId};
use innsyn_ports::{AccessToken, TokenError, TokenIntrospector};
use ring::rand::{SecureRandom as _, SystemRandom};
use ring::signature::{Ed25519KeyPair, KeyPair as _};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::cache::{CacheStats, IntrospectionCache, token_hash, verified_answer};
use crate::claims::ClaimMapping;
use crate::jwt::{JwtPolicy, KeySet, ParsedJwt, VerifyKey};
use crate::settings::AuthSettings;

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

/// The private key as stored (an OKP JWK, RFC 8037).
#[derive(Serialize, Deserialize)]
struct KeyFile {
    kty: String,
    crv: String,
    alg: String,
    kid: String,
    x: String,
    d: String,
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

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> DevIssuerError + '_ {
    move |source| DevIssuerError::Io {
        path: path.to_owned(),
        source,
    }
}

/// RFC 7638 thumbprint of an Ed25519 public key: a stable `kid`.
fn thumbprint(x: &str) -> String {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

fn random<const N: usize>() -> Result<[u8; N], DevIssuerError> {
    let mut bytes = [0u8; N];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| DevIssuerError::Random)?;
    Ok(bytes)
}

fn new_key_file() -> Result<KeyFile, DevIssuerError> {
    let seed: [u8; 32] = random()?;
    let signing = Ed25519KeyPair::from_seed_unchecked(&seed).map_err(|_| DevIssuerError::Random)?;
    let x = URL_SAFE_NO_PAD.encode(signing.public_key().as_ref());
    Ok(KeyFile {
        kty: "OKP".into(),
        crv: "Ed25519".into(),
        alg: "EdDSA".into(),
        kid: thumbprint(&x),
        d: URL_SAFE_NO_PAD.encode(seed),
        x,
    })
}

/// Writes a new key unless one exists; two processes starting at once end
/// up with the same key (the loser of the `hard_link` race reads the
/// winner's).
fn create_key_file(path: &Path) -> Result<(), DevIssuerError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let nonce: [u8; 8] = random()?;
    let tmp = dir.join(format!(
        ".{DEV_KEY_FILE}.{}.tmp",
        URL_SAFE_NO_PAD.encode(nonce)
    ));
    let body = serde_json::to_vec_pretty(&new_key_file()?)
        .map_err(|_| DevIssuerError::BadKeyFile(path.to_owned()))?;
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut f| {
            f.write_all(&body)?;
            f.sync_all()
        });
    let linked = written.and_then(|()| fs::hard_link(&tmp, path));
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io_err(path)(e)),
    }
}

fn load_key_file(path: &Path) -> Result<(Ed25519KeyPair, String), DevIssuerError> {
    let bad = || DevIssuerError::BadKeyFile(path.to_owned());
    let text = fs::read(path).map_err(io_err(path))?;
    let file: KeyFile = serde_json::from_slice(&text).map_err(|_| bad())?;
    if file.kty != "OKP" || file.crv != "Ed25519" {
        return Err(bad());
    }
    let seed = URL_SAFE_NO_PAD.decode(&file.d).map_err(|_| bad())?;
    let public = URL_SAFE_NO_PAD.decode(&file.x).map_err(|_| bad())?;
    // Also checks that `x` belongs to `d`.
    let signing = Ed25519KeyPair::from_seed_and_public_key(&seed, &public).map_err(|_| bad())?;
    Ok((signing, file.kid))
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
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

    /// Mints an RFC 9068 access token: `sub` and `pid` = the subject,
    /// `client_id`, `scope`, the orgno as a Maskinporten-style `consumer`
    /// (under the configured orgno claim), `iat`, `exp`, `jti`.
    ///
    /// # Errors
    /// [`DevIssuerError::InvalidRequest`] when the subject, a scope, the
    /// client id or the orgno would not make a valid caller.
    pub fn mint(&self, req: &DevTokenRequest) -> Result<String, DevIssuerError> {
        let now = now_secs();
        let mut claims = serde_json::Map::new();
        claims.insert("iss".into(), json!(self.issuer()));
        claims.insert("aud".into(), json!(self.audience()));
        claims.insert("iat".into(), json!(now));
        claims.insert("exp".into(), json!(now.saturating_add(req.ttl_secs)));
        let jti: [u8; 16] = random()?;
        claims.insert("jti".into(), json!(URL_SAFE_NO_PAD.encode(jti)));
        if req.client_id.is_empty() {
            return Err(DevIssuerError::InvalidRequest("client_id"));
        }
        claims.insert("client_id".into(), json!(req.client_id));
        if let Some(sub) = &req.sub {
            SubjectId::parse(sub).map_err(|_| DevIssuerError::InvalidRequest("sub"))?;
            claims.insert("sub".into(), json!(sub));
            claims.insert("pid".into(), json!(sub));
        }
        for scope in &req.scopes {
            Scope::parse(scope).map_err(|_| DevIssuerError::InvalidRequest("scope"))?;
        }
        claims.insert("scope".into(), json!(req.scopes.join(" ")));
        if let Some(orgno) = &req.orgno {
            let orgno =
                OrgNumber::parse(orgno).map_err(|_| DevIssuerError::InvalidRequest("orgno"))?;
            claims.insert(
                self.orgno_claim.clone(),
                json!({"authority": "iso6523-actorid-upis", "ID": format!("0192:{orgno}")}),
            );
        }
        if let Some(acr) = &req.acr {
            claims.insert("acr".into(), json!(acr));
        }
        let payload = URL_SAFE_NO_PAD.encode(Value::Object(claims).to_string());
        let input = format!("{}.{payload}", self.header_b64);
        let signature = self.signing.sign(input.as_bytes());
        Ok(format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(signature.as_ref())
        ))
    }

    /// A validator that accepts this issuer's tokens only.
    pub fn introspector(&self) -> DevIntrospector {
        DevIntrospector {
            verifier: Arc::clone(&self.verifier),
        }
    }
}

/// Validates dev issuer tokens locally (no network). Cheap to clone.
#[derive(Clone)]
pub struct DevIntrospector {
    verifier: Arc<Verifier>,
}

impl DevIntrospector {
    /// Verified-JWT cache counters (all zero when it is off).
    pub fn jwt_cache_stats(&self) -> CacheStats {
        self.verifier
            .cache
            .as_ref()
            .map(IntrospectionCache::stats)
            .unwrap_or_default()
    }
}

impl Verifier {
    fn verify(&self, token: &str, now: i64) -> Result<(Caller, i64), TokenError> {
        ParsedJwt::parse(token, &self.policy)?.verify_with_exp(&self.keys, &self.policy, now)
    }
}

#[async_trait]
impl TokenIntrospector for DevIntrospector {
    async fn introspect(&self, token: &AccessToken) -> Result<Caller, TokenError> {
        let v = &self.verifier;
        let token = token.expose();
        match &v.cache {
            Some(cache) => {
                cache
                    .get_or_fetch(token_hash(token), || async {
                        let now = now_secs();
                        verified_answer(v.verify(token, now), now, v.cache_max_ttl)
                    })
                    .await
            }
            None => v.verify(token, now_secs()).map(|(caller, _)| caller),
        }
    }

    async fn ready(&self) -> Result<(), TokenError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_is_stable_and_key_file_private() {
        let dir = tempfile::tempdir().unwrap();
        let a = DevIssuer::load_or_create(dir.path(), &AuthSettings::default()).unwrap();
        let b = DevIssuer::load_or_create(dir.path(), &AuthSettings::default()).unwrap();
        assert_eq!(a.kid, b.kid);
        assert_eq!(a.kid.len(), 43);
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &fs::metadata(dir.path().join(DEV_KEY_FILE))
                .unwrap()
                .permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
        let file = fs::read_to_string(dir.path().join(DEV_KEY_FILE)).unwrap();
        let d: KeyFile = serde_json::from_str(&file).unwrap();
        assert!(!format!("{a:?}").contains(&d.d));
        let leftovers = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temp files left");
    }

    #[test]
    fn corrupt_key_file_is_an_error_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(DEV_KEY_FILE), "{}").unwrap();
        assert!(matches!(
            DevIssuer::load_or_create(dir.path(), &AuthSettings::default()),
            Err(DevIssuerError::BadKeyFile(_))
        ));
        assert_eq!(
            fs::read_to_string(dir.path().join(DEV_KEY_FILE)).unwrap(),
            "{}"
        );
    }

    #[test]
    fn invalid_requests_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let issuer = DevIssuer::load_or_create(dir.path(), &AuthSettings::default()).unwrap();
        for (req, field) in [
            (
                DevTokenRequest {
                    sub: Some("a b".into()),
                    ..Default::default()
                },
                "sub",
            ),
            (
                DevTokenRequest {
                    scopes: vec!["a\"b".into()],
                    ..Default::default()
                },
                "scope",
            ),
            (
                DevTokenRequest {
                    orgno: Some("123".into()),
                    ..Default::default()
                },
                "orgno",
            ),
            (
                DevTokenRequest {
                    client_id: String::new(),
                    ..Default::default()
                },
                "client_id",
            ),
        ] {
            match issuer.mint(&req) {
                Err(DevIssuerError::InvalidRequest(f)) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }
}
