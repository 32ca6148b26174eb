//! The cost of recording reads (issue 15): the same seed-1 read against a
//! server that records every read as an access record of the citizen and
//! one that does not, same data, same moment, at each connection count;
//! against the physical ceiling of a recorded read, PostgreSQL alone doing
//! the read and one durable record of it per transaction (pgbench); and
//! against the bound a durable commit's latency sets.

use serde_json::{Value, json};

use super::{f, ratio, round, s};

/// Throughput and p99 of the read with recording against without, at one
/// connection count.
pub(super) struct Recording<'a> {
    conns: f64,
    off: &'a Value,
    on: &'a Value,
    ceiling: Option<&'a Value>,
    pub(super) rps_ratio: f64,
    pub(super) p99_ratio: f64,
    /// With recording against PostgreSQL's read plus durable record.
    pub(super) ceiling_ratio: Option<f64>,
    /// The highest `rps_ratio` a closed loop of `conns` clients can reach
    /// when each read, as fast as without recording, also waits for one
    /// WAL flush of the measured latency: R / (R + F), R = conns / rps.
    pub(super) flush_bound: Option<f64>,
}

impl<'a> Recording<'a> {
    /// One per connection count measured, in the order measured.
    pub(super) fn of(rows: &'a [Value]) -> Vec<Self> {
        let phase = |p: &'static str| {
            rows.iter()
                .filter(move |r| s(r, "kind") == "recording_read" && s(r, "phase") == p)
        };
        let at = |p: &'static str, c: f64| phase(p).find(|r| f(r, "conns") == c);
        let flush_ms = phase("flush").next().map(|r| f(r, "p50_ms"));
        phase("off")
            .filter_map(|off| {
                let conns = f(off, "conns");
                let on = at("on", conns)?;
                let ceiling = at("ceiling", conns);
                let read_ms = 1000.0 * ratio(conns, f(off, "rps"));
                Some(Self {
                    conns,
                    off,
                    on,
                    ceiling,
                    ceiling_ratio: ceiling.map(|c| ratio(f(on, "rps"), f(c, "rps"))),
                    rps_ratio: ratio(f(on, "rps"), f(off, "rps")),
                    p99_ratio: ratio(f(on, "p99_ms"), f(off, "p99_ms")),
                    flush_bound: flush_ms.map(|flush| ratio(read_ms, read_ms + flush)),
                })
            })
            .collect()
    }

    pub(super) fn line(&self) -> String {
        let ceiling = match (self.ceiling, self.ceiling_ratio) {
            (Some(c), Some(r)) => format!(
                "; ceiling (pgbench read + durable record) {:.0} TPS p99 {:.2} ms: ratio {r:.2}",
                f(c, "rps"),
                f(c, "p99_ms")
            ),
            _ => String::new(),
        };
        let bound = self
            .flush_bound
            .map(|b| format!("; a commit's flush bounds the ratio at {b:.2}"))
            .unwrap_or_default();
        format!(
            "recording reads (seed1, {} conns): {:.0} req/s p99 {:.2} ms with, {:.0} req/s p99 {:.2} ms without: throughput ratio {:.2}, p99 ratio {:.2} (errors {} / {}){ceiling}{bound}",
            self.conns,
            f(self.on, "rps"),
            f(self.on, "p99_ms"),
            f(self.off, "rps"),
            f(self.off, "p99_ms"),
            self.rps_ratio,
            self.p99_ratio,
            f(self.on, "errors"),
            f(self.off, "errors"),
        )
    }

    pub(super) fn json(&self) -> Value {
        json!({
            "conns": self.conns,
            "rps_ratio": round(self.rps_ratio, 3),
            "p99_ratio": round(self.p99_ratio, 3),
            "ceiling_ratio": self.ceiling_ratio.map(|r| round(r, 3)),
            "flush_bound": self.flush_bound.map(|r| round(r, 3)),
            "ceiling": self.ceiling,
            "on": self.on,
            "off": self.off,
        })
    }
}

/// The durable commit's latency measured in the run (pgbench, one client).
pub(super) fn flush(rows: &[Value]) -> Option<&Value> {
    rows.iter()
        .find(|r| s(r, "kind") == "recording_read" && s(r, "phase") == "flush")
}

/// The lowest of `key` over `cells` (the worst throughput ratio).
pub(super) fn lowest(
    cells: &[Recording<'_>],
    key: fn(&Recording<'_>) -> Option<f64>,
) -> Option<f64> {
    cells.iter().filter_map(key).reduce(f64::min)
}

/// The highest of `key` over `cells` (the worst p99 ratio).
pub(super) fn highest(
    cells: &[Recording<'_>],
    key: fn(&Recording<'_>) -> Option<f64>,
) -> Option<f64> {
    cells.iter().filter_map(key).reduce(f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(phase: &str, conns: u32, rps: f64, p99: f64, p50: f64) -> Value {
        json!({"kind": "recording_read", "phase": phase, "conns": conns,
               "rps": rps, "p99_ms": p99, "p50_ms": p50})
    }

    #[test]
    fn each_connection_count_is_its_own_cell_bounded_by_the_flush() {
        let rows = vec![
            row("off", 32, 16000.0, 8.0, 2.0),
            row("on", 32, 12000.0, 9.6, 2.5),
            row("ceiling", 32, 15000.0, 4.0, 1.0),
            row("off", 8, 16000.0, 2.0, 0.5),
            row("on", 8, 4000.0, 6.0, 2.0),
            row("flush", 1, 1200.0, 1.5, 0.5),
        ];
        let cells = Recording::of(&rows);
        assert_eq!(cells.len(), 2);
        let (c32, c8) = (&cells[0], &cells[1]);
        assert_eq!((c32.conns, c8.conns), (32.0, 8.0));
        assert!((c32.rps_ratio - 0.75).abs() < 1e-9);
        assert!((c32.p99_ratio - 1.2).abs() < 1e-9);
        assert_eq!(c32.ceiling_ratio, Some(0.8));
        assert_eq!(c8.ceiling_ratio, None);
        // 8 clients at 16,000/s: 0.5 ms a read; with a 0.5 ms flush, 0.5.
        assert!((c8.flush_bound.unwrap() - 0.5).abs() < 1e-9);
        assert_eq!(lowest(&cells, |c| Some(c.rps_ratio)), Some(0.25));
        assert_eq!(highest(&cells, |c| Some(c.p99_ratio)), Some(3.0));
        assert_eq!(flush(&rows).map(|r| f(r, "p50_ms")), Some(0.5));
    }
}
