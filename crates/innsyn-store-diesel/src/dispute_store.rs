//! The dispute port, over either backend.

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use innsyn_domain::SubjectId;
use innsyn_domain::disputes::{Dispute, DisputeParty, DisputeQuery, DisputedItem, ItemRef};
use innsyn_ports::{DisputeStore, NewDispute, OpenOutcome, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::pool::checkout;
use crate::{Backend, Store, ops};

impl DisputeStore for Store {
    fn open_dispute(&self, new: &NewDispute) -> Result<OpenOutcome, StoreError> {
        with_conn!(self, |c| ops::open_dispute(c, &self.keyer, new))
    }

    fn disputes(&self, q: &DisputeQuery) -> Result<Vec<Dispute>, StoreError> {
        with_conn!(self, |c| ops::disputes(c, &self.keyer, q))
    }

    fn dispute(&self, party: &DisputeParty, id: Uuid) -> Result<Option<Dispute>, StoreError> {
        with_conn!(self, |c| ops::dispute(c, &self.keyer, party, id))
    }

    fn save_answer(&self, previous: &Dispute, answered: &Dispute) -> Result<bool, StoreError> {
        with_conn!(self, |c| ops::save_answer(c, previous, answered))
    }

    fn confirm_item(
        &self,
        subject: &SubjectId,
        item: &ItemRef,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        with_conn!(self, |c| ops::confirm_item(
            c,
            &self.keyer,
            subject,
            item,
            at
        ))
    }

    fn confirmed_items(&self, subject: &SubjectId) -> Result<Vec<ItemRef>, StoreError> {
        with_conn!(self, |c| ops::confirmed_items(c, &self.keyer, subject))
    }

    fn disputable_item(
        &self,
        subject: &SubjectId,
        item: &ItemRef,
    ) -> Result<Option<DisputedItem>, StoreError> {
        with_conn!(self, |c| ops::disputable_item(
            c,
            &self.keyer,
            subject,
            item
        ))
    }
}
