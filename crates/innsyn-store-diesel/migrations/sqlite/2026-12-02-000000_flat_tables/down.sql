DROP TABLE access_record_ids;
DROP INDEX login_events_subject_time;
