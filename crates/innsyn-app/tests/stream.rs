//! Stream ingestion: valid messages stored once whatever is re-delivered,
//! refused ones kept as dead letters without their content, replays that
//! take what is now valid.

use std::sync::Arc;

use innsyn_app::{Ports, Service, Settings, StreamMessage, Writer};
use innsyn_domain::identity::CITIZEN_A;
use innsyn_ports::StreamPosition;
use innsyn_store_memory::MemoryStore;
use innsyn_test_support::FixedClock;
use time::macros::datetime;

fn service(clock: &Arc<FixedClock>) -> Service {
    Service::new(
        Ports {
            clock: Arc::clone(clock) as _,
            ..Ports::over(Arc::new(MemoryStore::new()))
        },
        Settings::default(),
    )
}

fn message(offset: i64, payload: Option<&str>) -> StreamMessage {
    StreamMessage {
        position: StreamPosition {
            topic: "aktiviteter-json".into(),
            partition: 1,
            offset,
        },
        payload: payload.map(|p| p.as_bytes().to_vec()),
    }
}

fn record(created_ms: i64, client: &str) -> String {
    // A newer producer's field (`subject_birthyear`) is accepted and ignored.
    format!(
        r#"{{"event_name":"Innlogget","event_created":{created_ms},"event_subject_pid":"{CITIZEN_A}","service_provider_id":"{client}","subject_birthyear":1999}}"#
    )
}

const NOON_MS: i64 = 1_733_140_800_000; // 2024-12-02 12:00 UTC

#[tokio::test]
async fn valid_messages_are_stored_once_and_bad_ones_become_dead_letters() {
    let clock = Arc::new(FixedClock::at(datetime!(2024-12-02 12:00 UTC)));
    let service = service(&clock);
    let writer = Writer::operator();
    let batch = vec![
        message(0, Some(&record(NOON_MS - 60_000, "nav"))),
        message(1, Some("not json")),
        message(2, Some(&record(NOON_MS, "nav"))),
        message(3, None),
        message(
            4,
            Some(
                r#"{"event_name":"Innlogget","event_created":1,"event_subject_pid":"12345678901"}"#,
            ),
        ),
        message(5, Some(&record(NOON_MS - 1_000, "skatt"))),
    ];
    let first = service.ingest_stream(&writer, batch.clone()).await.unwrap();
    assert_eq!((first.stored.accepted, first.stored.duplicates), (3, 0));
    assert_eq!(first.refused, 3);
    assert_eq!(first.per_client["nav"].events, 2);
    assert_eq!(
        first.per_client["nav"].newest,
        datetime!(2024-12-02 12:00 UTC)
    );
    assert_eq!(first.per_client["skatt"].events, 1);

    let letters = service.dead_letters(None, 10).await.unwrap();
    let offsets: Vec<i64> = letters.iter().map(|l| l.position.offset).collect();
    assert_eq!(offsets, vec![1, 3, 4]);
    assert!(
        letters[0]
            .reason
            .starts_with("not an activity record: body:"),
        "{}",
        letters[0].reason
    );
    assert_eq!(letters[1].reason, "the message has no value");
    assert!(
        letters[2].reason.starts_with("event_subject_pid: "),
        "{}",
        letters[2].reason
    );
    assert!(
        letters.iter().all(|l| !l.reason.contains("12345678901")),
        "a reason repeats the identity number"
    );

    // A re-delivery (a crash before the commit) changes nothing.
    let again = service.ingest_stream(&writer, batch).await.unwrap();
    assert_eq!((again.stored.accepted, again.stored.duplicates), (0, 3));
    assert_eq!(service.dead_letters(None, 10).await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_replay_takes_what_is_now_valid_and_keeps_the_rest() {
    // An event from ahead of the clock is refused, and fine once it is due.
    let clock = Arc::new(FixedClock::at(datetime!(2024-12-02 11:00 UTC)));
    let service = service(&clock);
    let writer = Writer::operator();
    let early = message(7, Some(&record(NOON_MS, "nav")));
    let broken = message(8, Some("{"));
    let o = service
        .ingest_stream(&writer, vec![early.clone(), broken.clone()])
        .await
        .unwrap();
    assert_eq!((o.stored.accepted, o.refused), (0, 2));
    let letters = service.dead_letters(None, 10).await.unwrap();
    assert!(
        letters[0].reason.starts_with("event_created: "),
        "{}",
        letters[0].reason
    );

    clock.set(datetime!(2024-12-02 12:30 UTC));
    let replay = service
        .replay_stream(&writer, vec![early, broken])
        .await
        .unwrap();
    assert_eq!((replay.stored.accepted, replay.refused), (1, 1));
    let left = service.dead_letters(None, 10).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].position.offset, 8);
    assert_eq!(
        left[0].at,
        datetime!(2024-12-02 12:30 UTC),
        "the new refusal's time"
    );
}
