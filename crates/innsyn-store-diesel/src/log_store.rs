//! The log port, over either backend.

use std::collections::HashMap;

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use innsyn_domain::SubjectId;
use innsyn_ports::{LogStore, StoreError, StoredCheckpoint, SubjectLeaf, TreeHead};
use innsyn_tlog::{Hash, NodeId};

use crate::pool::checkout;
use crate::{Backend, Store, ops};

impl LogStore for Store {
    fn extend_tree(&self, max_leaves: u32) -> Result<TreeHead, StoreError> {
        with_conn!(self, |c| ops::log::extend_tree(c, max_leaves))
    }

    fn tree_head(&self) -> Result<TreeHead, StoreError> {
        with_conn!(self, |c| ops::log::tree_head(c))
    }

    fn log_nodes(&self, ids: &[NodeId]) -> Result<HashMap<NodeId, Hash>, StoreError> {
        with_conn!(self, |c| ops::log::log_nodes(c, ids))
    }

    fn save_checkpoint(&self, checkpoint: &StoredCheckpoint) -> Result<(), StoreError> {
        with_conn!(self, |c| ops::log::save_checkpoint(c, checkpoint))
    }

    fn latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>, StoreError> {
        with_conn!(self, |c| ops::log::checkpoint(c, None))
    }

    fn checkpoint(&self, size: u64) -> Result<Option<StoredCheckpoint>, StoreError> {
        with_conn!(self, |c| ops::log::checkpoint(c, Some(size)))
    }

    fn subject_leaves(&self, subject: &SubjectId) -> Result<Vec<SubjectLeaf>, StoreError> {
        with_conn!(self, |c| ops::log::subject_leaves(c, &self.keyer, subject))
    }
}
