-- Times are integer microseconds since the Unix epoch (UTC). The event
-- tables are WITHOUT ROWID: clustered on their primary key, which leads with
-- the subject key, so one subject's history is contiguous on disk.

CREATE TABLE subjects (
    subject_key BLOB PRIMARY KEY,
    key_id TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    application TEXT NOT NULL,
    orgno TEXT
) WITHOUT ROWID;
CREATE INDEX clients_application ON clients (application);

CREATE TABLE resources (
    name TEXT PRIMARY KEY,
    urn TEXT
) WITHOUT ROWID;
CREATE INDEX resources_urn ON resources (urn);

-- Application names, from clients and from access records.
CREATE TABLE applications (name TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE actions (name TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE purposes (name TEXT PRIMARY KEY) WITHOUT ROWID;

CREATE TABLE login_events (
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
    PRIMARY KEY (subject_key, occurred_at, dedup_key)
) WITHOUT ROWID;
CREATE INDEX login_events_subject_org_time
    ON login_events (subject_key, orgno, occurred_at DESC);
CREATE INDEX login_events_time ON login_events (occurred_at);

CREATE TABLE access_records (
    owner_key BLOB NOT NULL,
    occurred_at INTEGER NOT NULL,
    id BLOB NOT NULL,
    key_id TEXT NOT NULL,
    application TEXT NOT NULL,
    client_id TEXT NOT NULL,
    resource TEXT NOT NULL,
    resource_urn TEXT,
    action TEXT NOT NULL,
    purpose TEXT NOT NULL,
    decision TEXT NOT NULL,
    orgno TEXT,
    PRIMARY KEY (owner_key, occurred_at, id)
) WITHOUT ROWID;
-- Retention deletes by time; without this it would scan the table.
CREATE INDEX access_records_time ON access_records (occurred_at);
