//! Reading and answering cases: scoped to a party, newest first, answers
//! over the version read.

use innsyn_domain::disputes::{
    DisputeCursor, DisputeParty, DisputeQuery, DisputeStatus, ItemRef, PlainText,
};
use time::Duration;
use uuid::Uuid;

use super::{Stores, ids, new, opened, org_party, page};
use crate::fixtures::{NOW, ORG_A, ORG_B, access, org, subject};

/// Each party sees its own cases only, newest first, in keyset pages, by
/// status; a case of another party is not found.
pub fn cases_are_listed_per_party_newest_first<S: Stores + ?Sized>(store: &S) {
    let (alice, bob) = (subject(1), subject(2));
    let records: Vec<_> = (1..=4u128)
        .map(|i| {
            let owner = if i == 4 { &bob } else { &alice };
            let orgno = if i == 3 { ORG_A } else { ORG_B };
            innsyn_domain::AccessRecord {
                orgno: Some(org(orgno)),
                ..access(owner, i, 10)
            }
        })
        .collect();
    store.append_access_records(&records).unwrap();
    // Cases 1 and 2 share their opening time: the id breaks the tie.
    for (i, owner, minute) in [
        (1u128, &alice, 0),
        (2, &alice, 0),
        (3, &alice, 1),
        (4, &bob, 2),
    ] {
        opened(
            store,
            &new(owner, &ItemRef::Access(Uuid::from_u128(i)), i, minute),
        );
    }
    let b = || org_party(ORG_B);
    let first = store.disputes(&page(b(), None, None)).unwrap();
    assert_eq!(ids(&first), [4, 2]);
    let after = first.last().map(DisputeCursor::of);
    assert_eq!(ids(&store.disputes(&page(b(), None, after)).unwrap()), [1]);
    assert_eq!(
        ids(&store.disputes(&page(org_party(ORG_A), None, None)).unwrap()),
        [3]
    );
    let alices = page(DisputeParty::Citizen(alice.clone()), None, None);
    assert_eq!(
        ids(&store
            .disputes(&DisputeQuery {
                limit: 10,
                ..alices
            })
            .unwrap()),
        [3, 2, 1]
    );
    let id4 = Uuid::from_u128(4);
    assert!(store.dispute(&b(), id4).unwrap().is_some());
    assert_eq!(store.dispute(&org_party(ORG_A), id4).unwrap(), None);
    assert_eq!(
        store.dispute(&DisputeParty::Citizen(alice), id4).unwrap(),
        None
    );
    assert!(
        store
            .dispute(&DisputeParty::Citizen(bob), id4)
            .unwrap()
            .is_some()
    );
    assert_eq!(store.dispute(&b(), Uuid::from_u128(99)).unwrap(), None);
    let open = store
        .disputes(&page(b(), Some(DisputeStatus::Open), None))
        .unwrap();
    assert_eq!(ids(&open), [4, 2]);
    let answered = store
        .disputes(&page(b(), Some(DisputeStatus::Answered), None))
        .unwrap();
    assert!(answered.is_empty());
}

/// An answer is saved only over the version it was made from.
pub fn an_answer_is_saved_only_over_the_version_read<S: Stores + ?Sized>(store: &S) {
    let alice = subject(1);
    store
        .append_access_records(&[access(&alice, 1, 10)])
        .unwrap();
    let d = opened(
        store,
        &new(&alice, &ItemRef::Access(Uuid::from_u128(1)), 1, 0),
    );
    let text = PlainText::answer("Vi har sjekket: det var saksbehandler Ås.").unwrap();
    let answered = d
        .answer(
            &org(ORG_B),
            DisputeStatus::Answered,
            text,
            NOW + Duration::hours(1),
        )
        .unwrap();
    assert!(store.save_answer(&d, &answered).unwrap());
    let stored = store.dispute(&org_party(ORG_B), d.id).unwrap().unwrap();
    assert_eq!(stored, answered);
    let citizen = DisputeParty::Citizen(alice);
    assert_eq!(
        store.dispute(&citizen, d.id).unwrap(),
        Some(answered.clone())
    );
    let stale = d
        .answer(
            &org(ORG_B),
            DisputeStatus::Closed,
            PlainText::answer("x").unwrap(),
            NOW + Duration::hours(2),
        )
        .unwrap();
    assert!(
        !store.save_answer(&d, &stale).unwrap(),
        "written over a newer version"
    );
    assert_eq!(store.dispute(&citizen, d.id).unwrap(), Some(answered));
}
