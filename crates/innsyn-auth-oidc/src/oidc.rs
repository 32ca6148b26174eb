//! The production validator: OpenID discovery, JWKS and RFC 7662
//! introspection against one issuer.

use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use innsyn_domain::Caller;
use innsyn_ports::{AccessToken, TokenError, TokenIntrospector};
use oauth2::basic::{
    BasicErrorResponse, BasicErrorResponseType, BasicRevocationErrorResponse, BasicTokenResponse,
    BasicTokenType,
};
use oauth2::{
    AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, ExtraTokenFields,
    IntrospectionUrl, RequestTokenError, StandardRevocableToken,
    StandardTokenIntrospectionResponse, TokenIntrospectionResponse as _,
};
use openidconnect::core::CoreJsonWebKeySet;
use openidconnect::{IssuerUrl, JsonWebKeySetUrl};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::time::Instant;

use crate::AuthConfigError;
use crate::assertion::{ASSERTION_TYPE, AssertionSigner};
use crate::cache::{Answer, CacheStats, IntrospectionCache, token_hash, verified_answer};
use crate::claims::{ClaimMapping, audience_matches, caller_from_claims, numeric_date};
use crate::discovery::{Discovery, DiscoveryError, DiscoveryPolicy, Metadata};
use crate::jwt::{JwtPolicy, KeySet, ParsedJwt, looks_like_jwt};
use crate::settings::{AuthMode, AuthSettings, ClientAuthMethod};

/// Every member of an introspection response that RFC 7662 does not name
/// (`pid`, `consumer`, `acr`, …), for the claim mapping.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct OtherClaims {
    #[serde(flatten)]
    rest: Map<String, Value>,
}

impl ExtraTokenFields for OtherClaims {}

type IntrospectionResponse = StandardTokenIntrospectionResponse<OtherClaims, BasicTokenType>;

type IntrospectionClient = oauth2::Client<
    BasicErrorResponse,
    BasicTokenResponse,
    IntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
>;

/// What discovery found.
struct Discovered {
    jwks_uri: JsonWebKeySetUrl,
    introspection: Option<IntrospectionClient>,
}

/// The keys in use and when they should be fetched again.
struct Keys {
    set: Arc<KeySet>,
    refresh_after: Instant,
}

/// Bookkeeping of the calls that change `keys`; its mutex also makes them
/// single-flight.
#[derive(Default)]
struct RefreshState {
    forced_refresh_at: Option<Instant>,
    forced_refresh_failed: bool,
}

struct Credentials {
    client_id: String,
    /// Empty for `private_key_jwt`.
    client_secret: String,
    method: ClientAuthMethod,
    signer: Option<AssertionSigner>,
}

struct Inner {
    mode: AuthMode,
    policy: JwtPolicy,
    http: reqwest::Client,
    timeout: Duration,
    credentials: Option<Credentials>,
    check_introspection_audience: bool,
    cache_max_ttl: Duration,
    inactive_ttl: Duration,
    jwks_min_interval: Duration,
    jwks_max_age: Duration,
    discovery_retry: Duration,
    discovery: Discovery<Discovered>,
    keys: RwLock<Option<Arc<Keys>>>,
    refresh: tokio::sync::Mutex<RefreshState>,
    cache: IntrospectionCache,
    jwt_cache: Option<IntrospectionCache>,
    jwt_cache_max_ttl: Duration,
}

/// Validates tokens of one OpenID issuer: JWT access tokens locally against
/// its JWKS, opaque ones by cached introspection. Cheap to clone.
///
/// Nothing is fetched at construction, so the server starts while the issuer
/// is down; discovery happens on the first request or [`ready`] call and is
/// retried after failures (at most every `discovery_retry_secs`).
///
/// [`ready`]: TokenIntrospector::ready
#[derive(Clone)]
pub struct OidcIntrospector {
    inner: Arc<Inner>,
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

fn unavailable(what: &str) -> TokenError {
    TokenError::Unavailable(what.to_owned())
}

fn read<T: Clone>(lock: &RwLock<Option<T>>) -> Option<T> {
    lock.read().unwrap_or_else(PoisonError::into_inner).clone()
}

fn write<T>(lock: &RwLock<Option<T>>, value: T) {
    *lock.write().unwrap_or_else(PoisonError::into_inner) = Some(value);
}

impl OidcIntrospector {
    /// Checks `settings` and builds the validator. Does not contact the
    /// issuer.
    ///
    /// # Errors
    /// [`AuthConfigError`] for `mode = "dev"` (use [`crate::DevIssuer`]), a
    /// missing or invalid issuer, a missing audience (modes `jwt`, `auto`),
    /// missing client credentials (mode `introspection`).
    pub fn new(settings: &AuthSettings) -> Result<Self, AuthConfigError> {
        if settings.mode == AuthMode::Dev {
            return Err(AuthConfigError::DevMode);
        }
        if settings.issuer.is_empty() {
            return Err(AuthConfigError::Missing("auth.issuer"));
        }
        let issuer_url = IssuerUrl::new(settings.issuer.clone())
            .map_err(|_| AuthConfigError::Invalid("auth.issuer", "not a URL"))?;
        if settings.audience.is_empty() && settings.mode != AuthMode::Introspection {
            return Err(AuthConfigError::Missing("auth.audience"));
        }
        let signer = if settings.client_auth_method == ClientAuthMethod::PrivateKeyJwt {
            if settings.client_private_key_file.is_empty() {
                return Err(AuthConfigError::Missing("auth.client_private_key_file"));
            }
            let pem = std::fs::read_to_string(&settings.client_private_key_file).map_err(|_| {
                AuthConfigError::Invalid("auth.client_private_key_file", "cannot be read")
            })?;
            let kid = (!settings.client_key_id.is_empty()).then(|| settings.client_key_id.clone());
            Some(
                AssertionSigner::from_pem(&pem, kid).ok_or(AuthConfigError::Invalid(
                    "auth.client_private_key_file",
                    "not a PKCS#8 PEM Ed25519, P-256 or RSA key",
                ))?,
            )
        } else {
            None
        };
        let has_credentials = !settings.client_id.is_empty()
            && (signer.is_some() || !settings.client_secret.is_empty());
        if settings.mode == AuthMode::Introspection && !has_credentials {
            return Err(AuthConfigError::Missing(
                "auth.client_id and auth.client_secret (or a private key)",
            ));
        }
        let timeout = settings.http_timeout();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            // Discovery and introspection must not follow redirects (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| AuthConfigError::Http(e.to_string()))?;
        let policy = JwtPolicy {
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            leeway_secs: i64::try_from(settings.leeway_secs).unwrap_or(i64::MAX),
            accept_generic_typ: settings.accept_generic_jwt_typ,
            mapping: ClaimMapping {
                subject_claim: settings.subject_claim.clone(),
                orgno_claim: settings.orgno_claim.clone(),
            },
        };
        let credentials = has_credentials.then(|| Credentials {
            client_id: settings.client_id.clone(),
            client_secret: settings.client_secret.expose().to_owned(),
            method: settings.client_auth_method,
            signer,
        });
        Ok(Self {
            inner: Arc::new(Inner {
                mode: settings.mode,
                check_introspection_audience: !settings.audience.is_empty(),
                policy,
                discovery: Discovery::new(
                    issuer_url,
                    http.clone(),
                    DiscoveryPolicy {
                        // Keys age on their own (`jwks_max_age`); the
                        // endpoints are taken to stay put.
                        ttl: None,
                        retry_after_failure: Duration::from_secs(settings.discovery_retry_secs),
                        deadline: timeout * 2,
                    },
                ),
                http,
                timeout,
                credentials,
                cache_max_ttl: Duration::from_secs(settings.introspection_cache_max_ttl_secs),
                inactive_ttl: Duration::from_secs(settings.inactive_cache_secs),
                jwks_min_interval: Duration::from_secs(settings.jwks_refresh_min_interval_secs),
                jwks_max_age: Duration::from_secs(settings.jwks_max_age_secs.max(1)),
                discovery_retry: Duration::from_secs(settings.discovery_retry_secs),
                keys: RwLock::new(None),
                refresh: tokio::sync::Mutex::new(RefreshState::default()),
                cache: IntrospectionCache::new(settings.introspection_cache_capacity),
                jwt_cache: (settings.jwt_cache_capacity > 0)
                    .then(|| IntrospectionCache::new(settings.jwt_cache_capacity)),
                jwt_cache_max_ttl: Duration::from_secs(settings.jwt_cache_max_ttl_secs),
            }),
        })
    }

    /// Introspection cache counters, for `/metrics`.
    pub fn cache_stats(&self) -> CacheStats {
        self.inner.cache.stats()
    }

    /// Verified-JWT cache counters (all zero when it is off).
    pub fn jwt_cache_stats(&self) -> CacheStats {
        self.inner
            .jwt_cache
            .as_ref()
            .map(IntrospectionCache::stats)
            .unwrap_or_default()
    }
}

impl Inner {
    fn build_introspection_client(&self, metadata: &Metadata) -> Option<IntrospectionClient> {
        let creds = self.credentials.as_ref()?;
        let url = metadata
            .additional_metadata()
            .additional_metadata
            .introspection_endpoint
            .as_ref()?;
        let url = IntrospectionUrl::new(url.clone()).ok()?;
        let client = oauth2::Client::new(ClientId::new(creds.client_id.clone()));
        let client = match creds.method {
            ClientAuthMethod::ClientSecretBasic => client
                .set_client_secret(ClientSecret::new(creds.client_secret.clone()))
                .set_auth_type(AuthType::BasicAuth),
            ClientAuthMethod::ClientSecretPost => client
                .set_client_secret(ClientSecret::new(creds.client_secret.clone()))
                .set_auth_type(AuthType::RequestBody),
            // No secret: oauth2 then sends just `client_id` in the body, and
            // the assertion goes in as extra parameters.
            ClientAuthMethod::PrivateKeyJwt => client.set_auth_type(AuthType::RequestBody),
        };
        Some(client.set_introspection_url(url))
    }

    fn keys_from(set: &CoreJsonWebKeySet) -> KeySet {
        // openidconnect's key types keep their fields private; its JSON form
        // is the way to our pre-parsed keys.
        serde_json::to_value(set)
            .map(|v| KeySet::from_jwks(&v))
            .unwrap_or_default()
    }

    /// Discovery (and the first JWKS), once; after a failure, again only
    /// when `discovery_retry` has passed.
    async fn discovered(&self) -> Result<Arc<Discovered>, TokenError> {
        self.discovery
            .get(|metadata| {
                let keys = Self::keys_from(metadata.jwks());
                tracing::info!(issuer = %self.policy.issuer, keys = keys.len(), "OpenID discovery done");
                write(
                    &self.keys,
                    Arc::new(Keys {
                        set: Arc::new(keys),
                        refresh_after: Instant::now() + self.jwks_max_age,
                    }),
                );
                Discovered {
                    jwks_uri: metadata.jwks_uri().clone(),
                    introspection: self.build_introspection_client(&metadata),
                }
            })
            .await
            .map_err(|err| match err {
                DiscoveryError::Failed(_) => unavailable("issuer discovery failed"),
                DiscoveryError::TimedOut => unavailable("issuer discovery timed out"),
                DiscoveryError::FailedRecently => unavailable("issuer discovery failed recently"),
            })
    }

    async fn fetch_jwks(&self, discovered: &Discovered) -> Result<KeySet, TokenError> {
        let result = tokio::time::timeout(
            self.timeout,
            CoreJsonWebKeySet::fetch_async(&discovered.jwks_uri, &self.http),
        )
        .await;
        match result {
            Ok(Ok(set)) => Ok(Self::keys_from(&set)),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, issuer = %self.policy.issuer, "JWKS fetch failed");
                Err(unavailable("the issuer's keys could not be fetched"))
            }
            Err(_) => Err(unavailable(
                "the issuer's keys could not be fetched in time",
            )),
        }
    }

    /// The keys to verify with; past `jwks_max_age` they are fetched again,
    /// and kept if that fails.
    async fn keys(&self) -> Result<Arc<Keys>, TokenError> {
        let discovered = self.discovered().await?;
        let current = read(&self.keys).ok_or_else(|| unavailable("no keys"))?;
        if Instant::now() < current.refresh_after {
            return Ok(current);
        }
        let _state = self.refresh.lock().await;
        let current = read(&self.keys).ok_or_else(|| unavailable("no keys"))?;
        if Instant::now() < current.refresh_after {
            return Ok(current);
        }
        let next = match self.fetch_jwks(&discovered).await {
            Ok(set) => Arc::new(Keys {
                set: Arc::new(set),
                refresh_after: Instant::now() + self.jwks_max_age,
            }),
            Err(_) => Arc::new(Keys {
                set: Arc::clone(&current.set),
                refresh_after: Instant::now() + self.discovery_retry,
            }),
        };
        write(&self.keys, Arc::clone(&next));
        Ok(next)
    }

    /// A token names a key we do not have: fetch the JWKS again, at most
    /// once per `jwks_min_interval` (so junk `kid`s cannot hammer the
    /// issuer), and concurrent callers share the fetch.
    async fn refresh_for_unknown_key(&self, seen: &Arc<Keys>) -> Result<Arc<Keys>, TokenError> {
        let discovered = self.discovered().await?;
        let mut state = self.refresh.lock().await;
        let current = read(&self.keys).ok_or_else(|| unavailable("no keys"))?;
        if !Arc::ptr_eq(&current, seen) {
            return Ok(current);
        }
        if state
            .forced_refresh_at
            .is_some_and(|t| t.elapsed() < self.jwks_min_interval)
        {
            return if state.forced_refresh_failed {
                Err(unavailable("the issuer's keys could not be fetched"))
            } else {
                Ok(current)
            };
        }
        state.forced_refresh_at = Some(Instant::now());
        match self.fetch_jwks(&discovered).await {
            Ok(set) => {
                state.forced_refresh_failed = false;
                tracing::info!(issuer = %self.policy.issuer, keys = set.len(), "JWKS refreshed for an unknown key id");
                let next = Arc::new(Keys {
                    set: Arc::new(set),
                    refresh_after: Instant::now() + self.jwks_max_age,
                });
                write(&self.keys, Arc::clone(&next));
                Ok(next)
            }
            Err(err) => {
                state.forced_refresh_failed = true;
                Err(err)
            }
        }
    }

    async fn verify_jwt(&self, token: &str) -> Result<Caller, TokenError> {
        match &self.jwt_cache {
            Some(cache) => {
                cache
                    .get_or_fetch(token_hash(token), || async {
                        let now = unix_now();
                        verified_answer(
                            self.verify_jwt_uncached(token, now).await,
                            now,
                            self.jwt_cache_max_ttl,
                        )
                    })
                    .await
            }
            None => self
                .verify_jwt_uncached(token, unix_now())
                .await
                .map(|(caller, _)| caller),
        }
    }

    async fn verify_jwt_uncached(
        &self,
        token: &str,
        now: i64,
    ) -> Result<(Caller, i64), TokenError> {
        let parsed = ParsedJwt::parse(token, &self.policy)?;
        let mut keys = self.keys().await?;
        if !parsed.has_candidate(&keys.set) {
            keys = self.refresh_for_unknown_key(&keys).await?;
        }
        parsed.verify_with_exp(&keys.set, &self.policy, now)
    }

    async fn introspect_opaque(&self, token: &str) -> Result<Caller, TokenError> {
        if self.credentials.is_none() {
            // `auto` without client credentials: we cannot check it.
            return Err(TokenError::Malformed);
        }
        self.cache
            .get_or_fetch(token_hash(token), || self.fetch_introspection(token))
            .await
    }

    async fn fetch_introspection(&self, token: &str) -> Answer {
        let started = Instant::now();
        let result = self.call_introspection(token).await;
        let until = match &result {
            Ok((_, Some(exp))) => {
                let left = u64::try_from(exp.saturating_sub(unix_now())).unwrap_or(0);
                started + Duration::from_secs(left).min(self.cache_max_ttl)
            }
            Ok((_, None)) => started + self.cache_max_ttl,
            Err(TokenError::Unavailable(_)) => started,
            Err(_) => started + self.inactive_ttl,
        };
        Answer {
            result: result.map(|(caller, _)| caller),
            until,
        }
    }

    async fn call_introspection(&self, token: &str) -> Result<(Caller, Option<i64>), TokenError> {
        let discovered = self.discovered().await?;
        let client = discovered
            .introspection
            .as_ref()
            .ok_or_else(|| unavailable("the issuer has no introspection endpoint"))?;
        let token = oauth2::AccessToken::new(token.to_owned());
        let mut request = client
            .introspect(&token)
            .set_token_type_hint("access_token");
        if let Some(creds) = &self.credentials
            && let Some(signer) = &creds.signer
        {
            let assertion = signer
                .assertion(&creds.client_id, &self.policy.issuer)
                .ok_or_else(|| unavailable("cannot sign the client assertion"))?;
            request = request
                .add_extra_param("client_assertion_type", ASSERTION_TYPE)
                .add_extra_param("client_assertion", assertion);
        }
        let request = request.request_async(&self.http);
        let response = match tokio::time::timeout(self.timeout, request).await {
            Err(_) => return Err(unavailable("introspection timed out")),
            Ok(Err(err)) => return Err(map_introspection_error(err)),
            Ok(Ok(response)) => response,
        };
        if !response.active() {
            return Err(TokenError::Inactive);
        }
        let claims = match serde_json::to_value(&response) {
            Ok(Value::Object(map)) => map,
            _ => return Err(unavailable("unreadable introspection response")),
        };
        if let Some(iss) = claims.get("iss")
            && iss.as_str() != Some(self.policy.issuer.as_str())
        {
            return Err(TokenError::WrongIssuer);
        }
        if self.check_introspection_audience
            && claims.contains_key("aud")
            && !audience_matches(claims.get("aud"), &self.policy.audience)
        {
            return Err(TokenError::WrongAudience);
        }
        let exp = numeric_date(&claims, "exp").map_err(|()| TokenError::Malformed)?;
        let now = unix_now();
        if exp.is_some_and(|exp| exp.saturating_add(self.policy.leeway_secs) <= now) {
            return Err(TokenError::Expired);
        }
        let caller = caller_from_claims(&claims, &self.policy.mapping)?;
        Ok((caller, exp))
    }
}

fn map_introspection_error<RE: std::error::Error>(
    err: RequestTokenError<RE, BasicErrorResponse>,
) -> TokenError {
    match err {
        RequestTokenError::ServerResponse(resp) => match resp.error() {
            // Our own credentials were refused: not the caller's fault.
            BasicErrorResponseType::InvalidClient | BasicErrorResponseType::UnauthorizedClient => {
                tracing::error!("the issuer refused this server's client credentials");
                unavailable("the issuer refused this server's client credentials")
            }
            // e.g. `unsupported_token_type` for a token it does not introspect.
            _ => TokenError::Malformed,
        },
        RequestTokenError::Request(e) => {
            tracing::warn!(error = %e, "introspection request failed");
            unavailable("introspection request failed")
        }
        RequestTokenError::Parse(_, _) | RequestTokenError::Other(_) => {
            tracing::warn!("unexpected introspection response");
            unavailable("unexpected introspection response")
        }
    }
}

#[async_trait]
impl TokenIntrospector for OidcIntrospector {
    async fn introspect(&self, token: &AccessToken) -> Result<Caller, TokenError> {
        let token = token.expose();
        match self.inner.mode {
            AuthMode::Jwt => self.inner.verify_jwt(token).await,
            AuthMode::Introspection => self.inner.introspect_opaque(token).await,
            AuthMode::Auto | AuthMode::Dev => {
                if looks_like_jwt(token) {
                    self.inner.verify_jwt(token).await
                } else {
                    self.inner.introspect_opaque(token).await
                }
            }
        }
    }

    async fn ready(&self) -> Result<(), TokenError> {
        match self.inner.mode {
            AuthMode::Introspection => {
                let d = self.inner.discovered().await?;
                if d.introspection.is_none() {
                    return Err(unavailable("the issuer has no introspection endpoint"));
                }
                Ok(())
            }
            _ => self.inner.keys().await.map(|_| ()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(mode: AuthMode) -> AuthSettings {
        AuthSettings {
            mode,
            issuer: "http://127.0.0.1:9".into(),
            audience: "https://api".into(),
            ..AuthSettings::default()
        }
    }

    #[test]
    fn config_is_checked() {
        assert!(OidcIntrospector::new(&settings(AuthMode::Jwt)).is_ok());
        assert!(OidcIntrospector::new(&settings(AuthMode::Auto)).is_ok());
        assert!(matches!(
            OidcIntrospector::new(&settings(AuthMode::Dev)),
            Err(AuthConfigError::DevMode)
        ));
        assert!(matches!(
            OidcIntrospector::new(&settings(AuthMode::Introspection)),
            Err(AuthConfigError::Missing(_))
        ));
        let pkjwt = AuthSettings {
            client_id: "rs".into(),
            client_auth_method: ClientAuthMethod::PrivateKeyJwt,
            ..settings(AuthMode::Introspection)
        };
        assert!(matches!(
            OidcIntrospector::new(&pkjwt),
            Err(AuthConfigError::Missing("auth.client_private_key_file"))
        ));
        let missing_file = AuthSettings {
            client_private_key_file: "/nonexistent/key.pem".into(),
            ..pkjwt
        };
        assert!(matches!(
            OidcIntrospector::new(&missing_file),
            Err(AuthConfigError::Invalid(..))
        ));
        let mut s = settings(AuthMode::Jwt);
        s.audience.clear();
        assert!(OidcIntrospector::new(&s).is_err());
        s.issuer = "not a url".into();
        s.audience = "x".into();
        assert!(OidcIntrospector::new(&s).is_err());
    }

    #[tokio::test]
    async fn mode_detection_routes_tokens() {
        // Nothing listens on port 9: whatever needs the issuer is Unavailable.
        let auto = OidcIntrospector::new(&settings(AuthMode::Auto)).unwrap();
        let jwt = OidcIntrospector::new(&settings(AuthMode::Jwt)).unwrap();
        let opaque = AccessToken::new("aB3_-opaque-token");
        // auto without credentials cannot introspect: refused without a call.
        assert_eq!(auto.introspect(&opaque).await, Err(TokenError::Malformed));
        // jwt mode never introspects.
        assert_eq!(jwt.introspect(&opaque).await, Err(TokenError::Malformed));
        // A JWT-shaped token of the configured issuer needs the keys.
        let header = "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9"; // {"alg":"RS256","typ":"at+jwt"}
        let payload = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            r#"{"iss":"http://127.0.0.1:9","exp":9999999999}"#,
        );
        let t = AccessToken::new(format!("{header}.{payload}.c2ln"));
        assert!(matches!(
            auto.introspect(&t).await,
            Err(TokenError::Unavailable(_))
        ));
        assert!(matches!(jwt.ready().await, Err(TokenError::Unavailable(_))));
    }
}
