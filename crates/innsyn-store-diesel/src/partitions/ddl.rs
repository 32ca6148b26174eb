//! Listing and creating monthly partitions, under one advisory lock.

use std::collections::BTreeSet;

use diesel::PgConnection;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use time::OffsetDateTime;

use crate::conn::{Db, Failure};
use crate::sql::{Dialect, Query, Value};

use super::{TABLES, YearMonth};

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
pub(super) struct Count {
    #[diesel(sql_type = BigInt)]
    pub(super) n: i64,
}

pub(super) const PG: Dialect = Dialect::Postgres;

pub(super) fn partitions_of(c: &mut PgConnection, table: &str) -> Result<Vec<YearMonth>, Failure> {
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

pub(super) fn lock(c: &mut PgConnection) -> Result<(), Failure> {
    let mut lock = Query::new(PG, "SELECT pg_advisory_xact_lock(");
    lock.bind(Value::Int(LOCK_KEY)).push(")::text AS name");
    let _: Vec<Name> = c.load_rows(lock)?;
    Ok(())
}

/// Creates the months of `wanted` that `table` lacks, under the lock, in a
/// short transaction of its own (never inside an ingestion transaction, so
/// the parent's lock is held for milliseconds). Returns every partition
/// month of `table` afterwards and the names of those created.
pub(super) fn ensure_table(
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

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn bounds_are_utc_literals() {
        assert_eq!(
            literal(datetime!(2024-02-01 00:00 UTC)),
            "'2024-02-01 00:00:00+00'"
        );
    }
}
