//! Monthly range partitions of the PostgreSQL event tables.
//!
//! Partitions are named `<table>_pYYYY_MM` and hold `[first of the month,
//! first of the next month)` in UTC. There is no default partition (it
//! would stop PostgreSQL from scanning the months in order and stopping at
//! a LIMIT): [`ensure`] creates months ahead at migration and maintenance,
//! and ingestion creates the months of each batch on demand
//! ([`Known::ensure`]), remembering which exist so the hot path runs no DDL.

use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};

use diesel::PgConnection;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::conn::{Db, Failure};
use crate::sql::{Dialect, Query, Value};

/// The partitioned tables and their time column.
pub(crate) const TABLES: [&str; 2] = ["login_events", "access_records"];

/// A calendar month, the unit of partitioning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct YearMonth {
    pub(crate) year: i32,
    pub(crate) month: u8,
}

impl YearMonth {
    pub(crate) fn of(t: OffsetDateTime) -> Self {
        let t = t.to_offset(time::UtcOffset::UTC);
        Self {
            year: t.year(),
            month: u8::from(t.month()),
        }
    }

    /// This month plus `n` (negative goes back).
    pub(crate) fn plus(self, n: i32) -> Self {
        let index = self.year * 12 + i32::from(self.month) - 1 + n;
        Self {
            year: index.div_euclid(12),
            month: u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1),
        }
    }

    /// Midnight UTC on the first of the month.
    pub(crate) fn start(self) -> Option<OffsetDateTime> {
        let month = Month::try_from(self.month).ok()?;
        let date = Date::from_calendar_date(self.year, month, 1).ok()?;
        Some(PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc())
    }

    pub(crate) fn partition_name(self, table: &str) -> String {
        format!("{table}_p{:04}_{:02}", self.year, self.month)
    }

    /// Reads [`Self::partition_name`] back; `None` for other tables.
    pub(crate) fn from_partition_name(table: &str, name: &str) -> Option<Self> {
        let rest = name.strip_prefix(table)?.strip_prefix("_p")?;
        let (y, m) = rest.split_once('_')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let ym = Self {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        (1..=12).contains(&ym.month).then_some(ym)
    }
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

const PG: Dialect = Dialect::Postgres;

fn partitions_of(c: &mut PgConnection, table: &str) -> Result<Vec<YearMonth>, Failure> {
    let mut q = Query::new(
        PG,
        "SELECT c.relname::text AS name FROM pg_inherits i \
         JOIN pg_class c ON c.oid = i.inhrelid \
         JOIN pg_class p ON p.oid = i.inhparent \
         JOIN pg_namespace n ON n.oid = p.relnamespace \
         WHERE n.nspname = current_schema() AND p.relname = ",
    );
    q.bind(Value::Text(table.to_owned()));
    let names: Vec<Name> = c.load_rows(q)?;
    let mut months: Vec<YearMonth> = names
        .iter()
        .filter_map(|n| YearMonth::from_partition_name(table, &n.name))
        .collect();
    months.sort();
    Ok(months)
}

fn literal(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "'{:04}-{:02}-{:02} 00:00:00+00'",
        t.year(),
        u8::from(t.month()),
        t.day()
    )
}

/// Creates one month's partition as a table of its own, then attaches it:
/// ATTACH takes only a SHARE UPDATE EXCLUSIVE lock on the parent, so reads
/// and inserts into other months go on meanwhile (CREATE … PARTITION OF
/// would block them), and the new table is empty, so validation is instant.
fn create(c: &mut PgConnection, table: &str, ym: YearMonth) -> Result<(), Failure> {
    let (Some(from), Some(to)) = (ym.start(), ym.plus(1).start()) else {
        return Ok(());
    };
    let name = ym.partition_name(table);
    let (from, to) = (literal(from), literal(to));
    let ddl = format!(
        "CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS);\
         ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM ({from}) TO ({to});"
    );
    diesel::connection::SimpleConnection::batch_execute(c, &ddl)?;
    Ok(())
}

/// Serialises partition maintenance between processes and between
/// concurrent ingestion batches (two servers starting at once, parallel
/// batches meeting a new month, retention).
const LOCK_KEY: i64 = 0x1A55_0001;

fn lock(c: &mut PgConnection) -> Result<(), Failure> {
    let mut lock = Query::new(PG, "SELECT pg_advisory_xact_lock(");
    lock.bind(Value::Int(LOCK_KEY)).push(")::text AS name");
    let _: Vec<Name> = c.load_rows(lock)?;
    Ok(())
}

/// Creates the months of `wanted` that `table` lacks, under the lock, in a
/// short transaction of its own (never inside an ingestion transaction, so
/// the parent's lock is held for milliseconds). Returns every partition
/// month of `table` afterwards and the names of those created.
fn ensure_table(
    c: &mut PgConnection,
    table: &str,
    wanted: &BTreeSet<YearMonth>,
) -> Result<(Vec<YearMonth>, Vec<String>), Failure> {
    c.write_txn(|c| {
        lock(c)?;
        let mut existing = partitions_of(c, table)?;
        let mut created = Vec::new();
        for &ym in wanted {
            if !existing.contains(&ym) {
                create(c, table, ym)?;
                existing.push(ym);
                created.push(ym.partition_name(table));
            }
        }
        Ok((existing, created))
    })
}

/// Ensures partitions from last month to `months_ahead` months after
/// `now`. Returns the names of the partitions created.
pub(crate) fn ensure(
    c: &mut PgConnection,
    now: OffsetDateTime,
    months_ahead: u32,
) -> Result<Vec<String>, Failure> {
    let this = YearMonth::of(now);
    let ahead = i32::try_from(months_ahead).unwrap_or(i32::MAX).min(1200);
    let wanted: BTreeSet<YearMonth> = (-1..=ahead).map(|n| this.plus(n)).collect();
    let mut created = Vec::new();
    for table in TABLES {
        created.extend(ensure_table(c, table, &wanted)?.1);
    }
    Ok(created)
}

/// The partitions this process knows to exist, so that ingestion checks a
/// set in memory and runs DDL only for a month it has not seen. Partitions
/// dropped behind its back (retention in another process) surface as
/// [`is_missing_partition`] errors; the caller then [`Known::forget`]s and
/// retries once.
#[derive(Debug, Default)]
pub(crate) struct Known(Mutex<BTreeSet<(&'static str, YearMonth)>>);

impl Known {
    fn set(&self) -> std::sync::MutexGuard<'_, BTreeSet<(&'static str, YearMonth)>> {
        // The set is only ever extended or cleared: still valid after a panic.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes sure `table` has a partition for each of `months`.
    pub(crate) fn ensure(
        &self,
        c: &mut PgConnection,
        table: &'static str,
        months: &BTreeSet<YearMonth>,
    ) -> Result<(), Failure> {
        let missing: BTreeSet<YearMonth> = {
            let known = self.set();
            months
                .iter()
                .filter(|ym| !known.contains(&(table, **ym)))
                .copied()
                .collect()
        };
        if missing.is_empty() {
            return Ok(());
        }
        let (existing, _) = ensure_table(c, table, &missing)?;
        self.set()
            .extend(existing.into_iter().map(|ym| (table, ym)));
        Ok(())
    }

    /// Forgets everything (after retention dropped partitions).
    pub(crate) fn forget(&self) {
        self.set().clear();
    }
}

/// The months of `times`.
pub(crate) fn months_of(times: impl IntoIterator<Item = OffsetDateTime>) -> BTreeSet<YearMonth> {
    times.into_iter().map(YearMonth::of).collect()
}

/// Whether an insert failed because its month has no partition
/// (SQLSTATE 23514, "no partition of relation … found for row").
pub(crate) fn is_missing_partition(f: &Failure) -> bool {
    matches!(
        f,
        Failure::Db(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::CheckViolation,
            info,
        )) if info.message().starts_with("no partition of relation")
    )
}

/// Drops every partition entirely before `cutoff` (counting its rows), then
/// deletes the older rows of the boundary month.
/// Returns the rows removed per table, in [`TABLES`] order.
pub(crate) fn apply_retention(
    c: &mut PgConnection,
    cutoff: OffsetDateTime,
) -> Result<[u64; 2], Failure> {
    c.write_txn(|c| {
        lock(c)?;
        let mut removed = [0u64; 2];
        for (slot, table) in removed.iter_mut().zip(TABLES) {
            for ym in partitions_of(c, table)? {
                let Some(end) = ym.plus(1).start() else {
                    continue;
                };
                if end <= cutoff {
                    let name = ym.partition_name(table);
                    let counted: Vec<Count> =
                        c.load_rows(Query::new(PG, &format!("SELECT count(*) AS n FROM {name}")))?;
                    *slot += counted
                        .first()
                        .map_or(0, |n| u64::try_from(n.n).unwrap_or(0));
                    diesel::connection::SimpleConnection::batch_execute(
                        c,
                        &format!("DROP TABLE {name}"),
                    )?;
                }
            }
            let mut q = Query::new(PG, &format!("DELETE FROM {table} WHERE occurred_at < "));
            q.bind(Value::Time(cutoff));
            *slot += c.exec(q)? as u64;
        }
        Ok(removed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn months_and_names() {
        let ym = YearMonth::of(datetime!(2024-12-31 23:30 -01:00));
        assert_eq!(
            ym,
            YearMonth {
                year: 2025,
                month: 1
            }
        );
        assert_eq!(
            ym.plus(-1),
            YearMonth {
                year: 2024,
                month: 12
            }
        );
        assert_eq!(
            ym.plus(11),
            YearMonth {
                year: 2025,
                month: 12
            }
        );
        assert_eq!(
            ym.plus(12),
            YearMonth {
                year: 2026,
                month: 1
            }
        );
        assert_eq!(
            ym.plus(-13),
            YearMonth {
                year: 2023,
                month: 12
            }
        );
        assert_eq!(ym.partition_name("login_events"), "login_events_p2025_01");
        assert_eq!(
            YearMonth::from_partition_name("login_events", "login_events_p2025_01"),
            Some(ym)
        );
        assert_eq!(
            YearMonth::from_partition_name("login_events", "login_events_default"),
            None
        );
        assert_eq!(
            YearMonth::from_partition_name("login_events", "access_records_p2025_01"),
            None
        );
        assert_eq!(
            YearMonth::from_partition_name("login_events", "login_events_p2025_13"),
            None
        );
    }

    #[test]
    fn bounds_are_utc_month_starts() {
        let ym = YearMonth {
            year: 2024,
            month: 2,
        };
        assert_eq!(ym.start(), Some(datetime!(2024-02-01 00:00 UTC)));
        assert_eq!(ym.plus(1).start(), Some(datetime!(2024-03-01 00:00 UTC)));
        assert_eq!(
            literal(datetime!(2024-02-01 00:00 UTC)),
            "'2024-02-01 00:00:00+00'"
        );
    }
}
