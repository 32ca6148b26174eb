//! Consistency proofs: RFC 9162 §2.1.4.1 (generation) and §2.1.4.2
//! (verification). A citizen who kept an older checkpoint uses one to see
//! that the newer tree only appended to it: no entry was changed or removed.

use crate::hash::{EMPTY_ROOT, Hash, node_hash};
use crate::proof_error::{ProveError, VerifyError};
use crate::tree::{root, split_len};
use crate::walk::Walk;

/// The proof that the first `old_size` leaves of `leaves` form a prefix of
/// the whole tree (RFC 9162 `PROOF`). Empty when `old_size` is 0 or the
/// whole tree, where nothing needs proving.
///
/// # Errors
/// [`ProveError::OldSizeOutOfRange`] when `old_size` exceeds the tree.
pub fn consistency_proof(leaves: &[Hash], old_size: u64) -> Result<Vec<Hash>, ProveError> {
    let size = leaves.len() as u64;
    let Some(m) = usize::try_from(old_size)
        .ok()
        .filter(|m| *m <= leaves.len())
    else {
        return Err(ProveError::OldSizeOutOfRange { old_size, size });
    };
    let mut proof = Vec::new();
    if m > 0 && m < leaves.len() {
        subproof(m, leaves, true, &mut proof);
    }
    Ok(proof)
}

// SUBPROOF(m, D[n], b): `complete` is the RFC's b, true while the old tree's
// root is itself a node of this subtree, so the verifier already holds it.
fn subproof(m: usize, leaves: &[Hash], complete: bool, proof: &mut Vec<Hash>) {
    if m == leaves.len() {
        if !complete {
            proof.push(root(leaves));
        }
        return;
    }
    let k = split_len(leaves.len());
    let (left, right) = leaves.split_at(k);
    if m <= k {
        subproof(m, left, complete, proof);
        proof.push(root(right));
    } else {
        subproof(m - k, right, false, proof);
        proof.push(root(left));
    }
}

/// Checks that the tree of `old_size` leaves with root `old_root` is a
/// prefix of the tree of `new_size` leaves with root `new_root`.
///
/// From size 0, or between equal sizes, the proof must be empty; the empty
/// tree's root must then be [`EMPTY_ROOT`] and equal sizes need equal roots.
///
/// # Errors
/// The [`VerifyError`] saying why the proof does not hold.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), VerifyError> {
    if old_size > new_size {
        return Err(VerifyError::SizesOutOfOrder { old_size, new_size });
    }
    // The cases RFC 9162 leaves out (it defines 0 < old < new): nothing to
    // prove, so a non-empty proof is a malformed one.
    if old_size == 0 || old_size == new_size {
        if !proof.is_empty() {
            return Err(VerifyError::ProofTooLong);
        }
        if old_size == 0 && *old_root != EMPTY_ROOT {
            return Err(VerifyError::OldRootMismatch);
        }
        if old_size == new_size && old_root != new_root {
            return Err(VerifyError::RootMismatch);
        }
        return Ok(());
    }
    let Some((first, rest)) = proof.split_first() else {
        return Err(VerifyError::ProofTooShort);
    };
    // An old tree of 2^k leaves is a complete subtree: the proof omits its
    // root, which the verifier holds.
    let (seed, rest) = if old_size.is_power_of_two() {
        (old_root, proof)
    } else {
        (first, rest)
    };
    let mut walk = Walk::new(old_size - 1, new_size - 1);
    walk.skip_right_children();
    let (mut fr, mut sr) = (*seed, *seed);
    for c in rest {
        if walk.step()? {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
        } else {
            sr = node_hash(&sr, c);
        }
    }
    walk.finish()?;
    if fr != *old_root {
        return Err(VerifyError::OldRootMismatch);
    }
    if sr != *new_root {
        return Err(VerifyError::RootMismatch);
    }
    Ok(())
}
