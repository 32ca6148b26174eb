-- The tamper-evident log, as in PostgreSQL's 2026-12-08 migration (which
-- explains it). SQLite has one writer; the builder's order is seq's.
CREATE TABLE log_leaves (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    idx INTEGER,
    leaf_hash BLOB NOT NULL,
    subject_key BLOB NOT NULL,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('login', 'access')),
    item_key BLOB NOT NULL
);
CREATE UNIQUE INDEX log_leaves_idx ON log_leaves (idx) WHERE idx IS NOT NULL;
CREATE INDEX log_leaves_pending ON log_leaves (seq) WHERE idx IS NULL;
CREATE INDEX log_leaves_subject ON log_leaves (subject_key, seq);

CREATE TABLE log_nodes (
    level INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TABLE log_tree (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    size INTEGER NOT NULL,
    peaks BLOB NOT NULL
);
INSERT INTO log_tree (one, size, peaks) VALUES (1, 0, X'');

CREATE TABLE log_checkpoints (
    size INTEGER PRIMARY KEY,
    note TEXT NOT NULL
);
