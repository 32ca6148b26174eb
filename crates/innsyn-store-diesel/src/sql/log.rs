//! The log's statements: leaves written with their records, and the
//! builder's step.

use super::{Dialect, Query, Value, insert_rows};

/// A leaf as written: its number, which its record keeps (`log_seq`), and
/// its hash; `idx` waits for the builder.
pub(crate) const LEAF_INSERT: &str = "INSERT INTO log_leaves (seq, leaf_hash)";

/// PostgreSQL numbers leaves from the `bigserial`'s sequence, in the
/// statement that stores their records (gaps are harmless: the tree's
/// indexes are the builder's, dense).
pub(crate) const NEXT_SEQ_PG: &str = "nextval('log_leaves_seq_seq')";

/// SQLite numbers them in the write transaction, which excludes every
/// other writer: the first free number.
pub(crate) fn next_seq_sqlite() -> Query {
    Query::new(
        Dialect::Sqlite,
        "SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM log_leaves",
    )
}

/// Leaves `(seq, hash)` as multi-row inserts (SQLite; PostgreSQL writes
/// its leaves inside the record statements).
pub(crate) fn insert_leaves(d: Dialect, rows: Vec<(i64, Vec<u8>)>) -> Vec<Query> {
    insert_rows(
        d,
        LEAF_INSERT,
        "",
        rows.into_iter()
            .map(|(seq, hash)| vec![Value::Int(seq), Value::Bytes(hash)])
            .collect(),
    )
}

/// The builder's step: at most `limit` pending leaves, in `seq` order,
/// get the indexes from `start` on; returns them with their hashes. The
/// caller holds the `log_tree` row, so one builder runs at a time.
pub(crate) fn index_pending(d: Dialect, start: u64, limit: u32) -> Query {
    let mut q = Query::new(d, "UPDATE log_leaves SET idx = p.r + ");
    q.bind(Value::Int(i64::try_from(start).unwrap_or(i64::MAX)))
        .push(
            " - 1 FROM (SELECT seq, row_number() OVER (ORDER BY seq) AS r FROM \
             (SELECT seq FROM log_leaves WHERE idx IS NULL ORDER BY seq LIMIT ",
        )
        .bind(Value::Int(i64::from(limit)))
        .push(
            ") AS s) AS p WHERE log_leaves.seq = p.seq \
             RETURNING idx, leaf_hash AS hash",
        );
    // Planned per call, never prepared: a generic plan made while the
    // table was small joined the whole table against the pending leaves
    // (a 200,000-leaf backlog then ran past the statement timeout in the
    // benchmark); with the real LIMIT the plan walks the pending index and
    // probes the primary key, 10,000 leaves in about 0.14 s.
    q
}

/// The built tree's row, locked for the builder on PostgreSQL (SQLite's
/// write transaction already excludes other writers).
pub(crate) fn tree_row(d: Dialect, lock: bool) -> Query {
    let sql = match (d, lock) {
        (Dialect::Postgres, true) => "SELECT size, peaks FROM log_tree FOR UPDATE",
        _ => "SELECT size, peaks FROM log_tree",
    };
    Query::new(d, sql).prepared()
}

/// `(level, idx)` probes of interior nodes, or of leaves (level 0).
pub(crate) fn node_probe(d: Dialect, level: u8, idx: &[u64]) -> Query {
    let mut q = if level == 0 {
        Query::new(
            d,
            "SELECT CAST(0 AS BIGINT) AS level, idx, leaf_hash AS hash FROM log_leaves \
             WHERE idx IN (",
        )
    } else {
        let mut q = Query::new(
            d,
            "SELECT CAST(level AS BIGINT) AS level, idx, hash FROM log_nodes WHERE level = ",
        );
        q.bind(Value::Int(i64::from(level))).push(" AND idx IN (");
        q
    };
    for (i, v) in idx.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(Value::Int(i64::try_from(*v).unwrap_or(i64::MAX)));
    }
    q.push(")");
    q
}
