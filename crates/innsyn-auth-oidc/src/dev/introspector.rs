//! The validator of `mode = "dev"`: dev issuer tokens only, no network.

use std::sync::Arc;

use async_trait::async_trait;
use innsyn_domain::Caller;
use innsyn_ports::{AccessToken, TokenError, TokenIntrospector};

use super::{Verifier, unix_now};
use crate::cache::{CacheStats, IntrospectionCache, token_hash, verified_answer};
use crate::jwt::ParsedJwt;

/// Validates dev issuer tokens locally (no network). Cheap to clone.
#[derive(Clone)]
pub struct DevIntrospector {
    pub(super) verifier: Arc<Verifier>,
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
                        let now = unix_now();
                        verified_answer(v.verify(token, now), now, v.cache_max_ttl)
                    })
                    .await
            }
            None => v.verify(token, unix_now()).map(|(caller, _)| caller),
        }
    }

    async fn ready(&self) -> Result<(), TokenError> {
        Ok(())
    }
}
