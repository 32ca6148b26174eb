-- Disputes and confirmed items, as in PostgreSQL's 2026-12-07 migration
-- (which explains them). Times are integer microseconds.

CREATE TABLE disputes (
    id BLOB PRIMARY KEY,
    subject_key BLOB NOT NULL,
    key_id TEXT NOT NULL,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('login', 'access')),
    item_key BLOB NOT NULL,
    occurred_at INTEGER NOT NULL,
    client_id TEXT,
    orgno TEXT NOT NULL,
    service_name TEXT,
    eid TEXT,
    method TEXT,
    application TEXT,
    resource TEXT,
    action TEXT,
    purpose TEXT,
    decision TEXT,
    message TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
    answer TEXT,
    opened_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (subject_key, item_kind, item_key)
) WITHOUT ROWID;
CREATE INDEX disputes_org_opened ON disputes (orgno, opened_at, id);
CREATE INDEX disputes_org_status_opened ON disputes (orgno, status, opened_at, id);
CREATE INDEX disputes_subject_opened ON disputes (subject_key, opened_at, id);
CREATE INDEX disputes_held ON disputes (item_key) WHERE status <> 'closed';
CREATE INDEX disputes_closed_time ON disputes (occurred_at) WHERE status = 'closed';

CREATE TABLE confirmed_items (
    subject_key BLOB NOT NULL,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('login', 'access')),
    item_key BLOB NOT NULL,
    occurred_at INTEGER NOT NULL,
    confirmed_at INTEGER NOT NULL,
    PRIMARY KEY (subject_key, item_kind, item_key)
) WITHOUT ROWID;
CREATE INDEX confirmed_items_time ON confirmed_items (occurred_at);
