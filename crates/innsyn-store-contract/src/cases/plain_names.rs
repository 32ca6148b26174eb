//! Plain words for the catalog's codes: what administrators set comes back
//! for exactly the codes asked for.

use innsyn_domain::{ClientEntry, LabelEntry, LabelKind, NamesWanted, OrganisationEntry};
use innsyn_ports::HistoryStore;

use crate::fixtures::{ORG_A, ORG_B, org};

fn label(kind: LabelKind, name: &str, nb: &str, en: Option<&str>) -> LabelEntry {
    LabelEntry {
        kind,
        name: name.into(),
        nb: nb.into(),
        en: en.map(Into::into),
    }
}

/// Organisations and labels are stored, replaced by a second `put`, listed
/// in the catalog, and answered only for what is asked: a client brings
/// its organisation's name, a label is matched by kind and name.
pub fn plain_names_come_from_the_catalog<S: HistoryStore + ?Sized>(store: &S) {
    let client = ClientEntry {
        client_id: "nav-minside".into(),
        application: "NAV Min side".into(),
        orgno: Some(org(ORG_A)),
    };
    store.put_client(&client).unwrap();
    for (orgno, name) in [
        (ORG_A, "NAV"),
        (ORG_B, "Skatteetaten"),
        (ORG_A, "NAV (renamed)"),
    ] {
        store
            .put_organisation(&OrganisationEntry {
                orgno: org(orgno),
                name: name.into(),
            })
            .unwrap();
    }
    let read = label(LabelKind::Action, "read", "leste", Some("read"));
    let purpose = label(LabelKind::Purpose, "read", "lesing", None);
    store
        .put_label(&label(LabelKind::Action, "read", "så", None))
        .unwrap();
    store.put_label(&read).unwrap();
    store.put_label(&purpose).unwrap();
    store
        .put_label(&label(
            LabelKind::Resource,
            "skattemelding",
            "skattemeldingen",
            None,
        ))
        .unwrap();

    let catalog = store.catalog().unwrap();
    assert_eq!(catalog.organisations.len(), 2);
    assert_eq!(catalog.labels.len(), 3);
    assert!(catalog.labels.contains(&read), "{:?}", catalog.labels);

    let mut wanted = NamesWanted::default();
    wanted.client_ids.insert("nav-minside".into());
    wanted.client_ids.insert("unknown-client".into());
    wanted.label(LabelKind::Action, "read");
    wanted.label(LabelKind::Action, "write");
    let names = store.plain_names(&wanted).unwrap();
    assert_eq!(names.clients.len(), 1);
    assert_eq!(names.client("nav-minside"), Some(&client));
    assert_eq!(names.organisation(&org(ORG_A)), Some("NAV (renamed)"));
    assert_eq!(names.organisation(&org(ORG_B)), None, "not asked for");
    assert_eq!(
        names.labels.len(),
        1,
        "the purpose 'read' was not asked for"
    );
    assert_eq!(names.label(LabelKind::Action, "read", false), Some("leste"));
    assert_eq!(names.label(LabelKind::Action, "read", true), Some("read"));

    let mut wanted = NamesWanted::default();
    wanted.orgnos.insert(org(ORG_B));
    wanted.label(LabelKind::Purpose, "read");
    let names = store.plain_names(&wanted).unwrap();
    assert_eq!(names.organisation(&org(ORG_B)), Some("Skatteetaten"));
    assert_eq!(
        names.label(LabelKind::Purpose, "read", true),
        Some("lesing")
    );
    assert!(names.clients.is_empty());
    assert_eq!(
        store.plain_names(&NamesWanted::default()).unwrap(),
        Default::default()
    );
}
