//! What a case holds: retention keeps its item; "Dette var meg" per item.

use innsyn_domain::disputes::{DisputeStatus, ItemRef, PlainText};
use innsyn_ports::OpenOutcome;
use time::Duration;
use uuid::Uuid;

use super::{Stores, login_refs, new, opened};
use crate::fixtures::{NOW, ORG_A, ORG_B, access, login, org, subject};

/// While its case is not closed, a disputed item survives retention and its
/// old neighbours do not; once closed, it goes too.
pub fn retention_keeps_what_an_open_case_disputes<S: Stores + ?Sized>(store: &S) {
    let alice = subject(1);
    let old = 400 * 24 * 60;
    store
        .append_access_records(&[access(&alice, 1, old), access(&alice, 2, old + 1)])
        .unwrap();
    store
        .append_login_events(&[
            login(&alice, old, "svc-a", Some(ORG_A)),
            login(&alice, old + 1, "svc-b", Some(ORG_A)),
        ])
        .unwrap();
    let logins = login_refs(store, &alice);
    let held_login = logins[0].clone();
    let on_login = opened(store, &new(&alice, &held_login, 1, 0));
    let on_record = opened(
        store,
        &new(&alice, &ItemRef::Access(Uuid::from_u128(1)), 2, 0),
    );
    let cutoff = NOW - Duration::days(90);
    let removed = store.apply_retention(cutoff, 1_000).unwrap();
    assert_eq!((removed.login_events, removed.access_records), (1, 1));
    assert_eq!(login_refs(store, &alice), [held_login]);
    let again = store.open_dispute(&new(&alice, &ItemRef::Access(Uuid::from_u128(2)), 3, 0));
    assert_eq!(
        again.unwrap(),
        OpenOutcome::NoSuchItem,
        "the neighbour is gone"
    );
    for d in [on_login, on_record] {
        let closed = d
            .answer(
                &d.organisation.clone(),
                DisputeStatus::Closed,
                PlainText::answer("Avklart.").unwrap(),
                NOW,
            )
            .unwrap();
        assert!(store.save_answer(&d, &closed).unwrap());
    }
    // The next run (a later cutoff, as every scheduled run has) takes
    // them; a run may resume past rows released while it goes on.
    let removed = store
        .apply_retention(cutoff + Duration::seconds(1), 1_000)
        .unwrap();
    assert_eq!((removed.login_events, removed.access_records), (1, 1));
    assert!(login_refs(store, &alice).is_empty());
}

/// "Dette var meg" is remembered per citizen and item, and only for items
/// of the citizen's own history.
pub fn a_citizen_confirms_only_their_own_items<S: Stores + ?Sized>(store: &S) {
    let (alice, bob) = (subject(1), subject(2));
    store
        .append_login_events(&[
            login(&alice, 60, "svc-a", Some(ORG_A)),
            login(&alice, 50, "svc-a", Some(ORG_A)),
        ])
        .unwrap();
    store
        .append_access_records(&[access(&alice, 1, 10)])
        .unwrap();
    let logins = login_refs(store, &alice);
    let record = ItemRef::Access(Uuid::from_u128(1));
    assert!(store.confirm_item(&alice, &logins[1], NOW).unwrap());
    assert!(
        store.confirm_item(&alice, &logins[1], NOW).unwrap(),
        "idempotent"
    );
    assert!(store.confirm_item(&alice, &record, NOW).unwrap());
    assert!(!store.confirm_item(&bob, &logins[0], NOW).unwrap());
    assert!(
        !store
            .confirm_item(&alice, &ItemRef::Access(Uuid::from_u128(9)), NOW)
            .unwrap()
    );
    let mut confirmed = store.confirmed_items(&alice).unwrap();
    confirmed.sort();
    let mut expected = vec![logins[1].clone(), record.clone()];
    expected.sort();
    assert_eq!(confirmed, expected);
    assert!(store.confirmed_items(&bob).unwrap().is_empty());
    let shown = store.disputable_item(&alice, &record).unwrap().unwrap();
    assert_eq!(
        (shown.reference, shown.organisation),
        (record.clone(), Some(org(ORG_B)))
    );
    assert_eq!(store.disputable_item(&bob, &record).unwrap(), None);
}
