//! Proofs over stored nodes equal the proofs over all leaves, read exactly
//! the nodes they name, and need only what a growing Frontier stored.

use std::collections::HashMap;

use innsyn_tlog::{
    Frontier, Hash, NodeId, ProveError, consistency_proof, consistency_proof_in, inclusion_proof,
    inclusion_proof_in, leaf_hash, nodes_for_consistency, nodes_for_inclusion, nodes_for_root,
    root, root_in,
};
use proptest::prelude::*;

/// Every complete node of the tree, as a store keeps it: leaves at level
/// 0, interior nodes as the Frontier completed them.
fn stored(leaves: &[Hash]) -> HashMap<NodeId, Hash> {
    let mut nodes = HashMap::new();
    let mut f = Frontier::new();
    for (i, l) in leaves.iter().enumerate() {
        nodes.insert(NodeId::new(0, i as u64), *l);
        f.push_completing(*l, |id, h| {
            nodes.insert(id, h);
        });
    }
    nodes
}

/// Only the named nodes: what one query of the store returns.
fn only(all: &HashMap<NodeId, Hash>, ids: &[NodeId]) -> HashMap<NodeId, Hash> {
    ids.iter().map(|id| (*id, all[id])).collect()
}

fn leaves(n: u64) -> Vec<Hash> {
    (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect()
}

proptest! {
    #[test]
    fn stored_proofs_equal_proofs_over_all_leaves(
        n in 1u64..=300, a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>(),
    ) {
        let leaves = leaves(n);
        let all = stored(&leaves);
        let (index, old) = (a.index(n as usize) as u64, b.index(n as usize + 1) as u64);
        let nodes = only(&all, &nodes_for_root(n));
        prop_assert_eq!(root_in(&nodes, n).unwrap(), root(&leaves));
        let nodes = only(&all, &nodes_for_inclusion(index, n));
        prop_assert_eq!(
            inclusion_proof_in(&nodes, index, n).unwrap(),
            inclusion_proof(&leaves, index).unwrap()
        );
        let nodes = only(&all, &nodes_for_consistency(old, n));
        prop_assert_eq!(
            consistency_proof_in(&nodes, old, n).unwrap(),
            consistency_proof(&leaves, old).unwrap()
        );
    }
}

#[test]
fn a_proof_reads_logarithmically_many_nodes() {
    let size = (1u64 << 40) + 12_345;
    assert!(nodes_for_inclusion(1 << 39, size).len() <= 2 * 41);
    assert!(nodes_for_consistency(1_000_001, size).len() <= 2 * 41);
    assert_eq!(nodes_for_root(size).len(), size.count_ones() as usize);
}

#[test]
fn a_node_the_store_lacks_is_named() {
    let all = stored(&leaves(5));
    let mut nodes = only(&all, &nodes_for_inclusion(0, 5));
    nodes.remove(&NodeId::new(0, 4));
    assert_eq!(
        inclusion_proof_in(&nodes, 0, 5),
        Err(ProveError::MissingNode { level: 0, index: 4 })
    );
    assert_eq!(
        inclusion_proof_in(&nodes, 5, 5),
        Err(ProveError::IndexOutOfRange { index: 5, size: 5 })
    );
}

#[test]
fn the_frontier_names_each_node_it_completes() {
    let leaves = leaves(4);
    let mut seen = Vec::new();
    let mut f = Frontier::new();
    for l in &leaves {
        f.push_completing(*l, |id, _| seen.push(id));
    }
    assert_eq!(
        seen,
        [NodeId::new(1, 0), NodeId::new(1, 1), NodeId::new(2, 0)]
    );
    assert_eq!(f.root(), root(&leaves));
}
