-- Generates the events with index i in [cnt(n, f_lo), cnt(n, f_hi)) of
-- every citizen n: login events and access records, at uniformly random
-- times over :days days from :t0, of skewed clients (popular services
-- first), in random order (the heap is not clustered by subject).
-- psql variables: f_lo, f_hi, citizens, t0, days.
\set ON_ERROR_STOP on

INSERT INTO login_events (subject_key, occurred_at, dedup_key, key_id, orgno, client_id,
                          service_name, eid, method, event_name, correlation_id)
SELECT x.key, x.t, sha256(x.key || int4send(x.i)), 'k1', c.orgno, c.client_id, c.name,
       CASE WHEN x.p < 45 THEN 'BankID' WHEN x.p < 85 THEN 'MinID' WHEN x.p < 95 THEN 'BankID'
            WHEN x.p < 98 THEN 'Buypass' ELSE 'Commfides' END,
       CASE WHEN x.p < 45 THEN 'BankID' WHEN x.p < 85 THEN 'PIN' WHEN x.p < 95 THEN 'BankID-mobil'
            WHEN x.p < 98 THEN 'Buypass' ELSE 'Commfides' END,
       'Innlogget', 'bench-' || x.n || '-' || x.i
FROM (
    SELECT s.key, s.n, g.i,
           timestamptz :'t0' + random() * make_interval(days => :days) AS t,
           1 + floor(500 * random() ^ 2)::int AS cid,
           floor(random() * 100)::int AS p
    FROM bench_subjects s,
         generate_series(bench_cnt(s.n, :f_lo, :citizens), bench_cnt(s.n, :f_hi, :citizens) - 1) AS g(i)
) x
JOIN bench_clients c ON c.c = x.cid;

-- Each record's id also goes into access_record_ids, as the store's
-- ingestion writes it (the content hash as in the migration
-- 2026-12-02-000000_flat_tables).
WITH stored AS (
INSERT INTO access_records (owner_key, occurred_at, id, key_id, application, client_id, resource,
                            resource_urn, action, purpose, decision, orgno)
SELECT x.key, x.t, uuid_send(gen_random_uuid()), 'k1', c.name, c.client_id,
       'resource-' || x.res, 'urn:altinn:resource:resource-' || x.res,
       (ARRAY['read', 'write', 'sign', 'delete', 'access'])[1 + x.a],
       (ARRAY['tax assessment', 'case handling', 'self service', 'audit'])[1 + x.pu],
       CASE WHEN x.p < 90 THEN 'Permit' WHEN x.p < 97 THEN 'Deny'
            WHEN x.p < 99 THEN 'NotApplicable' ELSE 'Indeterminate' END,
       c.orgno
FROM (
    SELECT s.key, g.i,
           timestamptz :'t0' + random() * make_interval(days => :days) AS t,
           1 + floor(500 * random() ^ 2)::int AS cid,
           floor(random() * 50)::int AS res,
           floor(random() * 5)::int AS a,
           floor(random() * 4)::int AS pu,
           floor(random() * 100)::int AS p
    FROM bench_subjects s,
         generate_series(bench_cnt(s.n, :f_lo, :citizens), bench_cnt(s.n, :f_hi, :citizens) - 1) AS g(i)
) x
JOIN bench_clients c ON c.c = x.cid
RETURNING *
)
INSERT INTO access_record_ids (id, owner_key, occurred_at, content_hash)
SELECT id, owner_key, occurred_at,
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
    )
FROM stored;
