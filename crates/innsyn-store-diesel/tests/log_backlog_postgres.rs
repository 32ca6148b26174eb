//! The builder works through a large backlog at the pace of its own batch
//! size: a step's cost grows with the step, not with the table, also on a
//! connection that has run it many times while the log was small.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use innsyn_ports::{HistoryStore, LogStore};
use innsyn_store_contract::fixtures::{access, subject};
use innsyn_store_diesel::Store;
use innsyn_store_diesel::StoreSettings;
use innsyn_store_diesel::test_support::{fresh_postgres_url, test_settings};

const BACKLOG: u64 = 200_000;

#[test]
fn a_backlog_is_indexed_step_by_step_on_a_warm_connection() {
    let db = fresh_postgres_url();
    // One connection: every step runs where the earlier ones ran.
    let store = Store::connect(&StoreSettings {
        pool_size: 1,
        ..test_settings(db.url())
    })
    .unwrap();
    let alice = subject(1);
    for i in 0..10 {
        store
            .append_access_records(&[access(&alice, i, 5)])
            .unwrap();
        store.extend_tree(100).unwrap();
    }
    store
        .execute_raw(&format!(
            "SET statement_timeout = 0;
             INSERT INTO log_leaves (leaf_hash)
             SELECT sha256(n::text::bytea) FROM generate_series(1, {BACKLOG}) AS n;
             RESET statement_timeout"
        ))
        .unwrap();
    let mut size = store.tree_head().unwrap().size;
    assert_eq!(size, 10);
    while size < 10 + BACKLOG {
        let started = Instant::now();
        let next = store.extend_tree(10_000).unwrap().size;
        assert_eq!(next, (size + 10_000).min(10 + BACKLOG));
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "a step of 10,000 leaves took {:?}",
            started.elapsed()
        );
        size = next;
    }
}
