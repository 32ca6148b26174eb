//! How far retention has come, for `/metrics` and the log while a run
//! goes on (a run over months of history takes minutes of batches, and an
//! operator must see it move, not only its total at the end).

use std::sync::atomic::{AtomicU64, Ordering};

use innsyn_ports::RetentionOutcome;

/// Batches between two progress lines in the log (100,000 rows of each
/// table at the batch size): often enough to see a long run move, rarely
/// enough not to flood the log.
pub(crate) const LOG_EVERY_BATCHES: u64 = 100;

/// Counters since the process started; runs now going on.
#[derive(Debug, Default)]
pub(crate) struct RetentionProgress {
    running: AtomicU64,
    runs: AtomicU64,
    batches: AtomicU64,
    login_events: AtomicU64,
    access_records: AtomicU64,
}

/// A snapshot of [`RetentionProgress`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionStats {
    /// Runs going on now.
    pub running: u64,
    /// Runs finished (also those a store failure ended).
    pub runs: u64,
    /// Batches applied.
    pub batches: u64,
    /// Login events removed.
    pub login_events: u64,
    /// Access records removed.
    pub access_records: u64,
}

/// One run in progress: counted as running until dropped, so a run that
/// fails or whose caller goes away is not left "running".
pub(crate) struct RunGuard<'a>(&'a RetentionProgress);

impl RetentionProgress {
    pub(crate) fn start(&self) -> RunGuard<'_> {
        self.running.fetch_add(1, Ordering::Relaxed);
        RunGuard(self)
    }

    pub(crate) fn batch(&self, removed: RetentionOutcome) {
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.login_events
            .fetch_add(removed.login_events, Ordering::Relaxed);
        self.access_records
            .fetch_add(removed.access_records, Ordering::Relaxed);
    }

    pub(crate) fn stats(&self) -> RetentionStats {
        RetentionStats {
            running: self.running.load(Ordering::Relaxed),
            runs: self.runs.load(Ordering::Relaxed),
            batches: self.batches.load(Ordering::Relaxed),
            login_events: self.login_events.load(Ordering::Relaxed),
            access_records: self.access_records.load(Ordering::Relaxed),
        }
    }
}

impl Drop for RunGuard<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::Relaxed);
        self.0.runs.fetch_add(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_counts_its_batches_and_stops_running_when_dropped() {
        let p = RetentionProgress::default();
        let run = p.start();
        p.batch(RetentionOutcome {
            login_events: 5,
            access_records: 2,
        });
        p.batch(RetentionOutcome {
            login_events: 1,
            access_records: 0,
        });
        let during = p.stats();
        assert_eq!((during.running, during.runs, during.batches), (1, 0, 2));
        assert_eq!((during.login_events, during.access_records), (6, 2));
        drop(run);
        let after = p.stats();
        assert_eq!((after.running, after.runs), (0, 1));
    }
}
