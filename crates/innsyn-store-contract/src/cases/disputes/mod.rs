//! Disputes: opening routes a case, reads are scoped to a party, answers
//! are checked against the version read, and an open case holds its item
//! from retention.

use innsyn_domain::SubjectId;
use innsyn_domain::disputes::{
    Dispute, DisputeCursor, DisputeParty, DisputeQuery, DisputeStatus, ItemRef, PlainText,
};
use innsyn_ports::{DisputeStore, HistoryStore, NewDispute, OpenOutcome};
use time::Duration;
use uuid::Uuid;

use crate::fixtures::{NOW, citizen_query, org};

mod held;
mod listing;
mod routing;

pub use held::*;
pub use listing::*;
pub use routing::*;

/// A store of both ports over one database, as retention's hold needs.
pub trait Stores: HistoryStore + DisputeStore {}
impl<S: HistoryStore + DisputeStore + ?Sized> Stores for S {}

pub(super) fn new(
    subject: &SubjectId,
    item: &ItemRef,
    id: u128,
    minutes_after_now: i64,
) -> NewDispute {
    NewDispute {
        id: Uuid::from_u128(id),
        subject: subject.clone(),
        item: item.clone(),
        message: PlainText::message(Some("Det var ikke meg – æøå")).unwrap(),
        at: NOW + Duration::minutes(minutes_after_now),
    }
}

pub(super) fn opened<S: Stores + ?Sized>(store: &S, n: &NewDispute) -> Dispute {
    match store.open_dispute(n).unwrap() {
        OpenOutcome::Opened(d) => d,
        other => panic!("expected a new case, got {other:?}"),
    }
}

/// The references of `subject`'s logins, newest first.
pub(super) fn login_refs<S: Stores + ?Sized>(store: &S, subject: &SubjectId) -> Vec<ItemRef> {
    let q = citizen_query(subject);
    store
        .login_history(&q)
        .unwrap()
        .into_iter()
        .map(|e| ItemRef::Login(e.key))
        .collect()
}

pub(super) fn org_party(raw: &str) -> DisputeParty {
    DisputeParty::Organisation(org(raw))
}

pub(super) fn page(
    party: DisputeParty,
    status: Option<DisputeStatus>,
    after: Option<DisputeCursor>,
) -> DisputeQuery {
    DisputeQuery {
        party,
        status,
        after,
        limit: 2,
    }
}

pub(super) fn ids(cases: &[Dispute]) -> Vec<u128> {
    cases.iter().map(|d| d.id.as_u128()).collect()
}
