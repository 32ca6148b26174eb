-- Text columns use the "C" collation: byte order, the same order as Rust's
-- String and SQLite's BINARY, so sorting and keyset paging agree everywhere.

-- Every subject key (HMAC-SHA256 of the identity number) ever ingested: makes
-- "is this owner known" one index probe.
CREATE TABLE subjects (
    subject_key bytea PRIMARY KEY,
    key_id text COLLATE "C" NOT NULL
);

CREATE TABLE clients (
    client_id text COLLATE "C" PRIMARY KEY,
    application text COLLATE "C" NOT NULL,
    orgno text COLLATE "C"
);
CREATE INDEX clients_application ON clients (application);

CREATE TABLE resources (
    name text COLLATE "C" PRIMARY KEY,
    urn text COLLATE "C"
);
CREATE INDEX resources_urn ON resources (urn);

-- Application names, from clients and from access records.
CREATE TABLE applications (name text COLLATE "C" PRIMARY KEY);
CREATE TABLE actions (name text COLLATE "C" PRIMARY KEY);
CREATE TABLE purposes (name text COLLATE "C" PRIMARY KEY);

-- Login events, range-partitioned by month. The primary key leads with the
-- subject key (the Citus distribution column) and contains the partition
-- column; the dedup key is content-derived and includes the time.
CREATE TABLE login_events (
    subject_key bytea NOT NULL,
    occurred_at timestamptz NOT NULL,
    dedup_key bytea NOT NULL,
    key_id text COLLATE "C" NOT NULL,
    orgno text COLLATE "C",
    client_id text COLLATE "C",
    service_name text COLLATE "C",
    eid text COLLATE "C",
    method text COLLATE "C",
    event_name text COLLATE "C" NOT NULL,
    correlation_id text COLLATE "C",
    PRIMARY KEY (subject_key, occurred_at, dedup_key)
) PARTITION BY RANGE (occurred_at);
-- Seed 1: newest events of one subject for one organisation.
CREATE INDEX login_events_subject_org_time
    ON login_events (subject_key, orgno, occurred_at DESC);
-- Rows outside every monthly partition land here, so no insert ever fails;
-- ensure_partitions moves them into their month.
CREATE TABLE login_events_default PARTITION OF login_events DEFAULT;

-- Access records; idempotent by (owner, time, id). The primary key serves
-- the default order (timestamp, id) in both directions and keyset seeks.
CREATE TABLE access_records (
    owner_key bytea NOT NULL,
    occurred_at timestamptz NOT NULL,
    id bytea NOT NULL,
    key_id text COLLATE "C" NOT NULL,
    application text COLLATE "C" NOT NULL,
    client_id text COLLATE "C" NOT NULL,
    resource text COLLATE "C" NOT NULL,
    resource_urn text COLLATE "C",
    action text COLLATE "C" NOT NULL,
    purpose text COLLATE "C" NOT NULL,
    decision text COLLATE "C" NOT NULL,
    orgno text COLLATE "C",
    PRIMARY KEY (owner_key, occurred_at, id)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE access_records_default PARTITION OF access_records DEFAULT;
