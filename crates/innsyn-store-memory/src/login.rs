//! Login history: seed 1 and the citizen's own view, and ingestion.

use innsyn_domain::disputes::{ItemRef, LoginKey};
use innsyn_domain::{AppendOutcome, LoginEvent, LoginHistoryEntry, LoginHistoryQuery};

use crate::{State, StoredLogin, truncate};

impl State {
    /// The subject's events `q` selects, newest first, paged.
    pub(crate) fn login_history(&self, q: &LoginHistoryQuery) -> Vec<LoginHistoryEntry> {
        let mut found: Vec<&LoginHistoryEntry> = self
            .logins
            .iter()
            .filter(|l| l.subject == q.subject)
            .map(|l| &l.entry)
            .filter(|e| q.selects(e.occurred_at, e.orgno.as_ref(), e.client_id.as_deref()))
            .collect();
        found.sort_by_key(|e| std::cmp::Reverse(e.occurred_at));
        let skip = usize::try_from(q.start_index).unwrap_or(usize::MAX);
        found
            .into_iter()
            .skip(skip)
            .take(usize::from(q.max_hits))
            .cloned()
            .collect()
    }

    /// Stores the events not seen before (by subject and content); an
    /// event naming no organisation takes its client's from the catalog.
    pub(crate) fn append_login_events(&mut self, events: &[LoginEvent]) -> AppendOutcome {
        let mut outcome = AppendOutcome::default();
        for e in events {
            let key = (e.subject.expose().to_owned(), e.content_fingerprint());
            if !self.login_keys.insert(key.clone()) {
                outcome.duplicates += 1;
                continue;
            }
            if let Some(client) = e.catalog_client() {
                self.register_client(client);
            }
            let orgno = e.service_orgno().cloned().or_else(|| {
                e.client_id()
                    .and_then(|c| self.clients.get(c))
                    .and_then(|c| c.orgno.clone())
            });
            let occurred_at = truncate(e.occurred_at);
            let entry = LoginHistoryEntry {
                // A number in arrival order: short, unique, and
                // derived from nothing in the event.
                key: LoginKey::new(self.logins_stored.to_be_bytes().to_vec()),
                occurred_at,
                service_name: e.service_name().map(str::to_owned),
                eid: e.eid.clone(),
                method: e.method.clone(),
                client_id: e.client_id().map(str::to_owned),
                orgno,
            };
            let leaf = entry
                .log_entry(&self.log.subject_key(&e.subject))
                .leaf_hash();
            self.log
                .append(&e.subject, ItemRef::Login(entry.key.clone()), leaf);
            self.logins.push(StoredLogin {
                subject: e.subject.clone(),
                dedup_key: key.1,
                entry,
            });
            self.logins_stored += 1;
            self.owners.insert(e.subject.clone());
            outcome.accepted += 1;
        }
        outcome
    }
}
