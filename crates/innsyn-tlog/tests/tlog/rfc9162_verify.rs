//! Verification of the reference vectors, and of the corruptions
//! transparency-dev/merkle's `proof/verify_test.go` probes each of them with
//! (wrong index or size, wrong leaf or root, hashes added, removed, changed).

use innsyn_tlog::{EMPTY_ROOT, Hash, VerifyError, leaf_hash, verify_consistency, verify_inclusion};

use crate::rfc9162::{CONSISTENCY, INCLUSION, ROOTS, leaves};
use crate::support::{flipped, hash};

const SOME_HASH: &str = "abacaba000000000000000000000000000000000000000000060061e00123456";

fn proof(hex: &[&str]) -> Vec<Hash> {
    hex.iter().map(|h| hash(h)).collect()
}

/// The proof with hashes added or removed, or one bit flipped per element.
fn mangled(proof: &[Hash], extra: &[Hash]) -> Vec<Vec<Hash>> {
    let mut out = Vec::new();
    for e in extra {
        out.push([proof, &[*e]].concat());
        out.push([&[*e][..], proof].concat());
    }
    if let Some((_, shorter)) = proof.split_last() {
        out.push(shorter.to_vec());
    }
    for i in 0..proof.len() {
        let mut changed = proof.to_vec();
        changed[i] = flipped(&changed[i], 0, 8);
        out.push(changed);
    }
    out
}

#[test]
fn published_inclusion_proofs_verify_and_their_corruptions_do_not() {
    let leaves = leaves();
    for (index, size, hex) in INCLUSION {
        let (leaf, root, p) = (
            leaves[index as usize],
            hash(ROOTS[size as usize - 1]),
            proof(hex),
        );
        verify_inclusion(index, size, &leaf, &p, &root).unwrap();
        let wrong_place = [
            (index.wrapping_sub(1), size),
            (index + 1, size),
            (index ^ 2, size),
        ];
        let wrong_size = [(index, size * 2), (index, size / 2)];
        for (i, s) in wrong_place.into_iter().chain(wrong_size) {
            assert!(
                verify_inclusion(i, s, &leaf, &p, &root).is_err(),
                "{index}/{size} as {i}/{s}"
            );
        }
        let wrong_leaf = leaf_hash(b"WrongLeaf");
        assert!(verify_inclusion(index, size, &wrong_leaf, &p, &root).is_err());
        for wrong_root in [EMPTY_ROOT, hash(SOME_HASH)] {
            assert!(verify_inclusion(index, size, &leaf, &p, &wrong_root).is_err());
        }
        for bad in mangled(&p, &[root, hash(SOME_HASH)]) {
            assert!(
                verify_inclusion(index, size, &leaf, &bad, &root).is_err(),
                "{index}/{size}"
            );
        }
    }
}

#[test]
fn published_consistency_proofs_verify_and_their_corruptions_do_not() {
    for (old, new, hex) in CONSISTENCY {
        let (r1, r2, p) = (
            hash(ROOTS[old as usize - 1]),
            hash(ROOTS[new as usize - 1]),
            proof(hex),
        );
        verify_consistency(old, new, &r1, &r2, &p).unwrap();
        if p.is_empty() {
            continue; // old == new: nothing to corrupt but the roots, below
        }
        let sizes = [
            (old - 1, new),
            (old + 1, new),
            (old ^ 2, new),
            (old, new * 2),
            (old, new / 2),
        ];
        for (o, n) in sizes {
            assert!(
                verify_consistency(o, n, &r1, &r2, &p).is_err(),
                "{old}->{new} as {o}->{n}"
            );
        }
        let wrong = hash(SOME_HASH);
        for (a, b) in [(wrong, r2), (r1, wrong), (r2, r1)] {
            assert!(
                verify_consistency(old, new, &a, &b, &p).is_err(),
                "{old}->{new} roots"
            );
        }
        assert_eq!(
            verify_consistency(old, new, &r1, &r2, &[]),
            Err(VerifyError::ProofTooShort)
        );
        for bad in mangled(&p, &[r1, r2, p[0]]) {
            assert!(
                verify_consistency(old, new, &r1, &r2, &bad).is_err(),
                "{old}->{new}"
            );
        }
    }
}

#[test]
fn trivial_consistency_needs_an_empty_proof_and_matching_roots() {
    let (r1, r2) = (hash(ROOTS[0]), hash(ROOTS[1]));
    verify_consistency(0, 0, &EMPTY_ROOT, &EMPTY_ROOT, &[]).unwrap();
    verify_consistency(0, 5, &EMPTY_ROOT, &r2, &[]).unwrap();
    verify_consistency(1, 1, &r1, &r1, &[]).unwrap();
    // Unlike the Go reference, the empty tree's root must be the empty root.
    assert_eq!(
        verify_consistency(0, 1, &r1, &r2, &[]),
        Err(VerifyError::OldRootMismatch)
    );
    assert_eq!(
        verify_consistency(1, 1, &r1, &r2, &[]),
        Err(VerifyError::RootMismatch)
    );
    assert_eq!(
        verify_consistency(1, 1, &r1, &r1, &[EMPTY_ROOT]),
        Err(VerifyError::ProofTooLong)
    );
    assert_eq!(
        verify_consistency(2, 1, &r1, &r2, &[]),
        Err(VerifyError::SizesOutOfOrder {
            old_size: 2,
            new_size: 1
        })
    );
    assert_eq!(
        verify_inclusion(1, 1, &r1, &[], &r1),
        Err(VerifyError::IndexOutOfRange { index: 1, size: 1 })
    );
}
