//! The tamper-evident log's storage: leaves written with their records
//! (by [`crate::HistoryStore`]'s appends, in the same transaction), the
//! tree built over them, and signed checkpoints.
//!
//! Ingestion never waits for the tree: a new leaf is *pending* until
//! [`LogStore::extend_tree`] gives it the next index, one builder at a time,
//! in the order leaves became visible. Indexes are therefore dense whatever
//! transactions roll back, and no ingestion takes a log-wide lock.

use std::collections::HashMap;

use innsyn_domain::SubjectId;
use innsyn_domain::disputes::ItemRef;
use innsyn_tlog::{Hash, NodeId};

use crate::StoreError;

/// The built tree: how many leaves it covers, and their RFC 9162 root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeHead {
    /// Leaves with an index.
    pub size: u64,
    /// The root of those leaves.
    pub root: Hash,
}

/// One of a subject's leaves: the record it commits to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectLeaf {
    /// The leaf's index, once the builder gave it one.
    pub index: Option<u64>,
    /// The record.
    pub item: ItemRef,
    /// The subject's keyed hash as the leaf encodes it.
    pub subject_key: Vec<u8>,
}

/// A signed tree head as stored: its size and the C2SP signed note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    /// The tree size it signs.
    pub size: u64,
    /// The signed note, verbatim.
    pub note: String,
}

/// Storage of the log. Leaves are never removed: retention deletes a
/// record's contents and keeps its leaf, so proofs of the records that
/// remain stay valid.
///
/// Blocking, like [`crate::HistoryStore`].
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait LogStore: Send + Sync {
    /// Gives at most `max_leaves` pending leaves the next indexes, in the
    /// order they were written, stores the interior nodes they complete and
    /// the new frontier, in one transaction; concurrent callers take turns.
    /// Returns the tree head after it.
    ///
    /// # Errors
    /// [`StoreError`]; then nothing of this step is stored.
    fn extend_tree(&self, max_leaves: u32) -> Result<TreeHead, StoreError>;

    /// The built tree's head.
    ///
    /// # Errors
    /// [`StoreError`].
    fn tree_head(&self) -> Result<TreeHead, StoreError>;

    /// The hashes the store holds of `ids` (level 0: leaves); an id it
    /// lacks is absent from the answer.
    ///
    /// # Errors
    /// [`StoreError`].
    fn log_nodes(&self, ids: &[NodeId]) -> Result<HashMap<NodeId, Hash>, StoreError>;

    /// Stores a checkpoint; one of the same size already stored stays.
    ///
    /// # Errors
    /// [`StoreError`].
    fn save_checkpoint(&self, checkpoint: &StoredCheckpoint) -> Result<(), StoreError>;

    /// The checkpoint of the largest size, if any.
    ///
    /// # Errors
    /// [`StoreError`].
    fn latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>, StoreError>;

    /// The checkpoint of exactly `size` leaves, if one was signed.
    ///
    /// # Errors
    /// [`StoreError`].
    fn checkpoint(&self, size: u64) -> Result<Option<StoredCheckpoint>, StoreError>;

    /// The leaves of the subject's stored records, in the order they were
    /// written (a record removed by retention keeps its leaf in the tree,
    /// but is no longer the subject's to export).
    ///
    /// # Errors
    /// [`StoreError`].
    fn subject_leaves(&self, subject: &SubjectId) -> Result<Vec<SubjectLeaf>, StoreError>;
}
