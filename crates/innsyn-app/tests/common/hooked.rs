//! The reference store with hooks before `ping` and before writing access
//! records, for the tests that time, count or fail those calls (a
//! hand-written wrapper: a mockall mock serialises its calls).

// Each test binary that includes this uses one of the two constructors.
#![allow(dead_code)]

use innsyn_domain::{
    AccessHistoryQuery, AccessRecord, AppendOutcome, Catalog, ClientEntry, LoginEvent,
    LoginHistoryEntry, LoginHistoryQuery, ResourceEntry,
};
use innsyn_ports::{AccessHistoryAnswer, HistoryStore, RetentionOutcome, StoreError};
use innsyn_store_memory::MemoryStore;
use time::OffsetDateTime;

type PingHook = Box<dyn Fn() + Send + Sync>;
type AppendHook = Box<dyn Fn(&[AccessRecord]) -> Result<(), StoreError> + Send + Sync>;

/// [`MemoryStore`], with `ping` running `on_ping` first and
/// `append_access_records` running `before_append` first (its error is the
/// call's, and then nothing is stored).
pub(crate) struct Hooked {
    inner: MemoryStore,
    on_ping: PingHook,
    before_append: AppendHook,
}

impl Hooked {
    pub(crate) fn on_ping(f: impl Fn() + Send + Sync + 'static) -> Self {
        Self {
            inner: MemoryStore::new(),
            on_ping: Box::new(f),
            before_append: Box::new(|_| Ok(())),
        }
    }

    pub(crate) fn before_append(
        f: impl Fn(&[AccessRecord]) -> Result<(), StoreError> + Send + Sync + 'static,
    ) -> Self {
        Self {
            inner: MemoryStore::new(),
            on_ping: Box::new(|| ()),
            before_append: Box::new(f),
        }
    }
}

impl HistoryStore for Hooked {
    fn login_history(&self, q: &LoginHistoryQuery) -> Result<Vec<LoginHistoryEntry>, StoreError> {
        self.inner.login_history(q)
    }
    fn access_history(&self, q: &AccessHistoryQuery) -> Result<AccessHistoryAnswer, StoreError> {
        self.inner.access_history(q)
    }
    fn append_login_events(&self, e: &[LoginEvent]) -> Result<AppendOutcome, StoreError> {
        self.inner.append_login_events(e)
    }
    fn append_access_records(&self, r: &[AccessRecord]) -> Result<AppendOutcome, StoreError> {
        (self.before_append)(r)?;
        self.inner.append_access_records(r)
    }
    fn catalog(&self) -> Result<Catalog, StoreError> {
        self.inner.catalog()
    }
    fn put_client(&self, c: &ClientEntry) -> Result<(), StoreError> {
        self.inner.put_client(c)
    }
    fn put_resource(&self, r: &ResourceEntry) -> Result<(), StoreError> {
        self.inner.put_resource(r)
    }
    fn put_organisation(&self, o: &innsyn_domain::OrganisationEntry) -> Result<(), StoreError> {
        self.inner.put_organisation(o)
    }
    fn put_label(&self, l: &innsyn_domain::LabelEntry) -> Result<(), StoreError> {
        self.inner.put_label(l)
    }
    fn plain_names(
        &self,
        w: &innsyn_domain::NamesWanted,
    ) -> Result<innsyn_domain::PlainNames, StoreError> {
        self.inner.plain_names(w)
    }
    fn apply_retention(
        &self,
        cutoff: OffsetDateTime,
        max_rows: u32,
    ) -> Result<RetentionOutcome, StoreError> {
        self.inner.apply_retention(cutoff, max_rows)
    }
    fn ping(&self) -> Result<(), StoreError> {
        (self.on_ping)();
        self.inner.ping()
    }
}
