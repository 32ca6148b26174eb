//! Disputes, and which items they hold from retention.

use innsyn_domain::SubjectId;
use innsyn_domain::disputes::{
    Dispute, DisputeError, DisputeParty, DisputeQuery, DisputedItem, ItemDetails, ItemRef,
};
use innsyn_ports::{DisputeStore, NewDispute, OpenOutcome, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{MemoryStore, State, truncate};

impl State {
    /// `subject`'s item `item`, as a case shows it.
    fn disputable(&self, subject: &SubjectId, item: &ItemRef) -> Option<DisputedItem> {
        match item {
            ItemRef::Login(key) => self
                .logins
                .iter()
                .find(|l| &l.subject == subject && &l.entry.key == key)
                .map(|l| DisputedItem {
                    reference: item.clone(),
                    occurred_at: l.entry.occurred_at,
                    client_id: l.entry.client_id.clone(),
                    organisation: l.entry.orgno.clone(),
                    details: ItemDetails::Login {
                        service_name: l.entry.service_name.clone(),
                        eid: l.entry.eid.clone(),
                        method: l.entry.method.clone(),
                    },
                }),
            ItemRef::Access(id) => {
                self.records
                    .get(id)
                    .filter(|(owner, _)| owner == subject)
                    .map(|(_, r)| DisputedItem {
                        reference: item.clone(),
                        occurred_at: r.occurred_at,
                        client_id: Some(r.client_id.clone()),
                        organisation: r.orgno.clone().or_else(|| {
                            self.clients.get(&r.client_id).and_then(|c| c.orgno.clone())
                        }),
                        details: ItemDetails::Access {
                            application: r.application.clone(),
                            resource: r.resource.clone(),
                            action: r.action.clone(),
                            purpose: r.purpose.clone(),
                            decision: r.decision,
                        },
                    })
            }
        }
    }

    /// Whether an open case keeps `subject`'s `item` from retention.
    pub(crate) fn held(&self, subject: &SubjectId, item: &ItemRef) -> bool {
        self.disputes
            .values()
            .any(|(s, d)| s == subject && &d.item.reference == item && d.status.holds_item())
    }

    fn visible(&self, party: &DisputeParty) -> impl Iterator<Item = &Dispute> {
        self.disputes
            .values()
            .filter(move |(s, d)| party.may_see(s, &d.organisation))
            .map(|(_, d)| d)
    }
}

impl DisputeStore for MemoryStore {
    fn open_dispute(&self, new: &NewDispute) -> Result<OpenOutcome, StoreError> {
        let mut state = self.state()?;
        let existing = state
            .disputes
            .values()
            .find(|(s, d)| s == &new.subject && d.item.reference == new.item);
        if let Some((_, d)) = existing {
            return Ok(OpenOutcome::Existing(d.clone()));
        }
        let Some(item) = state.disputable(&new.subject, &new.item) else {
            return Ok(OpenOutcome::NoSuchItem);
        };
        match Dispute::open(new.id, item, new.message.clone(), truncate(new.at)) {
            Ok(d) => {
                state
                    .disputes
                    .insert(d.id, (new.subject.clone(), d.clone()));
                Ok(OpenOutcome::Opened(d))
            }
            Err(DisputeError::NoResponsibleOrganisation) => {
                Ok(OpenOutcome::NoResponsibleOrganisation)
            }
            Err(e) => Err(StoreError::Internal(e.to_string())),
        }
    }

    fn disputes(&self, q: &DisputeQuery) -> Result<Vec<Dispute>, StoreError> {
        let state = self.state()?;
        let mut found: Vec<Dispute> = state
            .visible(&q.party)
            .filter(|d| d.status.matches(q.status))
            .filter(|d| q.after.as_ref().is_none_or(|c| c.precedes(d)))
            .cloned()
            .collect();
        found.sort_by_key(|d| std::cmp::Reverse((d.opened_at, d.id)));
        found.truncate(usize::from(q.limit));
        Ok(found)
    }

    fn dispute(&self, party: &DisputeParty, id: Uuid) -> Result<Option<Dispute>, StoreError> {
        Ok(self.state()?.visible(party).find(|d| d.id == id).cloned())
    }

    fn save_answer(&self, previous: &Dispute, answered: &Dispute) -> Result<bool, StoreError> {
        let mut state = self.state()?;
        let Some((_, stored)) = state.disputes.get_mut(&previous.id) else {
            return Ok(false);
        };
        if (stored.status, stored.updated_at) != (previous.status, previous.updated_at) {
            return Ok(false);
        }
        stored.status = answered.status;
        stored.answer = answered.answer.clone();
        stored.updated_at = truncate(answered.updated_at);
        Ok(true)
    }

    fn confirm_item(
        &self,
        subject: &SubjectId,
        item: &ItemRef,
        _at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut state = self.state()?;
        if state.disputable(subject, item).is_none() {
            return Ok(false);
        }
        state.confirmed.insert((subject.clone(), item.clone()));
        Ok(true)
    }

    fn confirmed_items(&self, subject: &SubjectId) -> Result<Vec<ItemRef>, StoreError> {
        let state = self.state()?;
        Ok(state
            .confirmed
            .iter()
            .filter(|(s, _)| s == subject)
            .map(|(_, i)| i.clone())
            .collect())
    }

    fn disputable_item(
        &self,
        subject: &SubjectId,
        item: &ItemRef,
    ) -> Result<Option<DisputedItem>, StoreError> {
        Ok(self.state()?.disputable(subject, item))
    }
}
