//! Stores over databases of their own, for the contract suite and the
//! crate's integration tests.

use innsyn_domain::disputes::{Dispute, DisputeParty, DisputeQuery, DisputedItem, ItemRef};
use innsyn_domain::{
    AccessHistoryQuery, AccessRecord, AppendOutcome, Catalog, ClientEntry, LoginEvent,
    LoginHistoryEntry, LoginHistoryQuery, ResourceEntry, SubjectId,
};
use innsyn_ports::{
    AccessHistoryAnswer, DeadLetter, DeadLetterStore, DisputeStore, HistoryStore, LogStore,
    NewDispute, OpenOutcome, PageSecret, PageSecretKind, PageSessionStore, PoolState,
    RetentionOutcome, StoreError, StoredCheckpoint, StreamPosition, SubjectLeaf, TreeHead,
};
use innsyn_tlog::{Hash, NodeId};
use time::OffsetDateTime;
use uuid::Uuid;

use super::template::{PgTestDb, fresh_postgres_url};
use super::test_settings;
use crate::{Store, StoreSettings};

/// A store over a database of its own; the database goes with it.
pub struct TestStore {
    // Declared first so the pool closes before the database is dropped.
    store: Store,
    db: Option<PgTestDb>,
}

impl TestStore {
    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }
    /// The database URL (PostgreSQL only).
    pub fn url(&self) -> Option<&str> {
        self.db.as_ref().map(PgTestDb::url)
    }
}

impl std::ops::Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

/// An empty, migrated PostgreSQL store of its own.
pub fn fresh_postgres_store() -> TestStore {
    let db = fresh_postgres_url();
    let store = Store::connect(&test_settings(db.url())).expect("connect to the test database");
    TestStore {
        store,
        db: Some(db),
    }
}

/// A store over `db` as it is (not migrated), for migration tests.
pub fn postgres_store_over(db: PgTestDb) -> TestStore {
    let store = Store::connect(&test_settings(db.url())).expect("connect to the test database");
    TestStore {
        store,
        db: Some(db),
    }
}

/// An empty, migrated in-memory SQLite store.
pub fn fresh_sqlite_store() -> TestStore {
    let store = Store::connect(&StoreSettings::sqlite_memory()).expect("open in-memory SQLite");
    store.migrate().expect("migrate in-memory SQLite");
    TestStore { store, db: None }
}

impl HistoryStore for TestStore {
    fn login_history(&self, q: &LoginHistoryQuery) -> Result<Vec<LoginHistoryEntry>, StoreError> {
        self.store.login_history(q)
    }
    fn access_history(&self, q: &AccessHistoryQuery) -> Result<AccessHistoryAnswer, StoreError> {
        self.store.access_history(q)
    }
    fn append_login_events(&self, events: &[LoginEvent]) -> Result<AppendOutcome, StoreError> {
        self.store.append_login_events(events)
    }
    fn append_access_records(&self, records: &[AccessRecord]) -> Result<AppendOutcome, StoreError> {
        self.store.append_access_records(records)
    }
    fn catalog(&self) -> Result<Catalog, StoreError> {
        self.store.catalog()
    }
    fn put_client(&self, client: &ClientEntry) -> Result<(), StoreError> {
        self.store.put_client(client)
    }
    fn put_resource(&self, resource: &ResourceEntry) -> Result<(), StoreError> {
        self.store.put_resource(resource)
    }
    fn put_organisation(&self, o: &innsyn_domain::OrganisationEntry) -> Result<(), StoreError> {
        self.store.put_organisation(o)
    }
    fn put_label(&self, l: &innsyn_domain::LabelEntry) -> Result<(), StoreError> {
        self.store.put_label(l)
    }
    fn plain_names(
        &self,
        w: &innsyn_domain::NamesWanted,
    ) -> Result<innsyn_domain::PlainNames, StoreError> {
        self.store.plain_names(w)
    }
    fn apply_retention(
        &self,
        cutoff: OffsetDateTime,
        max_rows: u32,
    ) -> Result<RetentionOutcome, StoreError> {
        self.store.apply_retention(cutoff, max_rows)
    }
    fn pool_state(&self) -> Option<PoolState> {
        self.store.pool_state()
    }
    fn ping(&self) -> Result<(), StoreError> {
        self.store.ping()
    }
}

impl DisputeStore for TestStore {
    fn open_dispute(&self, new: &NewDispute) -> Result<OpenOutcome, StoreError> {
        self.store.open_dispute(new)
    }
    fn disputes(&self, q: &DisputeQuery) -> Result<Vec<Dispute>, StoreError> {
        self.store.disputes(q)
    }
    fn dispute(&self, party: &DisputeParty, id: Uuid) -> Result<Option<Dispute>, StoreError> {
        self.store.dispute(party, id)
    }
    fn save_answer(&self, previous: &Dispute, answered: &Dispute) -> Result<bool, StoreError> {
        self.store.save_answer(previous, answered)
    }
    fn confirm_item(
        &self,
        subject: &SubjectId,
        item: &ItemRef,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        self.store.confirm_item(subject, item, at)
    }
    fn confirmed_items(&self, subject: &SubjectId) -> Result<Vec<ItemRef>, StoreError> {
        self.store.confirmed_items(subject)
    }
    fn disputable_item(
        &self,
        subject: &SubjectId,
        item: &ItemRef,
    ) -> Result<Option<DisputedItem>, StoreError> {
        self.store.disputable_item(subject, item)
    }
}

impl LogStore for TestStore {
    fn extend_tree(&self, max_leaves: u32) -> Result<TreeHead, StoreError> {
        self.store.extend_tree(max_leaves)
    }
    fn tree_head(&self) -> Result<TreeHead, StoreError> {
        self.store.tree_head()
    }
    fn log_nodes(
        &self,
        ids: &[NodeId],
    ) -> Result<std::collections::HashMap<NodeId, Hash>, StoreError> {
        self.store.log_nodes(ids)
    }
    fn save_checkpoint(&self, checkpoint: &StoredCheckpoint) -> Result<(), StoreError> {
        self.store.save_checkpoint(checkpoint)
    }
    fn latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>, StoreError> {
        self.store.latest_checkpoint()
    }
    fn checkpoint(&self, size: u64) -> Result<Option<StoredCheckpoint>, StoreError> {
        self.store.checkpoint(size)
    }
    fn subject_leaves(&self, subject: &SubjectId) -> Result<Vec<SubjectLeaf>, StoreError> {
        self.store.subject_leaves(subject)
    }
}

impl DeadLetterStore for TestStore {
    fn put_dead_letters(&self, letters: &[DeadLetter]) -> Result<u64, StoreError> {
        self.store.put_dead_letters(letters)
    }

    fn dead_letters(
        &self,
        after: Option<StreamPosition>,
        limit: usize,
    ) -> Result<Vec<DeadLetter>, StoreError> {
        self.store.dead_letters(after, limit)
    }

    fn remove_dead_letters(&self, positions: &[StreamPosition]) -> Result<u64, StoreError> {
        self.store.remove_dead_letters(positions)
    }
}

impl PageSessionStore for TestStore {
    fn put_page_secret(&self, secret: &PageSecret, now: OffsetDateTime) -> Result<(), StoreError> {
        self.store.put_page_secret(secret, now)
    }

    fn touch_page_secret(
        &self,
        kind: PageSecretKind,
        key: &[u8],
        now: OffsetDateTime,
        idle_until: OffsetDateTime,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        self.store.touch_page_secret(kind, key, now, idle_until)
    }

    fn take_page_secret(
        &self,
        kind: PageSecretKind,
        key: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        self.store.take_page_secret(kind, key, now)
    }

    fn remove_page_secret(&self, kind: PageSecretKind, key: &[u8]) -> Result<(), StoreError> {
        self.store.remove_page_secret(kind, key)
    }
}
