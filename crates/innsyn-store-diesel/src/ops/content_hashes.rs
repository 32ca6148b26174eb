//! Filling the content hashes SQLite's flat-tables migration could not.

use diesel::QueryableByName;
use diesel::sql_types::{Binary, Nullable};

use crate::conn::{Db, Failure};
use crate::sql::{self, AccessRow, Query, Value};

use super::ingest_access::content_hash;
use super::time_of;

/// A stored record whose id has no content hash yet.
#[derive(QueryableByName)]
pub(crate) struct Unhashed {
    #[diesel(sql_type = Binary)]
    id: Vec<u8>,
    #[diesel(sql_type = Binary)]
    owner_key: Vec<u8>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    occurred_us: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    application: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    client_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    resource: String,
    #[diesel(sql_type = Nullable<diesel::sql_types::Text>)]
    resource_urn: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    action: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    purpose: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    decision: String,
    #[diesel(sql_type = Nullable<diesel::sql_types::Text>)]
    orgno: Option<String>,
}

/// Fills `content_hash` of the ids the SQLite migration
/// `2026-12-02-000000_flat_tables` copied from the records already stored
/// (SQLite has no SHA-256 in SQL), in one transaction. Returns the ids
/// filled.
pub(crate) fn fill_content_hashes<C: Db>(c: &mut C) -> Result<u64, Failure>
where
    Unhashed: QueryableByName<C::Backend>,
{
    c.write_txn(|c| {
        let rows: Vec<Unhashed> = c.load_rows(Query::new(
            C::DIALECT,
            &format!(
                "SELECT r.id, r.owner_key, {} AS occurred_us, r.application, r.client_id, \
                 r.resource, r.resource_urn, r.action, r.purpose, r.decision, r.orgno \
                 FROM access_record_ids i JOIN access_records r ON r.owner_key = i.owner_key \
                 AND r.occurred_at = i.occurred_at AND r.id = i.id \
                 WHERE i.content_hash IS NULL",
                sql::time_out(C::DIALECT, "r.occurred_at")
            ),
        ))?;
        let n = rows.len() as u64;
        for r in rows {
            let row = AccessRow {
                id: r.id,
                owner_key: r.owner_key,
                occurred_at: time_of(r.occurred_us)?,
                content_hash: Vec::new(),
                application: r.application,
                client_id: r.client_id,
                resource: r.resource,
                resource_urn: r.resource_urn,
                action: r.action,
                purpose: r.purpose,
                decision: r.decision,
                orgno: r.orgno,
            };
            let hash = content_hash(&row);
            let mut q = Query::new(C::DIALECT, "UPDATE access_record_ids SET content_hash = ");
            q.bind(Value::Bytes(hash))
                .push(" WHERE id = ")
                .bind(Value::Bytes(row.id));
            c.exec(q)?;
        }
        Ok(n)
    })
}
