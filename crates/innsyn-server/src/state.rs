//! What every handler shares: the ports, the zone, the scope names.

use std::sync::Arc;

use actix_web::HttpRequest;
use actix_web::http::header;
use innsyn_domain::{Caller, ScopeNames, Zone};
use innsyn_ports::{AccessToken, Clock, HistoryStore, TokenError, TokenIntrospector};
use time::OffsetDateTime;

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
}

impl AppState {
    /// Runs `f` against the store on the blocking pool: store adapters do
    /// blocking I/O and must never run on an executor thread.
    pub async fn blocking<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn HistoryStore) -> Result<T, ApiError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        actix_web::web::block(move || f(store.as_ref()))
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
