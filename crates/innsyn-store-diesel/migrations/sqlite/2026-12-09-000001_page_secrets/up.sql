-- As PostgreSQL's 2026-12-09-000001 migration (which explains it). Times
-- are integer microseconds.
CREATE TABLE page_secrets (
    kind TEXT NOT NULL CHECK (kind IN ('session', 'pending_login')),
    key BLOB NOT NULL,
    sealed BLOB NOT NULL,
    cap_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX page_secrets_expires ON page_secrets (expires_at);
