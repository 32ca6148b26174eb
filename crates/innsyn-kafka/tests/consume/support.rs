//! A real broker (Tansu), a real PostgreSQL database, and the use cases
//! over it: what every consume test starts from.

use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use innsyn_app::{Ports, Service, Settings};
use innsyn_domain::identity::{CITIZEN_A, CITIZEN_B, CITIZEN_C};
use innsyn_kafka::{Consumer, ConsumerStats, KafkaSettings, StatsSnapshot};
use innsyn_store_diesel::Store;
use innsyn_store_diesel::test_support::test_settings;
use innsyn_test_support::FixedClock;
use innsyn_test_support::kafka::{Broker, activity_json};
use time::OffsetDateTime;
use time::macros::datetime;

pub(crate) const NOW: OffsetDateTime = datetime!(2026-12-02 12:00 UTC);
pub(crate) const CITIZENS: [&str; 3] = [CITIZEN_A, CITIZEN_B, CITIZEN_C];

/// The use cases over the database at `url`, at a settable clock.
pub(crate) fn service(url: &str, clock: &Arc<FixedClock>) -> Service {
    let store = Arc::new(Store::connect(&test_settings(url)).unwrap());
    Service::new(
        Ports {
            clock: Arc::clone(clock) as _,
            ..Ports::over(store)
        },
        Settings::default(),
    )
}

pub(crate) fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at(NOW))
}

/// Consumer settings for the test broker: plain TCP, a short session so
/// a group forms in about a second.
pub(crate) fn settings(broker: &Broker, topic: &str, group: &str) -> KafkaSettings {
    KafkaSettings {
        enabled: true,
        bootstrap_servers: broker.bootstrap(),
        topics: vec![topic.to_owned()],
        group_id: group.to_owned(),
        security_protocol: "plaintext".into(),
        batch_max_messages: 500,
        batch_max_ms: 100,
        session_timeout_ms: 6_000,
        ..KafkaSettings::default()
    }
}

/// Activity record `i`: a distinct event a day before [`NOW`], of one of
/// three citizens.
pub(crate) fn record(i: usize) -> Vec<u8> {
    let created = NOW.unix_timestamp() * 1000 - 86_400_000 + i as i64;
    activity_json(i, CITIZENS[i % CITIZENS.len()], created)
}

/// Runs `consumers` until `group` has committed every message of `topic`,
/// or panics after `within`; then stops them (each finishes its batch).
pub(crate) async fn consume_all(
    broker: &Broker,
    service: &Service,
    consumers: &[Consumer],
    group: &str,
    topic: &str,
    partitions: i32,
    within: Duration,
) {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let runs = consumers.iter().map(|c| {
        let mut stopped = stopped.clone();
        c.run(service, async move {
            let _ = stopped.wait_for(|s| *s).await;
        })
    });
    let watch = async {
        let deadline = Instant::now() + within;
        loop {
            if all_committed(broker, group, topic, partitions).await {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{group} did not commit all of {topic} within {within:?}; broker log:\n{}",
                broker.log()
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let _ = stop.send(true);
    };
    tokio::join!(futures_util::future::join_all(runs), watch);
}

/// Whether the group's committed offsets reached the end of every
/// partition (asked off the runtime: the broker client blocks).
pub(crate) async fn all_committed(
    broker: &Broker,
    group: &str,
    topic: &str,
    partitions: i32,
) -> bool {
    let (committed, end) = tokio::task::block_in_place(|| {
        (
            broker.committed_offsets(group, topic, partitions),
            broker.end_offsets(topic, partitions),
        )
    });
    committed == end
}

/// A consumer counting into stats of its own.
pub(crate) fn consumer(settings: &KafkaSettings) -> (Consumer, Arc<ConsumerStats>) {
    let stats = Arc::new(ConsumerStats::default());
    (
        Consumer::subscribe(settings, Arc::clone(&stats)).unwrap(),
        stats,
    )
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Login events stored, counted by PostgreSQL itself.
pub(crate) fn stored_logins(url: &str) -> i64 {
    count(url, "SELECT count(*) AS n FROM login_events")
}

/// Distinct correlation ids (one per produced record) among the stored
/// logins.
pub(crate) fn distinct_records(url: &str) -> i64 {
    count(
        url,
        "SELECT count(DISTINCT correlation_id) AS n FROM login_events",
    )
}

fn count(url: &str, sql: &str) -> i64 {
    let mut c = PgConnection::establish(url).unwrap();
    diesel::sql_query(sql)
        .get_result::<Count>(&mut c)
        .unwrap()
        .n
}

pub(crate) fn sum(stats: &[Arc<ConsumerStats>]) -> StatsSnapshot {
    stats.iter().fold(StatsSnapshot::default(), |mut a, s| {
        let s = s.snapshot();
        a.stored += s.stored;
        a.duplicates += s.duplicates;
        a.refused += s.refused;
        a.batches += s.batches;
        a.commits += s.commits;
        a.store_failures += s.store_failures;
        a
    })
}
