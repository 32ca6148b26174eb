//! Login-event ingestion: keyed in a helper thread, stored in chunks.

use std::collections::{BTreeSet, HashMap, HashSet};

use diesel::QueryableByName;
use diesel::sql_types::Binary;
use innsyn_domain::{AppendOutcome, LoginEvent};

use crate::conn::{Db, Failure};
use crate::keys::Keyer;
use crate::sql::{self, Dialect, LoginRow};

use super::catalog::ClientOut;
use super::catalog_seen::{CatalogSeen, register_catalog};
use super::register::{catalog_orgnos, register_subjects};
use super::{Count, count, exec_all, returned};

/// The key of a login event the insert stored.
#[derive(QueryableByName)]
pub(crate) struct StoredKey {
    #[diesel(sql_type = Binary)]
    subject_key: Vec<u8>,
    #[diesel(sql_type = Binary)]
    dedup_key: Vec<u8>,
}

/// Events per pipelined chunk of a login batch: hashing chunk k+1 overlaps
/// the database's work on chunk k. Measured: 5,000-event chunks cost the
/// server 15–30 % more CPU per event than one statement per 20,000 (more
/// statements, less index locality), so chunks are as large as one `unnest`
/// statement; a 10,000-event batch is then one chunk, as before.
const LOGIN_CHUNK: usize = 20_000;

/// One chunk of a login batch, keyed and in index order.
struct LoginChunk {
    rows: Vec<LoginRow>,
    subjects: BTreeSet<Vec<u8>>,
}

/// Keys one chunk: the CPU-heavy part of ingestion (two HMACs per event).
fn key_login_chunk(keyer: &Keyer, events: &[LoginEvent]) -> LoginChunk {
    let mut subjects = BTreeSet::new();
    let mut rows = Vec::with_capacity(events.len());
    // One row per key: the insert joins each stored row to its leaf by it.
    // The first of a repeated key is the one stored, as before.
    let mut seen = HashSet::with_capacity(events.len());
    for e in events {
        let subject_key = keyer.subject_key(&e.subject);
        let dedup_key = keyer.login_dedup_key(e);
        if !seen.insert((subject_key.clone(), dedup_key.clone())) {
            continue;
        }
        subjects.insert(subject_key.clone());
        rows.push(LoginRow {
            subject_key,
            occurred_at: e.occurred_at,
            dedup_key,
            orgno: e.service_orgno().map(|o| o.as_str().to_owned()),
            client_id: e.client_id().map(str::to_owned),
            service_name: e.service_name().map(str::to_owned),
            eid: e.eid.clone(),
            method: e.method.clone(),
            event_name: e.event_name.clone(),
            correlation_id: e.correlation_id.clone(),
        });
    }
    // Index order: neighbouring rows land on the same B-tree pages.
    rows.sort_unstable_by(|a, b| {
        (&a.subject_key, a.occurred_at).cmp(&(&b.subject_key, b.occurred_at))
    });
    LoginChunk { rows, subjects }
}

pub(crate) fn append_login_events<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    events: &[LoginEvent],
) -> Result<AppendOutcome, Failure>
where
    ClientOut: QueryableByName<C::Backend>,
    StoredKey: QueryableByName<C::Backend>,
    Count: QueryableByName<C::Backend>,
{
    if events.is_empty() {
        return Ok(AppendOutcome::default());
    }
    let mut catalog = CatalogSeen::default();
    let mut orgless = BTreeSet::new();
    for seen in events.iter().filter_map(LoginEvent::catalog_client) {
        if seen.orgno.is_none() {
            orgless.insert(seen.client_id.clone());
        }
        catalog.client(seen);
    }
    // A pipeline: a helper thread keys chunk k+1 while the database stores
    // chunk k, so on two cores the hashing costs no wall time. One
    // transaction still covers the whole batch.
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<LoginChunk>(1);
        scope.spawn(move || {
            for chunk in events.chunks(LOGIN_CHUNK) {
                if tx.send(key_login_chunk(keyer, chunk)).is_err() {
                    break; // the transaction failed; stop keying
                }
            }
        });
        c.write_txn(|c| {
            register_catalog(c, catalog)?;
            // An event naming no organisation is shown to its client's
            // organisation as the catalog knows it now (also from this batch).
            let known = if orgless.is_empty() {
                HashMap::new()
            } else {
                catalog_orgnos(c, orgless)?
            };
            let mut accepted = 0;
            for mut chunk in rx.iter() {
                if !known.is_empty() {
                    for r in chunk.rows.iter_mut().filter(|r| r.orgno.is_none()) {
                        r.orgno = r.client_id.as_ref().and_then(|id| known.get(id)).cloned();
                    }
                }
                register_subjects(c, keyer, chunk.subjects)?;
                accepted += store_chunk(c, keyer, chunk.rows)?;
            }
            Ok(AppendOutcome {
                accepted,
                duplicates: events.len() as u64 - accepted,
                conflicts: 0,
            })
        })
    })
}

/// A stored row's `(subject_key, dedup_key)`.
type StoredKeyBytes = (Vec<u8>, Vec<u8>);

/// Stores one chunk's rows and their log leaves; returns the rows stored.
fn store_chunk<C: Db>(c: &mut C, keyer: &Keyer, rows: Vec<LoginRow>) -> Result<u64, Failure>
where
    StoredKey: QueryableByName<C::Backend>,
    Count: QueryableByName<C::Backend>,
{
    if C::DIALECT == Dialect::Postgres {
        // The statement numbers and writes the leaves itself.
        return returned(c, sql::insert_login_events_pg(keyer.key_id(), rows));
    }
    // SQLite has no writing CTEs: number the rows, insert them, then write
    // the leaves of the rows the insert stored, in the same transaction.
    let first = count(c, sql::next_seq_sqlite())?;
    let mut leaves: HashMap<StoredKeyBytes, (i64, Vec<u8>)> = HashMap::with_capacity(rows.len());
    for (r, seq) in rows.iter().zip(first..) {
        let key = (r.subject_key.clone(), r.dedup_key.clone());
        leaves.insert(key, (seq, r.leaf_hash().to_vec()));
    }
    let mut stored = Vec::new();
    for q in sql::insert_login_events_sqlite(keyer.key_id(), rows, first) {
        let keys: Vec<StoredKey> = c.load_rows(q)?;
        stored.extend(
            keys.into_iter()
                .filter_map(|k| leaves.remove(&(k.subject_key, k.dedup_key))),
        );
    }
    let n = stored.len() as u64;
    exec_all(c, sql::insert_leaves(C::DIALECT, stored))?;
    Ok(n)
}
