//! `pgstats` and `report`.

mod recording;

use std::fs;
use std::path::PathBuf;

use serde_json::{Map, Value, json};

use crate::args::Args;

/// The `q`-quantile (0..=1) of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn round(x: f64, digits: i32) -> f64 {
    let m = 10f64.powi(digits);
    (x * m).round() / m
}

/// `pgstats --logs-dir D --tps X [--label-json J]`: latency percentiles
/// from pgbench's `-l` logs (third field: latency in µs), printed as one
/// JSON object merged into the label.
pub(crate) fn pgstats(args: &Args) -> Result<(), String> {
    let dir = PathBuf::from(args.str("logs-dir")?);
    let tps: f64 = args.num("tps", 0.0)?;
    let mut latencies = Vec::new();
    for entry in fs::read_dir(&dir).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let text = fs::read_to_string(&path).map_err(|e| e.to_string())?;
        for line in text.lines() {
            if let Some(us) = line
                .split_whitespace()
                .nth(2)
                .and_then(|v| v.parse::<f64>().ok())
            {
                latencies.push(us / 1000.0);
            }
        }
    }
    latencies.sort_by(f64::total_cmp);
    let mut out = match args.opt_str("label-json") {
        Some(j) => serde_json::from_str::<Map<String, Value>>(j).map_err(|e| e.to_string())?,
        None => Map::new(),
    };
    out.insert("rps".into(), json!(round(tps, 1)));
    out.insert("requests".into(), json!(latencies.len()));
    out.insert("p50_ms".into(), json!(round(quantile(&latencies, 0.50), 3)));
    out.insert("p99_ms".into(), json!(round(quantile(&latencies, 0.99), 3)));
    out.insert(
        "p999_ms".into(),
        json!(round(quantile(&latencies, 0.999), 3)),
    );
    println!("{}", Value::Object(out));
    Ok(())
}

fn f(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(0.0)
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn size_label(n: f64) -> String {
    if n >= 1e6 {
        format!("{}M", round(n / 1e6, 2))
    } else if n >= 1e3 {
        format!("{}k", round(n / 1e3, 1))
    } else {
        format!("{n}")
    }
}

/// The table a pgbench row ran on: rows from before the flat ceiling have
/// no `table` and ran on the shipped tables.
fn table_of(r: &Value) -> &str {
    match s(r, "table") {
        "" => "layout",
        t => t,
    }
}

/// `a / b`, 0 when `b` is not positive.
fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// The retention measurement: the same read quiet and during a run.
struct Retention<'a> {
    quiet: Option<&'a Value>,
    during: Option<&'a Value>,
    run: Option<&'a Value>,
    p99_ratio: f64,
}

impl<'a> Retention<'a> {
    fn of(rows: &'a [Value]) -> Option<Self> {
        let phase = |p: &str| {
            rows.iter()
                .find(|r| s(r, "kind") == "retention_read" && s(r, "phase") == p)
        };
        let (quiet, during) = (phase("quiet"), phase("during"));
        let run = rows.iter().find(|r| s(r, "kind") == "retention");
        if quiet.is_none() && during.is_none() && run.is_none() {
            return None;
        }
        let p99 = |r: Option<&Value>| r.map_or(0.0, |r| f(r, "p99_ms"));
        Some(Self {
            quiet,
            during,
            run,
            p99_ratio: ratio(p99(during), p99(quiet)),
        })
    }

    fn removed(&self, key: &str) -> f64 {
        self.run.map_or(0.0, |r| f(&r["response"], key))
    }

    fn line(&self) -> String {
        let (q, d, r) = (
            self.quiet.unwrap_or(&Value::Null),
            self.during.unwrap_or(&Value::Null),
            self.run.unwrap_or(&Value::Null),
        );
        format!(
            "retention under load (seed1, {} conns, {} events, {} months kept): p99 {:.2} ms quiet ({} s), {:.2} ms during ({} s): ratio {:.2} (max {:.1} / {:.1} ms; {:.0} / {:.0} req/s; errors {} / {}); the run took {:.2} s (HTTP {}), removed {} login events and {} access records (older before: {} / {}, left: {})",
            f(q, "conns"),
            size_label(f(r, "size")),
            f(r, "months"),
            f(q, "p99_ms"),
            f(q, "secs"),
            f(d, "p99_ms"),
            f(d, "secs"),
            self.p99_ratio,
            f(q, "max_ms"),
            f(d, "max_ms"),
            f(q, "rps"),
            f(d, "rps"),
            f(q, "errors"),
            f(d, "errors"),
            f(r, "secs"),
            f(r, "http"),
            self.removed("loginEvents"),
            self.removed("accessRecords"),
            f(r, "older_login_events"),
            f(r, "older_access_records"),
            f(r, "left_older"),
        )
    }

    fn json(&self) -> Value {
        json!({
            "p99_ratio": round(self.p99_ratio, 3),
            "quiet": self.quiet,
            "during": self.during,
            "run": self.run,
            "login_events_removed": self.removed("loginEvents"),
            "access_records_removed": self.removed("accessRecords"),
        })
    }
}

/// `report --results FILE [--json true]`.
pub(crate) fn run(args: &Args) -> Result<(), String> {
    let text = fs::read_to_string(args.str("results")?).map_err(|e| e.to_string())?;
    let rows: Vec<Value> = text
        .lines()
        .filter(|l| l.trim_start().starts_with('{'))
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let reads: Vec<&Value> = rows.iter().filter(|r| s(r, "kind") == "read").collect();
    // With `--repeat`, each cell ran several times (innsyn and pgbench
    // alternating); the best run of each tool counts, so a burst of noise
    // on the shared cores penalises neither side. pgbench ran on the flat
    // copies ("table": "flat", the ceiling) and on the shipped tables
    // ("layout"; rows without "table" are from before the flat ceiling).
    let find = |size: f64, endpoint: &str, conns: f64, tool: &str, table: &str| {
        reads
            .iter()
            .copied()
            .filter(|r| {
                f(r, "size") == size
                    && s(r, "endpoint") == endpoint
                    && f(r, "conns") == conns
                    && s(r, "tool") == tool
                    && (table.is_empty() || table_of(r) == table)
            })
            .max_by(|a, b| f(a, "rps").total_cmp(&f(b, "rps")))
    };
    let mut sizes: Vec<f64> = reads.iter().map(|r| f(r, "size")).collect();
    sizes.sort_by(f64::total_cmp);
    sizes.dedup();
    let mut cells = Vec::new();
    println!();
    println!(
        "{:<6} {:<8} {:>5} | {:>8} {:>6} {:>7} {:>7} {:>4} | {:>8} {:>6} {:>6} | {:>8} {:>6} {:>7} | {:>5} {:>6} {:>5}",
        "events",
        "endpoint",
        "conns",
        "innsyn/s",
        "p50",
        "p99",
        "p99.9",
        "err",
        "flat/s",
        "p50",
        "p99",
        "layout/s",
        "p50",
        "p99",
        "/flat",
        "/layout",
        "load"
    );
    for &size in &sizes {
        for endpoint in ["seed1", "seed2"] {
            for conns in [32.0, 8.0] {
                let flat = find(size, endpoint, conns, "pgbench", "flat");
                let layout = find(size, endpoint, conns, "pgbench", "layout");
                if flat.is_none() && layout.is_none() {
                    continue;
                }
                let a = find(size, endpoint, conns, "innsyn", "").unwrap_or(&Value::Null);
                let (fl, la) = (flat.unwrap_or(&Value::Null), layout.unwrap_or(&Value::Null));
                let read_ratio = ratio(f(a, "rps"), f(fl, "rps"));
                let layout_ratio = ratio(f(a, "rps"), f(la, "rps"));
                println!(
                    "{:<6} {:<8} {:>5} | {:>8.0} {:>6.2} {:>7.2} {:>7.2} {:>4} | {:>8.0} {:>6.2} {:>6.2} | {:>8.0} {:>6.2} {:>7.2} | {:>5.2} {:>7.2} {:>5.2}",
                    size_label(size),
                    endpoint,
                    conns,
                    f(a, "rps"),
                    f(a, "p50_ms"),
                    f(a, "p99_ms"),
                    f(a, "p999_ms"),
                    f(a, "errors"),
                    f(fl, "rps"),
                    f(fl, "p50_ms"),
                    f(fl, "p99_ms"),
                    f(la, "rps"),
                    f(la, "p50_ms"),
                    f(la, "p99_ms"),
                    read_ratio,
                    layout_ratio,
                    f(a, "load1")
                );
                let unprepared = find(size, endpoint, conns, "pgbench-unprepared", "");
                if let Some(u) = unprepared {
                    println!(
                        "{:<21} | {:>36} | {:>22} | {:>8.0} {:>6.2} {:>7.2} | pgbench -M extended on the layout (unprepared)",
                        "",
                        "",
                        "",
                        f(u, "rps"),
                        f(u, "p50_ms"),
                        f(u, "p99_ms"),
                    );
                }
                cells.push(json!({
                    "events": size, "endpoint": endpoint, "conns": conns,
                    "innsyn": a, "flat": flat, "layout": layout, "pgbench_unprepared": unprepared,
                    "read_ratio": round(read_ratio, 3),
                    "layout_ratio": round(layout_ratio, 3),
                    "layout_over_flat": round(ratio(f(la, "rps"), f(fl, "rps")), 3),
                }));
            }
        }
    }
    // The headline: the lowest innsyn / flat ceiling over every cell that
    // has one; innsyn / layout beside it, as detail.
    let lowest = |key: &str, of: &str| {
        let m = cells
            .iter()
            .filter(|c| !c[of].is_null())
            .map(|c| f(c, key))
            .fold(f64::INFINITY, f64::min);
        if m.is_finite() { m } else { 0.0 }
    };
    let read_ratio = lowest("read_ratio", "flat");
    let layout_ratio = lowest("layout_ratio", "layout");
    let p99_ms = cells
        .iter()
        .filter(|c| f(c, "conns") == 32.0)
        .map(|c| f(&c["innsyn"], "p99_ms"))
        .fold(0.0, f64::max);
    let read_errors: f64 = reads
        .iter()
        .filter(|r| s(r, "tool") == "innsyn")
        .map(|r| f(r, "errors"))
        .sum();
    // Growth at 32 connections: the larger table's latency over the smaller's.
    let mut growth = Vec::new();
    if let (Some(&small), Some(&large)) = (sizes.first(), sizes.last())
        && large > small
    {
        for endpoint in ["seed1", "seed2"] {
            if let (Some(a), Some(b)) = (
                find(small, endpoint, 32.0, "innsyn", ""),
                find(large, endpoint, 32.0, "innsyn", ""),
            ) {
                let ratio = |k: &str| {
                    if f(a, k) > 0.0 {
                        round(f(b, k) / f(a, k), 3)
                    } else {
                        0.0
                    }
                };
                let mean = |r: &Value| {
                    if f(r, "rps") > 0.0 {
                        32.0 / f(r, "rps")
                    } else {
                        0.0
                    }
                };
                let pg = (
                    find(small, endpoint, 32.0, "pgbench", "flat"),
                    find(large, endpoint, 32.0, "pgbench", "flat"),
                );
                growth.push(json!({
                    "endpoint": endpoint,
                    "p50": ratio("p50_ms"),
                    "p99": ratio("p99_ms"),
                    "mean": if mean(a) > 0.0 { round(mean(b) / mean(a), 3) } else { 0.0 },
                    "flat_p50": match pg {
                        (Some(x), Some(y)) if f(x, "p50_ms") > 0.0 => round(f(y, "p50_ms") / f(x, "p50_ms"), 3),
                        _ => 0.0,
                    },
                }));
            }
        }
    }
    let latency_growth = growth.iter().map(|g| f(g, "p50")).fold(0.0, f64::max);
    let ingest = |tool: &str| {
        rows.iter()
            .find(|r| s(r, "kind") == "ingest" && s(r, "tool") == tool)
    };
    let rate = |r: Option<&Value>| {
        r.map_or(0.0, |r| {
            if f(r, "secs") > 0.0 {
                f(r, "rows") / f(r, "secs")
            } else {
                0.0
            }
        })
    };
    // The ceiling is COPY into the table the API writes; COPY into an
    // empty staging table is shown beside it.
    let (api, copy, staging) = (
        rate(ingest("api")),
        rate(ingest("copy")),
        rate(ingest("copy_staging")),
    );
    let ingest_ratio = if copy > 0.0 { api / copy } else { 0.0 };
    // Stored and indexed in the log: until the builder gave every
    // ingested leaf its place in the tree.
    let logged = rate(ingest("api_logged"));
    let ingest_logged_ratio = if copy > 0.0 { logged / copy } else { 0.0 };
    // The same events from Kafka, against the HTTP batch path (issue 17's
    // target: at least 0.8): timed from the assignment of the partitions,
    // as the API's clients start against a server already running.
    let kafka = ingest("kafka").map_or(0.0, |k| ratio(f(k, "rows"), f(k, "secs_from_assignment")));
    let consume_ratio = if api > 0.0 { kafka / api } else { 0.0 };
    let rss_mib = rows
        .iter()
        .filter(|r| s(r, "kind") == "rss")
        .map(|r| f(r, "mib"))
        .fold(0.0, f64::max);
    println!();
    for g in &growth {
        println!(
            "latency growth {} -> {} ({}, 32 conns): p50 x{:.2}, p99 x{:.2}, mean x{:.2} (pgbench on the flat copy: p50 x{:.2})",
            size_label(sizes.first().copied().unwrap_or(0.0)),
            size_label(sizes.last().copied().unwrap_or(0.0)),
            s(g, "endpoint"),
            f(g, "p50"),
            f(g, "p99"),
            f(g, "mean"),
            f(g, "flat_p50")
        );
    }
    if let Some(a) = ingest("api") {
        println!(
            "ingestion: API {:.0} rows/s ({} rows, batches of {}, {} clients, {} failed requests) vs COPY into login_events {:.0} rows/s: ratio {:.2} (COPY into an empty staging table: {:.0} rows/s)",
            api,
            f(a, "rows"),
            f(a, "batch"),
            f(a, "clients"),
            f(a, "errors"),
            copy,
            ingest_ratio,
            staging
        );
    }
    if let Some(l) = ingest("api_logged") {
        println!(
            "ingestion into the log: the last of {} leaves indexed {:.2} s after the first batch was sent ({:.0} rows/s, ratio {:.2} vs COPY; {} left pending)",
            f(l, "rows"),
            f(l, "secs"),
            logged,
            ingest_logged_ratio,
            f(l, "pending")
        );
    }
    if let Some(k) = ingest("kafka") {
        println!(
            "consume: {} events from Kafka ({} partitions, batches of {}) in {:.2} s from the assignment of the partitions ({:.0} rows/s, ratio {:.2} vs the API); {:.2} s from the consumer's start (joining the group included: {:.0} rows/s, ratio {:.2}), {:.2} s from its first stored row",
            f(k, "rows"),
            f(k, "partitions"),
            f(k, "batch"),
            f(k, "secs_from_assignment"),
            kafka,
            consume_ratio,
            f(k, "secs"),
            rate(Some(k)),
            ratio(rate(Some(k)), api),
            f(k, "secs_from_first_row")
        );
    }
    let retention = Retention::of(&rows);
    if let Some(r) = &retention {
        println!("{}", r.line());
    }
    let recording = recording::Recording::of(&rows);
    for r in &recording {
        println!("{}", r.line());
    }
    if let Some(flush) = recording::flush(&rows) {
        println!(
            "a durable commit (pgbench, 1 client, one-row INSERT): {:.0} TPS p50 {:.2} ms p99 {:.2} ms",
            f(flush, "rps"),
            f(flush, "p50_ms"),
            f(flush, "p99_ms")
        );
    }
    println!("server peak RSS (VmHWM): {rss_mib:.1} MiB");
    let retention_p99_ratio = retention.as_ref().map_or(0.0, |r| r.p99_ratio);
    let record_reads_ratio = recording::lowest(&recording, |r| Some(r.rps_ratio));
    let record_reads_p99_ratio = recording::highest(&recording, |r| Some(r.p99_ratio));
    let record_ceiling_ratio = recording::lowest(&recording, |r| r.ceiling_ratio);
    println!(
        "read_ratio {read_ratio:.2} (vs flat; vs layout {layout_ratio:.2}) | p99 at 32 conns {p99_ms:.2} ms | retention_p99_ratio {retention_p99_ratio:.2} | record_reads_ratio {:.2} (vs ceiling {:.2}) | latency growth x{latency_growth:.2} | ingest_ratio {ingest_ratio:.2} | rss {rss_mib:.1} MiB | read errors {read_errors}",
        record_reads_ratio.unwrap_or(0.0),
        record_ceiling_ratio.unwrap_or(0.0),
    );
    if args.flag("json") {
        let meta: Vec<&Value> = rows.iter().filter(|r| s(r, "kind") == "meta").collect();
        let summary = json!({
            "read_ratio": round(read_ratio, 3),
            "read_ratio_layout": round(layout_ratio, 3),
            "retention_p99_ratio": round(retention_p99_ratio, 3),
            "ingest_ratio": round(ingest_ratio, 3),
            "ingest_logged_ratio": round(ingest_logged_ratio, 3),
            "consume_ratio": round(consume_ratio, 3),
            "p99_ms": round(p99_ms, 3),
            "latency_growth": round(latency_growth, 3),
            "rss_mib": round(rss_mib, 1),
            "read_errors": read_errors,
            "retention": retention.as_ref().map(Retention::json),
            "record_reads_ratio": record_reads_ratio.map(|r| round(r, 3)),
            "record_reads_p99_ratio": record_reads_p99_ratio.map(|r| round(r, 3)),
            "record_reads_ceiling_ratio": record_ceiling_ratio.map(|r| round(r, 3)),
            "recording": recording.iter().map(recording::Recording::json).collect::<Vec<_>>(),
            "record_flush": recording::flush(&rows),
            "ingest": {"api_rows_per_s": round(api, 0), "copy_rows_per_s": round(copy, 0),
                       "copy_staging_rows_per_s": round(staging, 0),
                       "api_logged_rows_per_s": round(logged, 0),
                       "kafka_rows_per_s": round(kafka, 0), "kafka": ingest("kafka"),
                       "api": ingest("api"), "api_logged": ingest("api_logged"), "copy": ingest("copy"),
                       "copy_staging": ingest("copy_staging")},
            "growth": growth,
            "reads": cells,
            "meta": meta,
        });
        println!("{summary}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles() {
        let v: Vec<f64> = (1..=1000).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.5), 500.0);
        assert_eq!(quantile(&v, 0.99), 990.0);
        assert_eq!(quantile(&v, 0.999), 999.0);
        assert_eq!(quantile(&[], 0.5), 0.0);
    }
}
