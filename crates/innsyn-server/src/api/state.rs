use std::sync::Arc;

use actix_web::HttpRequest;
use actix_web::http::header;
use innsyn_app::Service;
use innsyn_domain::Caller;
use innsyn_ports::{AccessToken, TokenError};

use crate::error::ApiError;
use crate::metrics::Metrics;

/// What every handler shares: the use cases and the HTTP layer's own
/// settings. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub service: Service,
    /// The metrics registry.
    pub metrics: Metrics,
    /// Public base URL for `Link` headers, without a trailing slash.
    pub public_base_url: Option<String>,
    /// Largest request body.
    pub body_limit: usize,
    /// Whether the stream consumer beside the API can work (`/readyz`);
    /// `None` when there is none.
    pub stream_ready: Option<Arc<dyn Fn() -> bool + Send + Sync>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("service", &self.service)
            .field("public_base_url", &self.public_base_url)
            .field("stream_ready", &self.stream_ready.is_some())
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// The verified caller behind the request's bearer token.
    pub async fn authenticate(&self, req: &HttpRequest) -> Result<Caller, ApiError> {
        let token = bearer_token(req)?;
        Ok(self.service.authenticate(&token).await?)
    }
}

/// Reads the bearer token of a request (RFC 6750 §2.1).
///
/// No `Authorization` header, or another scheme, is "no token" (401 with a
/// bare `Bearer` challenge); a `Bearer` header whose token is not a
/// `b64token` is malformed.
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
    // Byte by byte: a JWT is ~1 KB, and this runs on every request.
    let b64token = |b: u8| {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/' | b'=')
    };
    if token.is_empty() || !token.bytes().all(b64token) {
        return Err(TokenError::Malformed.into());
    }
    Ok(AccessToken::new(token))
}
