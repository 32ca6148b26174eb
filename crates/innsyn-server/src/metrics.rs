//! A small Prometheus text-format registry: request counts and latency
//! histograms by route pattern and status, ingestion counts, and whatever
//! extra sources (pool, token cache) the adapters expose.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use innsyn_ports::PoolState;

/// Latency buckets in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Something that can add its own lines to `/metrics` (an adapter's pool
/// statistics or token cache counters).
pub trait MetricsSource: Send + Sync {
    /// Appends Prometheus text-format lines (with `# HELP`/`# TYPE`).
    fn render(&self, out: &mut String);
}

#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Debug, Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), Histogram>,
    ingested: BTreeMap<(&'static str, &'static str), u64>,
}

/// The registry shared by every worker.
#[derive(Default, Clone)]
pub struct Metrics {
    inner: Arc<Mutex<Inner>>,
    sources: Vec<Arc<dyn MetricsSource>>,
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
            inner: Arc::default(),
            sources,
        }
    }

    /// Records one finished request.
    pub fn observe_request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let h = inner
            .requests
            .entry((route.to_owned(), method.to_owned(), status))
            .or_default();
        h.count += 1;
        h.sum += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.buckets[i] += 1;
            }
        }
    }

    /// Counts ingested items: `kind` is `login_events` or `access_records`,
    /// `outcome` `accepted` or `duplicate`.
    pub fn ingested(&self, kind: &'static str, accepted: u64, duplicates: u64) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        *inner.ingested.entry((kind, "accepted")).or_default() += accepted;
        *inner.ingested.entry((kind, "duplicate")).or_default() += duplicates;
    }

    /// The whole registry in Prometheus text format 0.0.4.
    pub fn render(&self) -> String {
        let mut out = String::new();
        {
            let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            out.push_str("# HELP innsyn_http_requests_total HTTP requests by route pattern, method and status.\n# TYPE innsyn_http_requests_total counter\n");
            for ((route, method, status), h) in &inner.requests {
                let _ = writeln!(
                    out,
                    "innsyn_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {}",
                    escape(route),
                    escape(method),
                    h.count
                );
            }
            out.push_str("# HELP innsyn_http_request_duration_seconds HTTP request latency by route pattern, method and status.\n# TYPE innsyn_http_request_duration_seconds histogram\n");
            for ((route, method, status), h) in &inner.requests {
                let labels = format!(
                    "route=\"{}\",method=\"{}\",status=\"{status}\"",
                    escape(route),
                    escape(method)
                );
                for (bound, n) in BUCKETS.iter().zip(h.buckets) {
                    let _ = writeln!(
                        out,
                        "innsyn_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "innsyn_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "innsyn_http_request_duration_seconds_sum{{{labels}}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "innsyn_http_request_duration_seconds_count{{{labels}}} {}",
                    h.count
                );
            }
            out.push_str("# HELP innsyn_ingested_total Items received by the ingestion endpoints and import, by kind and outcome.\n# TYPE innsyn_ingested_total counter\n");
            for ((kind, outcome), n) in &inner.ingested {
                let _ = writeln!(
                    out,
                    "innsyn_ingested_total{{kind=\"{kind}\",outcome=\"{outcome}\"}} {n}"
                );
            }
        }
        for source in &self.sources {
            source.render(&mut out);
        }
        out
    }
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
    fn render(&self, out: &mut String) {
        let Some(s) = (self.0)() else {
            return;
        };
        for (name, help, value) in [
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
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
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
        assert!(
            text.contains(
                "# TYPE innsyn_db_pool_connections gauge\ninnsyn_db_pool_connections 5\n"
            )
        );
        assert!(text.contains("# TYPE innsyn_db_pool_idle gauge\ninnsyn_db_pool_idle 2\n"));
        assert!(text.contains("innsyn_db_pool_in_use 3\n"));
        idle.store(5, std::sync::atomic::Ordering::Relaxed);
        let text = m.render();
        assert!(
            text.contains("innsyn_db_pool_idle 5\n") && text.contains("innsyn_db_pool_in_use 0\n")
        );
    }
}
