//! One batch of retention, resumed where the run's last batch stopped.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use time::OffsetDateTime;

use crate::conn::{Db, Failure};
use crate::sql::{Dialect, Query, Value};

use super::Count;

/// A login event or access record that a case not yet closed disputes is
/// held: retention skips it (the partial index `disputes_held` answers).
const LOGIN_HELD: &str = " AND NOT EXISTS (SELECT 1 FROM disputes d \
     WHERE d.item_key = login_events.dedup_key AND d.status <> 'closed' \
     AND d.item_kind = 'login' AND d.subject_key = login_events.subject_key)";
const RECORD_HELD: &str = " AND NOT EXISTS (SELECT 1 FROM disputes d \
     WHERE d.item_key = access_records.id AND d.status <> 'closed' AND d.item_kind = 'access')";
const RECORD_ID_HELD: &str = " AND NOT EXISTS (SELECT 1 FROM disputes d \
     WHERE d.item_key = access_record_ids.id AND d.status <> 'closed' \
     AND d.item_kind = 'access')";

/// The tables retention removes from, each with its key (SQLite's tables
/// are WITHOUT ROWID, so a batch there is chosen by key) and what keeps a
/// row: the two histories and the ids of access records skip held items;
/// a case goes once closed and its item past the cutoff; a "this was me"
/// with its item.
const RETENTION: [(&str, &str, &str); 5] = [
    ("login_events", "subject_key, dedup_key", LOGIN_HELD),
    ("access_records", "owner_key, occurred_at, id", RECORD_HELD),
    ("access_record_ids", "id", RECORD_ID_HELD),
    ("disputes", "id", " AND status = 'closed'"),
    ("confirmed_items", "subject_key, item_kind, item_key", ""),
];

/// Where the last batch for one cutoff stopped in each table's heap (the
/// highest `ctid` it removed, PostgreSQL only), so the next batch of the
/// same run starts there instead of scanning again, from the heap's start,
/// past the rows the batches before it deleted (vacuum has not reclaimed
/// them yet): without it a run costs the square of its batches where the
/// time index cannot narrow the search (a heap not in time order).
///
/// A new cutoff is a new run and starts from the beginning. A row older
/// than the cutoff that lands before the position during the run (a
/// back-dated event written into space vacuum freed, a table rewritten by
/// `VACUUM FULL`, or an item whose case closed during the run) is left for
/// the next run.
#[derive(Debug, Default)]
pub(crate) struct RetentionResume {
    cutoff: Option<OffsetDateTime>,
    after: [Option<String>; RETENTION.len()],
}

#[derive(QueryableByName)]
pub(crate) struct Gone {
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = Nullable<Text>)]
    last: Option<String>,
}

/// One batch of retention: at most `max_rows` rows of each table older than
/// `cutoff`, in one short transaction. Returns the login events and access
/// records removed, counted from `RETURNING` (the command's row count is
/// not the rows removed on every PostgreSQL flavour: Citus reports the rows
/// sent). The ids of access records age out with them (at most `max_rows`
/// too; there are never more of them than records).
///
/// PostgreSQL picks the rows by `ctid`, after `resume`'s position: from a
/// scan of the BRIN index on the time when that narrows it (rows arrive in
/// time order, so the old ones sit in the first block ranges), else from a
/// TID range scan from the position. On Citus, where `ctid` is per shard,
/// the same batch would be chosen by key as on SQLite. Not prepared:
/// planned with the actual cutoff and position, PostgreSQL sees how few
/// rows are old and picks between the two; a batch is rare, planning cheap.
/// `resume` moves only when the batch commits.
pub(crate) fn retention_batch<C: Db>(
    c: &mut C,
    cutoff: OffsetDateTime,
    max_rows: u32,
    resume: &mut RetentionResume,
) -> Result<[u64; 2], Failure>
where
    Count: QueryableByName<C::Backend>,
    Gone: QueryableByName<C::Backend>,
{
    if resume.cutoff != Some(cutoff) {
        *resume = RetentionResume {
            cutoff: Some(cutoff),
            ..RetentionResume::default()
        };
    }
    let (removed, after) = c.write_txn(|c| {
        let mut removed = [0u64; RETENTION.len()];
        let mut after = resume.after.clone();
        for ((slot, position), (table, key, keep)) in
            removed.iter_mut().zip(&mut after).zip(RETENTION)
        {
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
            q.bind(Value::Time(cutoff)).push(keep);
            if let (Dialect::Postgres, Some(p)) = (C::DIALECT, position.as_ref()) {
                q.push(" AND ctid > ")
                    .bind(Value::Text(p.clone()))
                    .push("::tid");
            }
            q.push(" LIMIT ").bind(Value::Int(i64::from(max_rows)));
            *slot = match C::DIALECT {
                Dialect::Postgres => {
                    q.push(
                        ")) RETURNING ctid) SELECT count(*) AS n, max(ctid)::text AS last \
                         FROM gone",
                    );
                    let rows: Vec<Gone> = c.load_rows(q)?;
                    let gone = rows.into_iter().next();
                    if let Some(last) = gone.as_ref().and_then(|g| g.last.clone()) {
                        *position = Some(last);
                    }
                    gone.map_or(0, |g| u64::try_from(g.n).unwrap_or(0))
                }
                Dialect::Sqlite => {
                    q.push(") RETURNING CAST(1 AS BIGINT) AS n");
                    let rows: Vec<Count> = c.load_rows(q)?;
                    rows.len() as u64
                }
            };
        }
        Ok((removed, after))
    })?;
    resume.after = after;
    Ok([removed[0], removed[1]])
}
