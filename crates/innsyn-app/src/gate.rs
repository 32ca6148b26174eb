use std::sync::Arc;
use std::time::Duration;

use innsyn_ports::StoreError;
use tokio::sync::Semaphore;

use crate::AppError;

/// Admission to the store: at most as many store calls at once as it has
/// connections, waiting in arrival order (tokio's semaphore is fair) for at
/// most `queue_timeout`; and one deadline for the whole call, turn included:
/// `queue_timeout + call_timeout` after it arrived, the caller is answered
/// "unavailable" whatever the store is doing. A database that stopped
/// answering (paused, partitioned) cannot fire its own `statement_timeout`,
/// so this client-side bound is what keeps a request from hanging; the
/// blocking thread is left to finish on its own, holding its turn until it
/// does, since its connection is busy until then.
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
    call_timeout: Duration,
}

impl StoreGate {
    /// `concurrency` store calls at once (at least 1); a call that waits
    /// longer than `queue_timeout` for its turn fails as "unavailable"
    /// (HTTP 503), as an exhausted pool would, and so does one not done
    /// `queue_timeout + call_timeout` after it arrived.
    pub fn new(concurrency: usize, queue_timeout: Duration, call_timeout: Duration) -> Self {
        let concurrency = concurrency.max(1);
        StoreGate {
            slots: Arc::new(Semaphore::new(concurrency)),
            concurrency,
            queue_timeout,
            call_timeout,
        }
    }

    /// The longest a store call can keep its caller waiting.
    pub fn deadline(&self) -> Duration {
        self.queue_timeout + self.call_timeout
    }

    /// Store calls running now.
    pub fn in_use(&self) -> usize {
        self.concurrency - self.slots.available_permits()
    }

    /// Runs `f` against `store` on the blocking pool once admitted: store
    /// adapters do blocking I/O and must never run on an executor thread.
    pub(crate) async fn run<S, T, F>(&self, store: &Arc<S>, f: F) -> Result<T, AppError>
    where
        S: ?Sized + Send + Sync + 'static,
        T: Send + 'static,
        F: FnOnce(&S) -> Result<T, AppError> + Send + 'static,
    {
        let arrived = tokio::time::Instant::now();
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
        let call = tokio::task::spawn_blocking(move || {
            let _admitted = permit;
            f(store.as_ref())
        });
        match tokio::time::timeout_at(arrived + self.deadline(), call).await {
            Ok(done) => {
                done.map_err(|e| AppError::Internal(format!("a blocking store task failed: {e}")))?
            }
            Err(_) => Err(StoreError::Unavailable(format!(
                "the store did not answer within {}s",
                self.deadline().as_secs_f32()
            ))
            .into()),
        }
    }
}
