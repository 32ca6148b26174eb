//! An in-memory [`HistoryStore`]: the reference implementation of the port's
//! contract, for tests and for embedding. Nothing survives the process, so
//! it is never the production store; it keeps subjects in clear for the
//! same reason (nothing is written anywhere).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::{Mutex, MutexGuard};

mod access;
mod catalog;
mod dead_letters;
mod disputes;
mod log;
mod login;
mod page_sessions;

use innsyn_domain::disputes::{Dispute, ItemRef};
use innsyn_domain::{
    AccessHistoryQuery, AccessRecord, AppendOutcome, Catalog, ClientEntry, LabelEntry, LoginEvent,
    LoginHistoryEntry, LoginHistoryQuery, NamesWanted, OrganisationEntry, PlainNames,
    ResourceEntry, SubjectId,
};
use innsyn_ports::{AccessHistoryAnswer, HistoryStore, RetentionOutcome, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

/// A login event as kept: the entry shown plus what identifies it.
#[derive(Debug, Clone)]
struct StoredLogin {
    subject: SubjectId,
    dedup_key: Vec<u8>,
    entry: LoginHistoryEntry,
}

/// Everything the store holds, behind the store's one lock.
#[derive(Debug, Default)]
struct State {
    logins: Vec<StoredLogin>,
    /// Keys of stored logins are numbers in arrival order, never reused.
    logins_stored: u64,
    login_keys: HashSet<(String, Vec<u8>)>,
    records: BTreeMap<Uuid, (SubjectId, AccessRecord)>,
    owners: HashSet<SubjectId>,
    clients: BTreeMap<String, ClientEntry>,
    applications: BTreeSet<String>,
    resources: BTreeMap<String, Option<String>>,
    actions: BTreeSet<String>,
    purposes: BTreeSet<String>,
    organisations: BTreeMap<innsyn_domain::OrgNumber, String>,
    labels: BTreeMap<(innsyn_domain::LabelKind, String), innsyn_domain::LabelEntry>,
    disputes: BTreeMap<Uuid, (SubjectId, Dispute)>,
    confirmed: HashSet<(SubjectId, ItemRef)>,
    log: log::Log,
    dead_letters: BTreeMap<innsyn_ports::StreamPosition, innsyn_ports::DeadLetter>,
    page_secrets: std::collections::HashMap<
        (innsyn_ports::PageSecretKind, Vec<u8>),
        innsyn_ports::PageSecret,
    >,
}

/// The in-memory store. Cheap to create; one per test.
#[derive(Debug)]
pub struct MemoryStore {
    state: Mutex<State>,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self {
            state: Mutex::new(State {
                log: log::Log::new(),
                ..State::default()
            }),
        }
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> Result<MutexGuard<'_, State>, StoreError> {
        self.state
            .lock()
            .map_err(|_| StoreError::Internal("a previous writer panicked".into()))
    }
}

/// `micro`second truncation, the precision every store keeps.
fn truncate(t: OffsetDateTime) -> OffsetDateTime {
    let nanos = t.nanosecond();
    t.replace_nanosecond(nanos - nanos % 1_000).unwrap_or(t)
}

impl HistoryStore for MemoryStore {
    fn login_history(&self, q: &LoginHistoryQuery) -> Result<Vec<LoginHistoryEntry>, StoreError> {
        Ok(self.state()?.login_history(q))
    }

    fn access_history(&self, q: &AccessHistoryQuery) -> Result<AccessHistoryAnswer, StoreError> {
        Ok(self.state()?.access_history(q))
    }

    fn append_login_events(&self, events: &[LoginEvent]) -> Result<AppendOutcome, StoreError> {
        Ok(self.state()?.append_login_events(events))
    }

    fn append_access_records(&self, records: &[AccessRecord]) -> Result<AppendOutcome, StoreError> {
        Ok(self.state()?.append_access_records(records))
    }

    fn catalog(&self) -> Result<Catalog, StoreError> {
        Ok(self.state()?.catalog())
    }

    fn put_client(&self, client: &ClientEntry) -> Result<(), StoreError> {
        self.state()?.put_client(client);
        Ok(())
    }

    fn put_resource(&self, resource: &ResourceEntry) -> Result<(), StoreError> {
        self.state()?
            .resources
            .insert(resource.name.clone(), resource.urn.clone());
        Ok(())
    }

    fn put_organisation(&self, organisation: &OrganisationEntry) -> Result<(), StoreError> {
        self.state()?
            .organisations
            .insert(organisation.orgno.clone(), organisation.name.clone());
        Ok(())
    }

    fn put_label(&self, label: &LabelEntry) -> Result<(), StoreError> {
        self.state()?
            .labels
            .insert((label.kind, label.name.clone()), label.clone());
        Ok(())
    }

    fn plain_names(&self, wanted: &NamesWanted) -> Result<PlainNames, StoreError> {
        Ok(self.state()?.plain_names(wanted))
    }

    fn apply_retention(
        &self,
        cutoff: OffsetDateTime,
        max_rows: u32,
    ) -> Result<RetentionOutcome, StoreError> {
        let max = usize::try_from(max_rows).unwrap_or(usize::MAX);
        let mut state = self.state()?;
        let logins_before = state.logins.len();
        let mut budget = max;
        let logins = std::mem::take(&mut state.logins);
        let kept: Vec<StoredLogin> = logins
            .into_iter()
            .filter(|l| {
                let item = ItemRef::Login(l.entry.key.clone());
                if l.entry.occurred_at < cutoff && budget > 0 && !state.held(&l.subject, &item) {
                    budget -= 1;
                    false
                } else {
                    true
                }
            })
            .collect();
        state.login_keys = kept
            .iter()
            .map(|l| (l.subject.expose().to_owned(), l.dedup_key.clone()))
            .collect();
        state.logins = kept;
        let records_before = state.records.len();
        let mut budget = max;
        let held: HashSet<Uuid> = state
            .disputes
            .values()
            .filter(|(_, d)| d.status.holds_item())
            .filter_map(|(_, d)| match d.item.reference {
                ItemRef::Access(id) => Some(id),
                ItemRef::Login(_) => None,
            })
            .collect();
        state.records.retain(|id, (_, r)| {
            if r.occurred_at < cutoff && budget > 0 && !held.contains(id) {
                budget -= 1;
                false
            } else {
                true
            }
        });
        Ok(RetentionOutcome {
            login_events: (logins_before - state.logins.len()) as u64,
            access_records: (records_before - state.records.len()) as u64,
        })
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.state().map(|_| ())
    }
}
