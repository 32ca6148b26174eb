mod progress;

use std::time::{Duration, Instant};

use innsyn_domain::retention;
use innsyn_ports::RetentionOutcome;
use time::OffsetDateTime;

use crate::{Admin, AppError, Service};
use progress::LOG_EVERY_BATCHES;
pub(crate) use progress::RetentionProgress;
pub use progress::RetentionStats;

/// Rows of each table one retention batch removes at most. A batch is one
/// short transaction; measured on the benchmark's machine (2 cores), a
/// batch of 5,000 rows of each table took ~0.37 s of one core and its WAL
/// (full-page images of every page it first touched), and reads' p99 rose
/// 14-35x while batches ran back to back. 1,000 rows keep one batch to tens
/// of milliseconds, so nothing waits behind one for long, at a per-batch
/// overhead of a few round trips.
pub(crate) const RETENTION_BATCH_ROWS: u32 = 1_000;

/// Retention works at most this share of the wall time: after a batch that
/// took `t`, it pauses `t × (1 − share) / share`, handing the database, the
/// WAL writer and the store gate's turns back to reads and ingestion, and
/// letting vacuum and replicas keep up. A run therefore takes about ten
/// times as long as its batches would back to back. Measured with
/// `scripts/bench --quick` (73k old rows in a heap filled in random time
/// order, the worst case for finding them): reads' p99 during the run was
/// 2.7x quiet at a quarter, 2.0x at a tenth; back to back 14-35x.
pub(crate) const RETENTION_SHARE: f64 = 0.1;

/// The shortest pause between two batches, however fast they are.
pub(crate) const RETENTION_MIN_PAUSE: Duration = Duration::from_millis(10);

/// The pause after a batch that took `took`.
fn pause_after(took: Duration) -> Duration {
    took.mul_f64((1.0 - RETENTION_SHARE) / RETENTION_SHARE)
        .max(RETENTION_MIN_PAUSE)
}

/// What one retention run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionRun {
    /// Everything before this instant was removed.
    pub cutoff: OffsetDateTime,
    /// What was removed, summed over the batches.
    pub removed: RetentionOutcome,
    /// The batches it took (at least one).
    pub batches: u32,
}

impl Service {
    /// Removes the history older than the configured retention; `None`
    /// when retention is off (`database.retention_months` unset). Runs in
    /// batches of [`RETENTION_BATCH_ROWS`] per table, each its own turn at
    /// the store gate and its own short transaction, paced to
    /// [`RETENTION_SHARE`] of the time, until a batch removes fewer than that
    /// of both tables: reads and ingestion interleave with the batches.
    ///
    /// # Errors
    /// [`AppError::Store`] (batches before the failing one stay applied);
    /// [`AppError::Internal`] when the cutoff leaves the calendar (a
    /// misconfiguration).
    pub async fn run_retention(&self, _admin: &Admin) -> Result<Option<RetentionRun>, AppError> {
        let Some(months) = self.inner().settings.retention_months else {
            return Ok(None);
        };
        let cutoff = retention::cutoff(self.now(), months).ok_or_else(|| {
            AppError::Internal(format!("{months} months of retention leave the calendar"))
        })?;
        let progress = &self.inner().retention;
        let _running = progress.start();
        let started = Instant::now();
        tracing::info!(%cutoff, "retention run started");
        let mut removed = RetentionOutcome::default();
        let mut batches = 0;
        loop {
            let batch_started = Instant::now();
            let batch = self
                .with_store(move |store| Ok(store.apply_retention(cutoff, RETENTION_BATCH_ROWS)?))
                .await
                .inspect_err(|e| {
                    tracing::warn!(batches, login_events = removed.login_events,
                        access_records = removed.access_records, error = %e,
                        "retention run stopped; the batches before stay applied");
                })?;
            progress.batch(batch);
            batches += 1;
            removed.login_events += batch.login_events;
            removed.access_records += batch.access_records;
            let max = u64::from(RETENTION_BATCH_ROWS);
            if batch.login_events < max && batch.access_records < max {
                break;
            }
            if u64::from(batches) % LOG_EVERY_BATCHES == 0 {
                tracing::info!(
                    batches,
                    login_events = removed.login_events,
                    access_records = removed.access_records,
                    "retention run in progress"
                );
            }
            tokio::time::sleep(pause_after(batch_started.elapsed())).await;
        }
        tracing::info!(
            batches,
            login_events = removed.login_events,
            access_records = removed.access_records,
            secs = started.elapsed().as_secs_f64(),
            "retention run done"
        );
        Ok(Some(RetentionRun {
            cutoff,
            removed,
            batches,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_works_a_tenth_of_the_time_and_always_pauses() {
        let pause = pause_after(Duration::from_millis(40));
        assert!(pause.abs_diff(Duration::from_millis(360)) < Duration::from_micros(1));
        assert_eq!(pause_after(Duration::ZERO), RETENTION_MIN_PAUSE);
    }
}
