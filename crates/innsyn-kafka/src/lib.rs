//! innsyn's Kafka front end: consumes ID-porten's activity topics (plain
//! JSON ActivityRecords, no key, no schema registry) into the login
//! history through the use cases of `innsyn-app`.
//!
//! The delivery guarantee: a batch's offsets are committed only after the
//! batch is durable (its events stored, its bad messages recorded as dead
//! letters), so a crash anywhere re-delivers, and ingestion's idempotency
//! makes each event stored once. Kafka transactions are not used.

mod batch;
mod consumer;
mod context;
mod error;
mod replay;
mod settings;
mod stats;

pub use consumer::{Consumer, MAX_RETRY};
pub use error::ConsumeError;
pub use replay::{FETCH_TIMEOUT, Replayed, replay_dead_letters};
pub use settings::KafkaSettings;
pub use stats::{ConsumerStats, MAX_SOURCES, OTHER_SOURCES, Source, StatsSnapshot};
