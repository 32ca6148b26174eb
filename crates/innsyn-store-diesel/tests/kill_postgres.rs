//! The database goes away mid-run: the store answers `Unavailable` within
//! the connection timeout (never hangs or panics), and once the database is
//! back the same store works again. Runs its own throwaway cluster.

use std::time::{Duration, Instant};

use innsyn_domain::SubjectId;
use innsyn_ports::{HistoryStore, StoreError};
use innsyn_store_diesel::test_support::{TempCluster, test_settings};
use innsyn_store_diesel::{Store, StoreSettings};

#[test]
fn database_loss_is_unavailable_and_the_pool_recovers() {
    let cluster = TempCluster::start();
    let settings = StoreSettings {
        connect_timeout_secs: 2,
        pool_size: 3,
        ..test_settings(&cluster.url())
    };
    let store = Store::connect(&settings).unwrap();
    store.migrate().unwrap();
    let who = SubjectId::parse("01010000001").unwrap();
    assert!(!store.owner_exists(&who).unwrap());
    store.ping().unwrap();

    cluster.kill_server();
    for _ in 0..3 {
        let started = Instant::now();
        let err = store.owner_exists(&who).unwrap_err();
        assert!(
            matches!(err, StoreError::Unavailable(_)),
            "expected Unavailable, got {err:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "took {:?}",
            started.elapsed()
        );
        assert!(matches!(store.ping(), Err(StoreError::Unavailable(_))));
    }

    cluster.start_server();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match store.owner_exists(&who) {
            Ok(found) => {
                assert!(!found);
                break;
            }
            Err(StoreError::Unavailable(_)) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => panic!("the store did not recover: {e:?}"),
        }
    }
    store.ping().unwrap();
}

#[test]
fn statement_timeout_is_unavailable() {
    let db = innsyn_store_diesel::test_support::fresh_postgres_url();
    let store = Store::connect(&StoreSettings {
        statement_timeout_ms: 100,
        ..test_settings(db.url())
    })
    .unwrap();
    let err = store.execute_raw("SELECT pg_sleep(2)").unwrap_err();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    store.ping().unwrap();
}

#[test]
fn an_exhausted_pool_is_unavailable_not_a_hang() {
    let db = innsyn_store_diesel::test_support::fresh_postgres_url();
    let store = std::sync::Arc::new(
        Store::connect(&StoreSettings {
            pool_size: 1,
            connect_timeout_secs: 1,
            ..test_settings(db.url())
        })
        .unwrap(),
    );
    let busy = {
        let store = store.clone();
        std::thread::spawn(move || store.execute_raw("SELECT pg_sleep(3)"))
    };
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let err = store.ping().unwrap_err();
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    busy.join().unwrap().unwrap();
    store.ping().unwrap();
}
