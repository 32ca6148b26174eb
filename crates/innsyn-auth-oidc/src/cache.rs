//! A bounded, single-flight cache of introspection results, keyed by the
//! SHA-256 of the token so the token itself is never kept.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use innsyn_domain::Caller;
use innsyn_ports::TokenError;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;
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

struct Slot {
    cell: OnceCell<Answer>,
}

impl Slot {
    /// Pending slots count as fresh: joining them is the single flight.
    fn fresh(&self, now: Instant) -> bool {
        self.cell.get().is_none_or(|a| a.until > now)
    }
}

/// Counters for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Answers served from the cache.
    pub hits: u64,
    /// Calls made to the issuer.
    pub misses: u64,
    /// Requests that waited for another request's call to the issuer.
    pub coalesced: u64,
    /// Entries dropped to stay within the capacity.
    pub evictions: u64,
    /// Entries now held (including calls in flight).
    pub entries: u64,
}

#[derive(Default)]
struct Counters {
    hits: AtomicU64,
    misses: AtomicU64,
    coalesced: AtomicU64,
    evictions: AtomicU64,
}

pub(crate) struct IntrospectionCache {
    slots: Mutex<HashMap<TokenHash, Arc<Slot>>>,
    capacity: usize,
    counters: Counters,
}

impl IntrospectionCache {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            slots: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
            counters: Counters::default(),
        }
    }

    pub(crate) fn stats(&self) -> CacheStats {
        let entries = self.lock().len() as u64;
        CacheStats {
            hits: self.counters.hits.load(Ordering::Relaxed),
            misses: self.counters.misses.load(Ordering::Relaxed),
            coalesced: self.counters.coalesced.load(Ordering::Relaxed),
            evictions: self.counters.evictions.load(Ordering::Relaxed),
            entries,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<TokenHash, Arc<Slot>>> {
        // The map holds no invariant a panicking holder could break.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached answer for `key`, or the one `fetch` produces. Concurrent
    /// callers with the same key share one `fetch`; if that caller is
    /// cancelled, a waiting one takes over.
    pub(crate) async fn get_or_fetch<F, Fut>(
        &self,
        key: TokenHash,
        fetch: F,
    ) -> Result<Caller, TokenError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Answer>,
    {
        let slot = {
            let now = Instant::now();
            let mut slots = self.lock();
            match slots.get(&key) {
                Some(slot) if slot.fresh(now) => {
                    if let Some(answer) = slot.cell.get() {
                        self.counters.hits.fetch_add(1, Ordering::Relaxed);
                        return answer.result.clone();
                    }
                    Arc::clone(slot)
                }
                _ => {
                    let slot = Arc::new(Slot {
                        cell: OnceCell::new(),
                    });
                    if slots.len() >= self.capacity && !slots.contains_key(&key) {
                        self.make_room(&mut slots, now);
                    }
                    slots.insert(key, Arc::clone(&slot));
                    slot
                }
            }
        };
        let fetched = AtomicBool::new(false);
        let answer = slot
            .cell
            .get_or_init(|| {
                fetched.store(true, Ordering::Relaxed);
                fetch()
            })
            .await;
        if fetched.load(Ordering::Relaxed) {
            self.counters.misses.fetch_add(1, Ordering::Relaxed);
            if answer.until <= Instant::now() {
                let mut slots = self.lock();
                if slots.get(&key).is_some_and(|s| Arc::ptr_eq(s, &slot)) {
                    slots.remove(&key);
                }
            }
        } else {
            self.counters.coalesced.fetch_add(1, Ordering::Relaxed);
        }
        answer.result.clone()
    }

    /// Drops stale entries; if that is not enough, the eighth of the
    /// settled entries that expire soonest (amortising the scan over many
    /// inserts). Pending entries stay: dropping them would only break up a
    /// single flight.
    fn make_room(&self, slots: &mut HashMap<TokenHash, Arc<Slot>>, now: Instant) {
        let before = slots.len();
        slots.retain(|_, s| s.fresh(now));
        if slots.len() >= self.capacity {
            let mut settled: Vec<(Instant, TokenHash)> = slots
                .iter()
                .filter_map(|(k, s)| s.cell.get().map(|a| (a.until, *k)))
                .collect();
            let drop = (self.capacity / 8).max(1).min(settled.len());
            if drop > 0 {
                settled.select_nth_unstable_by_key(drop - 1, |(until, _)| *until);
                for (_, k) in &settled[..drop] {
                    slots.remove(k);
                }
            }
        }
        let evicted = before.saturating_sub(slots.len()) as u64;
        self.counters
            .evictions
            .fetch_add(evicted, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use innsyn_domain::Scopes;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    fn caller(client: &str) -> Caller {
        Caller {
            subject: None,
            client_id: Some(client.into()),
            orgno: None,
            scopes: Scopes::default(),
            acr: None,
        }
    }

    fn ok_for(client: &str, secs: u64) -> Answer {
        Answer {
            result: Ok(caller(client)),
            until: Instant::now() + Duration::from_secs(secs),
        }
    }

    #[test]
    fn hash_is_not_the_token() {
        let h = token_hash("secret-token");
        assert_eq!(h.len(), 32);
        assert_ne!(&h[..], b"secret-token");
        assert_eq!(h, token_hash("secret-token"));
    }

    #[tokio::test(start_paused = true)]
    async fn hits_until_ttl_then_refetches() {
        let cache = IntrospectionCache::new(10);
        let calls = AtomicUsize::new(0);
        let fetch = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            ok_for("a", 60)
        };
        let k = token_hash("t");
        assert!(cache.get_or_fetch(k, fetch).await.is_ok());
        assert!(cache.get_or_fetch(k, fetch).await.is_ok());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_secs(61)).await;
        assert!(cache.get_or_fetch(k, fetch).await.is_ok());
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        let s = cache.stats();
        assert_eq!((s.hits, s.misses, s.entries), (1, 2, 1));
    }

    #[tokio::test(start_paused = true)]
    async fn inactive_answers_are_cached_briefly_and_failures_not_at_all() {
        let cache = IntrospectionCache::new(10);
        let calls = AtomicUsize::new(0);
        let inactive = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Answer {
                result: Err(TokenError::Inactive),
                until: Instant::now() + Duration::from_secs(10),
            }
        };
        let k = token_hash("revoked");
        assert_eq!(
            cache.get_or_fetch(k, inactive).await,
            Err(TokenError::Inactive)
        );
        tokio::time::advance(Duration::from_secs(9)).await;
        assert_eq!(
            cache.get_or_fetch(k, inactive).await,
            Err(TokenError::Inactive)
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(
            cache.get_or_fetch(k, inactive).await,
            Err(TokenError::Inactive)
        );
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        let down = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Answer {
                result: Err(TokenError::Unavailable("down".into())),
                until: Instant::now(),
            }
        };
        let k = token_hash("while-down");
        assert!(cache.get_or_fetch(k, down).await.is_err());
        assert!(cache.get_or_fetch(k, down).await.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 4);
        assert_eq!(cache.stats().entries, 1, "the failure left no entry");
    }

    #[tokio::test(start_paused = true)]
    async fn bounded_with_soonest_expiry_evicted() {
        let cache = IntrospectionCache::new(16);
        for i in 0..16u64 {
            let k = token_hash(&i.to_string());
            cache
                .get_or_fetch(k, || async move { ok_for("x", 100 + i) })
                .await
                .unwrap();
        }
        assert_eq!(cache.stats().entries, 16);
        cache
            .get_or_fetch(token_hash("new"), || async { ok_for("x", 1000) })
            .await
            .unwrap();
        let s = cache.stats();
        assert_eq!(s.entries, 16 - 2 + 1);
        assert_eq!(s.evictions, 2);
        // The two soonest to expire (0 and 1) went; 2 is still a hit.
        let refetched = AtomicUsize::new(0);
        for (i, want_hit) in [(0, false), (2, true), (15, true)] {
            let before = refetched.load(Ordering::SeqCst);
            cache
                .get_or_fetch(token_hash(&i.to_string()), || async {
                    refetched.fetch_add(1, Ordering::SeqCst);
                    ok_for("x", 5)
                })
                .await
                .unwrap();
            assert_eq!(refetched.load(Ordering::SeqCst) == before, want_hit, "{i}");
        }
        // Expired entries are dropped first.
        tokio::time::advance(Duration::from_secs(500)).await;
        for i in 100..120u64 {
            cache
                .get_or_fetch(token_hash(&i.to_string()), || async { ok_for("y", 50) })
                .await
                .unwrap();
            assert!(cache.stats().entries <= 16);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_misses_share_one_fetch() {
        let cache = Arc::new(IntrospectionCache::new(10));
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_fetch(token_hash("same"), || async {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        ok_for("a", 60)
                    })
                    .await
            }));
        }
        for t in tasks {
            assert!(t.await.unwrap().is_ok());
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let s = cache.stats();
        assert_eq!(s.misses, 1);
        assert_eq!(s.hits + s.coalesced, 49);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_cancelled_leader_hands_over() {
        let cache = Arc::new(IntrospectionCache::new(10));
        let k = token_hash("t");
        let leader = {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move {
                cache
                    .get_or_fetch(k, || async {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        ok_for("slow", 60)
                    })
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        let follower = {
            let cache = Arc::clone(&cache);
            tokio::spawn(
                async move { cache.get_or_fetch(k, || async { ok_for("fast", 60) }).await },
            )
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        leader.abort();
        let got = tokio::time::timeout(Duration::from_secs(5), follower)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(got.client_id.as_deref(), Some("fast"));
    }
}
