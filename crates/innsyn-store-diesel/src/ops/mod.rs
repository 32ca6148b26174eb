//! The store's operations, written once over [`Db`] for both backends.

mod catalog;
mod catalog_seen;
mod content_hashes;
mod ingest_access;
mod ingest_login;
mod read;
mod register;

pub(crate) use catalog::{catalog, put_client, put_resource};
pub(crate) use content_hashes::fill_content_hashes;
pub(crate) use ingest_access::append_access_records;
pub(crate) use ingest_login::append_login_events;
pub(crate) use read::{access_history, login_history};

use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use innsyn_ports::StoreError;
use time::OffsetDateTime;

use crate::conn::{Db, Failure};
use crate::sql::{Dialect, Query, Value, from_micros};

#[derive(QueryableByName)]
pub(crate) struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

pub(super) fn corrupt(what: &str) -> Failure {
    Failure::Store(StoreError::Internal(format!(
        "a stored {what} could not be read back"
    )))
}

pub(super) fn time_of(us: i64) -> Result<OffsetDateTime, Failure> {
    from_micros(us).ok_or_else(|| corrupt("time"))
}

pub(super) fn count<C: Db>(c: &mut C, q: Query) -> Result<i64, Failure>
where
    Count: QueryableByName<C::Backend>,
{
    let rows: Vec<Count> = c.load_rows(q)?;
    Ok(rows.first().map_or(0, |r| r.n))
}

/// A multi-row insert, split under the bind-parameter limit; returns the
/// rows written.
pub(super) fn insert_all<C: Db>(
    c: &mut C,
    head: &str,
    tail: &str,
    rows: Vec<Vec<Value>>,
) -> Result<u64, Failure> {
    exec_all(c, crate::sql::insert_rows(C::DIALECT, head, tail, rows))
}

pub(super) fn exec_all<C: Db>(c: &mut C, qs: Vec<Query>) -> Result<u64, Failure> {
    let mut n = 0;
    for q in qs {
        n += c.exec(q)? as u64;
    }
    Ok(n)
}

/// The tables retention removes from, each with its key (SQLite's tables
/// are WITHOUT ROWID, so a batch there is chosen by key).
const RETENTION: [(&str, &str); 3] = [
    ("login_events", "subject_key, dedup_key"),
    ("access_records", "owner_key, occurred_at, id"),
    ("access_record_ids", "id"),
];

/// One batch of retention: at most `max_rows` rows of each table older than
/// `cutoff`, in one short transaction. Returns the login events and access
/// records removed, counted from `RETURNING` (the command's row count is
/// not the rows removed on every PostgreSQL flavour: Citus reports the rows
/// sent). The ids of access records age out with them (at most `max_rows`
/// too; there are never more of them than records).
///
/// PostgreSQL picks the rows by `ctid` from a scan of the BRIN index on the
/// time (rows arrive in time order, so the old ones sit in the first block
/// ranges); on Citus, where `ctid` is per shard, the same batch would be
/// chosen by key as on SQLite. Not prepared: planned with the actual cutoff,
/// PostgreSQL sees how few rows are old and takes the BRIN index rather
/// than a generic plan's sequential scan; a batch is rare, planning cheap.
pub(crate) fn retention_batch<C: Db>(
    c: &mut C,
    cutoff: OffsetDateTime,
    max_rows: u32,
) -> Result<[u64; 2], Failure>
where
    Count: QueryableByName<C::Backend>,
{
    c.write_txn(|c| {
        let mut removed = [0u64; 3];
        for (slot, (table, key)) in removed.iter_mut().zip(RETENTION) {
            let mut q = match C::DIALECT {
                Dialect::Postgres => Query::new(
                    C::DIALECT,
                    &format!(
                        "WITH gone AS (DELETE FROM {table} WHERE ctid = ANY(ARRAY(\
                         SELECT ctid FROM {table} WHERE occurred_at < "
                    ),
                ),
                Dialect::Sqlite => Query::new(
                    C::DIALECT,
                    &format!(
                        "DELETE FROM {table} WHERE ({key}) IN (SELECT {key} FROM {table} \
                         WHERE occurred_at < "
                    ),
                ),
            };
            q.bind(Value::Time(cutoff))
                .push(" LIMIT ")
                .bind(Value::Int(i64::from(max_rows)));
            *slot = match C::DIALECT {
                Dialect::Postgres => {
                    q.push(")) RETURNING 1) SELECT count(*) AS n FROM gone");
                    u64::try_from(count(c, q)?).unwrap_or(0)
                }
                Dialect::Sqlite => {
                    q.push(") RETURNING CAST(1 AS BIGINT) AS n");
                    let rows: Vec<Count> = c.load_rows(q)?;
                    rows.len() as u64
                }
            };
        }
        Ok([removed[0], removed[1]])
    })
}

/// The rows a statement ending in `RETURNING CAST(1 AS BIGINT) AS n`
/// returned, summed over `qs`: the rows written, on every PostgreSQL
/// flavour (Citus reports the rows sent as the command's count).
pub(super) fn returned<C: Db>(c: &mut C, qs: Vec<Query>) -> Result<u64, Failure>
where
    Count: QueryableByName<C::Backend>,
{
    let mut n = 0;
    for q in qs {
        let rows: Vec<Count> = c.load_rows(q)?;
        n += rows.len() as u64;
    }
    Ok(n)
}

pub(crate) fn ping<C: Db>(c: &mut C) -> Result<(), Failure>
where
    Count: QueryableByName<C::Backend>,
{
    count(
        c,
        Query::new(C::DIALECT, "SELECT CAST(1 AS BIGINT) AS n").prepared(),
    )?;
    Ok(())
}
