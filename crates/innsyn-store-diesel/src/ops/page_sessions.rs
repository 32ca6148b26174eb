//! The citizen page's sessions and logins in progress, sealed by the page.

use diesel::QueryableByName;
use diesel::sql_types::Binary;
use innsyn_ports::{PageSecret, PageSecretKind};
use time::OffsetDateTime;

use crate::conn::{Db, Failure};
use crate::sql::{Query, Value};

#[derive(QueryableByName)]
pub(crate) struct SealedRow {
    #[diesel(sql_type = Binary)]
    sealed: Vec<u8>,
}

pub(crate) fn put_page_secret<C: Db>(
    c: &mut C,
    s: &PageSecret,
    now: OffsetDateTime,
) -> Result<(), Failure> {
    let mut purge = Query::new(C::DIALECT, "DELETE FROM page_secrets WHERE expires_at <= ");
    purge.bind(Value::Time(now));
    let mut put = Query::new(
        C::DIALECT,
        "INSERT INTO page_secrets (kind, key, sealed, cap_at, expires_at) VALUES (",
    );
    put.bind(Value::Text(s.kind.as_str().to_owned()))
        .push(", ")
        .bind(Value::Bytes(s.key.clone()))
        .push(", ")
        .bind(Value::Bytes(s.sealed.clone()))
        .push(", ")
        .bind(Value::Time(s.cap_at))
        .push(", ")
        .bind(Value::Time(s.expires_at.min(s.cap_at)))
        .push(
            ") ON CONFLICT (kind, key) DO UPDATE SET sealed = excluded.sealed, \
             cap_at = excluded.cap_at, expires_at = excluded.expires_at",
        );
    c.write_txn(|c| {
        c.exec(purge.prepared())?;
        c.exec(put.prepared())?;
        Ok(())
    })
}

pub(crate) fn touch_page_secret<C: Db>(
    c: &mut C,
    kind: PageSecretKind,
    key: &[u8],
    now: OffsetDateTime,
    idle_until: OffsetDateTime,
) -> Result<Option<Vec<u8>>, Failure>
where
    SealedRow: QueryableByName<C::Backend>,
{
    let mut q = Query::new(
        C::DIALECT,
        "UPDATE page_secrets SET expires_at = CASE WHEN ",
    );
    q.bind(Value::Time(idle_until))
        .push(" < cap_at THEN ")
        .bind(Value::Time(idle_until))
        .push(" ELSE cap_at END");
    found(c, q, kind, key, now)
}

pub(crate) fn take_page_secret<C: Db>(
    c: &mut C,
    kind: PageSecretKind,
    key: &[u8],
    now: OffsetDateTime,
) -> Result<Option<Vec<u8>>, Failure>
where
    SealedRow: QueryableByName<C::Backend>,
{
    found(
        c,
        Query::new(C::DIALECT, "DELETE FROM page_secrets"),
        kind,
        key,
        now,
    )
}

pub(crate) fn remove_page_secret<C: Db>(
    c: &mut C,
    kind: PageSecretKind,
    key: &[u8],
) -> Result<(), Failure> {
    let mut q = Query::new(C::DIALECT, "DELETE FROM page_secrets WHERE kind = ");
    q.bind(Value::Text(kind.as_str().to_owned()))
        .push(" AND key = ")
        .bind(Value::Bytes(key.to_vec()));
    c.exec(q.prepared())?;
    Ok(())
}

/// `head` (an UPDATE or DELETE of `page_secrets`) on the one unexpired
/// row of `kind` and `key`, returning its sealed content.
fn found<C: Db>(
    c: &mut C,
    mut q: Query,
    kind: PageSecretKind,
    key: &[u8],
    now: OffsetDateTime,
) -> Result<Option<Vec<u8>>, Failure>
where
    SealedRow: QueryableByName<C::Backend>,
{
    q.push(" WHERE kind = ")
        .bind(Value::Text(kind.as_str().to_owned()))
        .push(" AND key = ")
        .bind(Value::Bytes(key.to_vec()))
        .push(" AND expires_at > ")
        .bind(Value::Time(now))
        .push(" RETURNING sealed");
    let rows: Vec<SealedRow> = c.load_rows(q.prepared())?;
    Ok(rows.into_iter().next().map(|r| r.sealed))
}
