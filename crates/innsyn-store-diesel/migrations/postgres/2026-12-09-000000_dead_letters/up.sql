-- Messages from a stream (Kafka) that ingestion refused. Only where each is
-- (topic, partition, offset) and why, never its bytes: a bad message may
-- still hold an identity number, and the topic keeps the bytes for a replay
-- (`innsyn consume --replay-dead-letters`) for as long as its retention
-- allows. Small and operator-facing: a reference table on Citus.
CREATE TABLE dead_letters (
    stream_topic TEXT NOT NULL,
    stream_partition INTEGER NOT NULL,
    stream_offset BIGINT NOT NULL,
    reason TEXT NOT NULL,
    refused_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (stream_topic, stream_partition, stream_offset)
);
