-- Catalog and helper tables of the bench database. Run after
-- `innsyn migrate` (`innsyn-bench partitions` only migrates now), and after the CSVs
-- from `innsyn-bench prepare` are loaded into bench_subjects and
-- bench_clients (see scripts/bench).
\set ON_ERROR_STOP on

-- One-row commits into it measure the WAL flush (pgbench/flush.sql).
CREATE TABLE bench_flush (n int);

-- Every generated citizen is a known subject (seed 2 answers 404 otherwise).
INSERT INTO subjects (subject_key, key_id)
SELECT key, 'k1' FROM bench_subjects ON CONFLICT DO NOTHING;

INSERT INTO applications (name) SELECT name FROM bench_clients ON CONFLICT DO NOTHING;
INSERT INTO clients (client_id, application, orgno)
SELECT client_id, name, orgno FROM bench_clients ON CONFLICT DO NOTHING;
INSERT INTO resources (name, urn)
SELECT 'resource-' || r, 'urn:altinn:resource:resource-' || r FROM generate_series(0, 49) r
ON CONFLICT DO NOTHING;
INSERT INTO actions (name) VALUES ('read'), ('write'), ('sign'), ('delete'), ('access')
ON CONFLICT DO NOTHING;
INSERT INTO purposes (name) VALUES ('tax assessment'), ('case handling'), ('self service'), ('audit')
ON CONFLICT DO NOTHING;

-- Events of citizen n for skew factor f (the same formula as
-- innsyn-bench's model.rs): max(1, floor(f * sqrt(citizens / n))).
CREATE FUNCTION bench_cnt(n int, f float8, citizens int) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN f <= 0 THEN 0
              ELSE greatest(1, floor(f * sqrt(citizens::float8 / n)))::int END
$$;
