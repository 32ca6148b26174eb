//! librdkafka's callbacks: its log lines into `tracing`, its statistics
//! into [`ConsumerStats`] (lag per partition, whether a broker is up).

use std::collections::BTreeMap;
use std::sync::Arc;

use rdkafka::client::ClientContext;
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::{ConsumerContext, Rebalance};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::statistics::Statistics;

use crate::ConsumerStats;

/// The consumer's context: where librdkafka reports to.
pub(crate) struct Context {
    pub(crate) stats: Arc<ConsumerStats>,
}

impl ClientContext for Context {
    // librdkafka's lines name brokers, topics and offsets, never a
    // message's content.
    fn log(&self, level: RDKafkaLogLevel, facility: &str, line: &str) {
        match level {
            RDKafkaLogLevel::Emerg
            | RDKafkaLogLevel::Alert
            | RDKafkaLogLevel::Critical
            | RDKafkaLogLevel::Error => tracing::error!(facility, "librdkafka: {line}"),
            RDKafkaLogLevel::Warning => tracing::warn!(facility, "librdkafka: {line}"),
            RDKafkaLogLevel::Notice | RDKafkaLogLevel::Info => {
                tracing::info!(facility, "librdkafka: {line}");
            }
            RDKafkaLogLevel::Debug => tracing::debug!(facility, "librdkafka: {line}"),
        }
    }

    fn stats(&self, statistics: Statistics) {
        let mut lag = BTreeMap::new();
        for (topic, t) in &statistics.topics {
            for (partition, p) in &t.partitions {
                // -1 is librdkafka's internal "unassigned" partition; a
                // negative lag means "not known yet".
                if *partition >= 0 && p.consumer_lag >= 0 {
                    lag.insert((topic.clone(), *partition), p.consumer_lag);
                }
            }
        }
        self.stats.set_lag(lag);
        // Real brokers have a node id >= 0; the bootstrap entries do not.
        let up = statistics
            .brokers
            .values()
            .any(|b| b.nodeid >= 0 && b.state == "UP");
        self.stats.broker(up);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        if error.rdkafka_error_code() == Some(RDKafkaErrorCode::AllBrokersDown) {
            self.stats.broker(false);
        }
        tracing::warn!(%error, reason, "kafka client error");
    }
}

impl ConsumerContext for Context {
    fn post_rebalance(
        &self,
        _consumer: &rdkafka::consumer::BaseConsumer<Self>,
        rebalance: &Rebalance<'_>,
    ) {
        match rebalance {
            Rebalance::Assign(tpl) => {
                tracing::info!(partitions = tpl.count(), "kafka partitions assigned");
            }
            Rebalance::Revoke(tpl) => {
                tracing::info!(partitions = tpl.count(), "kafka partitions revoked");
            }
            Rebalance::Error(e) => tracing::warn!(error = %e, "kafka rebalance failed"),
        }
    }
}
