//! RFC 9162 roots and proofs over stored complete-subtree hashes: the same
//! results as [`crate::root`], [`crate::inclusion_proof`] and
//! [`crate::consistency_proof`] over all leaves, at O(log n) reads.
//!
//! In RFC 9162's recursion every left subtree is complete and aligned, so
//! it is one stored node; a right part that is not complete splits again.

use crate::hash::{EMPTY_ROOT, Hash, node_hash};
use crate::node::{NodeId, NodeSource, Recorder};
use crate::proof_error::ProveError;
use crate::tree::split;

/// The Merkle Tree Hash of leaves `[start, end)`, `start < end`, where
/// `start` is aligned to the largest power of two not above `end - start`
/// (true of every range RFC 9162's recursion visits).
fn subtree<S: NodeSource + ?Sized>(src: &S, start: u64, end: u64) -> Result<Hash, ProveError> {
    let n = end - start;
    if n.is_power_of_two() {
        let level = n.trailing_zeros() as u8;
        let id = NodeId::new(level, start >> level);
        return src.node(id).ok_or(ProveError::MissingNode {
            level,
            index: id.index,
        });
    }
    let k = split(n);
    Ok(node_hash(
        &subtree(src, start, start + k)?,
        &subtree(src, start + k, end)?,
    ))
}

/// The root of the first `size` leaves.
///
/// # Errors
/// [`ProveError::MissingNode`] when `src` lacks a node.
pub fn root_in<S: NodeSource + ?Sized>(src: &S, size: u64) -> Result<Hash, ProveError> {
    if size == 0 {
        return Ok(EMPTY_ROOT);
    }
    subtree(src, 0, size)
}

/// The inclusion proof of leaf `index` in the tree of `size` leaves.
///
/// # Errors
/// [`ProveError::IndexOutOfRange`], or [`ProveError::MissingNode`].
pub fn inclusion_proof_in<S: NodeSource + ?Sized>(
    src: &S,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, ProveError> {
    if index >= size {
        return Err(ProveError::IndexOutOfRange { index, size });
    }
    let mut proof = Vec::new();
    path(src, index, 0, size, &mut proof)?;
    Ok(proof)
}

fn path<S: NodeSource + ?Sized>(
    src: &S,
    m: u64,
    start: u64,
    end: u64,
    proof: &mut Vec<Hash>,
) -> Result<(), ProveError> {
    let n = end - start;
    if n <= 1 {
        return Ok(());
    }
    let k = split(n);
    if m < k {
        path(src, m, start, start + k, proof)?;
        proof.push(subtree(src, start + k, end)?);
    } else {
        path(src, m - k, start + k, end, proof)?;
        proof.push(subtree(src, start, start + k)?);
    }
    Ok(())
}

/// The consistency proof from the tree of `old_size` leaves to the tree of
/// `size` leaves.
///
/// # Errors
/// [`ProveError::OldSizeOutOfRange`], or [`ProveError::MissingNode`].
pub fn consistency_proof_in<S: NodeSource + ?Sized>(
    src: &S,
    old_size: u64,
    size: u64,
) -> Result<Vec<Hash>, ProveError> {
    if old_size > size {
        return Err(ProveError::OldSizeOutOfRange { old_size, size });
    }
    let mut proof = Vec::new();
    if old_size > 0 && old_size < size {
        subproof(src, old_size, 0, size, true, &mut proof)?;
    }
    Ok(proof)
}

fn subproof<S: NodeSource + ?Sized>(
    src: &S,
    m: u64,
    start: u64,
    end: u64,
    complete: bool,
    proof: &mut Vec<Hash>,
) -> Result<(), ProveError> {
    let n = end - start;
    if m == n {
        if !complete {
            proof.push(subtree(src, start, end)?);
        }
        return Ok(());
    }
    let k = split(n);
    if m <= k {
        subproof(src, m, start, start + k, complete, proof)?;
        proof.push(subtree(src, start + k, end)?);
    } else {
        subproof(src, m - k, start + k, end, false, proof)?;
        proof.push(subtree(src, start, start + k)?);
    }
    Ok(())
}

/// The nodes [`root_in`] reads for `size` (one per set bit of it).
pub fn nodes_for_root(size: u64) -> Vec<NodeId> {
    let rec = Recorder::default();
    let _ = root_in(&rec, size);
    rec.into_ids()
}

/// The nodes [`inclusion_proof_in`] reads for `index` in `size`.
pub fn nodes_for_inclusion(index: u64, size: u64) -> Vec<NodeId> {
    let rec = Recorder::default();
    let _ = inclusion_proof_in(&rec, index, size);
    rec.into_ids()
}

/// The nodes [`consistency_proof_in`] reads from `old_size` to `size`.
pub fn nodes_for_consistency(old_size: u64, size: u64) -> Vec<NodeId> {
    let rec = Recorder::default();
    let _ = consistency_proof_in(&rec, old_size, size);
    rec.into_ids()
}
