//! The log: every stored record writes one leaf, the builder indexes the
//! leaves densely, a leaf commits to the record exactly as it is read
//! back, proofs from the stored nodes verify, and retention keeps leaves.

use std::collections::HashMap;

use innsyn_domain::SubjectId;
use innsyn_domain::disputes::ItemRef;
use innsyn_ports::{HistoryStore, LogStore, SubjectLeaf, TreeHead};
use innsyn_tlog::{
    Hash, NodeId, consistency_proof_in, inclusion_proof_in, nodes_for_consistency,
    nodes_for_inclusion, root, verify_consistency, verify_inclusion,
};

mod concurrent;
mod kept;

pub use concurrent::*;
pub use kept::*;

use super::page;
use crate::fixtures::{ORG_A, access, access_query, citizen_query, login, wide};

/// A store of both ports over one database: records and their leaves are
/// written together.
pub trait LoggedStores: HistoryStore + LogStore {}
impl<S: HistoryStore + LogStore + ?Sized> LoggedStores for S {}

/// Builds the whole tree, in steps of `step` leaves; the heads on the way.
fn build<S: LoggedStores + ?Sized>(store: &S, step: u32) -> Vec<TreeHead> {
    let mut heads = vec![store.tree_head().unwrap()];
    loop {
        let head = store.extend_tree(step).unwrap();
        if head == *heads.last().unwrap() {
            return heads;
        }
        heads.push(head);
    }
}

/// The leaf hashes `0..size`, as the store holds them.
fn leaf_hashes<S: LoggedStores + ?Sized>(store: &S, size: u64) -> Vec<Hash> {
    let ids: Vec<NodeId> = (0..size).map(|i| NodeId::new(0, i)).collect();
    let nodes = store.log_nodes(&ids).unwrap();
    ids.iter().map(|id| nodes[id]).collect()
}

/// The leaf hash of each of `subject`'s records, recomputed from what the
/// store reads back: the login history and the access history.
fn recomputed<S: LoggedStores + ?Sized>(
    store: &S,
    subject: &SubjectId,
    leaves: &[SubjectLeaf],
) -> HashMap<ItemRef, Hash> {
    let key = |item: &ItemRef| -> Vec<u8> {
        leaves
            .iter()
            .find(|l| l.item == *item)
            .map(|l| l.subject_key.clone())
            .unwrap_or_else(|| panic!("no leaf for {item:?}"))
    };
    let mut out = HashMap::new();
    for e in store.login_history(&citizen_query(subject)).unwrap() {
        let item = ItemRef::Login(e.key.clone());
        out.insert(item.clone(), e.log_entry(&key(&item)).leaf_hash());
    }
    for e in page(store, &access_query(subject, wide())).entries {
        let item = ItemRef::Access(e.id);
        out.insert(item.clone(), e.log_entry(&key(&item)).leaf_hash());
    }
    out
}

/// Each new record writes one pending leaf; duplicates and conflicts none;
/// the builder then gives them dense indexes in steps.
pub fn every_stored_record_writes_one_leaf<S: LoggedStores + ?Sized>(store: &S) {
    let alice = crate::fixtures::subject(1);
    let first = login(&alice, 30, "svc", Some(ORG_A));
    store
        .append_login_events(&[first.clone(), login(&alice, 20, "svc", Some(ORG_A))])
        .unwrap();
    store.append_login_events(&[first]).unwrap();
    let mut changed = access(&alice, 7, 5);
    store
        .append_access_records(&[access(&alice, 7, 5), access(&alice, 8, 6)])
        .unwrap();
    changed.purpose = "another".into();
    store.append_access_records(&[changed]).unwrap();
    let leaves = store.subject_leaves(&alice).unwrap();
    assert_eq!(leaves.len(), 4, "{leaves:?}");
    assert!(
        leaves.iter().all(|l| l.index.is_none()),
        "pending: {leaves:?}"
    );
    let heads = build(store, 3);
    let sizes: Vec<u64> = heads.iter().map(|h| h.size).collect();
    assert_eq!(sizes, [0, 3, 4]);
    let mut indexes: Vec<u64> = store
        .subject_leaves(&alice)
        .unwrap()
        .iter()
        .map(|l| l.index.unwrap())
        .collect();
    indexes.sort_unstable();
    assert_eq!(indexes, [0, 1, 2, 3]);
    assert_eq!(heads[2].root, root(&leaf_hashes(store, 4)));
}

/// A leaf commits to its record exactly as the store reads it back, so a
/// citizen can recompute it from their export.
pub fn a_leaf_commits_to_the_record_as_read_back<S: LoggedStores + ?Sized>(store: &S) {
    let alice = crate::fixtures::subject(1);
    let mut owned = login(&alice, 30, "svc", None);
    owned.service_owner.orgno = Some(crate::fixtures::org(ORG_A));
    owned.method = None;
    store
        .append_login_events(&[owned, login(&alice, 20, "other", Some(ORG_A))])
        .unwrap();
    let mut urn = access(&alice, 9, 5);
    urn.resource_urn = Some("urn:altinn:resource:æøå".into());
    urn.orgno = Some(crate::fixtures::org(ORG_A));
    store
        .append_access_records(&[urn, access(&alice, 10, 6)])
        .unwrap();
    let size = build(store, 100).last().unwrap().size;
    let stored = leaf_hashes(store, size);
    let leaves = store.subject_leaves(&alice).unwrap();
    let want = recomputed(store, &alice, &leaves);
    assert_eq!(want.len(), 4);
    for l in &leaves {
        let index = l.index.unwrap() as usize;
        assert_eq!(stored[index], want[&l.item], "leaf {index} of {:?}", l.item);
    }
}

/// Inclusion proofs from the stored nodes verify against each head, and
/// each head is consistent with every earlier one.
pub fn proofs_from_stored_nodes_verify<S: LoggedStores + ?Sized>(store: &S) {
    let alice = crate::fixtures::subject(1);
    let records: Vec<_> = (0..13).map(|i| access(&alice, 100 + i, i as i64)).collect();
    store.append_access_records(&records).unwrap();
    let heads = build(store, 5);
    let last = *heads.last().unwrap();
    assert_eq!(last.size, 13);
    let hashes = leaf_hashes(store, last.size);
    for (i, leaf) in hashes.iter().enumerate() {
        let i = i as u64;
        let nodes = store.log_nodes(&nodes_for_inclusion(i, last.size)).unwrap();
        let proof = inclusion_proof_in(&nodes, i, last.size).unwrap();
        verify_inclusion(i, last.size, leaf, &proof, &last.root).unwrap();
    }
    for old in &heads {
        let nodes = store
            .log_nodes(&nodes_for_consistency(old.size, last.size))
            .unwrap();
        let proof = consistency_proof_in(&nodes, old.size, last.size).unwrap();
        verify_consistency(old.size, last.size, &old.root, &last.root, &proof).unwrap();
    }
}
