use std::time::{Duration, Instant};

use rdkafka::Message as _;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer as _};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer as _};

use super::{Broker, NOTHING_COMMITTED};

/// Reads `count` messages as a member of `group`, then commits them
/// synchronously; at most 15 s (joining the group takes about 3 s).
fn consume_and_commit(broker: &Broker, group: &str, topic: &str, count: usize) -> Vec<Vec<u8>> {
    let consumer: BaseConsumer = broker.consumer_config(group).create().expect("a consumer");
    consumer.subscribe(&[topic]).expect("subscribed");
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut payloads = Vec::new();
    while payloads.len() < count {
        assert!(
            Instant::now() < deadline,
            "read only {} of {count} messages",
            payloads.len()
        );
        if let Some(message) = consumer.poll(Duration::from_millis(200)) {
            let message = message.expect("a message");
            payloads.push(message.payload().unwrap_or_default().to_vec());
        }
    }
    consumer
        .commit_consumer_state(CommitMode::Sync)
        .expect("committed");
    payloads
}

#[test]
fn a_group_reads_what_was_produced_and_its_commit_is_what_the_broker_reports() {
    let broker = Broker::start();
    broker.create_topic("events", 3);
    let payloads: Vec<Vec<u8>> = (0..30).map(|i| format!("event-{i}").into_bytes()).collect();
    let positions = broker.produce_round_robin("events", &payloads, 3);
    assert_eq!(positions[0..4], [(0, 0), (1, 0), (2, 0), (0, 1)]);
    assert_eq!(broker.end_offsets("events", 3), [10, 10, 10]);
    assert_eq!(
        broker.committed_offsets("g", "events", 3),
        [NOTHING_COMMITTED; 3]
    );

    let mut read = consume_and_commit(&broker, "g", "events", 30);

    let committed = broker.committed_offsets("g", "events", 3);
    assert_eq!(committed, broker.end_offsets("events", 3));
    assert_eq!(committed.iter().sum::<i64>(), 30);
    read.sort();
    let mut sent = payloads;
    sent.sort();
    assert_eq!(read, sent);
}

#[test]
fn produce_reports_each_message_where_it_landed_and_end_offsets_follow() {
    let broker = Broker::start();
    broker.create_topic("t", 3);
    assert_eq!(broker.end_offsets("t", 3), [0, 0, 0]);
    let positions = broker.produce(
        "t",
        &[
            (Some(1), b"a".to_vec()),
            (Some(1), b"b".to_vec()),
            (Some(0), b"c".to_vec()),
        ],
    );
    assert_eq!(positions, [(1, 0), (1, 1), (0, 0)]);
    assert_eq!(broker.end_offsets("t", 3), [1, 2, 0]);
    broker.produce("t", &[(Some(1), b"d".to_vec())]);
    assert_eq!(broker.end_offsets("t", 3), [1, 3, 0]);
}

/// Pins the Tansu 0.6.0 quirk `end_offsets` works around: when this
/// fails after an upgrade, the broker reports high watermarks right and
/// the workaround (and this test) can go.
#[test]
fn tansu_reports_the_last_batch_base_plus_one_as_the_high_watermark() {
    let broker = Broker::start();
    broker.create_topic("quirk", 1);
    // One batch for sure: the three are queued well within the linger.
    let producer: BaseProducer = broker
        .client_config()
        .set("linger.ms", "200")
        .create()
        .expect("a producer");
    for payload in [b"0", b"1", b"2"] {
        let record = BaseRecord::<(), [u8]>::to("quirk")
            .partition(0)
            .payload(payload);
        producer.send(record).map_err(|(e, _)| e).expect("queued");
    }
    producer
        .flush(Duration::from_secs(10))
        .expect("acknowledged");
    assert_eq!(broker.reported_high_watermarks("quirk", 1), [1]);
    assert_eq!(broker.end_offsets("quirk", 1), [3]);
}

#[test]
fn creating_an_existing_topic_fails_with_the_broker_log() {
    let broker = Broker::start();
    broker.create_topic("once", 1);
    let again = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        broker.create_topic("once", 1)
    }));
    let message = again.expect_err("a second create fails");
    let message = message
        .downcast_ref::<String>()
        .expect("a formatted message");
    assert!(message.contains("once"), "{message}");
    assert!(message.contains("broker log"), "{message}");
}
