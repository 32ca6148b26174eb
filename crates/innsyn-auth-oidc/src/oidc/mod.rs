//! The production validator: OpenID discovery, JWKS and RFC 7662
//! introspection against one issuer.

mod config;
mod introspection;
mod jwks;
#[cfg(test)]
mod tests;

use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use innsyn_domain::Caller;
use innsyn_ports::{AccessToken, TokenError, TokenIntrospector};
use openidconnect::JsonWebKeySetUrl;
use tokio::time::Instant;

use crate::assertion::AssertionSigner;
use crate::cache::{CacheStats, IntrospectionCache};
use crate::claims::unix_now;
use crate::discovery::{Discovery, DiscoveryError};
use crate::jwt::{JwtPolicy, KeySet, looks_like_jwt};
use crate::outbound::Outbound;
use crate::settings::{AuthMode, ClientAuthMethod};
use introspection::IntrospectionClient;

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
    http: Outbound,
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
