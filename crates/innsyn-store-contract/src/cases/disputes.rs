//! Disputes: opening routes a case, reads are scoped to a party, answers
//! are checked against the version read, and an open case holds its item
//! from retention.

use innsyn_domain::SubjectId;
use innsyn_domain::disputes::{
    Dispute, DisputeCursor, DisputeParty, DisputeQuery, DisputeStatus, ItemDetails, ItemRef,
    PlainText,
};
use innsyn_ports::{DisputeStore, HistoryStore, NewDispute, OpenOutcome};
use time::Duration;
use uuid::Uuid;

use crate::fixtures::{NOW, ORG_A, ORG_B, access, citizen_query, login, org, subject};

/// A store of both ports over one database, as retention's hold needs.
pub trait Stores: HistoryStore + DisputeStore {}
impl<S: HistoryStore + DisputeStore + ?Sized> Stores for S {}

fn new(subject: &SubjectId, item: &ItemRef, id: u128, minutes_after_now: i64) -> NewDispute {
    NewDispute {
        id: Uuid::from_u128(id),
        subject: subject.clone(),
        item: item.clone(),
        message: PlainText::message(Some("Det var ikke meg – æøå")).unwrap(),
        at: NOW + Duration::minutes(minutes_after_now),
    }
}

fn opened<S: Stores + ?Sized>(store: &S, n: &NewDispute) -> Dispute {
    match store.open_dispute(n).unwrap() {
        OpenOutcome::Opened(d) => d,
        other => panic!("expected a new case, got {other:?}"),
    }
}

/// The references of `subject`'s logins, newest first.
fn login_refs<S: Stores + ?Sized>(store: &S, subject: &SubjectId) -> Vec<ItemRef> {
    let q = citizen_query(subject);
    store
        .login_history(&q)
        .unwrap()
        .into_iter()
        .map(|e| ItemRef::Login(e.key))
        .collect()
}

fn org_party(raw: &str) -> DisputeParty {
    DisputeParty::Organisation(org(raw))
}

fn page(
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

fn ids(cases: &[Dispute]) -> Vec<u128> {
    cases.iter().map(|d| d.id.as_u128()).collect()
}

/// A login is routed to its service's organisation and shows what the
/// organisation knows of it; disputing it again gives back the same case,
/// and another citizen cannot dispute it at all.
pub fn a_disputed_login_is_routed_to_its_organisation<S: Stores + ?Sized>(store: &S) {
    let alice = subject(1);
    store
        .append_login_events(&[login(&alice, 60, "svc-a", Some(ORG_A))])
        .unwrap();
    let [item] = login_refs(store, &alice).try_into().unwrap();
    let first = new(&alice, &item, 1, 0);
    let d = opened(store, &first);
    assert_eq!(
        (d.organisation.as_str(), d.status),
        (ORG_A, DisputeStatus::Open)
    );
    assert_eq!(d.item.reference, item);
    assert_eq!(d.item.occurred_at, NOW - Duration::minutes(60));
    assert_eq!(d.item.client_id.as_deref(), Some("svc-a"));
    assert_eq!(
        d.item.details,
        ItemDetails::Login {
            service_name: Some("Tjeneste svc-a".into()),
            eid: Some("MinID".into()),
            method: Some("PIN".into()),
        }
    );
    assert_eq!(d.message, first.message);
    assert_eq!((d.opened_at, d.updated_at), (NOW, NOW));
    let again = new(&alice, &item, 2, 5);
    assert_eq!(
        store.open_dispute(&again).unwrap(),
        OpenOutcome::Existing(d.clone())
    );
    let bob = subject(2);
    assert_eq!(
        store.open_dispute(&new(&bob, &item, 3, 0)).unwrap(),
        OpenOutcome::NoSuchItem
    );
    let party = DisputeParty::Citizen(alice);
    assert_eq!(ids(&store.disputes(&page(party, None, None)).unwrap()), [1]);
}

/// A look-up is routed to the accessing client's organisation, from the
/// record or else from the catalog; without either it cannot be routed.
pub fn a_disputed_lookup_is_routed_to_the_accessing_organisation<S: Stores + ?Sized>(store: &S) {
    let alice = subject(1);
    let from_catalog = innsyn_domain::AccessRecord {
        orgno: None,
        client_id: "known-client".into(),
        ..access(&alice, 2, 10)
    };
    let unroutable = innsyn_domain::AccessRecord {
        orgno: None,
        client_id: "unknown-client".into(),
        ..access(&alice, 3, 10)
    };
    store
        .put_client(&innsyn_domain::ClientEntry {
            client_id: "known-client".into(),
            application: "Skatteetaten".into(),
            orgno: Some(org(ORG_A)),
        })
        .unwrap();
    store
        .append_access_records(&[access(&alice, 1, 10), from_catalog, unroutable])
        .unwrap();
    let d = opened(
        store,
        &new(&alice, &ItemRef::Access(Uuid::from_u128(1)), 10, 0),
    );
    assert_eq!(d.organisation.as_str(), ORG_B);
    assert_eq!(d.item.client_id.as_deref(), Some("ske-client"));
    let ItemDetails::Access {
        resource, action, ..
    } = &d.item.details
    else {
        panic!("a look-up's details, got {:?}", d.item.details);
    };
    assert_eq!(
        (resource.as_str(), action.as_str()),
        ("skattemelding", "read")
    );
    let d = opened(
        store,
        &new(&alice, &ItemRef::Access(Uuid::from_u128(2)), 11, 0),
    );
    assert_eq!(d.organisation.as_str(), ORG_A);
    assert_eq!(
        store
            .open_dispute(&new(&alice, &ItemRef::Access(Uuid::from_u128(3)), 12, 0))
            .unwrap(),
        OpenOutcome::NoResponsibleOrganisation
    );
    assert_eq!(
        store
            .open_dispute(&new(
                &subject(2),
                &ItemRef::Access(Uuid::from_u128(1)),
                13,
                0
            ))
            .unwrap(),
        OpenOutcome::NoSuchItem
    );
    let mut cases = store
        .disputes(&DisputeQuery {
            limit: 10,
            ..page(DisputeParty::Citizen(alice), None, None)
        })
        .unwrap();
    cases.sort_by_key(|d| d.id);
    assert_eq!(ids(&cases), [10, 11], "nothing stored for the refused ones");
}

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
