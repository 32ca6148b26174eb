-- The tamper-evident log (docs/api.md "The log", docs/scaling.md "The log").
--
-- Every login event and access record stored from now on writes its leaf
-- (the RFC 9162 leaf hash of its canonical entry, innsyn-tlog's
-- LoginEntry/AccessEntry) in the statement or transaction that stores it,
-- and the record keeps the leaf's seq (log_seq),
-- so a record without its leaf or a leaf without its record cannot exist.
-- A new leaf is pending (idx NULL) until the tree builder, one at a time
-- (it locks log_tree), gives the visible pending leaves the next indexes in
-- seq order: indexes stay dense whatever rolls back, and ingestion takes
-- no log-wide lock. Records stored before this migration have no leaf.
CREATE TABLE log_leaves (
    seq bigserial PRIMARY KEY,
    idx bigint,
    leaf_hash bytea NOT NULL
);
-- Proofs read leaves by index.
CREATE UNIQUE INDEX log_leaves_idx ON log_leaves (idx) WHERE idx IS NOT NULL;
-- The builder finds the pending leaves without reading the indexed ones.
CREATE INDEX log_leaves_pending ON log_leaves (seq) WHERE idx IS NULL;

-- A record names its leaf: a citizen's export finds the leaves of their
-- records through the records' own subject-led keys, so the log adds no
-- index in subject order (a random insert per record) to ingestion. NULL
-- for records stored before the log.
ALTER TABLE login_events ADD COLUMN log_seq bigint;
ALTER TABLE access_records ADD COLUMN log_seq bigint;

-- Interior nodes (level >= 1) of the built tree, one row per complete
-- subtree, so a proof reads O(log n) rows (innsyn-tlog's nodes_for_*).
CREATE TABLE log_nodes (
    level smallint NOT NULL,
    idx bigint NOT NULL,
    hash bytea NOT NULL,
    PRIMARY KEY (level, idx)
);

-- How far the tree is built, and its frontier (the peaks, 32 bytes each,
-- largest first), so the builder appends without reading old nodes.
CREATE TABLE log_tree (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    size bigint NOT NULL,
    peaks bytea NOT NULL
);
INSERT INTO log_tree (size, peaks) VALUES (0, '\x');

-- Signed tree heads (C2SP checkpoints), one per size signed.
CREATE TABLE log_checkpoints (
    size bigint PRIMARY KEY,
    note text NOT NULL
);
