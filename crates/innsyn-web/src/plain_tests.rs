use innsyn_domain::{ClientEntry, LabelEntry};
use time::macros::datetime;
use uuid::Uuid;

use crate::i18n::Lang;
use crate::plain::*;
use innsyn_domain::{AccessHistoryEntry, Decision, LabelKind, OrgNumber, PlainNames};

fn nav() -> OrgNumber {
    "889640782".parse().unwrap()
}

fn names() -> PlainNames {
    let mut n = PlainNames::default();
    n.organisations.insert(nav(), "NAV".into());
    n.clients.insert(
        "nav-minside".into(),
        ClientEntry {
            client_id: "nav-minside".into(),
            application: "NAV Min side".into(),
            orgno: Some(nav()),
        },
    );
    for (kind, code, nb, en) in [
        (LabelKind::Action, "read", "leste", "read"),
        (
            LabelKind::Resource,
            "nav-arbeidsforhold",
            "arbeidsforhold",
            "employment records",
        ),
        (
            LabelKind::Purpose,
            "saksbehandling",
            "saksbehandling",
            "case handling",
        ),
    ] {
        n.labels.insert(
            (kind, code.into()),
            LabelEntry {
                kind,
                name: code.into(),
                nb: nb.into(),
                en: Some(en.into()),
            },
        );
    }
    n
}

fn lookup(action: &str) -> AccessHistoryEntry {
    AccessHistoryEntry {
        id: Uuid::nil(),
        occurred_at: datetime!(2024-03-01 10:00 UTC),
        application: "NAV Min side".into(),
        client_id: "nav-minside".into(),
        resource: "nav-arbeidsforhold".into(),
        resource_urn: None,
        action: action.into(),
        purpose: "saksbehandling".into(),
        decision: Decision::Permit,
        orgno: None,
    }
}

#[test]
fn a_look_up_reads_as_a_sentence() {
    assert_eq!(
        access_sentence(&lookup("read"), &names(), Lang::Nb),
        "NAV (889640782) leste arbeidsforhold — formål: saksbehandling"
    );
    assert_eq!(
        access_sentence(&lookup("read"), &names(), Lang::En),
        "NAV (889640782) read employment records — purpose: case handling"
    );
    // Codes the catalog does not name stay as they are.
    assert_eq!(
        access_sentence(&lookup("delete"), &PlainNames::default(), Lang::Nb),
        "NAV Min side: delete nav-arbeidsforhold — formål: saksbehandling"
    );
}

#[test]
fn eids_are_named_once() {
    let nb = |e, m| eid_name(Some(e), Some(m), Lang::Nb).unwrap();
    assert_eq!(nb("BankID", "BankID"), "BankID");
    assert_eq!(nb("MinID", "OTC"), "MinID med engangskode");
    assert_eq!(nb("BankID", "BankID mobil"), "BankID på mobil");
    assert_eq!(nb("Buypass", "Smartkort"), "Buypass med smartkort");
    assert_eq!(
        eid_name(Some("MinID"), Some("PIN"), Lang::En).unwrap(),
        "MinID with PIN code"
    );
    assert_eq!(
        eid_name(Some("Federated"), None, Lang::Nb).unwrap(),
        "Federated"
    );
    assert_eq!(eid_name(None, Some("PIN"), Lang::Nb), None);
}

#[test]
fn organisations_come_with_their_number() {
    assert_eq!(organisation(&nav(), &names()), "NAV (889640782)");
    assert_eq!(organisation(&nav(), &PlainNames::default()), "889640782");
    assert_eq!(
        decision_explained(Decision::Deny).get(Lang::Nb),
        "Avslått — ingen opplysninger ble utlevert"
    );
}
