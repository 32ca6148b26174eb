-- Plain words for the catalog's codes, as in PostgreSQL's 2026-12-10
-- migration (which explains them).
CREATE TABLE organisations (
    orgno TEXT PRIMARY KEY,
    name TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE catalog_labels (
    kind TEXT NOT NULL CHECK (kind IN ('resource', 'action', 'purpose')),
    name TEXT NOT NULL,
    nb TEXT NOT NULL,
    en TEXT,
    PRIMARY KEY (kind, name)
) WITHOUT ROWID;
