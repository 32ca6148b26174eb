use super::ClientEntry;
use crate::orgno::OrgNumber;

fn entry(application: &str, orgno: Option<&str>) -> ClientEntry {
    ClientEntry {
        client_id: "nav-minside".into(),
        application: application.into(),
        orgno: orgno.map(|o| o.parse::<OrgNumber>().unwrap()),
    }
}

#[test]
fn a_client_without_an_organisation_learns_it() {
    let mut known = entry("NAV Min side", None);
    known.learn(&entry("Min side", Some("889640782")));
    assert_eq!(known, entry("NAV Min side", Some("889640782")));
}

#[test]
fn a_known_organisation_and_the_application_name_are_kept() {
    for seen in [
        entry("Renamed by a producer", Some("991825827")),
        entry("Renamed by a producer", None),
    ] {
        let mut known = entry("NAV Min side", Some("889640782"));
        known.learn(&seen);
        assert_eq!(known, entry("NAV Min side", Some("889640782")), "{seen:?}");
    }
}

#[test]
fn learning_nothing_changes_nothing() {
    let mut known = entry("NAV Min side", None);
    known.learn(&entry("NAV Min side", None));
    assert_eq!(known, entry("NAV Min side", None));
}
