-- The ceiling's tables: login_events_flat and access_records_flat,
-- unpartitioned copies of the rows of the shipped login_events and
-- access_records, with every index the shipped table has (its primary key
-- becomes a unique index). Derived from the live schema, so it works the
-- same whether the shipped layout is partitioned or not: the copy takes the
-- columns and defaults (LIKE), the rows (INSERT … SELECT *), then each
-- index definition of the shipped table in pg_indexes, renamed and pointed
-- at the copy (created after the rows, as a bulk load would). No variables.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

DROP TABLE IF EXISTS login_events_flat, access_records_flat;
CREATE TABLE login_events_flat (LIKE login_events INCLUDING DEFAULTS);
CREATE TABLE access_records_flat (LIKE access_records INCLUDING DEFAULTS);
INSERT INTO login_events_flat SELECT * FROM login_events;
INSERT INTO access_records_flat SELECT * FROM access_records;

SELECT regexp_replace(indexdef,
                      '^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ ',
                      'CREATE \1INDEX ' || quote_ident(left(indexname, 58) || '_flat')
                          || ' ON ' || quote_ident(tablename || '_flat') || ' ')
FROM pg_indexes
WHERE schemaname = current_schema() AND tablename IN ('login_events', 'access_records')
ORDER BY tablename, indexname
\gexec

VACUUM ANALYZE login_events_flat;
VACUUM ANALYZE access_records_flat;
