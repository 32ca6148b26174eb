//! The database goes away mid-run: the store answers `Unavailable` within
//! the connection timeout (never hangs or panics), and once the database is
//! back the same store works again. Runs its own throwaway cluster.

use std::time::{Duration, Instant};

use innsyn_domain::{AccessHistoryParams, AccessHistoryQuery, SubjectId, Zone};
use innsyn_ports::{AccessHistoryAnswer, HistoryStore, StoreError};
use innsyn_store_diesel::test_support::{PgTestDb, TempCluster, fresh_postgres_url, test_settings};
use innsyn_store_diesel::{Store, StoreSettings};

/// One seed-2 read: whether the store has seen `who` (a round trip on one
/// pooled connection, as every request makes).
fn owner_known(store: &Store, who: &SubjectId) -> Result<bool, StoreError> {
    let q = AccessHistoryQuery::build(
        who.clone(),
        &AccessHistoryParams::default(),
        time::OffsetDateTime::now_utc(),
        Zone::oslo(),
    )
    .map_err(|e| StoreError::Internal(format!("{e:?}")))?;
    Ok(!matches!(
        store.access_history(&q)?,
        AccessHistoryAnswer::UnknownOwner
    ))
}

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
    let who = SubjectId::parse(innsyn_domain::identity::CITIZEN_A).unwrap();
    assert!(!owner_known(&store, &who).unwrap());
    store.ping().unwrap();

    cluster.kill_server();
    // The server refuses connections at once, so no call waits for the
    // two-second connection timeout.
    for _ in 0..3 {
        let started = Instant::now();
        let err = owner_known(&store, &who).unwrap_err();
        assert!(
            matches!(err, StoreError::Unavailable(_)),
            "expected Unavailable, got {err:?}"
        );
        assert!(matches!(store.ping(), Err(StoreError::Unavailable(_))));
        assert!(
            started.elapsed() < Duration::from_millis(1000),
            "two calls took {:?}",
            started.elapsed()
        );
    }

    cluster.start_server();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match owner_known(&store, &who) {
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

/// A fresh database, a store on it with one pooled connection, and a
/// second store (connected already) to act on the first one's backend.
fn one_connection_store_and_admin() -> Result<(PgTestDb, Store, Store), StoreError> {
    let db = fresh_postgres_url();
    let store = Store::connect(&StoreSettings {
        pool_size: 1,
        ..test_settings(db.url())
    })?;
    let admin = Store::connect(&test_settings(db.url()))?;
    admin.ping()?;
    Ok((db, store, admin))
}

/// Ends every other backend of the store's database and waits until they
/// are gone (PostgreSQL 14+: `pg_terminate_backend(pid, timeout)`).
fn terminate_other_backends(admin: &Store) -> Result<(), StoreError> {
    admin.execute_raw(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
}

#[test]
fn a_connection_whose_backend_died_is_discarded_not_reused() {
    let (_db, store, admin) = one_connection_store_and_admin().unwrap();
    let who = SubjectId::parse(innsyn_domain::identity::CITIZEN_A).unwrap();

    assert!(!owner_known(&store, &who).unwrap());
    let returned = Instant::now();
    terminate_other_backends(&admin).unwrap();
    // Back in the pool moments ago, the connection is handed out without a
    // ping (the hot path), so this call meets the dead backend...
    let first = owner_known(&store, &who);
    if returned.elapsed() < Duration::from_millis(300) {
        assert!(
            matches!(first, Err(StoreError::Unavailable(_))),
            "expected Unavailable, got {first:?}"
        );
    } else {
        // A very slow machine: the trust window passed and the pool pinged.
        assert!(
            matches!(first, Ok(false) | Err(StoreError::Unavailable(_))),
            "{first:?}"
        );
    }
    // ...and the pool drops it instead of handing it out again.
    assert!(!owner_known(&store, &who).unwrap());
    assert!(!owner_known(&store, &who).unwrap());
}

#[test]
fn an_idle_connection_is_pinged_before_use() {
    let (_db, store, admin) = one_connection_store_and_admin().unwrap();
    let who = SubjectId::parse(innsyn_domain::identity::CITIZEN_A).unwrap();

    assert!(!owner_known(&store, &who).unwrap());
    terminate_other_backends(&admin).unwrap();
    // Idle past the trust window: the pool pings, finds the backend gone
    // and opens a new connection, so no request sees the failure.
    std::thread::sleep(Duration::from_millis(700));
    assert!(!owner_known(&store, &who).unwrap());
}
