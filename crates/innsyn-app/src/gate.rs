use std::sync::Arc;
use std::time::Duration;

use innsyn_ports::{HistoryStore, StoreError};
use tokio::sync::Semaphore;

use crate::AppError;

/// Admission to the store: at most as many store calls at once as it has
/// connections, waiting in arrival order (tokio's semaphore is fair) for at
/// most `queue_timeout`.
///
/// Without it every request in flight takes a blocking thread and queues
/// inside the connection pool, whose wake-ups are neither cheap nor fair:
/// on two cores the extra threads cost throughput and the unfair wake-ups
/// cost the tail latency. A call admitted here finds a free connection by
/// construction.
#[derive(Debug, Clone)]
pub struct StoreGate {
    slots: Arc<Semaphore>,
    concurrency: usize,
    queue_timeout: Duration,
}

impl StoreGate {
    /// `concurrency` store calls at once (at least 1); a call that waits
    /// longer than `queue_timeout` for its turn fails as "unavailable"
    /// (HTTP 503), as an exhausted pool would.
    pub fn new(concurrency: usize, queue_timeout: Duration) -> Self {
        let concurrency = concurrency.max(1);
        StoreGate {
            slots: Arc::new(Semaphore::new(concurrency)),
            concurrency,
            queue_timeout,
        }
    }

    /// Store calls running now.
    pub fn in_use(&self) -> usize {
        self.concurrency - self.slots.available_permits()
    }

    /// Runs `f` against `store` on the blocking pool once admitted: store
    /// adapters do blocking I/O and must never run on an executor thread.
    pub(crate) async fn run<T, F>(&self, store: &Arc<dyn HistoryStore>, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn HistoryStore) -> Result<T, AppError> + Send + 'static,
    {
        let permit =
            tokio::time::timeout(self.queue_timeout, Arc::clone(&self.slots).acquire_owned())
                .await
                .map_err(|_| {
                    StoreError::Unavailable(format!(
                        "every database connection stayed busy for {}s",
                        self.queue_timeout.as_secs_f32()
                    ))
                })?
                .map_err(|e| AppError::Internal(format!("the store gate is closed: {e}")))?;
        let store = Arc::clone(store);
        tokio::task::spawn_blocking(move || {
            let _admitted = permit;
            f(store.as_ref())
        })
        .await
        .map_err(|e| AppError::Internal(format!("a blocking store task failed: {e}")))?
    }
}
