//! What the log keeps: leaves past retention, and one checkpoint per size.

use innsyn_ports::StoredCheckpoint;
use innsyn_tlog::{inclusion_proof_in, nodes_for_inclusion, verify_inclusion};
use time::Duration;

use super::{LoggedStores, build, leaf_hashes};
use crate::fixtures::{NOW, ORG_A, access, login, subject};

/// Retention removes records but not their leaves: the tree, its root and
/// the proofs of the records that remain do not change.
pub fn retention_keeps_the_leaves<S: LoggedStores + ?Sized>(store: &S) {
    let alice = subject(1);
    let days = |d: i64| d * 24 * 60;
    store
        .append_access_records(&[access(&alice, 1, days(400)), access(&alice, 2, days(1))])
        .unwrap();
    store
        .append_login_events(&[login(&alice, days(400), "svc", Some(ORG_A))])
        .unwrap();
    let before = *build(store, 100).last().unwrap();
    let hashes = leaf_hashes(store, before.size);
    let removed = store
        .apply_retention(NOW - Duration::days(90), 1_000)
        .unwrap();
    assert_eq!((removed.access_records, removed.login_events), (1, 1));
    assert_eq!(store.extend_tree(100).unwrap(), before);
    assert_eq!(leaf_hashes(store, before.size), hashes);
    // The remaining record still finds its leaf; the removed ones' leaves
    // stay in the tree (above) but are no longer the subject's to export.
    let left = store.subject_leaves(&alice).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(
        left[0].item,
        innsyn_domain::disputes::ItemRef::Access(uuid::Uuid::from_u128(2))
    );
    for (i, leaf) in hashes.iter().enumerate() {
        let i = i as u64;
        let nodes = store
            .log_nodes(&nodes_for_inclusion(i, before.size))
            .unwrap();
        let proof = inclusion_proof_in(&nodes, i, before.size).unwrap();
        verify_inclusion(i, before.size, leaf, &proof, &before.root).unwrap();
    }
}

/// Checkpoints are kept per size; the first of a size stays.
pub fn checkpoints_are_kept_per_size<S: LoggedStores + ?Sized>(store: &S) {
    assert_eq!(store.latest_checkpoint().unwrap(), None);
    let cp = |size: u64, note: &str| StoredCheckpoint {
        size,
        note: note.into(),
    };
    store.save_checkpoint(&cp(3, "three\n")).unwrap();
    store.save_checkpoint(&cp(10, "ten\n")).unwrap();
    store.save_checkpoint(&cp(3, "another three\n")).unwrap();
    assert_eq!(store.latest_checkpoint().unwrap(), Some(cp(10, "ten\n")));
    assert_eq!(store.checkpoint(3).unwrap(), Some(cp(3, "three\n")));
    assert_eq!(store.checkpoint(4).unwrap(), None);
}
