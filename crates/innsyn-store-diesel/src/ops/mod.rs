//! The store's operations, written once over [`Db`] for both backends.

mod catalog;
mod catalog_seen;
mod content_hashes;
mod dead_letters;
mod disputes;
mod ingest_access;
mod ingest_login;
pub(crate) mod log;
mod page_sessions;
mod plain_names;
mod read;
mod register;
mod retention;

pub(crate) use catalog::{catalog, put_client, put_resource};
pub(crate) use content_hashes::fill_content_hashes;
pub(crate) use dead_letters::{dead_letters, put_dead_letters, remove_dead_letters};
pub(crate) use disputes::{
    confirm_item, confirmed_items, disputable_item, dispute, disputes, open_dispute, save_answer,
};
pub(crate) use ingest_access::append_access_records;
pub(crate) use ingest_login::append_login_events;
pub(crate) use page_sessions::{
    put_page_secret, remove_page_secret, take_page_secret, touch_page_secret,
};
pub(crate) use plain_names::{plain_names, put_label, put_organisation};
pub(crate) use read::{access_history, login_history};
pub(crate) use retention::{RetentionResume, retention_batch};

use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use innsyn_ports::StoreError;
use time::OffsetDateTime;

use crate::conn::{Db, Failure};
use crate::sql::{Query, Value, from_micros};

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
