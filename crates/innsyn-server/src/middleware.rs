//! Cross-cutting layers: request id, access log and metrics; security
//! headers; the per-client rate limit; the problem+json fallback for errors
//! raised outside the handlers.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage as _, ResponseError as _, web};
use governor::Quota;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use tracing::Instrument as _;

use crate::error::{ApiError, PROBLEM_JSON, problem_for_status, problem_response};
use crate::metrics::Metrics;

/// The request id header, echoed when valid, generated otherwise.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request id of the current request (in request extensions).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn valid_request_id(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 128
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

/// Assigns the request id, logs one line per request (route pattern, never
/// the raw path: seed 2's path holds an identity number) and records metrics.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| valid_request_id(v))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().to_string();
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let span = tracing::info_span!("request", request_id = %id, method = %method);
    let mut res = next.call(req).instrument(span.clone()).await?;
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let status = res.status().as_u16();
    let elapsed = started.elapsed().as_secs_f64();
    span.in_scope(|| {
        tracing::info!(
            route = %route,
            status,
            latency_ms = (elapsed * 1000.0).round() as u64,
            "request"
        );
    });
    if let Some(m) = metrics {
        m.observe_request(&route, &method, status, elapsed);
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    Ok(res)
}

/// Whether responses go out over TLS (for HSTS).
#[derive(Debug, Clone, Copy)]
pub struct TlsOn(pub bool);

const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Security headers on every response.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let tls = req.app_data::<web::Data<TlsOn>>().is_some_and(|t| t.0);
    let docs = req.path().starts_with("/docs");
    let mut res = next.call(req).await?;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // A response with its own policies (the citizen's page) keeps them.
    if !h.contains_key(header::REFERRER_POLICY) {
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(if docs { DOCS_CSP } else { API_CSP }),
        );
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    Ok(res)
}

/// Client addresses the limiter holds before it forgets those whose
/// allowance has refilled (their state is the same as a new client's).
const MAX_CLIENTS: usize = 100_000;

type Keyed<C> = governor::RateLimiter<
    IpAddr,
    DefaultKeyedStateStore<IpAddr>,
    C,
    NoOpMiddleware<<C as Clock>::Instant>,
>;

/// The per-client rate limit: `governor`'s keyed GCRA limiter, which is a
/// token bucket of `burst` requests refilled at `per_second`.
pub struct RateLimiter<C: Clock = DefaultClock> {
    keyed: Option<Keyed<C>>,
    max_clients: usize,
}

impl<C: Clock> std::fmt::Debug for RateLimiter<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("on", &self.keyed.is_some())
            .finish_non_exhaustive()
    }
}

impl RateLimiter {
    /// `per_second` sustained, `burst` on top; 0 per second disables it.
    pub fn new(per_second: u32, burst: u32) -> Self {
        Self::with_clock(per_second, burst, MAX_CLIENTS, DefaultClock::default())
    }
}

impl<C: Clock> RateLimiter<C> {
    fn with_clock(per_second: u32, burst: u32, max_clients: usize, clock: C) -> Self {
        let keyed = NonZeroU32::new(per_second).map(|rate| {
            let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
            let quota = Quota::per_second(rate).allow_burst(burst);
            governor::RateLimiter::new(quota, DefaultKeyedStateStore::default(), clock)
        });
        Self { keyed, max_clients }
    }

    /// `Ok` when `client` may proceed now, else whole seconds to wait (at
    /// least 1).
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        let Some(keyed) = &self.keyed else {
            return Ok(());
        };
        if keyed.len() > self.max_clients {
            keyed.retain_recent();
        }
        keyed.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(keyed.clock().now());
            (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
        })
    }
}

/// 429 with `Retry-After` past the per-client rate (health endpoints exempt).
pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let exempt = matches!(req.path(), "/healthz" | "/readyz" | "/metrics");
    if !exempt
        && let (Some(limiter), Some(peer)) = (
            req.app_data::<web::Data<RateLimiter>>(),
            req.peer_addr().map(|a| a.ip()),
        )
        && let Err(retry_after) = limiter.check(peer)
    {
        let res = ApiError::RateLimited { retry_after }.error_response();
        return Ok(req.into_response(res));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// HEAD is answered as GET (RFC 9110 §9.3.2) on every route: the request
/// is routed as GET, and the HTTP codec, which saw a HEAD, sends the
/// headers (`Content-Length` included) without the body.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Turns any error response not already problem+json (actix's own 404, 405,
/// 413, extractor errors…) into one. HTML error pages (the citizen's page
/// answers browsers in HTML) are left alone.
pub async fn problem_fallback(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let res = next.call(req).await?;
    let status = res.status();
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let keep = content_type.starts_with(PROBLEM_JSON) || content_type.starts_with("text/html");
    if !(status.is_client_error() || status.is_server_error()) || keep {
        return Ok(res.map_into_boxed_body());
    }
    let (req, _old) = res.into_parts();
    let new = problem_response(status, &problem_for_status(status), |_| {});
    Ok(ServiceResponse::new(req, new))
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;
    use std::time::Duration;

    fn fake(
        per_second: u32,
        burst: u32,
        max_clients: usize,
    ) -> (RateLimiter<FakeRelativeClock>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        (
            RateLimiter::with_clock(per_second, burst, max_clients, clock.clone()),
            clock,
        )
    }

    #[test]
    fn bucket_refills() {
        let (l, clock) = fake(1, 2, MAX_CLIENTS);
        let ip: IpAddr = [127, 0, 0, 1].into();
        assert!(l.check(ip).is_ok());
        assert!(l.check(ip).is_ok());
        assert_eq!(l.check(ip), Err(1));
        clock.advance(Duration::from_millis(1100));
        assert!(l.check(ip).is_ok());
        assert!(RateLimiter::new(0, 0).check(ip).is_ok());
    }

    #[test]
    fn sustained_rate_and_retry_after_in_whole_seconds() {
        // 2 per second, burst 4: four at once, then one every 500 ms.
        let (l, clock) = fake(2, 4, MAX_CLIENTS);
        let ip: IpAddr = [10, 0, 0, 1].into();
        for _ in 0..4 {
            assert!(l.check(ip).is_ok());
        }
        assert_eq!(l.check(ip), Err(1), "500 ms away rounds up to 1 s");
        clock.advance(Duration::from_millis(499));
        assert_eq!(l.check(ip), Err(1));
        clock.advance(Duration::from_millis(1));
        assert!(l.check(ip).is_ok());
        assert_eq!(l.check(ip), Err(1));
        // Another client has its own bucket.
        assert!(l.check([10, 0, 0, 2].into()).is_ok());
        // Burst 1 at 1 per second, 0.2 s later: 0.8 s to wait, sent as 1.
        let (l, clock) = fake(1, 1, MAX_CLIENTS);
        assert!(l.check(ip).is_ok());
        clock.advance(Duration::from_millis(200));
        assert_eq!(l.check(ip), Err(1));
        // Burst 0 behaves as burst 1.
        let (l, _) = fake(1, 0, MAX_CLIENTS);
        assert!(l.check(ip).is_ok());
        assert_eq!(l.check(ip), Err(1));
    }

    #[test]
    fn clients_are_bounded() {
        let (l, clock) = fake(1, 1, 3);
        let keyed = l.keyed.as_ref().map(|k| k.len());
        assert_eq!(keyed, Some(0));
        for last in 1..=5u8 {
            assert!(l.check([10, 0, 0, last].into()).is_ok());
        }
        // Over the bound, but every client is still throttled: kept.
        assert_eq!(l.keyed.as_ref().map(|k| k.len()), Some(5));
        clock.advance(Duration::from_secs(2));
        // All refilled: forgotten at the next check, which adds its own.
        assert!(l.check([10, 0, 0, 9].into()).is_ok());
        assert_eq!(l.keyed.as_ref().map(|k| k.len()), Some(1));
    }

    #[test]
    fn request_ids_are_checked() {
        assert!(valid_request_id("abc-123_x.y:z"));
        assert!(!valid_request_id(""));
        assert!(!valid_request_id("a b"));
        assert!(!valid_request_id(&"a".repeat(129)));
    }
}
