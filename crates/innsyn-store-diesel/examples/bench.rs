//! Ingestion rate and seed-1 latency on PostgreSQL.
//!
//! `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!  cargo run --release -p innsyn-store-diesel --example bench -- [EVENTS] [BATCH]`
//!
//! Creates a database of its own (dropped at the end), loads EVENTS login
//! events (default 1,000,000) of 200,000 subjects spread over 24 months in
//! batches of BATCH (default 10,000) through `append_login_events`, then
//! times 20,000 seed-1 queries and 20,000 own-page queries of random subjects.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use innsyn_domain::records::Party;
use innsyn_domain::{LoginEvent, LoginHistoryQuery, OrgNumber, SubjectId};
use innsyn_ports::HistoryStore;
use innsyn_store_diesel::test_support::fresh_postgres_store;
use time::{Duration, OffsetDateTime};

const SUBJECTS: u64 = 200_000;
const ORGS: [&str; 4] = ["991825827", "974760673", "974761076", "889640782"];

/// A small deterministic generator, so runs are comparable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// CPU seconds (user + system) this process has used (Linux).
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    // utime and stime are fields 14 and 15; `rest` starts at field 3.
    let ticks: f64 = fields.get(11..13).map_or(0.0, |f| {
        f.iter().filter_map(|t| t.parse::<f64>().ok()).sum()
    });
    ticks / 100.0
}

fn subject(n: u64) -> SubjectId {
    SubjectId::parse(&format!("{:011}", 10_000_000_000 + n)).unwrap()
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().unwrap())
        .collect();
    let total = args.first().copied().unwrap_or(1_000_000);
    let batch = args.get(1).copied().unwrap_or(10_000);
    let store = fresh_postgres_store();
    let now = OffsetDateTime::now_utc();
    let orgs: Vec<OrgNumber> = ORGS.iter().map(|o| o.parse().unwrap()).collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut make = |i: usize| {
        // Skewed subjects: a few are heavy, most have a handful of events.
        let r = rng.next();
        let s = (r % SUBJECTS).min((r >> 20) % SUBJECTS);
        let client = (rng.next() % 500) as usize;
        LoginEvent {
            occurred_at: now - Duration::seconds((rng.next() % (730 * 86_400)) as i64),
            subject: subject(s),
            event_name: "Innlogget".into(),
            description: None,
            service_provider: Party {
                id: Some(format!("client-{client}")),
                orgno: Some(orgs[client % orgs.len()].clone()),
                name: Some(format!("Tjeneste {client}")),
            },
            service_owner: Party::default(),
            eid: Some("MinID".into()),
            method: Some("PIN".into()),
            correlation_id: Some(format!("corr-{i}")),
            application: None,
            event_id: None,
        }
    };
    let events: Vec<LoginEvent> = (0..total).map(&mut make).collect();
    let started = Instant::now();
    let cpu = cpu_secs();
    let mut accepted = 0;
    for chunk in events.chunks(batch) {
        accepted += store.append_login_events(chunk).unwrap().accepted;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "ingest: {accepted} events in {secs:.2}s = {:.0} events/s (batch {batch}; this process used {:.2}s CPU)",
        accepted as f64 / secs,
        cpu_secs() - cpu
    );
    let started = Instant::now();
    let again = store
        .append_login_events(&events[..batch.min(total)])
        .unwrap();
    println!(
        "re-send of one batch: {} duplicates in {:.3}s",
        again.duplicates,
        started.elapsed().as_secs_f64()
    );
    if std::env::var("BENCH_QUERIES").is_ok_and(|n| n == "0") {
        return;
    }
    store.execute_raw("VACUUM ANALYZE").unwrap();

    // BENCH_QUERIES=0 measures ingestion only.
    let queries: usize = std::env::var("BENCH_QUERIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    for own_page in [false, true] {
        if queries == 0 {
            break;
        }
        let mut latencies = Vec::with_capacity(queries);
        let mut rows = 0usize;
        for _ in 0..queries {
            let s = rng.next() % SUBJECTS;
            let orgno = orgs[(rng.next() % 4) as usize].clone();
            let q = LoginHistoryQuery {
                subject: subject(s),
                orgno: (!own_page).then_some(orgno),
                window: None,
                client_id: None,
                start_index: 0,
                max_hits: 100,
            };
            let t = Instant::now();
            rows += store.login_history(&q).unwrap().len();
            latencies.push(t.elapsed());
        }
        latencies.sort();
        let p = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q) as usize];
        println!(
            "{} ({} rows total): p50 {:?}, p90 {:?}, p99 {:?}, {:.1} rows/query",
            if own_page {
                "own page (newest 100 of a subject)"
            } else {
                "seed 1 (newest 100 of a subject for an org)"
            },
            accepted,
            p(0.5),
            p(0.9),
            p(0.99),
            rows as f64 / queries as f64
        );
    }
}
