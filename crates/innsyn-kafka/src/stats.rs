//! What the consumer has done, for `/metrics` and `/readyz`: counters the
//! loop moves, and per-partition lag from librdkafka's statistics.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use innsyn_app::StreamOutcome;

/// Distinct client ids tracked for the completeness view; beyond it the
/// rest is summed under [`OTHER_SOURCES`], so a flood of made-up client
/// ids cannot grow the metrics without bound.
pub const MAX_SOURCES: usize = 10_000;
/// The client id under which sources beyond [`MAX_SOURCES`] are summed.
pub const OTHER_SOURCES: &str = "(other)";

/// The consumer's counters since start. Shared between the loop, the
/// librdkafka callbacks and the metrics.
#[derive(Debug)]
pub struct ConsumerStats {
    stored: AtomicU64,
    duplicates: AtomicU64,
    refused: AtomicU64,
    batches: AtomicU64,
    commits: AtomicU64,
    commit_failures: AtomicU64,
    commit_micros: AtomicU64,
    store_failures: AtomicU64,
    store_up: AtomicBool,
    broker_up: AtomicBool,
    lag: Mutex<BTreeMap<(String, i32), i64>>,
    sources: Mutex<BTreeMap<String, Source>>,
}

impl Default for ConsumerStats {
    fn default() -> Self {
        Self {
            stored: AtomicU64::new(0),
            duplicates: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            batches: AtomicU64::new(0),
            commits: AtomicU64::new(0),
            commit_failures: AtomicU64::new(0),
            commit_micros: AtomicU64::new(0),
            store_failures: AtomicU64::new(0),
            store_up: AtomicBool::new(true),
            broker_up: AtomicBool::new(true),
            lag: Mutex::default(),
            sources: Mutex::default(),
        }
    }
}

/// One source (client id) of login events, as the stream showed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// Valid events taken from the stream.
    pub events: u64,
    /// The newest event time seen, Unix seconds.
    pub newest_unix: i64,
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatsSnapshot {
    /// Events newly stored.
    pub stored: u64,
    /// Events stored before (re-deliveries).
    pub duplicates: u64,
    /// Messages recorded as dead letters.
    pub refused: u64,
    /// Batches stored.
    pub batches: u64,
    /// Offset commits that succeeded.
    pub commits: u64,
    /// Offset commits that failed (the batch was durable: re-delivered).
    pub commit_failures: u64,
    /// Time spent committing, all commits, in seconds.
    pub commit_seconds: f64,
    /// Store attempts that failed (the consumer waited and retried).
    pub store_failures: u64,
    /// Whether the consumer can work now: its last store attempt succeeded
    /// and a broker is up.
    pub ready: bool,
    /// Messages on each partition not yet committed by the group.
    pub lag: Vec<(String, i32, i64)>,
    /// The sources seen, by client id.
    pub sources: Vec<(String, Source)>,
}

impl ConsumerStats {
    /// A copy of everything.
    pub fn snapshot(&self) -> StatsSnapshot {
        let lag = lock(&self.lag)
            .iter()
            .map(|((t, p), l)| (t.clone(), *p, *l))
            .collect();
        let sources = lock(&self.sources)
            .iter()
            .map(|(c, s)| (c.clone(), *s))
            .collect();
        StatsSnapshot {
            stored: get(&self.stored),
            duplicates: get(&self.duplicates),
            refused: get(&self.refused),
            batches: get(&self.batches),
            commits: get(&self.commits),
            commit_failures: get(&self.commit_failures),
            commit_seconds: get(&self.commit_micros) as f64 / 1e6,
            store_failures: get(&self.store_failures),
            ready: self.ready(),
            lag,
            sources,
        }
    }

    /// `/readyz`: the last store attempt succeeded and a broker is up.
    pub fn ready(&self) -> bool {
        self.store_up.load(Ordering::Relaxed) && self.broker_up.load(Ordering::Relaxed)
    }

    pub(crate) fn stored_batch(&self, o: &StreamOutcome) {
        add(&self.stored, o.stored.accepted);
        add(&self.duplicates, o.stored.duplicates);
        add(&self.refused, o.refused);
        add(&self.batches, 1);
        self.store_up.store(true, Ordering::Relaxed);
        let mut sources = lock(&self.sources);
        for (client, tally) in &o.per_client {
            let key = if sources.len() < MAX_SOURCES || sources.contains_key(client) {
                client.clone()
            } else {
                OTHER_SOURCES.to_owned()
            };
            let s = sources.entry(key).or_insert(Source {
                events: 0,
                newest_unix: i64::MIN,
            });
            s.events += tally.events;
            s.newest_unix = s.newest_unix.max(tally.newest.unix_timestamp());
        }
    }

    pub(crate) fn store_failed(&self) {
        add(&self.store_failures, 1);
        self.store_up.store(false, Ordering::Relaxed);
    }

    pub(crate) fn committed(&self, took: Duration, ok: bool) {
        add(
            if ok {
                &self.commits
            } else {
                &self.commit_failures
            },
            1,
        );
        add(
            &self.commit_micros,
            u64::try_from(took.as_micros()).unwrap_or(u64::MAX),
        );
    }

    pub(crate) fn broker(&self, up: bool) {
        self.broker_up.store(up, Ordering::Relaxed);
    }

    pub(crate) fn set_lag(&self, lag: BTreeMap<(String, i32), i64>) {
        *lock(&self.lag) = lag;
    }
}

fn get(c: &AtomicU64) -> u64 {
    c.load(Ordering::Relaxed)
}

fn add(c: &AtomicU64, n: u64) {
    c.fetch_add(n, Ordering::Relaxed);
}

/// A poisoned lock only means a panic elsewhere mid-update of a counter
/// map; the numbers are still worth showing.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use innsyn_app::ClientTally;
    use time::macros::datetime;

    use super::*;

    fn outcome(clients: &[(&str, u64)]) -> StreamOutcome {
        StreamOutcome {
            per_client: clients
                .iter()
                .map(|(c, n)| {
                    (
                        (*c).to_owned(),
                        ClientTally {
                            events: *n,
                            newest: datetime!(2026-12-02 12:00 UTC),
                        },
                    )
                })
                .collect(),
            ..StreamOutcome::default()
        }
    }

    #[test]
    fn sources_beyond_the_cap_are_summed_not_added() {
        let stats = ConsumerStats::default();
        let many: Vec<(String, u64)> = (0..MAX_SOURCES).map(|i| (format!("c{i}"), 1)).collect();
        let many: Vec<(&str, u64)> = many.iter().map(|(c, n)| (c.as_str(), *n)).collect();
        stats.stored_batch(&outcome(&many));
        stats.stored_batch(&outcome(&[("c1", 2), ("new-a", 3), ("new-b", 4)]));
        let s = stats.snapshot();
        assert_eq!(s.sources.len(), MAX_SOURCES + 1);
        let find = |c: &str| {
            s.sources
                .iter()
                .find(|(k, _)| k == c)
                .map(|(_, v)| v.events)
        };
        assert_eq!(find("c1"), Some(3));
        assert_eq!(find(OTHER_SOURCES), Some(7));
        assert_eq!(s.batches, 2);
    }

    #[test]
    fn readiness_follows_the_store_and_the_brokers() {
        let stats = ConsumerStats::default();
        assert!(stats.ready());
        stats.store_failed();
        assert!(!stats.ready());
        stats.stored_batch(&StreamOutcome::default());
        assert!(stats.ready());
        stats.broker(false);
        assert!(!stats.snapshot().ready);
    }
}
