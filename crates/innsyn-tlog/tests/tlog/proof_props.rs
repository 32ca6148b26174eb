//! Property tests over random trees: every proof the crate builds verifies,
//! and changing any byte of the proof, the leaf or a root makes it fail.

use innsyn_tlog::{
    Hash, consistency_proof, inclusion_proof, leaf_hash, root, verify_consistency, verify_inclusion,
};
use proptest::prelude::*;
use proptest::sample::Index;

use crate::support::flipped;

fn tree() -> impl Strategy<Value = Vec<Hash>> {
    prop::collection::vec(any::<u32>(), 1..=70).prop_map(|entries| {
        entries
            .iter()
            .map(|e| leaf_hash(&e.to_be_bytes()))
            .collect()
    })
}

/// Byte `at` of the concatenation of `hashes`, XORed with `mask`.
fn tampered(hashes: &[Hash], at: Index, mask: u8) -> Vec<Hash> {
    let flat = at.index(hashes.len() * 32);
    let mut out = hashes.to_vec();
    out[flat / 32] = flipped(&out[flat / 32], flat % 32, mask);
    out
}

proptest! {
    #[test]
    fn inclusion_proofs_verify_and_any_changed_byte_fails(
        leaves in tree(), pick in any::<Index>(), at in any::<Index>(), mask in 1u8..,
    ) {
        let (size, index) = (leaves.len() as u64, pick.index(leaves.len()) as u64);
        let (leaf, top) = (leaves[index as usize], root(&leaves));
        let proof = inclusion_proof(&leaves, index).unwrap();
        prop_assert_eq!(verify_inclusion(index, size, &leaf, &proof, &top), Ok(()));
        if !proof.is_empty() {
            let bad = tampered(&proof, at, mask);
            prop_assert!(verify_inclusion(index, size, &leaf, &bad, &top).is_err());
        }
        let (bad_leaf, bad_root) = (flipped(&leaf, at.index(32), mask), flipped(&top, at.index(32), mask));
        prop_assert!(verify_inclusion(index, size, &bad_leaf, &proof, &top).is_err());
        prop_assert!(verify_inclusion(index, size, &leaf, &proof, &bad_root).is_err());
    }

    #[test]
    fn consistency_proofs_verify_and_any_changed_byte_fails(
        leaves in tree(), pick in any::<Index>(), at in any::<Index>(), mask in 1u8..,
    ) {
        let (new, old) = (leaves.len() as u64, pick.index(leaves.len() + 1) as u64);
        let (r1, r2) = (root(&leaves[..old as usize]), root(&leaves));
        let proof = consistency_proof(&leaves, old).unwrap();
        prop_assert_eq!(verify_consistency(old, new, &r1, &r2, &proof), Ok(()));
        if !proof.is_empty() {
            let bad = tampered(&proof, at, mask);
            prop_assert!(verify_consistency(old, new, &r1, &r2, &bad).is_err());
        }
        let (bad1, bad2) = (flipped(&r1, at.index(32), mask), flipped(&r2, at.index(32), mask));
        prop_assert!(verify_consistency(old, new, &bad1, &r2, &proof).is_err());
        // The empty tree is a prefix of every tree: no new root is wrong for it.
        if old > 0 {
            prop_assert!(verify_consistency(old, new, &r1, &bad2, &proof).is_err());
        }
    }

    #[test]
    fn a_proof_for_one_leaf_does_not_prove_another(leaves in tree(), a in any::<Index>(), b in any::<Index>()) {
        let (i, j) = (a.index(leaves.len()), b.index(leaves.len()));
        prop_assume!(leaves[i] != leaves[j]);
        let proof = inclusion_proof(&leaves, i as u64).unwrap();
        let size = leaves.len() as u64;
        prop_assert!(verify_inclusion(i as u64, size, &leaves[j], &proof, &root(&leaves)).is_err());
    }
}
