//! What the caches hold: one answer about a token, keyed by the token's
//! SHA-256 so the token itself is never kept.

use innsyn_domain::Caller;
use innsyn_ports::TokenError;
use sha2::{Digest, Sha256};
use tokio::time::Instant;

/// The cache key: SHA-256 of the token text.
pub(crate) type TokenHash = [u8; 32];

pub(crate) fn token_hash(token: &str) -> TokenHash {
    Sha256::digest(token.as_bytes()).into()
}

/// One issuer answer and how long it may be reused. An `until` at or before
/// the time it was produced means "do not reuse" (transient failures).
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    pub(crate) result: Result<Caller, TokenError>,
    pub(crate) until: Instant,
}

/// A local JWT verification as a cache answer: a success is reused until
/// the token's `exp` (capped at `max_ttl`), a failure never (re-checking is
/// cheap, and caching junk tokens would only crowd out good ones).
pub(crate) fn verified_answer(
    result: Result<(Caller, i64), TokenError>,
    now_unix: i64,
    max_ttl: std::time::Duration,
) -> Answer {
    let now = Instant::now();
    match result {
        Ok((caller, exp)) => {
            let left = u64::try_from(exp.saturating_sub(now_unix)).unwrap_or(0);
            Answer {
                result: Ok(caller),
                until: now + std::time::Duration::from_secs(left).min(max_ttl),
            }
        }
        Err(e) => Answer {
            result: Err(e),
            until: now,
        },
    }
}
