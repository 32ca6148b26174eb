//! Where the time of recording reads goes, for `/metrics`: a read waits
//! for its group's store call, and the call waits for its turn at the
//! store gate and a blocking thread before the store works. Summed over
//! records and groups, so rates give the mean of each part.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[derive(Debug, Default)]
pub(crate) struct ReadRecordCounters {
    stored: AtomicU64,
    failed: AtomicU64,
    groups: AtomicU64,
    waiting_us: AtomicU64,
    turn_us: AtomicU64,
    call_us: AtomicU64,
}

/// A snapshot of the counters since the process started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadRecordStats {
    /// Records of reads stored (durable before their reads were answered).
    pub stored: u64,
    /// Records whose group failed (their reads were answered 503).
    pub failed: u64,
    /// Store calls, one per group.
    pub groups: u64,
    /// Summed over records: from handing the record over to its answer.
    pub waiting: Duration,
    /// Summed over groups: the whole store call, gate and thread included.
    pub store_turn: Duration,
    /// Summed over groups: the store's own work within it.
    pub store_call: Duration,
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

impl ReadRecordCounters {
    /// One group stored (or not) after `turn`, `call` of it in the store.
    pub(crate) fn group(&self, records: usize, ok: bool, turn: Duration, call: Duration) {
        let n = records as u64;
        if ok { &self.stored } else { &self.failed }.fetch_add(n, Ordering::Relaxed);
        self.groups.fetch_add(1, Ordering::Relaxed);
        self.turn_us.fetch_add(micros(turn), Ordering::Relaxed);
        self.call_us.fetch_add(micros(call), Ordering::Relaxed);
    }

    /// One record's wait, from hand-over to answer.
    pub(crate) fn waited(&self, d: Duration) {
        self.waiting_us.fetch_add(micros(d), Ordering::Relaxed);
    }

    pub(crate) fn stats(&self) -> ReadRecordStats {
        let us = |a: &AtomicU64| Duration::from_micros(a.load(Ordering::Relaxed));
        ReadRecordStats {
            stored: self.stored.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
            groups: self.groups.load(Ordering::Relaxed),
            waiting: us(&self.waiting_us),
            store_turn: us(&self.turn_us),
            store_call: us(&self.call_us),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_waits_add_up() {
        let c = ReadRecordCounters::default();
        let ms = Duration::from_millis;
        c.group(3, true, ms(2), ms(1));
        c.group(2, false, ms(4), ms(3));
        c.waited(ms(5));
        let s = c.stats();
        assert_eq!((s.stored, s.failed, s.groups), (3, 2, 2));
        assert_eq!(
            (s.waiting, s.store_turn, s.store_call),
            (ms(5), ms(6), ms(4))
        );
    }
}
