//! PostgreSQL killed (SIGKILL, its own throwaway cluster) while four
//! writers append and the builder indexes: after the restart every stored
//! record has exactly one leaf and every leaf a stored record, the indexes
//! are dense, and the tree's root is the root of the stored leaves.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use innsyn_domain::disputes::ItemRef;
use innsyn_ports::{AccessHistoryAnswer, HistoryStore, LogStore};
use innsyn_store_contract::fixtures::{
    ORG_A, access, access_query, citizen_query, login, subject, wide,
};
use innsyn_store_diesel::test_support::{TempCluster, test_settings};
use innsyn_store_diesel::{Store, StoreSettings};
use innsyn_tlog::{NodeId, root};

/// Appends batches of 5 until `stop` (at most 150), noting in `failed`
/// that the kill cut one off.
fn write(store: &Store, writer: u32, stop: &AtomicBool, failed: &AtomicBool) {
    let owner = subject(10 + writer);
    let mut b = 0i64;
    while !stop.load(Ordering::Relaxed) && b < 150 {
        let base = u128::from(writer) * 100_000 + (b as u128) * 5;
        let done = match writer % 2 {
            0 => store.append_access_records(
                &(0..5)
                    .map(|i| access(&owner, base + i, (base + i) as i64 % 40_000 + 1))
                    .collect::<Vec<_>>(),
            ),
            _ => store.append_login_events(
                &(0..5)
                    .map(|i| login(&owner, b * 5 + i, "svc", Some(ORG_A)))
                    .collect::<Vec<_>>(),
            ),
        };
        if done.is_err() {
            failed.store(true, Ordering::Relaxed);
        }
        b += 1;
    }
}

/// Every item `owner` has a stored record of, as read back.
fn records(store: &Store, n: u32) -> HashSet<ItemRef> {
    let owner = subject(10 + n);
    let mut logins = citizen_query(&owner);
    logins.max_hits = 1_000;
    let mut out: HashSet<ItemRef> = store
        .login_history(&logins)
        .unwrap()
        .into_iter()
        .map(|e| ItemRef::Login(e.key))
        .collect();
    let mut q = access_query(&owner, wide());
    q.page.count = 1_000;
    if let AccessHistoryAnswer::Page(p) = store.access_history(&q).unwrap() {
        out.extend(p.entries.into_iter().map(|e| ItemRef::Access(e.id)));
    }
    out
}

#[test]
fn a_kill_mid_batch_leaves_records_and_leaves_one_to_one() {
    let cluster = TempCluster::start();
    let settings = StoreSettings {
        connect_timeout_secs: 2,
        pool_size: 6,
        ..test_settings(&cluster.url())
    };
    let store = Store::connect(&settings).unwrap();
    store.migrate().unwrap();
    let (stop, failed) = (AtomicBool::new(false), AtomicBool::new(false));
    std::thread::scope(|s| {
        for w in 0..4 {
            let (store, stop, failed) = (&store, &stop, &failed);
            s.spawn(move || write(store, w, stop, failed));
        }
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                let _ = store.extend_tree(7);
            }
        });
        std::thread::sleep(Duration::from_millis(150));
        cluster.kill_server();
        std::thread::sleep(Duration::from_millis(100));
        stop.store(true, Ordering::Relaxed);
    });
    assert!(
        failed.load(Ordering::Relaxed),
        "the kill came after every batch"
    );
    cluster.start_server();
    let deadline = Instant::now() + Duration::from_secs(30);
    while store.ping().is_err() {
        assert!(Instant::now() < deadline, "PostgreSQL did not come back");
        std::thread::sleep(Duration::from_millis(200));
    }

    let mut size = store.tree_head().unwrap().size;
    loop {
        let next = store.extend_tree(50).unwrap().size;
        if next == size {
            break;
        }
        size = next;
    }
    let mut indexes = HashSet::new();
    let mut stored = 0;
    for n in 0..4 {
        let leaves = store.subject_leaves(&subject(10 + n)).unwrap();
        let items: HashSet<ItemRef> = leaves.iter().map(|l| l.item.clone()).collect();
        assert_eq!(items.len(), leaves.len(), "a record with two leaves");
        assert_eq!(
            items,
            records(&store, n),
            "writer {n}: leaves and records differ"
        );
        indexes.extend(leaves.iter().map(|l| l.index.unwrap()));
        stored += leaves.len() as u64;
    }
    assert!(stored > 0, "nothing was stored before the kill");
    assert_eq!(
        indexes,
        (0..size).collect::<HashSet<_>>(),
        "indexes not dense"
    );
    let ids: Vec<NodeId> = (0..size).map(|i| NodeId::new(0, i)).collect();
    let nodes = store.log_nodes(&ids).unwrap();
    let hashes: Vec<_> = ids.iter().map(|id| nodes[id]).collect();
    assert_eq!(store.tree_head().unwrap().root, root(&hashes));
}
