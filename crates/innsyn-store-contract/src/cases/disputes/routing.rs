//! Opening a case: routed to the organisation that answers for the item.

use innsyn_domain::disputes::{DisputeParty, DisputeQuery, DisputeStatus, ItemDetails, ItemRef};
use innsyn_ports::OpenOutcome;
use time::Duration;
use uuid::Uuid;

use super::{Stores, ids, login_refs, new, opened, page};
use crate::fixtures::{NOW, ORG_A, ORG_B, access, login, org, subject};

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
