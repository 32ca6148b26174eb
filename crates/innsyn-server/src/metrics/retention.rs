//! Retention's progress as metrics, read at each scrape.

use prometheus::proto::MetricFamily;

use super::{MetricsSource, counter_family, gauge_family, plain_counter};

/// `innsyn_retention_running` (runs going on), `innsyn_retention_runs_total`,
/// `innsyn_retention_batches_total` and
/// `innsyn_retention_rows_removed_total{table}`: a long run is seen to move.
pub struct RetentionMetrics(innsyn_app::Service);

impl RetentionMetrics {
    /// The counters of the retention runs of `service`.
    pub fn of_service(service: innsyn_app::Service) -> Self {
        Self(service)
    }
}

impl MetricsSource for RetentionMetrics {
    fn collect(&self) -> Vec<MetricFamily> {
        let s = self.0.retention_stats();
        let mut families = gauge_family(
            "innsyn_retention_running",
            "Retention runs going on now.",
            s.running,
        );
        for (name, help, value) in [
            (
                "innsyn_retention_runs_total",
                "Retention runs ended (done or stopped by a store failure).",
                s.runs,
            ),
            (
                "innsyn_retention_batches_total",
                "Retention batches applied (each one short transaction).",
                s.batches,
            ),
        ] {
            families.extend(plain_counter(name, help, value));
        }
        families.extend(counter_family(
            "innsyn_retention_rows_removed_total",
            "Rows retention removed, by table.",
            "table",
            &[
                ("login_events", s.login_events),
                ("access_records", s.access_records),
            ],
        ));
        families
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use innsyn_app::{Admin, Ports, Service, Settings};
    use innsyn_store_memory::MemoryStore;
    use innsyn_test_support::FixedClock;
    use time::macros::datetime;

    use super::*;
    use crate::metrics::Metrics;

    #[actix_web::test]
    async fn a_run_shows_in_the_counters() {
        let service = Service::new(
            Ports {
                clock: Arc::new(FixedClock::at(datetime!(2026-12-02 12:00 UTC))),
                ..Ports::over(Arc::new(MemoryStore::new()))
            },
            Settings {
                retention_months: Some(12),
                ..Settings::default()
            },
        );
        let metrics = Metrics::with_sources(vec![Arc::new(RetentionMetrics::of_service(
            service.clone(),
        ))]);
        assert!(metrics.render().contains("innsyn_retention_runs_total 0\n"));
        service.run_retention(&Admin::operator()).await.unwrap();
        let text = metrics.render();
        for line in [
            "innsyn_retention_running 0\n",
            "innsyn_retention_runs_total 1\n",
            "innsyn_retention_batches_total 1\n",
            "innsyn_retention_rows_removed_total{table=\"login_events\"} 0\n",
            "innsyn_retention_rows_removed_total{table=\"access_records\"} 0\n",
        ] {
            assert!(text.contains(line), "{line} missing from\n{text}");
        }
    }
}
