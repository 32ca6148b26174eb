-- One unpartitioned table per kind of history instead of monthly partitions.
--
-- Why: on PostgreSQL 15 a prepared generic plan locks and initialises every
-- partition at each execution, and a citizen with fewer events than the
-- LIMIT makes the ordered Append probe every month's index. The same rows in
-- one table with the same index served seed 1 at ~7.5x and seed 2 at ~3x
-- the transactions per second of 29 monthly partitions (docs/scaling.md),
-- and read cost no longer grows with the months kept. Retention deletes in
-- bounded batches instead of dropping partitions (a BRIN index on the time
-- finds the old rows: rows arrive in time order, so it is tiny and cheap to
-- maintain).
--
-- The conversion keeps every row, in this migration's one transaction: the
-- partitioned tables are renamed, the flat ones created and filled (in time
-- order, so the BRIN ranges are tight), the indexes built after loading,
-- and the old tables dropped.
--
-- Citus: every unique key still contains the distribution column
-- (subject_key / owner_key); access_record_ids is keyed by id alone and is
-- meant to be distributed by id (docs/scaling.md). On already-distributed
-- tables run this migration after `SET LOCAL citus.multi_shard_modify_mode
-- TO 'sequential'` (index DDL on shards otherwise fails with "index name …
-- on a shard is too long and could lead to deadlocks"), and distribute the
-- new tables again (create_distributed_table on login_events by subject_key
-- and access_records by owner_key, colocated with subjects;
-- access_record_ids by id) before dropping the renamed ones.

ALTER TABLE login_events RENAME TO login_events_monthly;
ALTER INDEX login_events_pkey RENAME TO login_events_monthly_pkey;
ALTER INDEX login_events_subject_org_time RENAME TO login_events_monthly_subject_org_time;
ALTER TABLE access_records RENAME TO access_records_monthly;
ALTER INDEX access_records_pkey RENAME TO access_records_monthly_pkey;

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
    correlation_id text COLLATE "C"
);

-- The idempotency key is (subject_key, dedup_key): without partitions it
-- need not contain the time, so an event re-sent with its event_id and
-- another time is a duplicate too. A subject's rows that shared a dedup key
-- under the old key (the same event_id at two times) keep the earliest.
INSERT INTO login_events
SELECT subject_key, occurred_at, dedup_key, key_id, orgno, client_id, service_name, eid,
       method, event_name, correlation_id
FROM (
    SELECT *, row_number() OVER (PARTITION BY subject_key, dedup_key ORDER BY occurred_at) AS n
    FROM login_events_monthly
) AS m
WHERE n = 1
ORDER BY occurred_at;

ALTER TABLE login_events ADD CONSTRAINT login_events_pkey PRIMARY KEY (subject_key, dedup_key);
-- Seed 1: newest events of one subject for one organisation, read backwards
-- in the order (occurred_at DESC, dedup_key DESC) with no Sort.
CREATE INDEX login_events_subject_org_time
    ON login_events (subject_key, orgno, occurred_at, dedup_key);
-- The citizen's own page (no organisation): the same order over all of one
-- subject's events.
CREATE INDEX login_events_subject_time
    ON login_events (subject_key, occurred_at, dedup_key);
-- Retention's batches find the old rows here.
CREATE INDEX login_events_time_brin ON login_events USING brin (occurred_at)
    WITH (autosummarize = on);

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
    orgno text COLLATE "C"
);
INSERT INTO access_records SELECT * FROM access_records_monthly ORDER BY occurred_at;
-- The default order (timestamp, id) in both directions and keyset seeks.
ALTER TABLE access_records
    ADD CONSTRAINT access_records_pkey PRIMARY KEY (owner_key, occurred_at, id);
CREATE INDEX access_records_time_brin ON access_records USING brin (occurred_at)
    WITH (autosummarize = on);

-- Access records are idempotent by id alone, whatever else a re-send
-- changes: ingestion inserts here first (ON CONFLICT (id) DO NOTHING
-- RETURNING id), in the same transaction, and stores only records whose id
-- is new. content_hash tells an identical re-send (a duplicate) from a
-- changed one (a conflict); it is SHA-256 over the stored fields, computed
-- by the store (innsyn-store-diesel/src/keys.rs, access_content_hash) and
-- here in SQL for the rows already stored, byte for byte the same.
-- Should an id already have been stored twice (the old key allowed it),
-- the earliest record answers for it; both rows stay.
CREATE TABLE access_record_ids (
    id bytea NOT NULL,
    owner_key bytea NOT NULL,
    occurred_at timestamptz NOT NULL,
    content_hash bytea NOT NULL
);
INSERT INTO access_record_ids
SELECT id, owner_key, occurred_at, content_hash FROM (
    SELECT DISTINCT ON (id) id, owner_key, occurred_at,
        sha256(
            convert_to('innsyn/access-record/v1', 'UTF8') || owner_key
            || int8send((EXTRACT(EPOCH FROM occurred_at) * 1000000)::int8)
            || int4send(octet_length(application)) || convert_to(application, 'UTF8')
            || int4send(octet_length(client_id)) || convert_to(client_id, 'UTF8')
            || int4send(octet_length(resource)) || convert_to(resource, 'UTF8')
            || CASE WHEN resource_urn IS NULL THEN int4send(-1)
                    ELSE int4send(octet_length(resource_urn)) || convert_to(resource_urn, 'UTF8') END
            || int4send(octet_length(action)) || convert_to(action, 'UTF8')
            || int4send(octet_length(purpose)) || convert_to(purpose, 'UTF8')
            || int4send(octet_length(decision)) || convert_to(decision, 'UTF8')
            || CASE WHEN orgno IS NULL THEN int4send(-1)
                    ELSE int4send(octet_length(orgno)) || convert_to(orgno, 'UTF8') END
        ) AS content_hash
    FROM access_records
    ORDER BY id, occurred_at, owner_key
) AS first
ORDER BY occurred_at;
ALTER TABLE access_record_ids ADD CONSTRAINT access_record_ids_pkey PRIMARY KEY (id);
CREATE INDEX access_record_ids_time_brin ON access_record_ids USING brin (occurred_at)
    WITH (autosummarize = on);

DROP TABLE login_events_monthly;
DROP TABLE access_records_monthly;
