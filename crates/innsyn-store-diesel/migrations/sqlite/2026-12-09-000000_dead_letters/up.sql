-- Dead letters, as in PostgreSQL's 2026-12-09 migration (which explains
-- them). Times are integer microseconds.
CREATE TABLE dead_letters (
    stream_topic TEXT NOT NULL,
    stream_partition INTEGER NOT NULL,
    stream_offset INTEGER NOT NULL,
    reason TEXT NOT NULL,
    refused_at INTEGER NOT NULL,
    PRIMARY KEY (stream_topic, stream_partition, stream_offset)
) WITHOUT ROWID;
