//! A store wrapper that sees what a mock cannot: calls running at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use innsyn_domain::{
    AccessHistoryQuery, AccessRecord, AppendOutcome, Catalog, ClientEntry, LoginEvent,
    LoginHistoryEntry, LoginHistoryQuery, ResourceEntry,
};
use innsyn_ports::{AccessHistoryAnswer, HistoryStore, RetentionOutcome, StoreError};
use innsyn_store_memory::MemoryStore;
use time::OffsetDateTime;

/// The memory store, watched. A mockall mock serialises its calls behind a
/// lock, so only a hand-written wrapper can see calls overlap; the delay
/// keeps each call running long enough for others to pile up behind it.
#[derive(Default)]
pub(crate) struct Probe {
    /// The store itself; seed it directly so seeding is not counted.
    pub(crate) store: MemoryStore,
    delay: Duration,
    running: AtomicUsize,
    peak: AtomicUsize,
    calls: AtomicUsize,
    login_queries: Mutex<Vec<LoginHistoryQuery>>,
}

impl Probe {
    pub(crate) fn slow(delay: Duration) -> Self {
        Self {
            delay,
            ..Self::default()
        }
    }

    /// The most store calls that ever ran at once.
    pub(crate) fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    pub(crate) fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// Every seed-1 query, as the domain built it.
    pub(crate) fn login_queries(&self) -> Vec<LoginHistoryQuery> {
        self.login_queries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn watch<T>(&self, call: impl FnOnce(&MemoryStore) -> T) -> T {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let running = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(running, Ordering::SeqCst);
        std::thread::sleep(self.delay);
        let out = call(&self.store);
        self.running.fetch_sub(1, Ordering::SeqCst);
        out
    }
}

impl HistoryStore for Probe {
    fn login_history(&self, q: &LoginHistoryQuery) -> Result<Vec<LoginHistoryEntry>, StoreError> {
        self.login_queries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(q.clone());
        self.watch(|s| s.login_history(q))
    }

    fn access_history(&self, q: &AccessHistoryQuery) -> Result<AccessHistoryAnswer, StoreError> {
        self.watch(|s| s.access_history(q))
    }

    fn append_login_events(&self, events: &[LoginEvent]) -> Result<AppendOutcome, StoreError> {
        self.watch(|s| s.append_login_events(events))
    }

    fn append_access_records(&self, records: &[AccessRecord]) -> Result<AppendOutcome, StoreError> {
        self.watch(|s| s.append_access_records(records))
    }

    fn catalog(&self) -> Result<Catalog, StoreError> {
        self.watch(MemoryStore::catalog)
    }

    fn put_client(&self, client: &ClientEntry) -> Result<(), StoreError> {
        self.watch(|s| s.put_client(client))
    }

    fn put_resource(&self, resource: &ResourceEntry) -> Result<(), StoreError> {
        self.watch(|s| s.put_resource(resource))
    }

    fn put_organisation(&self, o: &innsyn_domain::OrganisationEntry) -> Result<(), StoreError> {
        self.watch(|s| s.put_organisation(o))
    }

    fn put_label(&self, l: &innsyn_domain::LabelEntry) -> Result<(), StoreError> {
        self.watch(|s| s.put_label(l))
    }

    fn plain_names(
        &self,
        w: &innsyn_domain::NamesWanted,
    ) -> Result<innsyn_domain::PlainNames, StoreError> {
        self.watch(|s| s.plain_names(w))
    }

    fn apply_retention(
        &self,
        cutoff: OffsetDateTime,
        max_rows: u32,
    ) -> Result<RetentionOutcome, StoreError> {
        self.watch(|s| s.apply_retention(cutoff, max_rows))
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.watch(MemoryStore::ping)
    }
}
