//! OpenID discovery, fetched on first use and cached: the one mechanism the
//! resource server and the relying party share.
//!
//! Nothing is fetched at construction, so the server starts while the
//! provider is down. Concurrent callers share one fetch; a failure is not
//! cached, but may make callers fail fast for a while.

use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use openidconnect::core::{
    CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClientAuthMethod, CoreGrantType,
    CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm,
    CoreResponseMode, CoreResponseType, CoreSubjectIdentifierType,
};
use openidconnect::{
    AdditionalProviderMetadata, IssuerUrl, LogoutProviderMetadata, ProviderMetadata,
};
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::outbound::Outbound;

/// RFC 8414's `introspection_endpoint`, which OpenID discovery lacks.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub(crate) struct IntrospectionMetadata {
    pub(crate) introspection_endpoint: Option<String>,
}

impl AdditionalProviderMetadata for IntrospectionMetadata {}

/// Provider metadata as both sides read it: the standard fields, the
/// RP-initiated logout endpoint and the introspection endpoint.
pub(crate) type Metadata = ProviderMetadata<
    LogoutProviderMetadata<IntrospectionMetadata>,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// Why no metadata is at hand. Messages carry no secrets: discovery sends
/// none.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DiscoveryError {
    #[error("issuer discovery failed: {0}")]
    Failed(String),
    #[error("issuer discovery timed out")]
    TimedOut,
    #[error("issuer discovery failed recently")]
    FailedRecently,
}

/// How long what discovery found is used, and how failures are treated.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DiscoveryPolicy {
    /// `None`: for the life of the process.
    pub(crate) ttl: Option<Duration>,
    /// After a failure, callers fail fast this long (zero: every caller
    /// asks the provider again).
    pub(crate) retry_after_failure: Duration,
    /// Bound on one discovery, which is two requests (metadata and JWKS).
    pub(crate) deadline: Duration,
}

/// Provider metadata turned into `T` by the user's `build` step, cached.
pub(crate) struct Discovery<T> {
    issuer: IssuerUrl,
    http: Outbound,
    policy: DiscoveryPolicy,
    current: RwLock<Option<(Arc<T>, Instant)>>,
    /// Held while fetching (the single flight); the time of the last failure.
    flight: tokio::sync::Mutex<Option<Instant>>,
}

impl<T> Discovery<T> {
    pub(crate) fn new(issuer: IssuerUrl, http: Outbound, policy: DiscoveryPolicy) -> Self {
        Self {
            issuer,
            http,
            policy,
            current: RwLock::new(None),
            flight: tokio::sync::Mutex::new(None),
        }
    }

    fn fresh(&self) -> Option<Arc<T>> {
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        let (value, fetched) = current.as_ref()?;
        self.policy
            .ttl
            .is_none_or(|ttl| fetched.elapsed() < ttl)
            .then(|| Arc::clone(value))
    }

    /// The cached value, or `build` of freshly discovered metadata.
    pub(crate) async fn get(
        &self,
        build: impl FnOnce(Metadata) -> T,
    ) -> Result<Arc<T>, DiscoveryError> {
        if let Some(value) = self.fresh() {
            return Ok(value);
        }
        let mut failed_at = self.flight.lock().await;
        if let Some(value) = self.fresh() {
            return Ok(value);
        }
        if failed_at.is_some_and(|t| t.elapsed() < self.policy.retry_after_failure) {
            return Err(DiscoveryError::FailedRecently);
        }
        let discovered = tokio::time::timeout(
            self.policy.deadline,
            Metadata::discover_async(self.issuer.clone(), &self.http),
        )
        .await;
        let metadata = match discovered {
            Ok(Ok(metadata)) => metadata,
            Ok(Err(err)) => {
                *failed_at = Some(Instant::now());
                tracing::warn!(error = %err, issuer = %self.issuer.as_str(), "OpenID discovery failed");
                return Err(DiscoveryError::Failed(err.to_string()));
            }
            Err(_) => {
                *failed_at = Some(Instant::now());
                tracing::warn!(issuer = %self.issuer.as_str(), "OpenID discovery timed out");
                return Err(DiscoveryError::TimedOut);
            }
        };
        let value = Arc::new(build(metadata));
        *self.current.write().unwrap_or_else(PoisonError::into_inner) =
            Some((Arc::clone(&value), Instant::now()));
        *failed_at = None;
        Ok(value)
    }
}
