//! Access-record ingestion, idempotent by id through `access_record_ids`.

use std::collections::{HashMap, HashSet};

use diesel::QueryableByName;
use diesel::sql_types::{Binary, Nullable};
use innsyn_domain::{AccessRecord, AppendOutcome};

use crate::conn::{Db, Failure};
use crate::keys::{Keyer, access_content_hash};
use crate::registered::Registered;
use crate::sql::{self, AccessRow, Dialect, Query, Value, micros};

use super::catalog_seen::{CatalogSeen, register_catalog};
use super::register::register_subjects;
use super::{Count, count, exec_all, insert_all};

/// An id the side table holds, with what it was stored with.
#[derive(QueryableByName)]
pub(crate) struct IdOut {
    #[diesel(sql_type = Binary)]
    id: Vec<u8>,
    #[diesel(sql_type = Nullable<Binary>)]
    content_hash: Option<Vec<u8>>,
}

/// Ids per lookup statement (SQLite binds each one).
const IDS_PER_STATEMENT: usize = 10_000;

/// A record as it would be stored, beside the record itself.
struct Candidate<'a> {
    record: &'a AccessRecord,
    row: AccessRow,
}

fn row(keyer: &Keyer, r: &AccessRecord) -> AccessRow {
    let mut row = AccessRow {
        id: r.id.as_bytes().to_vec(),
        owner_key: keyer.subject_key(&r.owner),
        occurred_at: r.occurred_at,
        content_hash: Vec::new(),
        application: r.application.clone(),
        client_id: r.client_id.clone(),
        resource: r.resource.clone(),
        resource_urn: r.resource_urn.clone(),
        action: r.action.clone(),
        purpose: r.purpose.clone(),
        decision: r.decision.as_str().to_owned(),
        orgno: r.orgno.as_ref().map(|o| o.as_str().to_owned()),
    };
    row.content_hash = content_hash(&row);
    row
}

/// What an id is stored with: a duplicate has the same, a conflict not.
pub(super) fn content_hash(r: &AccessRow) -> Vec<u8> {
    access_content_hash(
        &r.owner_key,
        micros(r.occurred_at),
        [
            Some(r.application.as_str()),
            Some(r.client_id.as_str()),
            Some(r.resource.as_str()),
            r.resource_urn.as_deref(),
            Some(r.action.as_str()),
            Some(r.purpose.as_str()),
            Some(r.decision.as_str()),
            r.orgno.as_deref(),
        ],
    )
}

pub(crate) fn append_access_records<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    registered: &Registered,
    records: &[AccessRecord],
) -> Result<AppendOutcome, Failure>
where
    IdOut: QueryableByName<C::Backend>,
    Count: QueryableByName<C::Backend>,
{
    if records.is_empty() {
        return Ok(AppendOutcome::default());
    }
    let mut outcome = AppendOutcome::default();
    // Within the batch, the first record of an id is the candidate; a later
    // one is a duplicate or a conflict of it.
    let mut first: HashMap<Vec<u8>, Vec<u8>> = HashMap::with_capacity(records.len());
    let mut candidates = Vec::with_capacity(records.len());
    for r in records {
        let row = row(keyer, r);
        match first.get(&row.id) {
            Some(hash) if *hash == row.content_hash => outcome.duplicates += 1,
            Some(_) => outcome.conflicts += 1,
            None => {
                first.insert(row.id.clone(), row.content_hash.clone());
                candidates.push(Candidate { record: r, row });
            }
        }
    }
    // Ids in one order, so concurrent batches wait for each other instead
    // of deadlocking.
    candidates.sort_unstable_by(|a, b| a.row.id.cmp(&b.row.id));
    let (known, stored) = match C::DIALECT {
        Dialect::Postgres => {
            let rows = candidates.iter().map(|k| &k.row);
            let with_catalog = !registered.all_known(rows.clone());
            let q = sql::append_access(keyer.key_id(), rows, with_catalog);
            let new: Vec<IdOut> = c.load_rows(q)?;
            let new: HashSet<Vec<u8>> = new.into_iter().map(|r| r.id).collect();
            outcome.accepted = new.len() as u64;
            if with_catalog {
                let stored = candidates.iter().filter(|k| new.contains(&k.row.id));
                registered.remember(stored.map(|k| &k.row));
            }
            // Classified after the commit: a concurrent batch that stored
            // one of these ids has committed by now (the claim waited).
            let known: Vec<_> = candidates
                .into_iter()
                .filter(|k| !new.contains(&k.row.id))
                .collect();
            let stored = stored_hashes(c, known.iter().map(|k| k.row.id.clone()).collect())?;
            (known, stored)
        }
        Dialect::Sqlite => {
            let (new, known, stored) = c.write_txn(|c| {
                let new = claim_ids(c, &candidates)?;
                let (new, known): (Vec<_>, Vec<_>) = candidates
                    .into_iter()
                    .partition(|k| new.contains(&k.row.id));
                let stored = stored_hashes(c, known.iter().map(|k| k.row.id.clone()).collect())?;
                store_new(c, keyer, registered, &new)?;
                Ok((new, known, stored))
            })?;
            outcome.accepted = new.len() as u64;
            registered.remember(new.iter().map(|k| &k.row));
            (known, stored)
        }
    };
    for k in &known {
        match stored.get(&k.row.id) {
            Some(Some(hash)) if *hash == k.row.content_hash => outcome.duplicates += 1,
            _ => outcome.conflicts += 1,
        }
    }
    Ok(outcome)
}

/// SQLite: claims the ids of `rows` in `access_record_ids` (`ON CONFLICT
/// (id) DO NOTHING`, counted by `RETURNING`): the ids returned are new; the
/// others were stored before.
fn claim_ids<C: Db>(c: &mut C, rows: &[Candidate<'_>]) -> Result<HashSet<Vec<u8>>, Failure>
where
    IdOut: QueryableByName<C::Backend>,
{
    let qs = sql::insert_rows(
        C::DIALECT,
        "INSERT INTO access_record_ids (id, owner_key, occurred_at, content_hash)",
        "ON CONFLICT (id) DO NOTHING RETURNING id, content_hash",
        rows.iter()
            .map(|Candidate { row: r, .. }| {
                vec![
                    Value::Bytes(r.id.clone()),
                    Value::Bytes(r.owner_key.clone()),
                    Value::Time(r.occurred_at),
                    Value::Bytes(r.content_hash.clone()),
                ]
            })
            .collect(),
    );
    let mut new = HashSet::with_capacity(rows.len());
    for q in qs {
        let rows: Vec<IdOut> = c.load_rows(q)?;
        new.extend(rows.into_iter().map(|r| r.id));
    }
    Ok(new)
}

/// SQLite: registers the catalog values and owners of the records whose
/// ids are new, and stores them with their log leaves.
fn store_new<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    registered: &Registered,
    new: &[Candidate<'_>],
) -> Result<(), Failure>
where
    Count: QueryableByName<C::Backend>,
{
    if new.is_empty() {
        return Ok(());
    }
    if !registered.all_known(new.iter().map(|k| &k.row)) {
        let mut catalog = CatalogSeen::default();
        for k in new {
            catalog.access(k.record);
        }
        register_catalog(c, catalog)?;
    }
    let owners = new.iter().map(|k| k.row.owner_key.clone()).collect();
    register_subjects(c, keyer, owners)?;
    // Every id here was claimed in this transaction, so every row is new.
    let first = count(c, sql::next_seq_sqlite())?;
    let rows = new
        .iter()
        .zip(first..)
        .map(|(k, seq)| k.row.values(keyer.key_id(), seq))
        .collect();
    insert_all(c, sql::ACCESS_INSERT, "ON CONFLICT DO NOTHING", rows)?;
    let leaves = new
        .iter()
        .zip(first..)
        .map(|(k, seq)| (seq, k.row.leaf_hash().to_vec()))
        .collect();
    exec_all(c, sql::insert_leaves(C::DIALECT, leaves))?;
    Ok(())
}

/// The content hashes stored for `ids`.
fn stored_hashes<C: Db>(
    c: &mut C,
    ids: Vec<Vec<u8>>,
) -> Result<HashMap<Vec<u8>, Option<Vec<u8>>>, Failure>
where
    IdOut: QueryableByName<C::Backend>,
{
    let mut out = HashMap::with_capacity(ids.len());
    if ids.is_empty() {
        return Ok(out);
    }
    let mut qs = Vec::new();
    match C::DIALECT {
        Dialect::Postgres => {
            let mut q = Query::new(
                C::DIALECT,
                "SELECT id, content_hash FROM access_record_ids WHERE id = ANY(",
            );
            q.bind(Value::BytesArray(ids)).push("::bytea[])");
            qs.push(q.prepared());
        }
        Dialect::Sqlite => {
            for chunk in ids.chunks(IDS_PER_STATEMENT) {
                let mut q = Query::new(
                    C::DIALECT,
                    "SELECT id, content_hash FROM access_record_ids WHERE id IN (",
                );
                for (i, id) in chunk.iter().enumerate() {
                    if i > 0 {
                        q.push(", ");
                    }
                    q.bind(Value::Bytes(id.clone()));
                }
                q.push(")");
                qs.push(q);
            }
        }
    }
    for q in qs {
        let rows: Vec<IdOut> = c.load_rows(q)?;
        out.extend(rows.into_iter().map(|r| (r.id, r.content_hash)));
    }
    Ok(out)
}
