-- No default partitions: a live DEFAULT partition stops PostgreSQL from
-- treating the monthly partitions as ordered, so seed 1 (newest first,
-- LIMIT) could not read the newest month first and stop early; it merged or
-- sorted every month instead. Months are now created on demand at ingestion
-- (and ahead of time by `ensure_partitions`), so nothing needs a default.
--
-- Data is kept: the default partition is detached, each month found in it
-- gets its partition, its rows are routed there through the parent, and
-- only then is it dropped; all in this migration's transaction.
DO $$
DECLARE
    t text;
    m timestamp;
BEGIN
    FOREACH t IN ARRAY ARRAY['login_events', 'access_records'] LOOP
        IF to_regclass(t || '_default') IS NULL THEN
            CONTINUE;
        END IF;
        EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', t, t || '_default');
        FOR m IN EXECUTE format(
            'SELECT DISTINCT date_trunc(''month'', occurred_at AT TIME ZONE ''UTC'') FROM %I',
            t || '_default')
        LOOP
            IF to_regclass(t || '_p' || to_char(m, 'YYYY_MM')) IS NULL THEN
                EXECUTE format(
                    'CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                    t || '_p' || to_char(m, 'YYYY_MM'), t,
                    to_char(m, 'YYYY-MM-DD') || ' 00:00:00+00',
                    to_char(m + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
            END IF;
        END LOOP;
        EXECUTE format('INSERT INTO %I SELECT * FROM %I', t, t || '_default');
        EXECUTE format('DROP TABLE %I', t || '_default');
    END LOOP;
END
$$;

-- Seed 1 orders by (occurred_at DESC, dedup_key DESC), the primary key's
-- tie-break: with dedup_key in the index, a backward scan yields exactly
-- that order, so no partition needs a Sort.
DROP INDEX login_events_subject_org_time;
CREATE INDEX login_events_subject_org_time
    ON login_events (subject_key, orgno, occurred_at, dedup_key);
