//! Access history: seed 2's answer, and ingestion.

use innsyn_domain::disputes::ItemRef;
use innsyn_domain::{
    AccessFilter, AccessHistoryEntry, AccessHistoryQuery, AccessPage, AccessRecord, AppendOutcome,
    ApplicationFilter, CatalogRef, ResourceFilter,
};
use innsyn_ports::AccessHistoryAnswer;

use crate::{State, truncate};

/// Whether `r` passes every filter of `filter` (exact values).
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
    /// The catalog check, the owner check, then the page, as the port says.
    pub(crate) fn access_history(&self, q: &AccessHistoryQuery) -> AccessHistoryAnswer {
        let missing: Vec<CatalogRef> = q
            .catalog_refs()
            .into_iter()
            .filter(|r| !self.knows(r))
            .collect();
        if !missing.is_empty() {
            return AccessHistoryAnswer::NotInCatalog(missing);
        }
        if !self.owners.contains(&q.owner) {
            return AccessHistoryAnswer::UnknownOwner;
        }
        let mut matching: Vec<AccessHistoryEntry> = self
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
        AccessHistoryAnswer::Page(AccessPage { entries, has_more })
    }

    /// Stores the records not seen before (by id), registering their
    /// values in the catalog. A known id is a duplicate when the record is
    /// the same as stored (at the stored precision), else a conflict; either
    /// way the stored record stays.
    pub(crate) fn append_access_records(&mut self, records: &[AccessRecord]) -> AppendOutcome {
        let mut outcome = AppendOutcome::default();
        for r in records {
            let stored = AccessRecord {
                occurred_at: truncate(r.occurred_at),
                ..r.clone()
            };
            if let Some((_, known)) = self.records.get(&r.id) {
                if *known == stored {
                    outcome.duplicates += 1;
                } else {
                    outcome.conflicts += 1;
                }
                continue;
            }
            self.register_client(r.catalog_client());
            let urn = self.resources.entry(r.resource.clone()).or_default();
            if urn.is_none() {
                urn.clone_from(&r.resource_urn);
            }
            self.actions.insert(r.action.clone());
            self.purposes.insert(r.purpose.clone());
            self.owners.insert(r.owner.clone());
            let key = self.log.subject_key(&r.owner);
            let leaf = AccessHistoryEntry::from(&stored)
                .log_entry(&key)
                .leaf_hash();
            self.log.append(&r.owner, ItemRef::Access(r.id), leaf);
            self.records.insert(r.id, (r.owner.clone(), stored));
            outcome.accepted += 1;
        }
        outcome
    }
}
