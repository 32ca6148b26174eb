//! What is stored comes back: fields, idempotency, filters, windows and
//! isolation between owners.

use innsyn_domain::{AccessHistoryEntry, AccessHistoryParams, AccessRecord, Decision};
use innsyn_ports::{AccessHistoryAnswer, HistoryStore};

use super::{ids, outcome, outcome_with_conflicts, page, read};
use crate::fixtures::{access, access_query, subject, wide};

/// What goes in comes out, field by field, newest first by default.
pub fn access_records_round_trip<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let mut no_urn = access(&alice, 2, 30);
    no_urn.resource_urn = None;
    no_urn.decision = Decision::Indeterminate;
    let batch = [access(&alice, 1, 60), no_urn, access(&alice, 3, 5)];
    assert_eq!(store.append_access_records(&batch).unwrap(), outcome(3, 0));
    let page = page(store, &access_query(&alice, AccessHistoryParams::default()));
    assert!(!page.has_more);
    let want: Vec<AccessHistoryEntry> = [&batch[2], &batch[1], &batch[0]]
        .into_iter()
        .map(AccessHistoryEntry::from)
        .collect();
    assert_eq!(page.entries, want);
}

/// Re-sending records stores them once; repeats inside a batch count as duplicates.
pub fn access_records_are_idempotent_by_id<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let batch = [access(&alice, 1, 60), access(&alice, 2, 30)];
    assert_eq!(store.append_access_records(&batch).unwrap(), outcome(2, 0));
    assert_eq!(store.append_access_records(&batch).unwrap(), outcome(0, 2));
    let mut changed = access(&alice, 2, 30);
    changed.action = "delete".into();
    let mut changed_in_batch = access(&alice, 3, 1);
    changed_in_batch.purpose = "other".into();
    assert_eq!(
        store
            .append_access_records(&[
                changed,
                access(&alice, 3, 1),
                access(&alice, 3, 1),
                changed_in_batch
            ])
            .unwrap(),
        outcome_with_conflicts(1, 1, 2)
    );
    let entries = page(store, &access_query(&alice, wide())).entries;
    assert_eq!(ids(&entries), [3, 2, 1]);
    assert_eq!(entries[1].action, "read", "the first write of an id wins");
    assert_eq!(
        entries[0].purpose, "tax-assessment",
        "the first in a batch wins"
    );
}

/// A re-sent id with another timestamp is a conflict: nothing new is
/// stored, the first record stays where it was.
pub fn an_access_id_resent_with_another_time_conflicts<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    assert_eq!(
        store
            .append_access_records(&[access(&alice, 1, 60)])
            .unwrap(),
        outcome(1, 0)
    );
    assert_eq!(
        store
            .append_access_records(&[access(&alice, 1, 30)])
            .unwrap(),
        outcome_with_conflicts(0, 0, 1)
    );
    let entries = page(store, &access_query(&alice, wide())).entries;
    assert_eq!(ids(&entries), [1]);
    assert_eq!(entries[0].occurred_at, access(&alice, 1, 60).occurred_at);
    // An identical re-send is still a duplicate.
    assert_eq!(
        store
            .append_access_records(&[access(&alice, 1, 60)])
            .unwrap(),
        outcome(0, 1)
    );
}

/// A re-sent id under another owner is a conflict: the second owner gets
/// no record (and stays unknown), the first keeps it.
pub fn an_access_id_resent_for_another_owner_conflicts<S: HistoryStore + ?Sized>(store: &S) {
    let (alice, bob) = (subject(1), subject(2));
    store
        .append_access_records(&[access(&alice, 1, 60)])
        .unwrap();
    assert_eq!(
        store.append_access_records(&[access(&bob, 1, 60)]).unwrap(),
        outcome_with_conflicts(0, 0, 1)
    );
    assert_eq!(read(store, &alice, wide()), [1]);
    assert_eq!(
        store.access_history(&access_query(&bob, wide())).unwrap(),
        AccessHistoryAnswer::UnknownOwner
    );
}

/// One owner never sees another's records.
pub fn owners_are_isolated<S: HistoryStore + ?Sized>(store: &S) {
    let (alice, bob, carol) = (subject(1), subject(2), subject(3));
    store
        .append_access_records(&[access(&alice, 1, 5), access(&bob, 2, 5), access(&bob, 3, 6)])
        .unwrap();
    assert_eq!(read(store, &alice, wide()), [1]);
    assert_eq!(read(store, &bob, wide()), [2, 3]);
    assert_eq!(
        store.access_history(&access_query(&carol, wide())).unwrap(),
        AccessHistoryAnswer::UnknownOwner
    );
}

/// Non-ASCII text is stored, filtered and returned unchanged.
pub fn unicode_values_round_trip<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let record = AccessRecord {
        application: "Lånekassen – støtte 🎓".into(),
        client_id: "lånekassen-ç".into(),
        resource: "søknad/æøå".into(),
        resource_urn: Some("urn:altinn:resource:søknad-æøå".into()),
        action: "lese".into(),
        purpose: "saksbehandling «stipend»".into(),
        ..access(&alice, 1, 5)
    };
    store
        .append_access_records(std::slice::from_ref(&record))
        .unwrap();
    let params = AccessHistoryParams {
        application: Some(record.application.clone()),
        resource: Some(record.resource_urn.clone().unwrap()),
        purpose: Some(record.purpose.clone()),
        ..wide()
    };
    let page = page(store, &access_query(&alice, params));
    assert_eq!(page.entries, [AccessHistoryEntry::from(&record)]);
}
