//! The one catalog rule of ingestion: each event or record implies a
//! client entry (`catalog_client`), merged into a known one by
//! `ClientEntry::learn`.

use innsyn_domain::{AccessHistoryParams, AccessRecord, ClientEntry};
use innsyn_ports::HistoryStore;

use super::not_in_catalog;
use crate::fixtures::{ORG_A, ORG_B, access, login, org, subject, validated};

fn client_of<S: HistoryStore + ?Sized>(store: &S, client_id: &str) -> Option<ClientEntry> {
    store
        .catalog()
        .unwrap()
        .clients
        .into_iter()
        .find(|c| c.client_id == client_id)
}

fn client(client_id: &str, application: &str, orgno: Option<&str>) -> ClientEntry {
    ClientEntry {
        client_id: client_id.into(),
        application: application.into(),
        orgno: orgno.map(org),
    }
}

/// A login event's client is registered under the client's own name (the
/// provider's), not the owner's name that seed 1 shows, with the event's
/// organisation.
pub fn a_login_registers_the_provider_name_as_application<S: HistoryStore + ?Sized>(store: &S) {
    let mut event = login(&subject(1), 5, "svc-x", Some(ORG_A));
    event.service_owner.name = Some("DIREKTORATET FOR FORVALTNING OG IKT".into());
    event.service_owner.orgno = Some(org(ORG_B));
    store.append_login_events(&[event]).unwrap();
    assert_eq!(
        client_of(store, "svc-x"),
        Some(client("svc-x", "Tjeneste svc-x", Some(ORG_B)))
    );
    let by_name = AccessHistoryParams {
        application: Some("Tjeneste svc-x".into()),
        ..validated()
    };
    assert_eq!(not_in_catalog(store, by_name), []);
}

/// A known client without an organisation learns it from a later event or
/// record, whether an administrator or ingestion registered it.
pub fn a_known_client_learns_its_organisation<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    store
        .put_client(&client("svc-admin", "Kjent", None))
        .unwrap();
    store
        .append_login_events(&[login(&alice, 20, "svc-seen", None)])
        .unwrap();
    store
        .put_client(&client("ske-client", "Skatt", None))
        .unwrap();
    store
        .append_login_events(&[
            login(&alice, 10, "svc-admin", Some(ORG_A)),
            login(&alice, 5, "svc-seen", Some(ORG_B)),
        ])
        .unwrap();
    store
        .append_access_records(&[access(&alice, 1, 5)])
        .unwrap();
    assert_eq!(
        client_of(store, "svc-admin"),
        Some(client("svc-admin", "Kjent", Some(ORG_A)))
    );
    assert_eq!(
        client_of(store, "svc-seen"),
        Some(client("svc-seen", "Tjeneste svc-seen", Some(ORG_B)))
    );
    assert_eq!(
        client_of(store, "ske-client"),
        Some(client("ske-client", "Skatt", Some(ORG_B)))
    );
}

/// Ingestion never renames a known client's application nor moves it to
/// another organisation: administrators own the catalog.
pub fn ingestion_keeps_a_known_client<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let known = client("ske-client", "Skatteetaten (admin)", Some(ORG_A));
    store.put_client(&known).unwrap();
    store
        .append_login_events(&[login(&alice, 10, "ske-client", Some(ORG_B))])
        .unwrap();
    let renamed = AccessRecord {
        application: "Skatt, omdøpt".into(),
        ..access(&alice, 1, 5)
    };
    store.append_access_records(&[renamed]).unwrap();
    assert_eq!(client_of(store, "ske-client"), Some(known));
}
