//! The right edge of a growing tree: the roots of its complete subtrees
//! (one per set bit of the size, largest first). With them a log appends a
//! leaf and computes its new root in O(log n) hashes, without reading the
//! earlier leaves: what ingestion needs to keep the tree head current.

use thiserror::Error;

use crate::hash::{EMPTY_ROOT, Hash, node_hash};
use crate::node::NodeId;

/// The complete-subtree roots of a tree of `size` leaves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    peaks: Vec<Hash>,
}

/// Stored peaks that cannot be the frontier of the stated size.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("a tree of {size} leaves has {expected} complete subtrees, not {got}")]
pub struct FrontierError {
    /// The stated tree size.
    pub size: u64,
    /// One per set bit of the size.
    pub expected: u32,
    /// How many were given.
    pub got: usize,
}

impl Frontier {
    /// The frontier of the empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Restores a frontier from its stored size and peaks (largest first).
    ///
    /// # Errors
    /// [`FrontierError`] when the number of peaks does not fit the size.
    pub fn from_peaks(size: u64, peaks: Vec<Hash>) -> Result<Self, FrontierError> {
        let expected = size.count_ones();
        if peaks.len() != expected as usize {
            return Err(FrontierError {
                size,
                expected,
                got: peaks.len(),
            });
        }
        Ok(Self { size, peaks })
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The complete-subtree roots, largest first: what a store persists.
    pub fn peaks(&self) -> &[Hash] {
        &self.peaks
    }

    /// Appends a leaf hash.
    pub fn push(&mut self, leaf: Hash) {
        self.push_completing(leaf, |_, _| {});
    }

    /// Appends a leaf hash and hands `completed` each interior node the
    /// leaf completes, lowest level first: what a store keeps so that
    /// proofs read O(log n) hashes ([`crate::stored`]).
    pub fn push_completing(&mut self, leaf: Hash, mut completed: impl FnMut(NodeId, Hash)) {
        let new_size = self.size + 1;
        // Each trailing set bit of the old size is a complete subtree of
        // the new leaf's size: merge them, like carrying in binary addition.
        let (mut node, mut carry, mut level) = (leaf, self.size, 0u8);
        while carry & 1 == 1 {
            if let Some(left) = self.peaks.pop() {
                node = node_hash(&left, &node);
            }
            carry >>= 1;
            level += 1;
            completed(NodeId::new(level, (new_size >> level) - 1), node);
        }
        self.peaks.push(node);
        self.size = new_size;
    }

    /// Appends `leaves` in order and returns the interior nodes they
    /// complete, as [`Self::push_completing`] reports them.
    pub fn extend(&mut self, leaves: &[Hash]) -> Vec<(NodeId, Hash)> {
        let mut nodes = Vec::with_capacity(leaves.len());
        for leaf in leaves {
            self.push_completing(*leaf, |id, hash| nodes.push((id, hash)));
        }
        nodes
    }

    /// The RFC 9162 root: RFC 9162 splits off the largest complete subtree
    /// first, so the peaks fold from the smallest up.
    pub fn root(&self) -> Hash {
        match self.peaks.split_last() {
            None => EMPTY_ROOT,
            Some((last, rest)) => rest
                .iter()
                .rev()
                .fold(*last, |acc, peak| node_hash(peak, &acc)),
        }
    }
}
