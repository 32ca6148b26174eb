//! `innsyn-kafka` against a real Kafka-protocol broker (Tansu, started on a
//! free port) and a real PostgreSQL database: every message stored exactly
//! once, bad messages dead-lettered without stopping their partition, a
//! group sharing the work, and a database outage waited out.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod outage;
mod support;

use std::time::Duration;

use innsyn_store_diesel::test_support::fresh_postgres_url;
use innsyn_test_support::kafka::Broker;

use support::*;

const PARTITIONS: i32 = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_messages_on_three_partitions_are_stored_exactly_once() {
    let broker = Broker::start();
    broker.create_topic("aktiviteter-json", PARTITIONS);
    let payloads: Vec<Vec<u8>> = (0..10_000).map(record).collect();
    broker.produce_round_robin("aktiviteter-json", &payloads, PARTITIONS);
    let db = fresh_postgres_url();
    let service = service(db.url(), &clock());
    let (consumer, stats) = consumer(&settings(&broker, "aktiviteter-json", "innsyn"));
    consume_all(
        &broker,
        &service,
        &[consumer],
        "innsyn",
        "aktiviteter-json",
        PARTITIONS,
        Duration::from_secs(90),
    )
    .await;
    assert_eq!(stored_logins(db.url()), 10_000);
    assert_eq!(distinct_records(db.url()), 10_000);
    let s = stats.snapshot();
    assert_eq!((s.stored, s.duplicates, s.refused), (10_000, 0, 0));
    assert!(s.batches >= 20, "batches of at most 500: {}", s.batches);
    assert_eq!(s.commits, s.batches);
    assert_eq!(s.sources.len(), 4, "four client ids");
    assert_eq!(s.sources.iter().map(|(_, x)| x.events).sum::<u64>(), 10_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poison_message_is_dead_lettered_and_its_partition_moves_on() {
    let broker = Broker::start();
    broker.create_topic("poison", 1);
    let future_ms = (NOW.unix_timestamp() + 3_600) * 1000;
    let early = format!(
        r#"{{"event_name":"Innlogget","event_created":{future_ms},"event_subject_pid":"{}","correlation_id":"early"}}"#,
        CITIZENS[0]
    );
    let messages: Vec<(Option<i32>, Vec<u8>)> = vec![
        (Some(0), record(0)),
        (Some(0), b"\x00\xffnot json".to_vec()),
        (Some(0), record(1)),
        (
            Some(0),
            br#"{"event_name":"Innlogget","event_created":1,"event_subject_pid":"12345678901"}"#
                .to_vec(),
        ),
        (Some(0), early.into_bytes()),
        (Some(0), record(2)),
    ];
    broker.produce("poison", &messages);
    let db = fresh_postgres_url();
    let clock = clock();
    let service = service(db.url(), &clock);
    let settings = settings(&broker, "poison", "poison-group");
    let (consumer, stats) = consumer(&settings);
    consume_all(
        &broker,
        &service,
        &[consumer],
        "poison-group",
        "poison",
        1,
        Duration::from_secs(60),
    )
    .await;
    assert_eq!(stored_logins(db.url()), 3, "the good ones around the bad");
    assert_eq!(stats.snapshot().refused, 3);
    let letters = service.dead_letters(None, 10).await.unwrap();
    let at: Vec<(i32, i64)> = letters
        .iter()
        .map(|l| (l.position.partition, l.position.offset))
        .collect();
    assert_eq!(at, vec![(0, 1), (0, 3), (0, 4)]);
    assert!(
        letters[0].reason.starts_with("not an activity record"),
        "{}",
        letters[0].reason
    );
    assert!(
        letters[1].reason.starts_with("event_subject_pid"),
        "{}",
        letters[1].reason
    );
    assert!(
        letters[2].reason.starts_with("event_created"),
        "{}",
        letters[2].reason
    );
    assert!(letters.iter().all(|l| !l.reason.contains("12345678901")));

    // Once the early event is due, a replay takes it; the rest stay.
    clock.set(NOW + time::Duration::hours(2));
    let replayed = innsyn_kafka::replay_dead_letters(&settings, &service)
        .await
        .unwrap();
    assert_eq!(
        (replayed.stored, replayed.refused, replayed.gone),
        (1, 2, 0)
    );
    assert_eq!(stored_logins(db.url()), 4);
    let left: Vec<i64> = service
        .dead_letters(None, 10)
        .await
        .unwrap()
        .iter()
        .map(|l| l.position.offset)
        .collect();
    assert_eq!(left, vec![1, 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_consumers_in_one_group_store_each_message_once() {
    let broker = Broker::start();
    broker.create_topic("shared", PARTITIONS);
    let payloads: Vec<Vec<u8>> = (0..3_000).map(record).collect();
    broker.produce_round_robin("shared", &payloads, PARTITIONS);
    let db = fresh_postgres_url();
    let service = service(db.url(), &clock());
    let settings = settings(&broker, "shared", "pair");
    let (a, a_stats) = consumer(&settings);
    let (b, b_stats) = consumer(&settings);
    consume_all(
        &broker,
        &service,
        &[a, b],
        "pair",
        "shared",
        PARTITIONS,
        Duration::from_secs(90),
    )
    .await;
    assert_eq!(stored_logins(db.url()), 3_000);
    assert_eq!(distinct_records(db.url()), 3_000);
    let total = sum(&[a_stats, b_stats]);
    // A rebalance may hand a partition over mid-batch: what both took is
    // at least everything, and whatever was taken twice was a duplicate.
    assert_eq!(total.stored, 3_000);
}
