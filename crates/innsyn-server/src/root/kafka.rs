//! The Kafka front end: `innsyn consume`, its replay of dead letters, and
//! the consumer `innsyn serve` runs beside the API when `kafka.enabled`.

use std::sync::Arc;

use innsyn_kafka::{ConsumeError, Consumer, ConsumerStats, KafkaSettings, Replayed};

use super::adapters;
use crate::config::Settings;
use crate::http::StartupError;

/// A consumer joined to its group, and its counters.
pub struct StreamConsumer {
    /// The loop.
    pub consumer: Consumer,
    /// What it has done (`/metrics`, `/readyz`).
    pub stats: Arc<ConsumerStats>,
}

/// The consumer `[kafka]` describes.
///
/// # Errors
/// [`StartupError::Config`] naming the setting that cannot work.
pub fn subscribe(s: &KafkaSettings) -> Result<StreamConsumer, StartupError> {
    let stats = Arc::new(ConsumerStats::default());
    let consumer = Consumer::subscribe(s, Arc::clone(&stats)).map_err(startup)?;
    Ok(StreamConsumer { consumer, stats })
}

/// `innsyn consume`: consumes until SIGTERM or Ctrl-C, then finishes and
/// commits the batch in hand.
///
/// # Errors
/// [`StartupError`] when the store or the consumer cannot start.
#[actix_web::main]
pub async fn consume(s: &Settings) -> Result<innsyn_kafka::StatsSnapshot, StartupError> {
    let service = adapters::operator_service(s)?;
    let c = subscribe(&s.kafka)?;
    tracing::info!(
        topics = ?s.kafka.topics,
        group = %s.kafka.group_id,
        "consuming; offsets are committed only after each batch is durable"
    );
    c.consumer.run(&service, stop_signal()).await;
    Ok(c.stats.snapshot())
}

/// `innsyn consume --replay-dead-letters`.
///
/// # Errors
/// [`StartupError`] when the store or the cluster fails.
#[actix_web::main]
pub async fn replay(s: &Settings) -> Result<Replayed, StartupError> {
    let service = adapters::operator_service(s)?;
    innsyn_kafka::replay_dead_letters(&s.kafka, &service)
        .await
        .map_err(startup)
}

/// SIGTERM or Ctrl-C, whichever comes first.
async fn stop_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

fn startup(e: ConsumeError) -> StartupError {
    StartupError::Adapter(e.to_string())
}
