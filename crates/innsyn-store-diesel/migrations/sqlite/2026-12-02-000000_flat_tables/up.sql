-- The logical changes of PostgreSQL's 2026-12-02 migration (SQLite was
-- never partitioned): login events are idempotent by (subject_key,
-- dedup_key), without the time; the citizen's own page and seed 1 read
-- their own indexes; access records are idempotent by id through
-- access_record_ids. content_hash of the records already stored is filled
-- by the store right after this migration (SQLite has no SHA-256).

CREATE TABLE login_events_new (
    subject_key BLOB NOT NULL,
    occurred_at INTEGER NOT NULL,
    dedup_key BLOB NOT NULL,
    key_id TEXT NOT NULL,
    orgno TEXT,
    client_id TEXT,
    service_name TEXT,
    eid TEXT,
    method TEXT,
    event_name TEXT NOT NULL,
    correlation_id TEXT,
    PRIMARY KEY (subject_key, dedup_key)
) WITHOUT ROWID;
-- The earliest of rows that shared a dedup key under the old key wins.
INSERT INTO login_events_new
SELECT subject_key, occurred_at, dedup_key, key_id, orgno, client_id, service_name, eid,
       method, event_name, correlation_id
FROM login_events WHERE true ORDER BY occurred_at
ON CONFLICT DO NOTHING;
DROP TABLE login_events;
ALTER TABLE login_events_new RENAME TO login_events;
CREATE INDEX login_events_subject_org_time
    ON login_events (subject_key, orgno, occurred_at, dedup_key);
CREATE INDEX login_events_subject_time ON login_events (subject_key, occurred_at, dedup_key);
CREATE INDEX login_events_time ON login_events (occurred_at);

CREATE TABLE access_record_ids (
    id BLOB PRIMARY KEY,
    owner_key BLOB NOT NULL,
    occurred_at INTEGER NOT NULL,
    content_hash BLOB
) WITHOUT ROWID;
INSERT INTO access_record_ids (id, owner_key, occurred_at)
SELECT id, owner_key, occurred_at FROM access_records WHERE true ORDER BY occurred_at
ON CONFLICT DO NOTHING;
CREATE INDEX access_record_ids_time ON access_record_ids (occurred_at);
