//! The catalog: what ingestion registers, what administrators set, and
//! how a validating query is checked against it (exact match, in order).

use innsyn_domain::{AccessHistoryParams, CatalogKind, CatalogRef, ClientEntry, ResourceEntry};
use innsyn_ports::HistoryStore;

use super::not_in_catalog;
use crate::fixtures::{ORG_A, ORG_B, access, login, org, subject, validated};

/// Ingestion registers every value it sees, so a validating query accepts
/// them; any other value of each kind is reported, in the query's order.
pub fn ingestion_registers_the_catalog<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    store
        .append_access_records(&[access(&alice, 1, 5)])
        .unwrap();
    store
        .append_login_events(&[login(&alice, 5, "nav-client", Some(ORG_A))])
        .unwrap();
    let with = |f: fn(&mut AccessHistoryParams)| {
        let mut params = validated();
        f(&mut params);
        not_in_catalog(store, params)
    };
    let none: [CatalogRef; 0] = [];
    assert_eq!(
        with(|p| {
            p.application = Some("Skatteetaten".into());
            p.resource = Some("skattemelding".into());
            p.action = Some("read".into());
            p.purpose = Some("tax-assessment".into());
        }),
        none
    );
    assert_eq!(
        with(|p| {
            p.client_id = Some("ske-client".into());
            p.resource = Some("urn:altinn:resource:skattemelding".into());
        }),
        none
    );
    assert_eq!(with(|p| p.client_id = Some("nav-client".into())), none);
    assert_eq!(
        with(|p| {
            p.application = Some("skatteetaten".into());
            p.resource = Some("Skattemelding".into());
            p.action = Some("write".into());
            p.purpose = Some("read".into());
        }),
        [
            CatalogRef::new(CatalogKind::Application, "skatteetaten"),
            CatalogRef::new(CatalogKind::Resource, "Skattemelding"),
            CatalogRef::new(CatalogKind::Action, "write"),
            CatalogRef::new(CatalogKind::Purpose, "read"),
        ]
    );
    assert_eq!(
        with(|p| {
            p.client_id = Some("unknown-client".into());
            p.resource = Some("urn:altinn:resource:none".into());
            p.action = Some("read".into());
        }),
        [
            CatalogRef::new(CatalogKind::ClientId, "unknown-client"),
            CatalogRef::new(CatalogKind::ResourceUrn, "urn:altinn:resource:none"),
        ]
    );
    assert_eq!(
        with(|p| {
            p.application = Some("Skatteetaten".into());
            p.action = Some("read".into());
            p.purpose = Some("statistics".into());
        }),
        [CatalogRef::new(CatalogKind::Purpose, "statistics")]
    );
}

/// Administrators register and update clients and resources.
pub fn catalog_administration<S: HistoryStore + ?Sized>(store: &S) {
    let client = ClientEntry {
        client_id: "helsenorge".into(),
        application: "Helsenorge".into(),
        orgno: Some(org(ORG_A)),
    };
    store.put_client(&client).unwrap();
    store
        .put_resource(&ResourceEntry {
            name: "pasientjournal".into(),
            urn: Some("urn:nhn:journal".into()),
        })
        .unwrap();
    let moved = ClientEntry {
        orgno: Some(org(ORG_B)),
        ..client.clone()
    };
    store.put_client(&moved).unwrap();
    let catalog = store.catalog().unwrap();
    assert_eq!(catalog.clients, [moved]);
    assert_eq!(
        catalog.resources,
        [ResourceEntry {
            name: "pasientjournal".into(),
            urn: Some("urn:nhn:journal".into())
        }]
    );
    let by_client = AccessHistoryParams {
        client_id: Some("helsenorge".into()),
        resource: Some("urn:nhn:journal".into()),
        ..validated()
    };
    assert_eq!(not_in_catalog(store, by_client), []);
    let by_application = AccessHistoryParams {
        application: Some("Helsenorge".into()),
        ..validated()
    };
    assert_eq!(not_in_catalog(store, by_application), []);
}

/// Ingestion only fills what the catalog lacks: a client first seen
/// without an organisation learns it from a later record (also from a
/// later record in the same batch), a resource learns its URN; neither is
/// overwritten by a record that says otherwise, nor is an administrator's
/// application name.
pub fn ingestion_fills_only_what_the_catalog_lacks<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let seen = |id: u128, client: &str, orgno: Option<&str>, urn: Option<&str>| {
        let mut r = access(&alice, id, 5);
        r.client_id = client.into();
        r.orgno = orgno.map(org);
        r.resource = format!("{client}-data");
        r.resource_urn = urn.map(str::to_owned);
        r
    };
    store
        .put_client(&ClientEntry {
            client_id: "named".into(),
            application: "Named by an administrator".into(),
            orgno: None,
        })
        .unwrap();
    store
        .append_access_records(&[
            seen(1, "later", None, None),
            seen(2, "same-batch", None, None),
            seen(3, "same-batch", Some(ORG_A), Some("urn:x:first")),
            seen(4, "same-batch", Some(ORG_B), Some("urn:x:second")),
            seen(5, "named", Some(ORG_B), None),
        ])
        .unwrap();
    store
        .append_access_records(&[
            seen(6, "later", Some(ORG_A), Some("urn:x:later")),
            seen(7, "later", Some(ORG_B), Some("urn:x:other")),
        ])
        .unwrap();
    let catalog = store.catalog().unwrap();
    let client = |id: &str| catalog.clients.iter().find(|c| c.client_id == id).cloned();
    let urn = |name: &str| {
        let r = catalog.resources.iter().find(|r| r.name == name);
        r.and_then(|r| r.urn.clone())
    };
    assert_eq!(client("later").and_then(|c| c.orgno), Some(org(ORG_A)));
    assert_eq!(client("same-batch").and_then(|c| c.orgno), Some(org(ORG_A)));
    let named = client("named").unwrap();
    assert_eq!(named.application, "Named by an administrator");
    assert_eq!(named.orgno, Some(org(ORG_B)));
    assert_eq!(urn("later-data").as_deref(), Some("urn:x:later"));
    assert_eq!(urn("same-batch-data").as_deref(), Some("urn:x:first"));
}
