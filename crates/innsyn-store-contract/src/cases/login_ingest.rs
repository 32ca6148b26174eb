//! What ingestion keeps of a login event: idempotency and the fields seed 1
//! shows.

use innsyn_ports::HistoryStore;

use super::outcome;
use crate::fixtures::{ORG_A, ORG_B, ago, login, login_query, org, subject};

/// Same content (or same `event_id`) is stored once; different content twice.
pub fn login_events_are_idempotent<S: HistoryStore + ?Sized>(store: &S) {
    let (alice, bob) = (subject(1), subject(2));
    let a = login(&alice, 10, "svc-a", Some(ORG_A));
    let mut other_method = a.clone();
    other_method.method = Some("OTC".into());
    let same_for_bob = login(&bob, 10, "svc-a", Some(ORG_A));
    assert_eq!(
        store
            .append_login_events(&[a.clone(), a.clone(), other_method.clone()])
            .unwrap(),
        outcome(2, 1)
    );
    assert_eq!(
        store
            .append_login_events(&[a.clone(), other_method, same_for_bob])
            .unwrap(),
        outcome(1, 2)
    );
    let mut with_id = login(&alice, 5, "svc-a", Some(ORG_A));
    with_id.event_id = Some("evt-1".into());
    let mut same_id_other_content = with_id.clone();
    same_id_other_content.method = Some("BankID".into());
    assert_eq!(
        store.append_login_events(&[with_id]).unwrap(),
        outcome(1, 0)
    );
    assert_eq!(
        store.append_login_events(&[same_id_other_content]).unwrap(),
        outcome(0, 1)
    );
    assert_eq!(
        store
            .login_history(&login_query(&alice, ORG_A, 100))
            .unwrap()
            .len(),
        3
    );
}

/// The fields seed 1 shows: owner name before provider name, eID, method, client, org.
pub fn login_entry_fields<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let mut event = login(
        &alice,
        10,
        "oidc_authorization_api_client_test",
        Some(ORG_A),
    );
    event.service_owner.name = Some("DIREKTORATET FOR FORVALTNING OG IKT".into());
    event.service_owner.orgno = Some(org(ORG_B));
    let mut federated = login(&alice, 5, "svc-fed", Some(ORG_B));
    federated.eid = Some("Federated".into());
    federated.method = None;
    store.append_login_events(&[event, federated]).unwrap();
    let found = store
        .login_history(&login_query(&alice, ORG_B, 100))
        .unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(
        found[1].service_name.as_deref(),
        Some("DIREKTORATET FOR FORVALTNING OG IKT")
    );
    assert_eq!(
        found[1].client_id.as_deref(),
        Some("oidc_authorization_api_client_test")
    );
    assert_eq!(found[1].orgno, Some(org(ORG_B)));
    assert_eq!(found[1].eid_label(), "MinID PIN");
    assert_eq!(found[0].service_name.as_deref(), Some("Tjeneste svc-fed"));
    assert_eq!(found[0].eid_label(), "Federated");
    assert_eq!(found[0].occurred_at, ago(5));
}
