//! The issuer's keys: fetched with discovery, again when old, and once
//! (rate-limited) when a token names a key we do not have; JWTs verified
//! against them.

use std::sync::Arc;

use innsyn_domain::Caller;
use innsyn_ports::TokenError;
use openidconnect::core::CoreJsonWebKeySet;
use tokio::time::Instant;

use super::{Discovered, Inner, Keys, read, unavailable, unix_now, write};
use crate::cache::{token_hash, verified_answer};
use crate::jwt::{KeySet, ParsedJwt};

impl Inner {
    pub(super) fn keys_from(set: &CoreJsonWebKeySet) -> KeySet {
        // openidconnect's key types keep their fields private; its JSON form
        // is the way to our pre-parsed keys.
        serde_json::to_value(set)
            .map(|v| KeySet::from_jwks(&v))
            .unwrap_or_default()
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
    pub(super) async fn keys(&self) -> Result<Arc<Keys>, TokenError> {
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

    pub(super) async fn verify_jwt(&self, token: &str) -> Result<Caller, TokenError> {
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
}
