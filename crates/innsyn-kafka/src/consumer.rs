//! The consuming loop: take a batch, make it durable through the use case,
//! and only then commit its offsets. A crash anywhere before the commit
//! re-delivers the batch, and ingestion's idempotency absorbs it.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use futures_util::stream::FuturesOrdered;
use innsyn_app::{Service, Writer};
use rdkafka::consumer::{CommitMode, Consumer as _, StreamConsumer};
use rdkafka::error::KafkaResult;
use rdkafka::message::BorrowedMessage;
use tokio::sync::{mpsc, watch};

use crate::batch::Batch;
use crate::context::Context;
use crate::{ConsumeError, ConsumerStats, KafkaSettings};

/// The longest wait between two attempts to store a batch while the
/// database is down; the first wait is [`FIRST_RETRY`], doubling.
pub const MAX_RETRY: Duration = Duration::from_secs(5);
const FIRST_RETRY: Duration = Duration::from_millis(100);
/// After a client error with nothing taken, before asking again: an
/// unreachable cluster is not asked in a busy loop.
const AFTER_ERROR: Duration = Duration::from_millis(200);

/// A group consumer of the activity topics.
pub struct Consumer {
    consumer: Arc<StreamConsumer<Context>>,
    stats: Arc<ConsumerStats>,
    max_messages: usize,
    max_wait: Duration,
    max_in_flight: usize,
}

impl Consumer {
    /// Joins `settings.group_id` on `settings.topics`; the partitions
    /// arrive with the first poll. Counters go to `stats`.
    ///
    /// # Errors
    /// [`ConsumeError::Config`] for unusable settings, [`ConsumeError::Kafka`]
    /// when librdkafka refuses them.
    pub fn subscribe(
        settings: &KafkaSettings,
        stats: Arc<ConsumerStats>,
    ) -> Result<Self, ConsumeError> {
        let consumer: StreamConsumer<Context> =
            settings.consumer_config()?.create_with_context(Context {
                stats: Arc::clone(&stats),
            })?;
        let topics: Vec<&str> = settings
            .topics
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        consumer.subscribe(&topics)?;
        Ok(Self {
            consumer: Arc::new(consumer),
            stats,
            max_messages: settings.batch_max_messages,
            max_wait: Duration::from_millis(settings.batch_max_ms.max(1)),
            max_in_flight: settings.max_batches_in_flight.max(1),
        })
    }

    /// Consumes until `stop` completes. A batch in hand when it does is
    /// still stored and committed (graceful shutdown), unless the store is
    /// down then: it is left uncommitted and comes again.
    ///
    /// Up to `max_in_flight` batches are stored at once while the next one
    /// is collected; their offsets are committed in the order the batches
    /// were taken, each only once it and every batch before it is durable.
    ///
    /// Never returns an error for a failing store or broker: it waits (at
    /// most [`MAX_RETRY`] between attempts) and resumes by itself.
    pub async fn run(&self, service: &Service, stop: impl Future<Output = ()>) {
        // One batch waits beside those in flight: memory stays bounded by
        // `max_in_flight + 2` batches (that one and the one being collected).
        let (batches, taken) = mpsc::channel::<Batch>(1);
        let (stopping, stopped) = watch::channel(false);
        let collect = async {
            let mut stop = pin!(stop);
            loop {
                let (batch, stop_now) = self.collect(stop.as_mut()).await;
                if !batch.is_empty() && batches.send(batch).await.is_err() {
                    break;
                }
                if stop_now {
                    break;
                }
            }
            let _ = stopping.send(true);
            drop(batches);
        };
        tokio::join!(collect, self.store_in_order(service, taken, stopped));
    }

    /// Stores the batches from `taken`, several at once, and commits them
    /// in order; returns when `taken` is closed and all are done, or at the
    /// first batch that could not be made durable before the stop.
    async fn store_in_order(
        &self,
        service: &Service,
        mut taken: mpsc::Receiver<Batch>,
        stopped: watch::Receiver<bool>,
    ) {
        let writer = Writer::operator();
        let mut in_flight = FuturesOrdered::new();
        let mut open = true;
        loop {
            tokio::select! {
                next = taken.recv(), if open && in_flight.len() < self.max_in_flight => match next {
                    Some(batch) => {
                        let (writer, stopped) = (&writer, stopped.clone());
                        in_flight.push_back(async move {
                            let durable = self.store(service, writer, &batch, stopped).await;
                            (batch, durable)
                        });
                    }
                    None => open = false,
                },
                Some((batch, durable)) = in_flight.next(), if !in_flight.is_empty() => {
                    if !durable {
                        // Stopped with the store down: nothing after this
                        // batch may be committed; all of it comes again.
                        return;
                    }
                    self.commit(&batch).await;
                }
                else => return,
            }
        }
    }

    /// Up to `max_messages`, ending `max_wait` after the first; `true`
    /// when `stop` completed meanwhile.
    async fn collect(
        &self,
        mut stop: std::pin::Pin<&mut impl Future<Output = ()>>,
    ) -> (Batch, bool) {
        let mut batch = Batch::default();
        let mut deadline = None;
        while batch.len() < self.max_messages {
            let wait_until = deadline.map(tokio::time::Instant::from_std);
            tokio::select! {
                m = self.consumer.recv() => {
                    if self.take(m, &mut batch) {
                        deadline.get_or_insert_with(|| Instant::now() + self.max_wait);
                    } else if batch.is_empty() {
                        tokio::time::sleep(AFTER_ERROR).await;
                    }
                }
                () = sleep_until(wait_until) => break,
                () = stop.as_mut() => return (batch, true),
            }
        }
        (batch, false)
    }

    /// Adds a received message; `false` for a client error (logged).
    fn take(&self, m: KafkaResult<BorrowedMessage<'_>>, batch: &mut Batch) -> bool {
        match m {
            Ok(m) => {
                batch.push(&m);
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "kafka: no message this time");
                false
            }
        }
    }

    /// Stores `batch` durably, retrying while the store fails; `false`
    /// when the consumer was stopped first (nothing is committed then).
    async fn store(
        &self,
        service: &Service,
        writer: &Writer,
        batch: &Batch,
        mut stopped: watch::Receiver<bool>,
    ) -> bool {
        let mut wait = FIRST_RETRY;
        loop {
            match service.ingest_stream(writer, batch.messages.clone()).await {
                Ok(outcome) => {
                    self.stats.stored_batch(&outcome);
                    if outcome.refused > 0 {
                        tracing::warn!(
                            refused = outcome.refused,
                            "kafka: messages refused and kept as dead letters"
                        );
                    }
                    return true;
                }
                Err(e) => {
                    self.stats.store_failed();
                    tracing::warn!(
                        error = %e,
                        retry_in_ms = wait.as_millis() as u64,
                        messages = batch.len(),
                        "kafka: the batch could not be stored; nothing is committed, trying again"
                    );
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        _ = stopped.wait_for(|s| *s) => return false,
                    }
                    wait = (wait * 2).min(MAX_RETRY);
                }
            }
        }
    }

    /// Commits the batch's offsets. A failed commit is logged and counted,
    /// not retried: the batch is durable, so its re-delivery is absorbed.
    async fn commit(&self, batch: &Batch) {
        let started = Instant::now();
        let result = match batch.commit_list() {
            Ok(tpl) => {
                let consumer = Arc::clone(&self.consumer);
                // A synchronous commit blocks its thread until the
                // coordinator answers (librdkafka's request timeout bounds it).
                tokio::task::spawn_blocking(move || consumer.commit(&tpl, CommitMode::Sync))
                    .await
                    .map_err(|_| ConsumeError::Kafka(rdkafka::error::KafkaError::Canceled))
                    .and_then(|r| r.map_err(ConsumeError::from))
            }
            Err(e) => Err(e),
        };
        self.stats.committed(started.elapsed(), result.is_ok());
        if let Err(e) = result {
            tracing::warn!(
                error = %e,
                "kafka: the offsets of a stored batch were not committed; it will be re-delivered and absorbed"
            );
        }
    }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}
