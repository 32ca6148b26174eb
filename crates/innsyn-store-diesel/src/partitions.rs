//! Monthly range partitions of the PostgreSQL event tables.
//!
//! Partitions are named `<table>_pYYYY_MM` and hold `[first of the month,
//! first of the next month)` in UTC. Rows outside every partition land in
//! `<table>_default`, so an insert never fails for want of a partition;
//! [`ensure`] later moves them into their month.

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

/// Months that have rows in the default partition.
fn months_in_default(c: &mut PgConnection, table: &str) -> Result<Vec<YearMonth>, Failure> {
    let q = Query::new(
        PG,
        &format!(
            "SELECT DISTINCT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY_MM') AS name \
             FROM {table}_default"
        ),
    );
    let names: Vec<Name> = c.load_rows(q)?;
    Ok(names
        .iter()
        .filter_map(|n| YearMonth::from_partition_name("", &format!("_p{}", n.name)))
        .collect())
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

/// Creates one month's partition, moving any of its rows out of the
/// default partition first (attaching would fail while they are there).
fn create(c: &mut PgConnection, table: &str, ym: YearMonth) -> Result<(), Failure> {
    let (Some(from), Some(to)) = (ym.start(), ym.plus(1).start()) else {
        return Ok(());
    };
    let name = ym.partition_name(table);
    let (from, to) = (literal(from), literal(to));
    let ddl = format!(
        "CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS);\
         WITH moved AS (DELETE FROM {table}_default \
             WHERE occurred_at >= {from} AND occurred_at < {to} RETURNING *) \
         INSERT INTO {name} SELECT * FROM moved;\
         ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM ({from}) TO ({to});"
    );
    diesel::connection::SimpleConnection::batch_execute(c, &ddl)?;
    Ok(())
}

/// Serialises partition maintenance between processes (two servers
/// starting at once, parallel test set-up).
const LOCK_KEY: i64 = 0x1A55_0001;

/// Ensures partitions from last month to `months_ahead` months after
/// `now`, plus every month that has rows in a default partition. Returns
/// the names of the partitions created.
pub(crate) fn ensure(
    c: &mut PgConnection,
    now: OffsetDateTime,
    months_ahead: u32,
) -> Result<Vec<String>, Failure> {
    c.write_txn(|c| {
        let mut lock = Query::new(PG, "SELECT pg_advisory_xact_lock(");
        lock.bind(Value::Int(LOCK_KEY)).push(")::text AS name");
        let _: Vec<Name> = c.load_rows(lock)?;
        let this = YearMonth::of(now);
        let ahead = i32::try_from(months_ahead).unwrap_or(i32::MAX).min(1200);
        let mut created = Vec::new();
        for table in TABLES {
            let existing = partitions_of(c, table)?;
            let mut wanted: Vec<YearMonth> = (-1..=ahead).map(|n| this.plus(n)).collect();
            wanted.extend(months_in_default(c, table)?);
            wanted.sort();
            wanted.dedup();
            for ym in wanted {
                if !existing.contains(&ym) {
                    create(c, table, ym)?;
                    created.push(ym.partition_name(table));
                }
            }
        }
        Ok(created)
    })
}

/// Drops every partition entirely before `cutoff` (counting its rows), then
/// deletes the older rows of the boundary month and the default partition.
/// Returns the rows removed per table, in [`TABLES`] order.
pub(crate) fn apply_retention(
    c: &mut PgConnection,
    cutoff: OffsetDateTime,
) -> Result<[u64; 2], Failure> {
    c.write_txn(|c| {
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
