//! `prepare` and `partitions`.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use innsyn_domain::LoginEvent;
use innsyn_domain::records::ActivityRecord;
use innsyn_store_diesel::{Store, StoreSettings};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::args::Args;
use crate::model::{self, SUBJECT_PURPOSE};
use crate::tokens::{Minter, consumer};

/// Days of history generated from T0.
pub(crate) const DAYS: i64 = 730;
/// Length of a seed-2 window.
const WINDOW_DAYS: i64 = 30;
/// Request parameter sets are a deterministic function of a line number
/// `i`, so pgbench draws `i` and computes the very same parameters.
const P_CITIZEN: u64 = 104_729;
const P_CLIENT: u64 = 7_727;
const P_DAY: u64 = 331;

fn io(e: std::io::Error) -> String {
    e.to_string()
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Midnight UTC on the first of the month 24 months before this one.
pub(crate) fn t0(now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let index = now.year() * 12 + i32::from(u8::from(now.month())) - 1 - 24;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let date =
        Date::from_calendar_date(index.div_euclid(12), month, 1).map_err(|e| e.to_string())?;
    Ok(PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc())
}

fn day(t: OffsetDateTime) -> String {
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

fn write(path: &Path, content: &str) -> Result<(), String> {
    fs::write(path, content).map_err(|e| format!("{}: {e}", path.display()))
}

struct Prepared {
    dir: PathBuf,
    secret: String,
    citizens: u64,
    t0: OffsetDateTime,
    orgnos: Vec<String>,
}

/// `prepare`: see the module docs of `main`.
pub(crate) fn run(args: &Args) -> Result<(), String> {
    let dir = PathBuf::from(args.str("dir")?);
    let issuer = args.str("issuer")?;
    let audience = args.str("audience")?;
    let secret = args.str("secret")?.to_owned();
    let citizens: u64 = args.num("citizens", 200_000)?;
    let distinct = innsyn_domain::identity::SYNTHETIC_CAPACITY;
    if citizens >= u64::from(distinct) {
        return Err(format!(
            "--citizens must be below {distinct}: the synthetic identity numbers repeat after that"
        ));
    }
    let seed1_tokens: u64 = args.num("tokens", 4_000)?;
    let seed2_lines: u64 = args.num("seed2-lines", 20_000)?;
    let ingest_events: u64 = args.num("ingest-events", 200_000)?;
    let batch: usize = args.num("batch", 5_000)?;
    let ttl: i64 = args.num("ttl", 6 * 3600)?;
    let pgcrypto = args.flag("pgcrypto");
    let now = OffsetDateTime::now_utc();
    let p = Prepared {
        dir: dir.clone(),
        secret,
        citizens,
        t0: t0(now)?,
        orgnos: model::orgnos(),
    };
    for sub in ["issuer", "pgbench", "ingest"] {
        fs::create_dir_all(dir.join(sub)).map_err(io)?;
    }
    let minter = Minter::new(issuer, audience, now.unix_timestamp(), ttl)?;
    write(
        &dir.join("issuer/openid-configuration.json"),
        &minter.discovery().to_string(),
    )?;
    write(&dir.join("issuer/jwks.json"), &minter.jwks().to_string())?;
    p.subjects_csv()?;
    p.clients_csv()?;
    p.seed1_lines(&minter, seed1_tokens)?;
    p.seed2_lines(&minter, seed2_lines)?;
    let writer = minter.mint(
        "bench-writer",
        json!({"client_id": "bench-writer", "scope": "history:write",
               "consumer": consumer(&p.orgnos[0])}),
    )?;
    write(&dir.join("writer.token"), &writer)?;
    p.pgbench_scripts(seed1_tokens, seed2_lines, pgcrypto)?;
    p.ingest(ingest_events, batch)?;
    write(
        &dir.join("params.sh"),
        &format!(
            "T0='{}'\nT0_DAY='{}'\nDAYS={DAYS}\nCITIZENS={citizens}\n",
            p.t0.format(&Rfc3339).map_err(|e| e.to_string())?,
            day(p.t0)
        ),
    )?;
    Ok(())
}

impl Prepared {
    fn key(&self, pid: &str) -> Result<Vec<u8>, String> {
        model::subject_key(self.secret.as_bytes(), pid)
    }

    /// `n,pid,\xKEY` for every citizen: the SQL generator joins on it.
    fn subjects_csv(&self) -> Result<(), String> {
        let f = fs::File::create(self.dir.join("subjects.csv")).map_err(io)?;
        let mut w = BufWriter::new(f);
        for n in 1..=self.citizens {
            let pid = model::pid(n);
            writeln!(w, "{n},{pid},\\x{}", hex(&self.key(&pid)?)).map_err(io)?;
        }
        w.flush().map_err(io)
    }

    /// `c,client_id,service_name,orgno`.
    fn clients_csv(&self) -> Result<(), String> {
        let mut s = String::new();
        for c in 1..=model::CLIENTS {
            let org = &self.orgnos[(model::org_of(c) - 1) as usize];
            let _ = writeln!(
                s,
                "{c},{},{},{org}",
                model::client_id(c),
                model::service_name(c)
            );
        }
        write(&self.dir.join("clients.csv"), &s)
    }

    fn seed1_params(&self, i: u64) -> (u64, u32) {
        let r = 1 + (i * P_CITIZEN) % self.citizens;
        let u = (i * P_CLIENT) % model::SKEW_RANGE;
        (r, model::skewed_client(u))
    }

    fn seed2_params(&self, i: u64) -> (u64, i64) {
        let r = 1 + (i * P_CITIZEN) % self.citizens;
        let d = i64::try_from((i * P_DAY) % (DAYS as u64 - WINDOW_DAYS as u64 + 1)).unwrap_or(0);
        (r, d)
    }

    /// Seed 1: one citizen token per line, each for the citizen and the
    /// organisation of line `i`'s parameters.
    fn seed1_lines(&self, minter: &Minter, count: u64) -> Result<(), String> {
        let lines: Vec<u64> = (1..=count).collect();
        let chunks: Vec<&[u64]> = lines.chunks(lines.len().div_ceil(2).max(1)).collect();
        let parts = std::thread::scope(|s| {
            let handles: Vec<_> = chunks
                .iter()
                .map(|chunk| {
                    s.spawn(move || -> Result<String, String> {
                        let mut out = String::new();
                        for &i in *chunk {
                            let (r, c) = self.seed1_params(i);
                            let orgno = &self.orgnos[(model::org_of(c) - 1) as usize];
                            let token = minter.mint(
                                &format!("s1-{i}"),
                                json!({
                                    "sub": format!("pairwise-{r}"),
                                    "pid": model::pid(r),
                                    "client_id": model::client_id(c),
                                    "scope": "openid idporten:user.log.read",
                                    "acr": "idporten-loa-substantial",
                                    "consumer": consumer(orgno),
                                }),
                            )?;
                            let _ =
                                writeln!(out, "/innlogginger/logg/idporten?maxhits=100\t{token}");
                        }
                        Ok(out)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().map_err(|_| "a minting thread failed".to_owned())?)
                .collect::<Result<Vec<String>, String>>()
        })?;
        write(&self.dir.join("seed1.lines"), &parts.concat())
    }

    /// Seed 2: an auditor reads line `i`'s citizen, a 30-day window at
    /// line `i`'s offset, filtered on `decision=Permit`.
    fn seed2_lines(&self, minter: &Minter, count: u64) -> Result<(), String> {
        let token = minter.mint(
            "bench-auditor",
            json!({"sub": "bench-auditor", "client_id": "bench-auditor",
                   "scope": "history:audit", "consumer": consumer(&self.orgnos[0])}),
        )?;
        let fmt = |t: OffsetDateTime| {
            format!(
                "{}T{:02}:{:02}:{:02}Z",
                day(t),
                t.hour(),
                t.minute(),
                t.second()
            )
        };
        let mut out = String::new();
        for i in 1..=count {
            let (r, d) = self.seed2_params(i);
            let start = self.t0 + Duration::days(d);
            let end = start + Duration::days(WINDOW_DAYS);
            let _ = writeln!(
                out,
                "/metadata/v1/{}/accessHistory?startTime={}&endTime={}&decision=Permit\t{token}",
                model::pid(r),
                fmt(start),
                fmt(end)
            );
        }
        write(&self.dir.join("seed2.lines"), &out)
    }

    /// The store's statements (`innsyn-store-diesel`, `sql.rs` and
    /// `ops.rs`) with the same parameters, drawn as the request lines are.
    fn pgbench_scripts(&self, seed1: u64, seed2: u64, pgcrypto: bool) -> Result<(), String> {
        let mut prefix = SUBJECT_PURPOSE.to_vec();
        prefix.extend_from_slice(&11u64.to_be_bytes());
        // A scalar subquery: computed once per execution (an InitPlan), like
        // the key the store computes once and binds, not once per partition.
        let key_expr = if pgcrypto {
            format!(
                "(SELECT hmac('\\x{}'::bytea || convert_to(CAST(10000000000 + :r AS text), 'UTF8'), '\\x{}'::bytea, 'sha256'))",
                hex(&prefix),
                hex(self.secret.as_bytes())
            )
        } else {
            "(SELECT key FROM bench_subjects WHERE n = :r)".to_owned()
        };
        let mut orgno = String::from("\\set orgno CASE");
        for (k, o) in self.orgnos.iter().enumerate() {
            let _ = write!(orgno, " WHEN :k = {} THEN {o}", k + 1);
        }
        orgno.push_str(" ELSE 0 END\n");
        let seed1_sql = format!(
            "\\set i random(1, {seed1})\n\
             \\set r 1 + (:i * {P_CITIZEN}) % {c}\n\
             \\set u (:i * {P_CLIENT}) % {skew}\n\
             \\set cl 1 + ({clients} * :u * :u) / ({skew} * {skew})\n\
             \\set k 1 + (:cl - 1) % {orgs}\n\
             {orgno}\
             \\set lim 100\n\
             SELECT (EXTRACT(EPOCH FROM occurred_at) * 1000000)::int8 AS occurred_us, dedup_key, service_name, eid, method, client_id, orgno \
             FROM login_events WHERE subject_key = {key_expr} AND orgno = :orgno \
             ORDER BY occurred_at DESC, dedup_key DESC LIMIT :lim;\n",
            c = self.citizens,
            skew = model::SKEW_RANGE,
            clients = model::CLIENTS,
            orgs = model::ORGS,
        );
        write(&self.dir.join("pgbench/seed1.sql"), &seed1_sql)?;
        // The ceiling of a recorded read (issue 15): the same read, then
        // one durable record of it in its own transaction, in the rows the
        // store writes (the id claimed in access_record_ids, the record in
        // access_records, and its log leaf) — what one read costs PostgreSQL
        // when its record must be on disk before the answer. Concurrent clients share WAL
        // flushes (PostgreSQL's own group commit), as innsyn's groups do.
        let recorded_sql = format!(
            "{seed1_sql}\
             WITH claimed AS (INSERT INTO access_record_ids (id, owner_key, occurred_at, content_hash) \
             VALUES (uuid_send(gen_random_uuid()), {key_expr}, now(), '\\x00'::bytea) \
             RETURNING id, owner_key, occurred_at), \
             leaf AS (INSERT INTO log_leaves (leaf_hash) SELECT sha256(id) FROM claimed RETURNING seq) \
             INSERT INTO access_records SELECT owner_key, occurred_at, id, 'k1', 'bench-reader', \
             'bench-reader', E'innsyn\\x3alogin-history', NULL, 'read', 'innsyn', 'Permit', NULL, \
             (SELECT seq FROM leaf) FROM claimed;\n"
        );
        write(&self.dir.join("pgbench/seed1_recorded.sql"), &recorded_sql)?;
        // A durable commit and nothing else worth measuring: how long the
        // WAL flush takes that a recorded read waits for at least once.
        write(
            &self.dir.join("pgbench/flush.sql"),
            "INSERT INTO bench_flush (n) VALUES (1);\n",
        )?;
        // Epoch seconds through the immutable to_timestamp(float8): bound
        // values, as the store binds timestamptz parameters, so PostgreSQL
        // prunes partitions the same way.
        let t0 = self.t0.unix_timestamp();
        let seed2_sql = format!(
            "\\set i random(1, {seed2})\n\
             \\set r 1 + (:i * {P_CITIZEN}) % {c}\n\
             \\set d (:i * {P_DAY}) % {span}\n\
             \\set s {t0} + :d * 86400\n\
             \\set e :s + {WINDOW_DAYS} * 86400\n\
             \\set lim 101\n\
             SELECT count(*) AS n FROM subjects WHERE subject_key = {key_expr};\n\
             SELECT id, (EXTRACT(EPOCH FROM occurred_at) * 1000000)::int8 AS occurred_us, application, client_id, resource, resource_urn, action, purpose, decision, orgno \
             FROM access_records WHERE owner_key = {key_expr} \
             AND occurred_at >= to_timestamp(:s) AND occurred_at < to_timestamp(:e) \
             AND decision = 'Permit' ORDER BY occurred_at DESC, id DESC LIMIT :lim;\n",
            c = self.citizens,
            span = DAYS - WINDOW_DAYS + 1,
        );
        write(&self.dir.join("pgbench/seed2.sql"), &seed2_sql)
    }

    /// `count` login events as `POST /v1/login-events` batches, and the very
    /// same rows as the store would write them, as CSV for `COPY`.
    fn ingest(&self, count: u64, batch: usize) -> Result<(), String> {
        let mut rng = StdRng::seed_from_u64(0x1A55);
        let f = fs::File::create(self.dir.join("ingest/rows.csv")).map_err(io)?;
        let mut csv = BufWriter::new(f);
        let mut records = Vec::with_capacity(batch);
        let mut file_no = 0;
        let t0_ms = self.t0.unix_timestamp() * 1000;
        let flush = |records: &mut Vec<ActivityRecord>, file_no: &mut u32| -> Result<(), String> {
            if records.is_empty() {
                return Ok(());
            }
            let body = serde_json::to_vec(&records).map_err(|e| e.to_string())?;
            let path = self.dir.join(format!("ingest/batch_{file_no:05}.json"));
            fs::write(&path, body).map_err(io)?;
            *file_no += 1;
            records.clear();
            Ok(())
        };
        for i in 0..count {
            let r = rng.gen_range(1..=self.citizens);
            let c = model::skewed_client(rng.gen_range(0..model::SKEW_RANGE));
            let orgno = self.orgnos[(model::org_of(c) - 1) as usize].clone();
            let (eid, method) = eid_method(rng.gen_range(0..100));
            let pid = model::pid(r);
            let rec = ActivityRecord {
                event_name: "Innlogget".into(),
                event_created: t0_ms + rng.gen_range(0..DAYS * 86_400_000),
                event_subject_pid: Some(pid.clone()),
                correlation_id: Some(format!("bench-ingest-{i}")),
                service_provider_id: Some(model::client_id(c)),
                service_provider_orgno: Some(orgno.clone()),
                service_provider_name: Some(model::service_name(c)),
                auth_eid: Some(eid.into()),
                auth_method: Some(method.into()),
                ..ActivityRecord::default()
            };
            let event = LoginEvent::from_activity(rec.clone())
                .map_err(|e| format!("a generated event is invalid: {e:?}"))?;
            let dedup =
                model::dedup_key(self.secret.as_bytes(), &pid, &event.content_fingerprint())?;
            writeln!(
                csv,
                "\\x{},{},\\x{},k1,{orgno},{},{},{eid},{method},Innlogget,bench-ingest-{i}",
                hex(&self.key(&pid)?),
                event
                    .occurred_at
                    .format(&Rfc3339)
                    .map_err(|e| e.to_string())?,
                hex(&dedup),
                model::client_id(c),
                model::service_name(c),
            )
            .map_err(io)?;
            records.push(rec);
            if records.len() == batch {
                flush(&mut records, &mut file_no)?;
            }
        }
        flush(&mut records, &mut file_no)?;
        csv.flush().map_err(io)
    }
}

/// The eID mix (the SQL generator uses the same table).
fn eid_method(p: u32) -> (&'static str, &'static str) {
    match p {
        0..=44 => ("BankID", "BankID"),
        45..=84 => ("MinID", "PIN"),
        85..=94 => ("BankID", "BankID-mobil"),
        95..=97 => ("Buypass", "Buypass"),
        _ => ("Commfides", "Commfides"),
    }
}

/// `partitions --url U --secret S --from YYYY-MM-DD [--months M]`: applies
/// migrations. The event tables are no longer partitioned, so there is
/// nothing else to create; `--from` and `--months` are still checked and
/// otherwise ignored, so scripts that pass them keep working.
pub(crate) fn partitions(args: &Args) -> Result<(), String> {
    let settings = StoreSettings {
        url: args.str("url")?.to_owned(),
        subject_key_secret: innsyn_domain::Secret::new(args.str("secret")?),
        pool_size: 1,
        ..StoreSettings::default()
    };
    Date::parse(
        args.str("from")?,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|e| e.to_string())?;
    let _months: u32 = args.num("months", 26)?;
    let store = Store::connect(&settings).map_err(|e| e.to_string())?;
    let report = store.migrate().map_err(|e| e.to_string())?;
    println!(
        "migrations applied: {}; no partitions (the tables are flat)",
        report.applied.len()
    );
    Ok(())
}
