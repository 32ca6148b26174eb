//! The cost of recording reads (issue 15): the same seed-1 read against a
//! server that records every read as an access record of the citizen and
//! one that does not, same data, same moment; and against the physical
//! ceiling of a recorded read, PostgreSQL alone doing the read and one
//! durable record of it per transaction (pgbench).

use serde_json::{Value, json};

use super::{f, ratio, round, s};

/// Throughput and p99 of the read with recording against without.
pub(super) struct Recording<'a> {
    off: &'a Value,
    on: &'a Value,
    ceiling: Option<&'a Value>,
    pub(super) rps_ratio: f64,
    pub(super) p99_ratio: f64,
    /// With recording against PostgreSQL's read plus durable record.
    pub(super) ceiling_ratio: Option<f64>,
}

impl<'a> Recording<'a> {
    pub(super) fn of(rows: &'a [Value]) -> Option<Self> {
        let phase = |p: &str| {
            rows.iter()
                .find(|r| s(r, "kind") == "recording_read" && s(r, "phase") == p)
        };
        let (off, on) = (phase("off")?, phase("on")?);
        let ceiling = phase("ceiling");
        Some(Self {
            off,
            on,
            ceiling,
            ceiling_ratio: ceiling.map(|c| ratio(f(on, "rps"), f(c, "rps"))),
            rps_ratio: ratio(f(on, "rps"), f(off, "rps")),
            p99_ratio: ratio(f(on, "p99_ms"), f(off, "p99_ms")),
        })
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
        format!(
            "recording reads (seed1, {} conns): {:.0} req/s p99 {:.2} ms with, {:.0} req/s p99 {:.2} ms without: throughput ratio {:.2}, p99 ratio {:.2} (errors {} / {}){ceiling}",
            f(self.on, "conns"),
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
            "rps_ratio": round(self.rps_ratio, 3),
            "p99_ratio": round(self.p99_ratio, 3),
            "ceiling_ratio": self.ceiling_ratio.map(|r| round(r, 3)),
            "ceiling": self.ceiling,
            "on": self.on,
            "off": self.off,
        })
    }
}
