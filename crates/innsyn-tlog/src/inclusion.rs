//! Inclusion proofs: RFC 9162 §2.1.3.1 (generation) and §2.1.3.2
//! (verification).

use crate::hash::{Hash, node_hash};
use crate::proof_error::{ProveError, VerifyError};
use crate::tree::{root, split_len};
use crate::walk::Walk;

/// The audit path of leaf `index` in the tree of `leaves` (RFC 9162 `PATH`),
/// from the leaf's sibling up to the root's child.
///
/// # Errors
/// [`ProveError::IndexOutOfRange`] when `index` is not below the tree size.
pub fn inclusion_proof(leaves: &[Hash], index: u64) -> Result<Vec<Hash>, ProveError> {
    let size = leaves.len() as u64;
    let Some(index) = usize::try_from(index).ok().filter(|i| *i < leaves.len()) else {
        return Err(ProveError::IndexOutOfRange { index, size });
    };
    let mut proof = Vec::new();
    path(index, leaves, &mut proof);
    Ok(proof)
}

// PATH(m, D[n]) pushes the deepest hash first, as the RFC's concatenation
// `PATH(m, D[0:k]) : MTH(D[k:n])` lists it.
fn path(m: usize, leaves: &[Hash], proof: &mut Vec<Hash>) {
    if leaves.len() <= 1 {
        return;
    }
    let k = split_len(leaves.len());
    let (left, right) = leaves.split_at(k);
    if m < k {
        path(m, left, proof);
        proof.push(root(right));
    } else {
        path(m - k, right, proof);
        proof.push(root(left));
    }
}

/// Checks that `leaf` is leaf `index` of the tree of `size` leaves whose
/// root is `root` (RFC 9162 §2.1.3.2).
///
/// # Errors
/// The [`VerifyError`] saying why the proof does not hold.
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), VerifyError> {
    if index >= size {
        return Err(VerifyError::IndexOutOfRange { index, size });
    }
    let mut walk = Walk::new(index, size - 1);
    let mut r = *leaf;
    for p in proof {
        r = if walk.step()? {
            node_hash(p, &r)
        } else {
            node_hash(&r, p)
        };
    }
    walk.finish()?;
    if r != *root {
        return Err(VerifyError::RootMismatch);
    }
    Ok(())
}
