-- The tamper-evident log, as in PostgreSQL's 2026-12-08 migration (which
-- explains it). SQLite has one writer: the store numbers the leaves itself
-- (seq = the largest so far + 1, in the write transaction).
CREATE TABLE log_leaves (
    seq INTEGER PRIMARY KEY,
    idx INTEGER,
    leaf_hash BLOB NOT NULL
);
CREATE UNIQUE INDEX log_leaves_idx ON log_leaves (idx) WHERE idx IS NOT NULL;
CREATE INDEX log_leaves_pending ON log_leaves (seq) WHERE idx IS NULL;
ALTER TABLE login_events ADD COLUMN log_seq INTEGER;
ALTER TABLE access_records ADD COLUMN log_seq INTEGER;

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
