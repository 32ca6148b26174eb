//! `kafka-produce`: the ingestion cell's events again, one JSON object per
//! Kafka message as ID-porten's producer writes them, for the consume cell.
//! Each record gets a correlation id of its own (`bench-kafka-…`), so the
//! consumer stores new rows rather than meeting the API's as duplicates.

use std::fs;
use std::time::{Duration, Instant};

use rdkafka::ClientConfig;
use rdkafka::error::RDKafkaErrorCode;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer as _};
use serde_json::Value;

use crate::args::Args;

/// How long the broker gets to acknowledge every message.
const ACK_TIMEOUT: Duration = Duration::from_secs(120);

/// `kafka-produce --bootstrap B --topic T --partitions P --dir D`.
pub(crate) fn run(args: &Args) -> Result<(), String> {
    let topic = args.str("topic")?;
    let partitions: i32 = args.num("partitions", 3)?;
    let dir = std::path::Path::new(args.str("dir")?).join("ingest");
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", args.str("bootstrap")?)
        .set("acks", "all")
        .set("linger.ms", "5")
        .set("message.timeout.ms", ACK_TIMEOUT.as_millis().to_string())
        .create()
        .map_err(|e| e.to_string())?;
    let mut batches: Vec<_> = fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    batches.sort();
    let deadline = Instant::now() + ACK_TIMEOUT;
    let mut sent = 0usize;
    for path in batches {
        let body = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let records: Vec<Value> = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        for mut record in records {
            record["correlation_id"] = Value::String(format!("bench-kafka-{sent}"));
            let payload = serde_json::to_vec(&record).map_err(|e| e.to_string())?;
            let partition = i32::try_from(sent).unwrap_or(0) % partitions.max(1);
            send(&producer, topic, partition, &payload, deadline)?;
            sent += 1;
        }
    }
    producer
        .flush(deadline.saturating_duration_since(Instant::now()))
        .map_err(|e| format!("not every message was acknowledged: {e}"))?;
    println!("{sent}");
    Ok(())
}

/// One message, waiting for room while librdkafka's queue is full.
fn send(
    producer: &BaseProducer,
    topic: &str,
    partition: i32,
    payload: &[u8],
    deadline: Instant,
) -> Result<(), String> {
    loop {
        let record = BaseRecord::<(), [u8]>::to(topic)
            .partition(partition)
            .payload(payload);
        match producer.send(record) {
            Ok(()) => return Ok(()),
            Err((e, _)) if e.rdkafka_error_code() == Some(RDKafkaErrorCode::QueueFull) => {
                if Instant::now() > deadline {
                    return Err("the producer's queue stayed full".into());
                }
                producer.poll(Duration::from_millis(10));
            }
            Err((e, _)) => return Err(e.to_string()),
        }
    }
}
