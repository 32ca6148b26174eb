//! Appends from several clients while the builder runs: the log stays
//! dense, holds each stored record once, and its root is the root of the
//! stored leaves.

use std::collections::HashSet;

use innsyn_tlog::root;

use super::{LoggedStores, build, leaf_hashes};
use crate::fixtures::{ORG_A, access, login, subject};

/// Four writers (two of logins, two of access records, each also re-sending
/// a batch) and a builder at the same time.
pub fn concurrent_appends_leave_a_dense_log<S: LoggedStores + ?Sized>(store: &S) {
    const BATCHES: u128 = 10;
    std::thread::scope(|s| {
        for writer in 0..2u32 {
            s.spawn(move || {
                let owner = subject(10 + writer);
                for b in 0..BATCHES {
                    let base = u128::from(writer) * 10_000 + b * 10;
                    let batch: Vec<_> = (0..10)
                        .map(|i| access(&owner, base + i, (base + i) as i64))
                        .collect();
                    store.append_access_records(&batch).unwrap();
                    store.append_access_records(&batch[..3]).unwrap();
                }
            });
            s.spawn(move || {
                let who = subject(20 + writer);
                for b in 0..BATCHES as i64 {
                    let batch: Vec<_> = (0..10)
                        .map(|i| login(&who, b * 10 + i, "svc", Some(ORG_A)))
                        .collect();
                    store.append_login_events(&batch).unwrap();
                    store.append_login_events(&batch[..3]).unwrap();
                }
            });
        }
        s.spawn(|| {
            for _ in 0..20 {
                store.extend_tree(7).unwrap();
            }
        });
    });
    let size = build(store, 50).last().unwrap().size;
    let stored = 4 * 10 * BATCHES as u64;
    assert_eq!(size, stored);
    let mut items = HashSet::new();
    let mut indexes = HashSet::new();
    for n in [10, 11, 20, 21] {
        for l in store.subject_leaves(&subject(n)).unwrap() {
            assert!(items.insert(l.item.clone()), "{:?} twice", l.item);
            assert!(indexes.insert(l.index.unwrap()));
        }
    }
    assert_eq!(indexes, (0..stored).collect());
    assert_eq!(
        store.tree_head().unwrap().root,
        root(&leaf_hashes(store, size))
    );
}
