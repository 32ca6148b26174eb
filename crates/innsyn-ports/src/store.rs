use innsyn_domain::{
    AccessHistoryQuery, AccessPage, AccessRecord, AppendOutcome, Catalog, CatalogRef, ClientEntry,
    LoginEvent, LoginHistoryEntry, LoginHistoryQuery, ResourceEntry, SubjectId,
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
    /// values; a resource filter matches the name, or the URN for `urn:…`. Skips `page.start_index` records unless
    /// `page.after` is set, in which case the page starts right after that
    /// position. `has_more` tells whether another record follows.
    ///
    /// # Errors
    /// [`StoreError`]; an unknown owner is an empty page.
    fn access_history(&self, q: &AccessHistoryQuery) -> Result<AccessPage, StoreError>;

    /// Whether any access record or login event of `owner` was ever stored
    /// (seed 2 answers 404 otherwise).
    ///
    /// # Errors
    /// [`StoreError`].
    fn owner_exists(&self, owner: &SubjectId) -> Result<bool, StoreError>;

    /// Stores a batch of login events in one transaction, durably, before
    /// returning. An event already stored (same `event_id`, else same
    /// content and subject) is counted as a duplicate and not stored again.
    /// Unknown clients and organisations are registered in the catalog.
    ///
    /// # Errors
    /// [`StoreError`]; then nothing of the batch is stored.
    fn append_login_events(&self, events: &[LoginEvent]) -> Result<AppendOutcome, StoreError>;

    /// Stores a batch of access records in one transaction, durably, before
    /// returning; idempotent by record id. Their applications, clients,
    /// resources, actions and purposes are registered in the catalog.
    ///
    /// # Errors
    /// [`StoreError`]; then nothing of the batch is stored.
    fn append_access_records(&self, records: &[AccessRecord]) -> Result<AppendOutcome, StoreError>;

    /// For each reference, whether the catalog knows it (exact match).
    ///
    /// # Errors
    /// [`StoreError`].
    fn catalog_contains(&self, refs: &[CatalogRef]) -> Result<Vec<bool>, StoreError>;

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

    /// Removes every event and record that happened before `cutoff`.
    ///
    /// # Errors
    /// [`StoreError`].
    fn apply_retention(&self, cutoff: OffsetDateTime) -> Result<RetentionOutcome, StoreError>;

    /// Cheap round trip for `/readyz`.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot answer.
    fn ping(&self) -> Result<(), StoreError>;
}
