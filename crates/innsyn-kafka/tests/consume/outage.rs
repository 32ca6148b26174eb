//! PostgreSQL killed (SIGKILL of its own throwaway cluster) while the
//! consumer works: it waits, retries, is not ready meanwhile, and once the
//! database is back stores every message exactly once, nothing committed
//! that was not durable.

use std::sync::Arc;
use std::time::{Duration, Instant};

use innsyn_app::{Ports, Service, Settings};
use innsyn_store_diesel::Store;
use innsyn_store_diesel::test_support::{TempCluster, test_settings};
use innsyn_test_support::kafka::Broker;

use super::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_pauses_the_consumer_and_it_resumes_by_itself() {
    let broker = Broker::start();
    broker.create_topic("outage", 3);
    let cluster = TempCluster::start();
    let url = cluster.url();
    let store = Store::connect(&test_settings(&url)).unwrap();
    store.migrate().unwrap();
    let service = Service::new(
        Ports {
            clock: clock() as _,
            ..Ports::over(Arc::new(store))
        },
        Settings {
            // A store call fails fast while the database is gone.
            store_queue_timeout: Duration::from_secs(1),
            store_call_timeout: Duration::from_secs(2),
            ..Settings::default()
        },
    );
    let first: Vec<Vec<u8>> = (0..1_000).map(record).collect();
    broker.produce_round_robin("outage", &first, 3);
    let (consumer, stats) = consumer(&settings(&broker, "outage", "outage-group"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let run = consumer.run(&service, async {
        let _ = stopped.await;
    });
    let script = async {
        wait_for("the first batches", Duration::from_secs(30), || {
            stats.snapshot().stored > 0
        })
        .await;
        tokio::task::block_in_place(|| cluster.kill_server());
        let second: Vec<Vec<u8>> = (1_000..2_000).map(record).collect();
        tokio::task::block_in_place(|| broker.produce_round_robin("outage", &second, 3));
        wait_for("a failed store attempt", Duration::from_secs(30), || {
            stats.snapshot().store_failures > 0
        })
        .await;
        assert!(!stats.ready(), "not ready while the database is down");
        // While it waits, no offset moves past what is durable.
        let committed =
            tokio::task::block_in_place(|| broker.committed_offsets("outage-group", "outage", 3));
        let durable = stats.snapshot().stored;
        let committed_total: i64 = committed.iter().map(|o| (*o).max(0)).sum();
        assert!(
            committed_total <= i64::try_from(durable).unwrap(),
            "committed {committed_total} with {durable} durable"
        );
        tokio::time::sleep(Duration::from_secs(2)).await;
        tokio::task::block_in_place(|| cluster.start_server());
        let deadline = Instant::now() + Duration::from_secs(90);
        while !all_committed(&broker, "outage-group", "outage", 3).await {
            assert!(
                Instant::now() < deadline,
                "not resumed; broker log:\n{}",
                broker.log()
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let _ = stop.send(());
    };
    tokio::join!(run, script);
    assert_eq!(stored_logins(&url), 2_000);
    assert_eq!(distinct_records(&url), 2_000);
    assert!(stats.ready(), "ready again");
}

async fn wait_for(what: &str, within: Duration, done: impl Fn() -> bool) {
    let deadline = Instant::now() + within;
    while !done() {
        assert!(Instant::now() < deadline, "{what}: not within {within:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
