DROP INDEX login_events_subject_org_time;
CREATE INDEX login_events_subject_org_time
    ON login_events (subject_key, orgno, occurred_at DESC);
CREATE TABLE login_events_default PARTITION OF login_events DEFAULT;
CREATE TABLE access_records_default PARTITION OF access_records DEFAULT;
