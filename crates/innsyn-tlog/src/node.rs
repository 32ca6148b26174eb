//! Addresses of complete subtrees, and where a store's proofs read them.
//!
//! A log of tens of millions of leaves cannot rebuild its tree for every
//! proof. The store keeps the hash of every complete subtree once (leaves
//! at level 0, interior nodes above), so a proof reads O(log n) hashes. The
//! proof functions of [`crate::stored`] first name the nodes they need
//! ([`nodes_for_inclusion`](crate::nodes_for_inclusion) and friends), the
//! store fetches exactly those in one query, then the proof is computed
//! from that map: the shape of a proof never depends on hash values.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use crate::hash::Hash;

/// The complete subtree of `2^level` leaves starting at leaf
/// `index << level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    /// 0 for a leaf.
    pub level: u8,
    /// The subtree's position on its level.
    pub index: u64,
}

impl NodeId {
    /// The node `(level, index)`.
    pub fn new(level: u8, index: u64) -> Self {
        Self { level, index }
    }
}

/// Where proofs read complete-subtree hashes.
pub trait NodeSource {
    /// The hash of `id`, or `None` when the source lacks it.
    fn node(&self, id: NodeId) -> Option<Hash>;
}

impl NodeSource for HashMap<NodeId, Hash> {
    fn node(&self, id: NodeId) -> Option<Hash> {
        self.get(&id).copied()
    }
}

/// Answers every node with zeros and remembers which were asked for.
#[derive(Default)]
pub(crate) struct Recorder(RefCell<BTreeSet<NodeId>>);

impl Recorder {
    pub(crate) fn into_ids(self) -> Vec<NodeId> {
        self.0.into_inner().into_iter().collect()
    }
}

impl NodeSource for Recorder {
    fn node(&self, id: NodeId) -> Option<Hash> {
        self.0.borrow_mut().insert(id);
        Some([0; 32])
    }
}
