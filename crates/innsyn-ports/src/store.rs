use innsyn_domain::{
    AccessHistoryQuery, AccessPage, AccessRecord, AppendOutcome, Catalog, CatalogRef, ClientEntry,
    LabelEntry, LoginEvent, LoginHistoryEntry, LoginHistoryQuery, NamesWanted, OrganisationEntry,
    PlainNames, ResourceEntry,
};
use time::OffsetDateTime;

/// Why the store could not do what was asked. Messages are safe to log: they
/// never contain identity numbers or other record contents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached, the pool is exhausted or a statement
    /// timed out: retry later (HTTP 503).
    #[error("the history store is unavailable: {0}")]
    Unavailable(String),
    /// Anything else the store did not expect (HTTP 500).
    #[error("the history store failed: {0}")]
    Internal(String),
}

/// What a retention run removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionOutcome {
    /// Login events removed.
    pub login_events: u64,
    /// Access records removed.
    pub access_records: u64,
}

/// What the store answers to one access-history request: the checks seed 2
/// makes before a page, answered in the same call so a request costs one
/// round of the store (one pooled connection), not three.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessHistoryAnswer {
    /// These of [`AccessHistoryQuery::catalog_refs`] are not in the catalog
    /// (exact match), in that order; checked first.
    NotInCatalog(Vec<CatalogRef>),
    /// No access record or login event of the owner was ever stored (seed
    /// 2's 404 "No such object").
    UnknownOwner,
    /// The page.
    Page(AccessPage),
}

/// How busy a store's connection pool is, read without a round trip.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolState {
    /// Connections open, idle or in use.
    pub connections: u32,
    /// Of those, idle.
    pub idle: u32,
}

/// Durable storage of both histories and the catalog.
///
/// Timestamps are kept to the microsecond (PostgreSQL's precision); finer
/// digits are truncated.
///
/// The methods are blocking: adapters over a database do I/O on the calling
/// thread, so async callers must run them on a blocking pool
/// (`spawn_blocking`), never on executor threads.
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait HistoryStore: Send + Sync {
    /// `q.subject`'s login events selected by [`LoginHistoryQuery::selects`]
    /// (organisation, window, client), newest first (ties by a stable order),
    /// skipping `start_index` and returning at most `max_hits`. An event's
    /// organisation is its service owner's, else its client's, else (when the
    /// event names none) the catalog's organisation for its client id at
    /// ingestion time. Seed 1 selects by organisation (an index range scan on
    /// subject, organisation and time); the citizen's own page does not.
    ///
    /// # Errors
    /// [`StoreError`]; an unknown subject is an empty list, not an error.
    fn login_history(&self, q: &LoginHistoryQuery) -> Result<Vec<LoginHistoryEntry>, StoreError>;

    /// One page of `q.owner`'s access records matching every filter, inside
    /// `[window.start, window.end)`, in the total order of
    /// [`innsyn_domain::Sort::compare`]: `(sort key, timestamp, id)` all in
    /// `q.sort.order`, text compared by UTF-8 bytes (SQL `COLLATE "C"`),
    /// decisions by canonical name, ids by their bytes. Filters match exact
    /// values; a resource filter matches the name, or the URN for `urn:…`.
    /// Skips `page.start_index` records unless `page.after` is set, in which
    /// case the page starts right after that position. `has_more` tells
    /// whether another record follows.
    ///
    /// Before the page, in the same call: the references of
    /// [`AccessHistoryQuery::catalog_refs`] the catalog does not know
    /// ([`AccessHistoryAnswer::NotInCatalog`]), then whether the owner was
    /// ever seen ([`AccessHistoryAnswer::UnknownOwner`]).
    ///
    /// # Errors
    /// [`StoreError`].
    fn access_history(&self, q: &AccessHistoryQuery) -> Result<AccessHistoryAnswer, StoreError>;

    /// Stores a batch of login events in one transaction, durably, before
    /// returning. An event already stored (same `event_id`, else same
    /// content and subject) is counted as a duplicate and not stored again.
    /// Each event's client enters the catalog as
    /// [`LoginEvent::catalog_client`] says, merged into a known entry by
    /// [`ClientEntry::learn`].
    ///
    /// # Errors
    /// [`StoreError`]; then nothing of the batch is stored.
    fn append_login_events(&self, events: &[LoginEvent]) -> Result<AppendOutcome, StoreError>;

    /// Stores a batch of access records in one transaction, durably, before
    /// returning; idempotent by record id, whatever else a re-send changed:
    /// an id stored before (or earlier in the batch) is never stored again.
    /// A re-send with the same content is a duplicate; with any field
    /// different (owner, time or anything else) it is a conflict, and the
    /// first record stays as it was. Their applications, resources,
    /// actions and purposes are registered in the catalog, and their
    /// clients as [`AccessRecord::catalog_client`] says, merged by
    /// [`ClientEntry::learn`].
    ///
    /// # Errors
    /// [`StoreError`]; then nothing of the batch is stored.
    fn append_access_records(&self, records: &[AccessRecord]) -> Result<AppendOutcome, StoreError>;

    /// The whole catalog, sorted by name.
    ///
    /// # Errors
    /// [`StoreError`].
    fn catalog(&self) -> Result<Catalog, StoreError>;

    /// Registers or updates a client (its application and organisation).
    ///
    /// # Errors
    /// [`StoreError`].
    fn put_client(&self, client: &ClientEntry) -> Result<(), StoreError>;

    /// Registers or updates a resource.
    ///
    /// # Errors
    /// [`StoreError`].
    fn put_resource(&self, resource: &ResourceEntry) -> Result<(), StoreError>;

    /// Registers or renames an organisation.
    ///
    /// # Errors
    /// [`StoreError`].
    fn put_organisation(&self, organisation: &OrganisationEntry) -> Result<(), StoreError>;

    /// Sets or replaces the display names of one code.
    ///
    /// # Errors
    /// [`StoreError`].
    fn put_label(&self, label: &LabelEntry) -> Result<(), StoreError>;

    /// What the catalog knows of exactly the codes `wanted` names: the
    /// clients asked for, the organisations asked for and those of the
    /// clients found, the labels asked for. Unknown codes are absent. Its
    /// cost grows with what is asked, not with the catalog.
    ///
    /// # Errors
    /// [`StoreError`].
    fn plain_names(&self, wanted: &NamesWanted) -> Result<PlainNames, StoreError>;

    /// Removes at most `max_rows` login events and at most `max_rows`
    /// access records that happened before `cutoff`, in one short
    /// transaction, and says how many of each it removed. Removing all of
    /// the old history means calling it again until both counts are below
    /// `max_rows`; each call is bounded, so reads and ingestion go on
    /// between (and during) the calls. Subjects stay known (an owner whose
    /// history expired answers an empty page, not 404).
    ///
    /// # Errors
    /// [`StoreError`]; then nothing of this batch was removed.
    fn apply_retention(
        &self,
        cutoff: OffsetDateTime,
        max_rows: u32,
    ) -> Result<RetentionOutcome, StoreError>;

    /// The connection pool's state, for `/metrics`; `None` for a store
    /// without a pool.
    fn pool_state(&self) -> Option<PoolState> {
        None
    }

    /// Cheap round trip for `/readyz`.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    fn ping(&self) -> Result<(), StoreError>;
}
