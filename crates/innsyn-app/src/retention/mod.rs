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
/// short transaction: 5,000 rows of each table are a few milliseconds of
/// deleting (a handful of heap pages per block range of the time index),
/// so no read or ingestion waits behind it for long, its WAL stays small,
/// and its row locks are few; larger batches would save little, the
/// per-batch overhead being a few round trips.
pub(crate) const RETENTION_BATCH_ROWS: u32 = 5_000;

/// The pause between two retention batches: it hands the database (and
/// the store gate's turns) back to reads and ingestion, and lets vacuum and
/// replicas keep up, at the cost of ~1 s per 100 batches (500,000 rows of
/// each table) of wall time.
pub(crate) const RETENTION_PAUSE: Duration = Duration::from_millis(10);

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
    /// the store gate and its own short transaction, with
    /// [`RETENTION_PAUSE`] between, until a batch removes fewer than that
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
            tokio::time::sleep(RETENTION_PAUSE).await;
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
