//! The frontier computes the same roots as the tree, one leaf at a time,
//! and survives a store's round trip of its peaks.

use innsyn_tlog::{EMPTY_ROOT, Frontier, FrontierError, leaf_hash, root};
use proptest::prelude::*;

use crate::rfc9162::{ROOTS, leaves};
use crate::support::hash;

#[test]
fn the_reference_roots_one_leaf_at_a_time() {
    let mut frontier = Frontier::new();
    assert_eq!(frontier.root(), EMPTY_ROOT);
    for (leaf, want) in leaves().into_iter().zip(ROOTS) {
        frontier.push(leaf);
        assert_eq!(frontier.root(), hash(want), "size {}", frontier.size());
    }
}

#[test]
fn peaks_that_do_not_fit_the_size_are_refused() {
    let peaks = vec![leaf_hash(b"a"), leaf_hash(b"b")];
    let want = FrontierError {
        size: 4,
        expected: 1,
        got: 2,
    };
    assert_eq!(Frontier::from_peaks(4, peaks.clone()), Err(want));
    assert!(Frontier::from_peaks(3, peaks).is_ok());
}

proptest! {
    #[test]
    fn every_prefix_root_matches_the_tree(entries in prop::collection::vec(any::<u16>(), 0..=64)) {
        let leaves: Vec<_> = entries.iter().map(|e| leaf_hash(&e.to_be_bytes())).collect();
        let mut frontier = Frontier::new();
        for (i, leaf) in leaves.iter().enumerate() {
            frontier.push(*leaf);
            prop_assert_eq!(frontier.root(), root(&leaves[..=i]));
            let restored = Frontier::from_peaks(frontier.size(), frontier.peaks().to_vec()).unwrap();
            prop_assert_eq!(&restored, &frontier);
        }
    }
}
