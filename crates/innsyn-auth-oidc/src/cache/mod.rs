//! A bounded, single-flight cache of introspection results, keyed by the
//! SHA-256 of the token so the token itself is never kept.

mod answer;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use innsyn_domain::Caller;
use innsyn_ports::TokenError;
use tokio::sync::OnceCell;
use tokio::time::Instant;

pub(crate) use answer::{Answer, TokenHash, token_hash, verified_answer};

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
