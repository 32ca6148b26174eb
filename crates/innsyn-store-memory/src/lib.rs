//! An in-memory [`HistoryStore`]: the reference implementation of the port's
//! contract, for tests and for embedding. Nothing survives the process, so
//! it is never the production store; it keeps subjects in clear for the
//! same reason (nothing is written anywhere).

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::{Mutex, MutexGuard};

use innsyn_domain::{
    AccessFilter, AccessHistoryEntry, AccessHistoryQuery, AccessPage, AccessRecord, AppendOutcome,
    ApplicationFilter, Catalog, CatalogKind, CatalogRef, ClientEntry, LoginEvent,
    LoginHistoryEntry, LoginHistoryQuery, ResourceEntry, ResourceFilter, SubjectId,
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

#[derive(Debug, Default)]
struct State {
    logins: Vec<StoredLogin>,
    login_keys: HashSet<(String, Vec<u8>)>,
    records: BTreeMap<Uuid, (SubjectId, AccessRecord)>,
    owners: HashSet<SubjectId>,
    clients: BTreeMap<String, ClientEntry>,
    applications: BTreeSet<String>,
    resources: BTreeMap<String, Option<String>>,
    actions: BTreeSet<String>,
    purposes: BTreeSet<String>,
}

/// The in-memory store. Cheap to create; one per test.
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
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

fn matches(filter: &AccessFilter, r: &AccessRecord) -> bool {
    let application = match &filter.application {
        None => true,
        Some(ApplicationFilter::Name(n)) => &r.application == n,
        Some(ApplicationFilter::ClientId(c)) => &r.client_id == c,
    };
    let resource = match &filter.resource {
        None => true,
        Some(ResourceFilter::Name(n)) => &r.resource == n,
        Some(ResourceFilter::Urn(u)) => r.resource_urn.as_ref() == Some(u),
    };
    application
        && resource
        && filter.action.as_ref().is_none_or(|a| &r.action == a)
        && filter.purpose.as_ref().is_none_or(|p| &r.purpose == p)
        && filter.decision.is_none_or(|d| r.decision == d)
}

impl State {
    /// Whether the catalog holds `r` (exact match).
    fn knows(&self, r: &CatalogRef) -> bool {
        match r.kind {
            CatalogKind::Application => self.applications.contains(&r.value),
            CatalogKind::ClientId => self.clients.contains_key(&r.value),
            CatalogKind::Resource => self.resources.contains_key(&r.value),
            CatalogKind::ResourceUrn => self
                .resources
                .values()
                .any(|u| u.as_ref() == Some(&r.value)),
            CatalogKind::Action => self.actions.contains(&r.value),
            CatalogKind::Purpose => self.purposes.contains(&r.value),
        }
    }

    /// Registers a client seen at ingestion: a new one as seen, a known
    /// one by [`ClientEntry::learn`] (administrators own the catalog).
    fn register_client(&mut self, seen: ClientEntry) {
        self.applications.insert(seen.application.clone());
        match self.clients.entry(seen.client_id.clone()) {
            Entry::Occupied(mut known) => known.get_mut().learn(&seen),
            Entry::Vacant(new) => {
                new.insert(seen);
            }
        }
    }
}

impl HistoryStore for MemoryStore {
    fn login_history(&self, q: &LoginHistoryQuery) -> Result<Vec<LoginHistoryEntry>, StoreError> {
        let state = self.state()?;
        let mut found: Vec<&LoginHistoryEntry> = state
            .logins
            .iter()
            .filter(|l| l.subject == q.subject)
            .map(|l| &l.entry)
            .filter(|e| q.selects(e.occurred_at, e.orgno.as_ref(), e.client_id.as_deref()))
            .collect();
        found.sort_by_key(|e| std::cmp::Reverse(e.occurred_at));
        let skip = usize::try_from(q.start_index).unwrap_or(usize::MAX);
        Ok(found
            .into_iter()
            .skip(skip)
            .take(usize::from(q.max_hits))
            .cloned()
            .collect())
    }

    fn access_history(&self, q: &AccessHistoryQuery) -> Result<AccessHistoryAnswer, StoreError> {
        let state = self.state()?;
        if q.validate {
            let missing: Vec<CatalogRef> = q
                .catalog_refs()
                .into_iter()
                .filter(|r| !state.knows(r))
                .collect();
            if !missing.is_empty() {
                return Ok(AccessHistoryAnswer::NotInCatalog(missing));
            }
        }
        if !state.owners.contains(&q.owner) {
            return Ok(AccessHistoryAnswer::UnknownOwner);
        }
        let mut matching: Vec<AccessHistoryEntry> = state
            .records
            .values()
            .filter(|(owner, r)| {
                owner == &q.owner && q.window.contains(r.occurred_at) && matches(&q.filter, r)
            })
            .map(|(_, r)| AccessHistoryEntry::from(r))
            .collect();
        matching.sort_by(|a, b| q.sort.compare(a, b));
        let skip = match &q.page.after {
            Some(cursor) => matching
                .iter()
                .take_while(|e| !q.sort.is_after(cursor, e))
                .count(),
            None => usize::try_from(q.page.start_index).unwrap_or(usize::MAX),
        };
        let count = usize::from(q.page.count);
        let has_more = matching.len() > skip.saturating_add(count);
        let entries = matching.into_iter().skip(skip).take(count).collect();
        Ok(AccessHistoryAnswer::Page(AccessPage { entries, has_more }))
    }

    fn append_login_events(&self, events: &[LoginEvent]) -> Result<AppendOutcome, StoreError> {
        let mut state = self.state()?;
        let mut outcome = AppendOutcome::default();
        for e in events {
            let key = (e.subject.expose().to_owned(), e.content_fingerprint());
            if !state.login_keys.insert(key.clone()) {
                outcome.duplicates += 1;
                continue;
            }
            if let Some(client) = e.catalog_client() {
                state.register_client(client);
            }
            let orgno = e.service_orgno().cloned().or_else(|| {
                e.client_id()
                    .and_then(|c| state.clients.get(c))
                    .and_then(|c| c.orgno.clone())
            });
            let occurred_at = truncate(e.occurred_at);
            state.logins.push(StoredLogin {
                subject: e.subject.clone(),
                dedup_key: key.1,
                entry: LoginHistoryEntry {
                    occurred_at,
                    service_name: e.service_name().map(str::to_owned),
                    eid: e.eid.clone(),
                    method: e.method.clone(),
                    client_id: e.client_id().map(str::to_owned),
                    orgno,
                },
            });
            state.owners.insert(e.subject.clone());
            outcome.accepted += 1;
        }
        Ok(outcome)
    }

    fn append_access_records(&self, records: &[AccessRecord]) -> Result<AppendOutcome, StoreError> {
        let mut state = self.state()?;
        let mut outcome = AppendOutcome::default();
        for r in records {
            if state.records.contains_key(&r.id) {
                outcome.duplicates += 1;
                continue;
            }
            state.register_client(r.catalog_client());
            let urn = state.resources.entry(r.resource.clone()).or_default();
            if urn.is_none() {
                urn.clone_from(&r.resource_urn);
            }
            state.actions.insert(r.action.clone());
            state.purposes.insert(r.purpose.clone());
            state.owners.insert(r.owner.clone());
            let stored = AccessRecord {
                occurred_at: truncate(r.occurred_at),
                ..r.clone()
            };
            state.records.insert(r.id, (r.owner.clone(), stored));
            outcome.accepted += 1;
        }
        Ok(outcome)
    }

    fn catalog(&self) -> Result<Catalog, StoreError> {
        let state = self.state()?;
        Ok(Catalog {
            clients: state.clients.values().cloned().collect(),
            resources: state
                .resources
                .iter()
                .map(|(name, urn)| ResourceEntry {
                    name: name.clone(),
                    urn: urn.clone(),
                })
                .collect(),
            actions: state.actions.iter().cloned().collect(),
            purposes: state.purposes.iter().cloned().collect(),
        })
    }

    fn put_client(&self, client: &ClientEntry) -> Result<(), StoreError> {
        let mut state = self.state()?;
        state.applications.insert(client.application.clone());
        state
            .clients
            .insert(client.client_id.clone(), client.clone());
        Ok(())
    }

    fn put_resource(&self, resource: &ResourceEntry) -> Result<(), StoreError> {
        self.state()?
            .resources
            .insert(resource.name.clone(), resource.urn.clone());
        Ok(())
    }

    fn apply_retention(&self, cutoff: OffsetDateTime) -> Result<RetentionOutcome, StoreError> {
        let mut state = self.state()?;
        let logins_before = state.logins.len();
        let kept: Vec<StoredLogin> = state
            .logins
            .drain(..)
            .filter(|l| l.entry.occurred_at >= cutoff)
            .collect();
        state.login_keys = kept
            .iter()
            .map(|l| (l.subject.expose().to_owned(), l.dedup_key.clone()))
            .collect();
        state.logins = kept;
        let records_before = state.records.len();
        state.records.retain(|_, (_, r)| r.occurred_at >= cutoff);
        Ok(RetentionOutcome {
            login_events: (logins_before - state.logins.len()) as u64,
            access_records: (records_before - state.records.len()) as u64,
        })
    }

    fn ping(&self) -> Result<(), StoreError> {
        self.state().map(|_| ())
    }
}
