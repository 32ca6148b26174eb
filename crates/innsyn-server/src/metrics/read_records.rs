//! The records of reads (issue 15) as metrics, read at each scrape.

use prometheus::core::Collector as _;
use prometheus::proto::MetricFamily;
use prometheus::{CounterVec, Opts};

use super::{MetricsSource, counter_family, plain_counter};

/// `innsyn_read_records_total{outcome="stored"|"failed"}`,
/// `innsyn_read_record_groups_total` and
/// `innsyn_read_record_seconds_total{part}`: `waiting` summed over records
/// (hand-over to answer), `store_turn` and `store_call` summed over groups
/// (the whole store call with its turn at the gate and a blocking thread,
/// and the store's own work in it). Divided by the counts, they say where a
/// recorded read's extra time goes.
pub struct ReadRecordMetrics(innsyn_app::Service);

impl ReadRecordMetrics {
    /// The counters of the records of reads of `service`.
    pub fn of_service(service: innsyn_app::Service) -> Self {
        Self(service)
    }
}

impl MetricsSource for ReadRecordMetrics {
    fn collect(&self) -> Vec<MetricFamily> {
        let s = self.0.read_record_stats();
        let mut families = counter_family(
            "innsyn_read_records_total",
            "Records of reads of a citizen's history, by outcome.",
            "outcome",
            &[("stored", s.stored), ("failed", s.failed)],
        );
        families.extend(plain_counter(
            "innsyn_read_record_groups_total",
            "Store calls that wrote a group of records of reads.",
            s.groups,
        ));
        let Ok(seconds) = CounterVec::new(
            Opts::new(
                "innsyn_read_record_seconds_total",
                "Time spent recording reads, by part (see docs/api.md).",
            ),
            &["part"],
        ) else {
            return families;
        };
        for (part, d) in [
            ("waiting", s.waiting),
            ("store_turn", s.store_turn),
            ("store_call", s.store_call),
        ] {
            seconds.with_label_values(&[part]).inc_by(d.as_secs_f64());
        }
        families.extend(seconds.collect());
        families
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use innsyn_app::{Ports, Service, Settings};
    use innsyn_store_memory::MemoryStore;
    use innsyn_test_support::FixedClock;
    use time::macros::datetime;

    use super::*;
    use crate::metrics::Metrics;

    #[actix_web::test]
    async fn no_reads_yet_render_as_zeros() {
        let service = Service::new(
            Ports {
                clock: Arc::new(FixedClock::at(datetime!(2026-12-06 12:00 UTC))),
                ..Ports::over(Arc::new(MemoryStore::new()))
            },
            Settings::default(),
        );
        let metrics = Metrics::with_sources(vec![Arc::new(ReadRecordMetrics::of_service(service))]);
        let text = metrics.render();
        for line in [
            "innsyn_read_records_total{outcome=\"stored\"} 0\n",
            "innsyn_read_record_groups_total 0\n",
            "innsyn_read_record_seconds_total{part=\"store_call\"} 0\n",
        ] {
            assert!(text.contains(line), "{line} missing from\n{text}");
        }
    }
}
