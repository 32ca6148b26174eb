//! The Kafka consumer as metrics, read at each scrape: what it took, its
//! commits, its lag per partition, and per source (client id) the events
//! and the newest event time, so a source that goes silent shows.

use std::sync::Arc;

use innsyn_kafka::ConsumerStats;
use prometheus::core::Collector as _;
use prometheus::proto::MetricFamily;
use prometheus::{IntCounterVec, IntGaugeVec, Opts};

use super::{MetricsSource, counter_family, gauge_family, plain_counter};

/// `innsyn_kafka_*` and `innsyn_ingest_source_*`.
pub struct KafkaMetrics(Arc<ConsumerStats>);

impl KafkaMetrics {
    /// The metrics of the consumer counting into `stats`.
    pub fn of(stats: Arc<ConsumerStats>) -> Self {
        Self(stats)
    }
}

impl MetricsSource for KafkaMetrics {
    fn collect(&self) -> Vec<MetricFamily> {
        let s = self.0.snapshot();
        let mut families = counter_family(
            "innsyn_kafka_messages_total",
            "Messages taken from Kafka: events newly stored, events stored before (re-deliveries), messages refused into dead letters.",
            "outcome",
            &[
                ("stored", s.stored),
                ("duplicate", s.duplicates),
                ("dead_letter", s.refused),
            ],
        );
        families.extend(plain_counter(
            "innsyn_kafka_batches_total",
            "Batches made durable.",
            s.batches,
        ));
        families.extend(counter_family(
            "innsyn_kafka_commits_total",
            "Offset commits after a durable batch (a failed one is re-delivered and absorbed).",
            "result",
            &[("ok", s.commits), ("failed", s.commit_failures)],
        ));
        families.extend(seconds(
            "innsyn_kafka_commit_seconds_total",
            "Time spent committing offsets (divide by innsyn_kafka_commits_total).",
            s.commit_seconds,
        ));
        families.extend(plain_counter(
            "innsyn_kafka_store_failures_total",
            "Attempts to store a batch that failed (the consumer waits and tries again).",
            s.store_failures,
        ));
        families.extend(gauge_family(
            "innsyn_kafka_ready",
            "1 while the consumer can store its batches and reach a broker.",
            u64::from(s.ready),
        ));
        families.extend(labelled_gauge(
            "innsyn_kafka_consumer_lag",
            "Messages on a partition after the group's committed offset (librdkafka's statistics, every 5 s).",
            &["topic", "partition"],
            s.lag
                .iter()
                .map(|(t, p, lag)| (vec![t.clone(), p.to_string()], *lag)),
        ));
        families.extend(source_families(&s.sources));
        families
    }
}

fn source_families(sources: &[(String, innsyn_kafka::Source)]) -> Vec<MetricFamily> {
    let mut out = Vec::new();
    if let Ok(events) = IntCounterVec::new(
        Opts::new(
            "innsyn_ingest_source_events_total",
            "Valid login events taken from Kafka per client id; rate() over time shows a source that drops or goes silent.",
        ),
        &["client_id"],
    ) {
        for (client, s) in sources {
            events
                .with_label_values(&[client.as_str()])
                .inc_by(s.events);
        }
        out.extend(events.collect());
    }
    out.extend(labelled_gauge(
        "innsyn_ingest_source_newest_event_seconds",
        "The newest event time seen per client id (Unix seconds): time() minus it is the silence.",
        &["client_id"],
        sources
            .iter()
            .map(|(client, s)| (vec![client.clone()], s.newest_unix)),
    ));
    out
}

fn labelled_gauge(
    name: &str,
    help: &str,
    labels: &[&str],
    samples: impl Iterator<Item = (Vec<String>, i64)>,
) -> Vec<MetricFamily> {
    let Ok(gauge) = IntGaugeVec::new(Opts::new(name, help), labels) else {
        return Vec::new();
    };
    for (values, v) in samples {
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        gauge.with_label_values(&values).set(v);
    }
    gauge.collect()
}

fn seconds(name: &str, help: &str, value: f64) -> Vec<MetricFamily> {
    let Ok(counter) = prometheus::Counter::new(name, help) else {
        return Vec::new();
    };
    counter.inc_by(value);
    counter.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;

    #[test]
    fn a_new_consumer_shows_zeros_and_ready() {
        let metrics = Metrics::with_sources(vec![Arc::new(KafkaMetrics::of(Arc::new(
            ConsumerStats::default(),
        )))]);
        let text = metrics.render();
        for line in [
            "innsyn_kafka_messages_total{outcome=\"stored\"} 0\n",
            "innsyn_kafka_messages_total{outcome=\"dead_letter\"} 0\n",
            "innsyn_kafka_batches_total 0\n",
            "innsyn_kafka_commits_total{result=\"failed\"} 0\n",
            "innsyn_kafka_commit_seconds_total 0\n",
            "innsyn_kafka_store_failures_total 0\n",
            "innsyn_kafka_ready 1\n",
        ] {
            assert!(text.contains(line), "{line} missing from\n{text}");
        }
    }
}
