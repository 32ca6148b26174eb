//! The log in memory: leaves written under the store's one lock with
//! their records, indexed by [`LogStore::extend_tree`] like every store.

use std::collections::{BTreeMap, HashMap};

use innsyn_domain::SubjectId;
use innsyn_domain::disputes::ItemRef;
use innsyn_ports::{LogStore, StoreError, StoredCheckpoint, SubjectLeaf, TreeHead};
use innsyn_tlog::{Frontier, Hash, NodeId};
use sha2::{Digest, Sha256};

use crate::MemoryStore;

#[derive(Debug)]
struct Leaf {
    hash: Hash,
    subject: SubjectId,
    subject_key: Vec<u8>,
    item: ItemRef,
}

/// The leaves in the order written (the first `tree.size()` indexed),
/// the tree's interior nodes, and the checkpoints.
#[derive(Debug, Default)]
pub(crate) struct Log {
    /// Makes the subject keys of this store its own: nothing is written
    /// anywhere, but a key is still no plain hash of an identity number.
    salt: [u8; 16],
    leaves: Vec<Leaf>,
    tree: Frontier,
    nodes: HashMap<NodeId, Hash>,
    checkpoints: BTreeMap<u64, String>,
}

impl Log {
    pub(crate) fn new() -> Self {
        Self {
            salt: *uuid::Uuid::new_v4().as_bytes(),
            ..Self::default()
        }
    }

    /// The subject's keyed hash, as its leaves encode it.
    pub(crate) fn subject_key(&self, subject: &SubjectId) -> Vec<u8> {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(subject.expose().as_bytes());
        h.finalize().to_vec()
    }

    /// Writes a pending leaf.
    pub(crate) fn append(&mut self, subject: &SubjectId, item: ItemRef, hash: Hash) {
        let subject_key = self.subject_key(subject);
        self.leaves.push(Leaf {
            hash,
            subject: subject.clone(),
            subject_key,
            item,
        });
    }

    fn head(&self) -> TreeHead {
        TreeHead {
            size: self.tree.size(),
            root: self.tree.root(),
        }
    }

    fn extend(&mut self, max_leaves: u32) -> TreeHead {
        let start = usize::try_from(self.tree.size()).unwrap_or(usize::MAX);
        let max = usize::try_from(max_leaves).unwrap_or(usize::MAX);
        let pending: Vec<Hash> = self
            .leaves
            .iter()
            .skip(start)
            .take(max)
            .map(|l| l.hash)
            .collect();
        for (i, h) in pending.iter().enumerate() {
            self.nodes.insert(NodeId::new(0, (start + i) as u64), *h);
        }
        self.nodes.extend(self.tree.extend(&pending));
        self.head()
    }
}

impl LogStore for MemoryStore {
    fn extend_tree(&self, max_leaves: u32) -> Result<TreeHead, StoreError> {
        Ok(self.state()?.log.extend(max_leaves))
    }

    fn tree_head(&self) -> Result<TreeHead, StoreError> {
        Ok(self.state()?.log.head())
    }

    fn log_nodes(&self, ids: &[NodeId]) -> Result<HashMap<NodeId, Hash>, StoreError> {
        let state = self.state()?;
        Ok(ids
            .iter()
            .filter_map(|id| state.log.nodes.get(id).map(|h| (*id, *h)))
            .collect())
    }

    fn save_checkpoint(&self, checkpoint: &StoredCheckpoint) -> Result<(), StoreError> {
        self.state()?
            .log
            .checkpoints
            .entry(checkpoint.size)
            .or_insert_with(|| checkpoint.note.clone());
        Ok(())
    }

    fn latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>, StoreError> {
        let state = self.state()?;
        Ok(state
            .log
            .checkpoints
            .last_key_value()
            .map(|(size, note)| StoredCheckpoint {
                size: *size,
                note: note.clone(),
            }))
    }

    fn checkpoint(&self, size: u64) -> Result<Option<StoredCheckpoint>, StoreError> {
        let state = self.state()?;
        Ok(state
            .log
            .checkpoints
            .get(&size)
            .map(|note| StoredCheckpoint {
                size,
                note: note.clone(),
            }))
    }

    fn subject_leaves(&self, subject: &SubjectId) -> Result<Vec<SubjectLeaf>, StoreError> {
        let state = self.state()?;
        let built = state.log.tree.size();
        // Only the leaves of records still stored, as a database finds them
        // through its records.
        let stored = |item: &ItemRef| match item {
            ItemRef::Access(id) => state.records.contains_key(id),
            ItemRef::Login(key) => state.logins.iter().any(|l| l.entry.key == *key),
        };
        Ok(state
            .log
            .leaves
            .iter()
            .enumerate()
            .filter(|(_, l)| l.subject == *subject && stored(&l.item))
            .map(|(i, l)| SubjectLeaf {
                index: Some(i as u64).filter(|i| *i < built),
                item: l.item.clone(),
                subject_key: l.subject_key.clone(),
            })
            .collect())
    }
}
