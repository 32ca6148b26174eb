//! Cases per organisation (issue 13), read at each scrape.

use prometheus::core::Collector as _;
use prometheus::proto::MetricFamily;
use prometheus::{IntCounterVec, Opts};

use super::MetricsSource;

/// `innsyn_disputes_total{organisation, event="opened"|"answered"|"closed"}`:
/// what citizens reported to each organisation and what it did, since
/// start. Organisation numbers are public and bounded by the catalog; no
/// case id, message or identity number is a label.
pub struct DisputeMetrics(innsyn_app::Service);

impl DisputeMetrics {
    /// The case counters of `service`.
    pub fn of_service(service: innsyn_app::Service) -> Self {
        Self(service)
    }
}

impl MetricsSource for DisputeMetrics {
    fn collect(&self) -> Vec<MetricFamily> {
        let Ok(cases) = IntCounterVec::new(
            Opts::new(
                "innsyn_disputes_total",
                "Disputes per organisation: opened by citizens, answered and closed by it.",
            ),
            &["organisation", "event"],
        ) else {
            return Vec::new();
        };
        for (org, event, n) in self.0.dispute_stats() {
            cases
                .with_label_values(&[org.as_str(), event.as_str()])
                .inc_by(n);
        }
        cases.collect()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use innsyn_app::{Ports, Service, Settings};
    use innsyn_domain::AccessRecord;
    use innsyn_domain::identity::CITIZEN_A;
    use innsyn_ports::HistoryStore as _;
    use innsyn_store_contract::fixtures::{ORG_B, access};
    use innsyn_store_memory::MemoryStore;

    use super::*;
    use crate::metrics::Metrics;

    #[actix_web::test]
    async fn cases_are_counted_per_organisation_and_event() {
        let store = Arc::new(MemoryStore::new());
        let alice = innsyn_domain::SubjectId::parse(CITIZEN_A).unwrap();
        let records: Vec<AccessRecord> = (1..=2).map(|i| access(&alice, i, 10)).collect();
        store.append_access_records(&records).unwrap();
        let service = Service::new(Ports::over(store), Settings::default());
        let metrics =
            Metrics::with_sources(vec![Arc::new(DisputeMetrics::of_service(service.clone()))]);
        assert!(!metrics.render().contains("innsyn_disputes_total{"));
        for i in 1..=2 {
            let item = format!("access.00000000-0000-0000-0000-00000000000{i}");
            let d = service
                .open_dispute(&alice, &item, Some("hemmelig melding"))
                .await
                .unwrap();
            if i == 1 {
                let org = d.organisation.clone();
                let id = d.id.to_string();
                service
                    .answer_dispute(&org, &id, "closed", "svar")
                    .await
                    .unwrap();
            }
        }
        let text = metrics.render();
        for line in [
            format!("innsyn_disputes_total{{event=\"opened\",organisation=\"{ORG_B}\"}} 2\n"),
            format!("innsyn_disputes_total{{event=\"closed\",organisation=\"{ORG_B}\"}} 1\n"),
            format!("innsyn_disputes_total{{event=\"answered\",organisation=\"{ORG_B}\"}} 0\n"),
        ] {
            assert!(text.contains(&line), "{line} missing from\n{text}");
        }
        assert!(!text.contains("hemmelig") && !text.contains(CITIZEN_A));
    }
}
