//! The log over either backend: the builder's step, node probes,
//! checkpoints, and a subject's leaves.

use std::collections::{BTreeMap, HashMap};

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Binary, Nullable, Text};
use innsyn_domain::SubjectId;
use innsyn_domain::disputes::{ItemKind, ItemRef};
use innsyn_ports::{StoredCheckpoint, SubjectLeaf, TreeHead};
use innsyn_tlog::{Frontier, HASH_LEN, Hash, NodeId};

use crate::conn::{Db, Failure};
use crate::keys::Keyer;
use crate::sql::{self, Dialect, MAX_PARAMS, Query, Value, insert_rows};

use super::{corrupt, exec_all};

#[derive(QueryableByName)]
pub(crate) struct TreeRow {
    #[diesel(sql_type = BigInt)]
    size: i64,
    #[diesel(sql_type = Binary)]
    peaks: Vec<u8>,
}

#[derive(QueryableByName)]
pub(crate) struct NodeRow {
    #[diesel(sql_type = BigInt)]
    level: i64,
    #[diesel(sql_type = BigInt)]
    idx: i64,
    #[diesel(sql_type = Binary)]
    hash: Vec<u8>,
}

#[derive(QueryableByName)]
pub(crate) struct IndexedLeaf {
    #[diesel(sql_type = BigInt)]
    idx: i64,
    #[diesel(sql_type = Binary)]
    hash: Vec<u8>,
}

#[derive(QueryableByName)]
pub(crate) struct NoteRow {
    #[diesel(sql_type = BigInt)]
    size: i64,
    #[diesel(sql_type = Text)]
    note: String,
}

#[derive(QueryableByName)]
pub(crate) struct LeafOut {
    #[diesel(sql_type = Nullable<BigInt>)]
    idx: Option<i64>,
    #[diesel(sql_type = Text)]
    item_kind: String,
    #[diesel(sql_type = Binary)]
    item_key: Vec<u8>,
    #[diesel(sql_type = Binary)]
    subject_key: Vec<u8>,
}

fn hash(bytes: &[u8]) -> Result<Hash, Failure> {
    Hash::try_from(bytes).map_err(|_| corrupt("log hash"))
}

fn unsigned(v: i64) -> Result<u64, Failure> {
    u64::try_from(v).map_err(|_| corrupt("log index"))
}

fn int(v: u64) -> Value {
    Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
}

fn frontier(row: &TreeRow) -> Result<Frontier, Failure> {
    let peaks = row
        .peaks
        .chunks(HASH_LEN)
        .map(hash)
        .collect::<Result<Vec<_>, _>>()?;
    Frontier::from_peaks(unsigned(row.size)?, peaks).map_err(|_| corrupt("log frontier"))
}

fn load_tree<C: Db>(c: &mut C, lock: bool) -> Result<Frontier, Failure>
where
    TreeRow: QueryableByName<C::Backend>,
{
    let rows: Vec<TreeRow> = c.load_rows(sql::tree_row(C::DIALECT, lock))?;
    frontier(rows.first().ok_or_else(|| corrupt("log tree"))?)
}

fn head(f: &Frontier) -> TreeHead {
    TreeHead {
        size: f.size(),
        root: f.root(),
    }
}

pub(crate) fn extend_tree<C: Db>(c: &mut C, max_leaves: u32) -> Result<TreeHead, Failure>
where
    TreeRow: QueryableByName<C::Backend>,
    IndexedLeaf: QueryableByName<C::Backend>,
{
    c.write_txn(|c| {
        let mut f = load_tree(c, true)?;
        let start = f.size();
        let mut leaves: Vec<IndexedLeaf> =
            c.load_rows(sql::index_pending(C::DIALECT, start, max_leaves))?;
        if leaves.is_empty() {
            return Ok(head(&f));
        }
        leaves.sort_unstable_by_key(|l| l.idx);
        let mut hashes = Vec::with_capacity(leaves.len());
        for (i, l) in leaves.iter().enumerate() {
            // Dense from the built size on, or the store is not what the
            // builder wrote: refuse rather than sign a wrong tree.
            if unsigned(l.idx)? != start + i as u64 {
                return Err(corrupt("log leaf index"));
            }
            hashes.push(hash(&l.hash)?);
        }
        let nodes = f.extend(&hashes);
        store_nodes(c, nodes)?;
        let mut q = Query::new(C::DIALECT, "UPDATE log_tree SET size = ");
        q.bind(int(f.size()))
            .push(", peaks = ")
            .bind(Value::Bytes(f.peaks().concat()));
        c.exec(q)?;
        Ok(head(&f))
    })
}

/// Interior nodes: PostgreSQL takes them as three arrays in one
/// statement (no per-row parameters to parse); SQLite as multi-row VALUES.
fn store_nodes<C: Db>(c: &mut C, nodes: Vec<(NodeId, Hash)>) -> Result<(), Failure> {
    const HEAD: &str = "INSERT INTO log_nodes (level, idx, hash)";
    match C::DIALECT {
        Dialect::Postgres => {
            let (mut levels, mut idx, mut hashes) = (Vec::new(), Vec::new(), Vec::new());
            for (id, h) in nodes {
                levels.push(i64::from(id.level));
                idx.push(i64::try_from(id.index).unwrap_or(i64::MAX));
                hashes.push(h.to_vec());
            }
            let mut q = Query::new(C::DIALECT, HEAD);
            q.push(" SELECT * FROM unnest(")
                .bind(Value::IntArray(levels))
                .push("::int8[], ")
                .bind(Value::IntArray(idx))
                .push("::int8[], ")
                .bind(Value::BytesArray(hashes))
                .push("::bytea[])");
            c.exec(q.prepared())?;
        }
        Dialect::Sqlite => {
            let rows = nodes
                .into_iter()
                .map(|(id, h)| {
                    vec![
                        Value::Int(i64::from(id.level)),
                        int(id.index),
                        Value::Bytes(h.to_vec()),
                    ]
                })
                .collect();
            exec_all(c, insert_rows(C::DIALECT, HEAD, "", rows))?;
        }
    }
    Ok(())
}

pub(crate) fn tree_head<C: Db>(c: &mut C) -> Result<TreeHead, Failure>
where
    TreeRow: QueryableByName<C::Backend>,
{
    Ok(head(&load_tree(c, false)?))
}

pub(crate) fn log_nodes<C: Db>(c: &mut C, ids: &[NodeId]) -> Result<HashMap<NodeId, Hash>, Failure>
where
    NodeRow: QueryableByName<C::Backend>,
{
    let mut by_level: BTreeMap<u8, Vec<u64>> = BTreeMap::new();
    for id in ids {
        by_level.entry(id.level).or_default().push(id.index);
    }
    let mut out = HashMap::with_capacity(ids.len());
    for (level, idx) in by_level {
        for chunk in idx.chunks(MAX_PARAMS - 1) {
            let rows: Vec<NodeRow> = c.load_rows(sql::node_probe(C::DIALECT, level, chunk))?;
            for r in rows {
                let level = u8::try_from(r.level).map_err(|_| corrupt("log level"))?;
                out.insert(NodeId::new(level, unsigned(r.idx)?), hash(&r.hash)?);
            }
        }
    }
    Ok(out)
}

pub(crate) fn save_checkpoint<C: Db>(c: &mut C, cp: &StoredCheckpoint) -> Result<(), Failure> {
    let mut q = Query::new(
        C::DIALECT,
        "INSERT INTO log_checkpoints (size, note) VALUES (",
    );
    q.bind(int(cp.size))
        .push(", ")
        .bind(Value::Text(cp.note.clone()))
        .push(") ON CONFLICT (size) DO NOTHING");
    c.exec(q)?;
    Ok(())
}

pub(crate) fn checkpoint<C: Db>(
    c: &mut C,
    size: Option<u64>,
) -> Result<Option<StoredCheckpoint>, Failure>
where
    NoteRow: QueryableByName<C::Backend>,
{
    let mut q = Query::new(C::DIALECT, "SELECT size, note FROM log_checkpoints");
    match size {
        Some(size) => {
            q.push(" WHERE size = ").bind(int(size));
        }
        None => {
            q.push(" ORDER BY size DESC LIMIT 1");
        }
    }
    let rows: Vec<NoteRow> = c.load_rows(q.prepared())?;
    rows.into_iter()
        .next()
        .map(|r| {
            Ok(StoredCheckpoint {
                size: unsigned(r.size)?,
                note: r.note,
            })
        })
        .transpose()
}

pub(crate) fn subject_leaves<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    subject: &SubjectId,
) -> Result<Vec<SubjectLeaf>, Failure>
where
    LeafOut: QueryableByName<C::Backend>,
{
    // Through the records' own subject-led keys: each names its leaf.
    let key = keyer.subject_key(subject);
    let mut q = Query::new(
        C::DIALECT,
        "SELECT l.seq, l.idx, CAST('login' AS TEXT) AS item_kind, e.dedup_key AS item_key, \
         e.subject_key FROM login_events e JOIN log_leaves l ON l.seq = e.log_seq \
         WHERE e.subject_key = ",
    );
    q.bind(Value::Bytes(key.clone())).push(
        " UNION ALL SELECT l.seq, l.idx, CAST('access' AS TEXT), a.id, a.owner_key \
         FROM access_records a JOIN log_leaves l ON l.seq = a.log_seq WHERE a.owner_key = ",
    );
    q.bind(Value::Bytes(key)).push(" ORDER BY 1");
    let rows: Vec<LeafOut> = c.load_rows(q.prepared())?;
    rows.into_iter()
        .map(|r| {
            let item = ItemKind::parse(&r.item_kind)
                .and_then(|k| ItemRef::from_parts(k, r.item_key))
                .ok_or_else(|| corrupt("log item"))?;
            Ok(SubjectLeaf {
                index: r.idx.map(unsigned).transpose()?,
                item,
                subject_key: r.subject_key,
            })
        })
        .collect()
}
