//! What every handler shares: the ports, the zone, the scope names.

use std::sync::Arc;
use std::time::Duration;

use actix_web::HttpRequest;
use actix_web::http::header;
use innsyn_domain::{Caller, ScopeNames, Zone};
use innsyn_ports::{AccessToken, Clock, HistoryStore, StoreError, TokenError, TokenIntrospector};
use innsyn_store_diesel::StoreSettings;
use time::OffsetDateTime;
use tokio::sync::Semaphore;

use crate::error::ApiError;
use crate::metrics::Metrics;

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// Given now, the instant before which history is removed by a retention
/// run; `None` when retention is off. The store's configuration decides.
pub type RetentionCutoff = Arc<dyn Fn(OffsetDateTime) -> Option<OffsetDateTime> + Send + Sync>;

/// Admission to the store: at most as many store calls at once as it has
/// connections, waiting in arrival order (a fair queue) for at most the
/// store's own connection timeout.
///
/// Without it every request in flight takes a blocking thread and queues
/// inside the connection pool, whose wake-ups are neither cheap nor fair:
/// on two cores the extra threads cost throughput and the unfair wake-ups
/// cost the tail latency.
#[derive(Debug, Clone)]
pub struct StoreGate {
    slots: Arc<Semaphore>,
    queue_timeout: Duration,
}

impl StoreGate {
    /// `concurrency` store calls at once (the pool size, at least 1); a
    /// request that waits longer than `queue_timeout` for its turn is
    /// answered "unavailable" (503), as an exhausted pool would be.
    pub fn new(concurrency: usize, queue_timeout: Duration) -> Self {
        StoreGate {
            slots: Arc::new(Semaphore::new(concurrency.max(1))),
            queue_timeout,
        }
    }

    /// As many store calls at once as the store's pool has connections,
    /// queued for as long as the pool itself would wait for one.
    pub fn for_store(database: &StoreSettings) -> Self {
        StoreGate::new(
            usize::try_from(database.pool_size).unwrap_or(usize::MAX),
            Duration::from_secs(database.connect_timeout_secs.max(1)),
        )
    }
}

impl Default for StoreGate {
    /// The gate of a store with default settings.
    fn default() -> Self {
        StoreGate::for_store(&StoreSettings::default())
    }
}

/// The adapters the application runs on.
#[derive(Clone)]
pub struct Deps {
    /// The history store (blocking).
    pub store: Arc<dyn HistoryStore>,
    /// Token validation.
    pub tokens: Arc<dyn TokenIntrospector>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// `/metrics`, with whatever the adapters expose.
    pub metrics: Metrics,
    /// The configured retention.
    pub retention_cutoff: RetentionCutoff,
    /// Admission to the store.
    pub store_gate: StoreGate,
}

/// Shared, immutable application state.
#[derive(Clone)]
pub struct AppState {
    /// The history store; call it only through [`AppState::blocking`].
    pub store: Arc<dyn HistoryStore>,
    /// Token validation.
    pub tokens: Arc<dyn TokenIntrospector>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Zone of local times.
    pub zone: Zone,
    /// Scope names of each permission.
    pub scopes: ScopeNames,
    /// Public base URL for `Link` headers, without a trailing slash.
    pub public_base_url: Option<String>,
    /// Largest request body.
    pub body_limit: usize,
    /// The configured retention.
    pub retention_cutoff: RetentionCutoff,
    /// The metrics registry.
    pub metrics: Metrics,
    /// Admission to the store, used by [`AppState::blocking`].
    pub store_gate: StoreGate,
}

impl AppState {
    /// Runs `f` against the store on the blocking pool once the
    /// [`StoreGate`] admits it: store adapters do blocking I/O and must
    /// never run on an executor thread.
    pub async fn blocking<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn HistoryStore) -> Result<T, ApiError> + Send + 'static,
    {
        let gate = &self.store_gate;
        let permit = actix_web::rt::time::timeout(
            gate.queue_timeout,
            Arc::clone(&gate.slots).acquire_owned(),
        )
        .await
        .map_err(|_| {
            StoreError::Unavailable(format!(
                "every database connection stayed busy for {}s",
                gate.queue_timeout.as_secs()
            ))
        })?
        .map_err(|e| ApiError::Internal(format!("the store gate is closed: {e}")))?;
        let store = Arc::clone(&self.store);
        actix_web::web::block(move || {
            let _admitted = permit;
            f(store.as_ref())
        })
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
    }

    /// The verified caller behind the request's bearer token (RFC 6750 §2.1).
    ///
    /// No `Authorization` header, or another scheme, is "no token" (401
    /// with a bare `Bearer` challenge); a `Bearer` header whose token is not
    /// a `b64token` is malformed.
    pub async fn authenticate(&self, req: &HttpRequest) -> Result<Caller, ApiError> {
        let token = bearer_token(req)?;
        Ok(self.tokens.introspect(&token).await?)
    }
}

/// Reads the bearer token of a request.
pub fn bearer_token(req: &HttpRequest) -> Result<AccessToken, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Err(ApiError::MissingToken);
    };
    let value = value.to_str().map_err(|_| TokenError::Malformed)?;
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::MissingToken);
    }
    let token = rest.trim_matches(' ');
    let b64token = |c: char| c.is_ascii_alphanumeric() || "-._~+/=".contains(c);
    if token.is_empty() || !token.chars().all(b64token) {
        return Err(TokenError::Malformed.into());
    }
    Ok(AccessToken::new(token))
}
