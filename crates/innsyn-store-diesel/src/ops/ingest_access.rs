//! Access-record ingestion, idempotent by id through `access_record_ids`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use diesel::QueryableByName;
use diesel::sql_types::{Binary, Nullable};
use innsyn_domain::{AccessRecord, AppendOutcome};

use crate::conn::{Db, Failure};
use crate::keys::{Keyer, access_content_hash};
use crate::sql::{self, Dialect, Query, Value, micros};

use super::insert_all;
use super::register::{merge_client, register_clients, register_names, register_subjects};

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

/// One record as it would be stored.
struct Keyed<'a> {
    record: &'a AccessRecord,
    owner_key: Vec<u8>,
    id: Vec<u8>,
    hash: Vec<u8>,
}

fn key<'a>(keyer: &Keyer, r: &'a AccessRecord) -> Keyed<'a> {
    let owner_key = keyer.subject_key(&r.owner);
    let hash = access_content_hash(
        &owner_key,
        micros(r.occurred_at),
        [
            Some(r.application.as_str()),
            Some(r.client_id.as_str()),
            Some(r.resource.as_str()),
            r.resource_urn.as_deref(),
            Some(r.action.as_str()),
            Some(r.purpose.as_str()),
            Some(r.decision.as_str()),
            r.orgno.as_ref().map(|o| o.as_str()),
        ],
    );
    Keyed {
        record: r,
        owner_key,
        id: r.id.as_bytes().to_vec(),
        hash,
    }
}

/// Claims the ids of `rows` in `access_record_ids` (`ON CONFLICT (id) DO
/// NOTHING`, counted by `RETURNING`): the ids returned are new; the others
/// were stored before, possibly by a concurrent batch that committed first
/// (the insert waits for it).
fn claim_ids<C: Db>(c: &mut C, rows: &[Keyed<'_>]) -> Result<HashSet<Vec<u8>>, Failure>
where
    IdOut: QueryableByName<C::Backend>,
{
    let mut new = HashSet::with_capacity(rows.len());
    let qs = match C::DIALECT {
        Dialect::Postgres => {
            let mut q = Query::new(
                C::DIALECT,
                "INSERT INTO access_record_ids (id, owner_key, occurred_at, content_hash) \
                 SELECT * FROM unnest(",
            );
            q.bind(Value::BytesArray(
                rows.iter().map(|r| r.id.clone()).collect(),
            ))
            .push("::bytea[], ")
            .bind(Value::BytesArray(
                rows.iter().map(|r| r.owner_key.clone()).collect(),
            ))
            .push("::bytea[], ")
            .bind(Value::TimeArray(
                rows.iter().map(|r| r.record.occurred_at).collect(),
            ))
            .push("::timestamptz[], ")
            .bind(Value::BytesArray(
                rows.iter().map(|r| r.hash.clone()).collect(),
            ))
            .push(
                "::bytea[]) ON CONFLICT (id) DO NOTHING \
                     RETURNING id, content_hash",
            );
            vec![q.prepared()]
        }
        Dialect::Sqlite => sql::insert_rows(
            C::DIALECT,
            "INSERT INTO access_record_ids (id, owner_key, occurred_at, content_hash)",
            "ON CONFLICT (id) DO NOTHING RETURNING id, content_hash",
            rows.iter()
                .map(|r| {
                    vec![
                        Value::Bytes(r.id.clone()),
                        Value::Bytes(r.owner_key.clone()),
                        Value::Time(r.record.occurred_at),
                        Value::Bytes(r.hash.clone()),
                    ]
                })
                .collect(),
        ),
    };
    for q in qs {
        let rows: Vec<IdOut> = c.load_rows(q)?;
        new.extend(rows.into_iter().map(|r| r.id));
    }
    Ok(new)
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

pub(crate) fn append_access_records<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    records: &[AccessRecord],
) -> Result<AppendOutcome, Failure>
where
    IdOut: QueryableByName<C::Backend>,
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
        let k = key(keyer, r);
        match first.get(&k.id) {
            Some(hash) if *hash == k.hash => outcome.duplicates += 1,
            Some(_) => outcome.conflicts += 1,
            None => {
                first.insert(k.id.clone(), k.hash.clone());
                candidates.push(k);
            }
        }
    }
    // Ids in one order, so concurrent batches wait for each other instead
    // of deadlocking.
    candidates.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    c.write_txn(|c| {
        let new_ids = claim_ids(c, &candidates)?;
        let (new, known): (Vec<Keyed<'_>>, Vec<Keyed<'_>>) = candidates
            .into_iter()
            .partition(|k| new_ids.contains(&k.id));
        let stored = stored_hashes(c, known.iter().map(|k| k.id.clone()).collect())?;
        for k in &known {
            match stored.get(&k.id) {
                Some(Some(hash)) if *hash == k.hash => outcome.duplicates += 1,
                _ => outcome.conflicts += 1,
            }
        }
        outcome.accepted = new.len() as u64;
        store_new(c, keyer, &new)?;
        Ok(outcome)
    })
}

/// Registers the catalog values and owners of the records whose ids are
/// new, and stores them; a duplicate or a conflict registers nothing.
fn store_new<C: Db>(c: &mut C, keyer: &Keyer, new: &[Keyed<'_>]) -> Result<(), Failure> {
    if new.is_empty() {
        return Ok(());
    }
    let mut subjects = BTreeSet::new();
    let mut clients = BTreeMap::new();
    let mut resources: BTreeMap<String, Option<String>> = BTreeMap::new();
    let (mut actions, mut purposes, mut apps) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let mut rows = Vec::with_capacity(new.len());
    for k in new {
        let r = k.record;
        subjects.insert(k.owner_key.clone());
        merge_client(&mut clients, r.catalog_client());
        let urn = resources.entry(r.resource.clone()).or_default();
        if urn.is_none() {
            urn.clone_from(&r.resource_urn);
        }
        actions.insert(r.action.clone());
        purposes.insert(r.purpose.clone());
        // Applications are registered by name too: a record's application
        // is valid for `validate` even when its client was first seen
        // elsewhere.
        apps.insert(r.application.clone());
        rows.push(vec![
            Value::Bytes(k.owner_key.clone()),
            Value::Time(r.occurred_at),
            Value::Bytes(k.id.clone()),
            Value::Text(keyer.key_id().to_owned()),
            Value::Text(r.application.clone()),
            Value::Text(r.client_id.clone()),
            Value::Text(r.resource.clone()),
            Value::OptText(r.resource_urn.clone()),
            Value::Text(r.action.clone()),
            Value::Text(r.purpose.clone()),
            Value::Text(r.decision.as_str().to_owned()),
            Value::OptText(r.orgno.as_ref().map(|o| o.as_str().to_owned())),
        ]);
    }
    register_names(c, "applications", apps)?;
    register_clients(c, clients)?;
    let rows_res = resources
        .into_iter()
        .map(|(name, urn)| vec![Value::Text(name), Value::OptText(urn)])
        .collect();
    insert_all(
        c,
        "INSERT INTO resources (name, urn)",
        "ON CONFLICT (name) DO UPDATE SET urn = excluded.urn \
         WHERE resources.urn IS NULL AND excluded.urn IS NOT NULL",
        rows_res,
    )?;
    register_names(c, "actions", actions)?;
    register_names(c, "purposes", purposes)?;
    register_subjects(c, keyer, subjects)?;
    // Every id here was claimed in this transaction, so every row is new.
    insert_all(
        c,
        "INSERT INTO access_records (owner_key, occurred_at, id, key_id, application, \
         client_id, resource, resource_urn, action, purpose, decision, orgno)",
        "ON CONFLICT DO NOTHING",
        rows,
    )?;
    Ok(())
}

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
            let hash = access_content_hash(
                &r.owner_key,
                r.occurred_us,
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
            );
            let mut q = Query::new(C::DIALECT, "UPDATE access_record_ids SET content_hash = ");
            q.bind(Value::Bytes(hash))
                .push(" WHERE id = ")
                .bind(Value::Bytes(r.id));
            c.exec(q)?;
        }
        Ok(n)
    })
}
