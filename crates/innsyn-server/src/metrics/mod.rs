//! The Prometheus registry (the `prometheus` crate's counters, histogram
//! and text encoder): request counts and latency histograms by route
//! pattern and status, ingestion counts, and whatever extra sources (pool,
//! token cache) the adapters expose, read at each scrape.
//!
//! The exposition keeps its historical layout: families in a fixed order
//! (requests, latency, ingestion, then the sources), labels in declared
//! order (`route,method,status`; the crate sorts them by name), samples in
//! label order, and `# HELP`/`# TYPE` even for a family with no sample yet.

mod disputes;
mod kafka;
mod read_records;
mod retention;

use std::fmt::Write as _;
use std::sync::Arc;

pub use disputes::DisputeMetrics;
use innsyn_ports::PoolState;
pub use kafka::KafkaMetrics;
use prometheus::core::Collector as _;
pub use prometheus::proto::MetricFamily;
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, TextEncoder};
pub use read_records::ReadRecordMetrics;
pub use retention::RetentionMetrics;

/// Latency buckets in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

const REQUEST_LABELS: [&str; 3] = ["route", "method", "status"];
const INGESTED_LABELS: [&str; 2] = ["kind", "outcome"];

/// Something that adds its own metric families to `/metrics` (an adapter's
/// pool statistics or token cache counters), read at each scrape.
pub trait MetricsSource: Send + Sync {
    /// The families to render now, in order; none renders nothing.
    fn collect(&self) -> Vec<MetricFamily>;
}

#[derive(Debug)]
struct Own {
    requests: IntCounterVec,
    latency: HistogramVec,
    ingested: IntCounterVec,
}

impl Own {
    // The names, labels and buckets are constants, checked by the tests:
    // construction cannot fail at run time.
    #[allow(clippy::expect_used)]
    fn new() -> Self {
        Self {
            requests: IntCounterVec::new(
                Opts::new(
                    "innsyn_http_requests_total",
                    "HTTP requests by route pattern, method and status.",
                ),
                &REQUEST_LABELS,
            )
            .expect("valid counter"),
            latency: HistogramVec::new(
                HistogramOpts::new(
                    "innsyn_http_request_duration_seconds",
                    "HTTP request latency by route pattern, method and status.",
                )
                .buckets(BUCKETS.to_vec()),
                &REQUEST_LABELS,
            )
            .expect("valid histogram"),
            ingested: IntCounterVec::new(
                Opts::new(
                    "innsyn_ingested_total",
                    "Items received by the ingestion endpoints and import, by kind and outcome.",
                ),
                &INGESTED_LABELS,
            )
            .expect("valid counter"),
        }
    }
}

/// The registry shared by every worker.
#[derive(Clone)]
pub struct Metrics {
    own: Arc<Own>,
    sources: Vec<Arc<dyn MetricsSource>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::with_sources(Vec::new())
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// A registry that also renders `sources`.
    pub fn with_sources(sources: Vec<Arc<dyn MetricsSource>>) -> Self {
        Self {
            own: Arc::new(Own::new()),
            sources,
        }
    }

    /// Records one finished request.
    pub fn observe_request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        let labels = [route, method, status.as_str()];
        self.own.requests.with_label_values(&labels).inc();
        self.own.latency.with_label_values(&labels).observe(seconds);
    }

    /// Counts ingested items: `kind` is `login_events` or `access_records`,
    /// `outcome` `accepted` or `duplicate`.
    pub fn ingested(&self, kind: &'static str, accepted: u64, duplicates: u64) {
        let c = &self.own.ingested;
        c.with_label_values(&[kind, "accepted"]).inc_by(accepted);
        c.with_label_values(&[kind, "duplicate"]).inc_by(duplicates);
    }

    /// The whole registry in Prometheus text format 0.0.4.
    pub fn render(&self) -> String {
        let mut families = vec![
            in_label_order(self.own.requests.collect(), &REQUEST_LABELS),
            in_label_order(self.own.latency.collect(), &REQUEST_LABELS),
            in_label_order(self.own.ingested.collect(), &INGESTED_LABELS),
        ];
        for source in &self.sources {
            families.extend(source.collect());
        }
        encode(&families)
    }
}

/// The vector's families with each sample's labels in `labels` order and
/// the samples sorted by their values in that order.
fn in_label_order(mut families: Vec<MetricFamily>, labels: &[&str]) -> MetricFamily {
    let mut mf = families.pop().unwrap_or_default();
    let rank = |name: &str| labels.iter().position(|l| *l == name);
    for m in mf.mut_metric() {
        m.mut_label().sort_by_key(|l| rank(l.name()));
    }
    mf.mut_metric().sort_by(|a, b| {
        let values = |m: &prometheus::proto::Metric| {
            m.get_label()
                .iter()
                .map(|l| l.value().to_owned())
                .collect::<Vec<_>>()
        };
        values(a).cmp(&values(b))
    });
    mf
}

/// Text format 0.0.4. The encoder refuses a family without samples; such a
/// family gets its `# HELP`/`# TYPE` lines only, as it always had.
fn encode(families: &[MetricFamily]) -> String {
    let mut out = String::new();
    let encoder = TextEncoder::new();
    for mf in families {
        if mf.get_metric().is_empty() {
            let name = mf.name();
            let kind = format!("{:?}", mf.get_field_type()).to_lowercase();
            let _ = writeln!(out, "# HELP {name} {}\n# TYPE {name} {kind}", mf.help());
        } else if let Err(e) = encoder.encode_utf8(std::slice::from_ref(mf), &mut out) {
            tracing::warn!(family = mf.name(), error = %e, "metric family not rendered");
        }
    }
    out
}

/// A counter family with one label, `samples` in the given order, built at
/// scrape time from values another component counts (the token cache).
pub(crate) fn counter_family(
    name: &str,
    help: &str,
    label: &str,
    samples: &[(&str, u64)],
) -> Vec<MetricFamily> {
    let Ok(counter) = IntCounterVec::new(Opts::new(name, help), &[label]) else {
        return Vec::new();
    };
    for (value, n) in samples {
        counter.with_label_values(&[*value]).inc_by(*n);
    }
    let mut families = counter.collect();
    for mf in &mut families {
        let rank = |m: &prometheus::proto::Metric| {
            let value = m.get_label().first().map(|l| l.value());
            samples.iter().position(|(v, _)| Some(*v) == value)
        };
        mf.mut_metric().sort_by_key(rank);
    }
    families
}

/// A counter of one unlabelled sample, from a value counted elsewhere.
pub(crate) fn plain_counter(name: &str, help: &str, value: u64) -> Vec<MetricFamily> {
    let Ok(counter) = prometheus::IntCounter::new(name, help) else {
        return Vec::new();
    };
    counter.inc_by(value);
    counter.collect()
}

/// A gauge family of one unlabelled sample, read at scrape time.
pub(crate) fn gauge_family(name: &str, help: &str, value: u64) -> Vec<MetricFamily> {
    let Ok(gauge) = IntGauge::new(name, help) else {
        return Vec::new();
    };
    gauge.set(i64::try_from(value).unwrap_or(i64::MAX));
    gauge.collect()
}

/// The store's connection pool as gauges, read at each scrape:
/// `innsyn_db_pool_connections` (held, in use or idle), `innsyn_db_pool_idle`
/// and `innsyn_db_pool_in_use`.
pub struct PoolMetrics(Arc<dyn Fn() -> Option<PoolState> + Send + Sync>);

impl PoolMetrics {
    /// The gauges of the store behind `service`; none for a store without
    /// a pool.
    pub fn of_service(service: innsyn_app::Service) -> Self {
        Self(Arc::new(move || service.pool_state()))
    }

    /// Gauges from any snapshot function (tests).
    pub fn from_fn(f: impl Fn() -> Option<PoolState> + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }
}

impl MetricsSource for PoolMetrics {
    fn collect(&self) -> Vec<MetricFamily> {
        let Some(s) = (self.0)() else {
            return Vec::new();
        };
        [
            (
                "innsyn_db_pool_connections",
                "Connections the database pool holds, in use or idle.",
                s.connections,
            ),
            (
                "innsyn_db_pool_idle",
                "Idle connections in the database pool.",
                s.idle,
            ),
            (
                "innsyn_db_pool_in_use",
                "Database connections checked out of the pool.",
                s.connections.saturating_sub(s.idle),
            ),
        ]
        .into_iter()
        .flat_map(|(name, help, value)| gauge_family(name, help, value.into()))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_buckets() {
        let m = Metrics::default();
        m.observe_request("/healthz", "GET", 200, 0.003);
        m.observe_request("/healthz", "GET", 200, 0.2);
        m.ingested("login_events", 3, 1);
        let text = m.render();
        assert!(text.contains(
            "innsyn_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2"
        ));
        assert!(text.contains("le=\"0.005\"} 1"));
        assert!(text.contains("le=\"0.25\"} 2"));
        assert!(
            text.contains("innsyn_ingested_total{kind=\"login_events\",outcome=\"duplicate\"} 1")
        );
    }

    /// The whole exposition, byte for byte as the hand-written renderer
    /// wrote it: family order, HELP texts, label order, sample order, the
    /// 11 buckets, `+Inf`, sum and count, label escaping.
    #[test]
    fn exposition_is_unchanged() {
        let m = Metrics::default();
        assert_eq!(
            m.render(),
            "# HELP innsyn_http_requests_total HTTP requests by route pattern, method and status.\n\
             # TYPE innsyn_http_requests_total counter\n\
             # HELP innsyn_http_request_duration_seconds HTTP request latency by route pattern, method and status.\n\
             # TYPE innsyn_http_request_duration_seconds histogram\n\
             # HELP innsyn_ingested_total Items received by the ingestion endpoints and import, by kind and outcome.\n\
             # TYPE innsyn_ingested_total counter\n"
        );
        m.observe_request("/b", "GET", 404, 0.5);
        m.observe_request("/a", "POST", 200, 0.0125);
        m.observe_request("/a", "GET", 200, 20.0);
        m.observe_request("/q\"\\\n", "GET", 200, 0.25);
        m.ingested("login_events", 3, 0);
        m.ingested("access_records", 1, 2);
        let mut want = String::from(
            "# HELP innsyn_http_requests_total HTTP requests by route pattern, method and status.\n\
             # TYPE innsyn_http_requests_total counter\n\
             innsyn_http_requests_total{route=\"/a\",method=\"GET\",status=\"200\"} 1\n\
             innsyn_http_requests_total{route=\"/a\",method=\"POST\",status=\"200\"} 1\n\
             innsyn_http_requests_total{route=\"/b\",method=\"GET\",status=\"404\"} 1\n\
             innsyn_http_requests_total{route=\"/q\\\"\\\\\\n\",method=\"GET\",status=\"200\"} 1\n\
             # HELP innsyn_http_request_duration_seconds HTTP request latency by route pattern, method and status.\n\
             # TYPE innsyn_http_request_duration_seconds histogram\n",
        );
        for (labels, seconds) in [
            ("route=\"/a\",method=\"GET\",status=\"200\"", 20.0),
            ("route=\"/a\",method=\"POST\",status=\"200\"", 0.0125),
            ("route=\"/b\",method=\"GET\",status=\"404\"", 0.5),
            (
                "route=\"/q\\\"\\\\\\n\",method=\"GET\",status=\"200\"",
                0.25,
            ),
        ] {
            for bound in BUCKETS {
                let n = u8::from(seconds <= bound);
                want.push_str(&format!(
                    "innsyn_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}\n"
                ));
            }
            want.push_str(&format!(
                "innsyn_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} 1\n\
                 innsyn_http_request_duration_seconds_sum{{{labels}}} {seconds}\n\
                 innsyn_http_request_duration_seconds_count{{{labels}}} 1\n"
            ));
        }
        want.push_str(
            "# HELP innsyn_ingested_total Items received by the ingestion endpoints and import, by kind and outcome.\n\
             # TYPE innsyn_ingested_total counter\n\
             innsyn_ingested_total{kind=\"access_records\",outcome=\"accepted\"} 1\n\
             innsyn_ingested_total{kind=\"access_records\",outcome=\"duplicate\"} 2\n\
             innsyn_ingested_total{kind=\"login_events\",outcome=\"accepted\"} 3\n\
             innsyn_ingested_total{kind=\"login_events\",outcome=\"duplicate\"} 0\n",
        );
        assert_eq!(m.render(), want);
        assert!(want.contains("le=\"1\"} ") && want.contains("le=\"10\"} "));
    }

    #[test]
    fn source_families_follow_in_order() {
        struct Cache;
        impl MetricsSource for Cache {
            fn collect(&self) -> Vec<MetricFamily> {
                let mut f = counter_family(
                    "innsyn_token_cache_total",
                    "Introspection cache outcomes.",
                    "outcome",
                    &[("hit", 4), ("miss", 2), ("coalesced", 1), ("eviction", 0)],
                );
                f.extend(gauge_family(
                    "innsyn_token_cache_entries",
                    "Introspection results held.",
                    3,
                ));
                f
            }
        }
        let text = Metrics::with_sources(vec![Arc::new(Cache)]).render();
        assert!(text.ends_with(
            "# TYPE innsyn_ingested_total counter\n\
             # HELP innsyn_token_cache_total Introspection cache outcomes.\n\
             # TYPE innsyn_token_cache_total counter\n\
             innsyn_token_cache_total{outcome=\"hit\"} 4\n\
             innsyn_token_cache_total{outcome=\"miss\"} 2\n\
             innsyn_token_cache_total{outcome=\"coalesced\"} 1\n\
             innsyn_token_cache_total{outcome=\"eviction\"} 0\n\
             # HELP innsyn_token_cache_entries Introspection results held.\n\
             # TYPE innsyn_token_cache_entries gauge\n\
             innsyn_token_cache_entries 3\n"
        ));
    }

    #[test]
    fn renders_pool_gauges_at_each_scrape() {
        let idle = Arc::new(std::sync::atomic::AtomicU32::new(2));
        let seen = Arc::clone(&idle);
        let m = Metrics::with_sources(vec![Arc::new(PoolMetrics::from_fn(move || {
            Some(PoolState {
                connections: 5,
                idle: seen.load(std::sync::atomic::Ordering::Relaxed),
            })
        }))]);
        let text = m.render();
        assert!(text.ends_with(
            "# HELP innsyn_db_pool_connections Connections the database pool holds, in use or idle.\n\
             # TYPE innsyn_db_pool_connections gauge\n\
             innsyn_db_pool_connections 5\n\
             # HELP innsyn_db_pool_idle Idle connections in the database pool.\n\
             # TYPE innsyn_db_pool_idle gauge\n\
             innsyn_db_pool_idle 2\n\
             # HELP innsyn_db_pool_in_use Database connections checked out of the pool.\n\
             # TYPE innsyn_db_pool_in_use gauge\n\
             innsyn_db_pool_in_use 3\n"
        ));
        idle.store(5, std::sync::atomic::Ordering::Relaxed);
        let text = m.render();
        assert!(
            text.contains("innsyn_db_pool_idle 5\n") && text.contains("innsyn_db_pool_in_use 0\n")
        );
        let none = Metrics::with_sources(vec![Arc::new(PoolMetrics::from_fn(|| None))]);
        assert_eq!(none.render(), Metrics::default().render());
    }
}
