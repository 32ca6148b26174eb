use time::macros::datetime;

use super::*;
use crate::catalog::ClientEntry;
use crate::decision::Decision;
use crate::identity::CITIZEN_A;

fn input() -> AccessRecordInput {
    AccessRecordInput {
        id: "3f2b8c1e-0c1d-4b7a-9a53-2b1b7f1f0a01".into(),
        timestamp: "2024-05-01T10:00:00+02:00".into(),
        user_id: CITIZEN_A.into(),
        application: "Skatteetaten".into(),
        client_id: "ske-client".into(),
        resource: "skattemelding".into(),
        resource_urn: Some("urn:altinn:resource:skattemelding".into()),
        action: "read".into(),
        purpose: "tax assessment".into(),
        decision: "permit".into(),
        orgno: Some("974761076".into()),
    }
}

#[test]
fn access_record_validation() {
    let ok = input();
    let r = AccessRecord::from_input(ok.clone()).unwrap();
    assert_eq!(r.decision, Decision::Permit);
    assert_eq!(r.occurred_at, datetime!(2024-05-01 08:00 UTC));
    let err = AccessRecord::from_input(AccessRecordInput {
        id: "nope".into(),
        timestamp: "2024-05-01T10:00:00".into(),
        decision: "Allow".into(),
        action: String::new(),
        ..ok
    })
    .unwrap_err();
    let names: Vec<_> = err.params().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["id", "timestamp", "action", "decision"]);
}

#[test]
fn an_access_record_names_its_client_for_the_catalog() {
    let r = AccessRecord::from_input(input()).unwrap();
    assert_eq!(
        r.catalog_client(),
        ClientEntry {
            client_id: "ske-client".into(),
            application: "Skatteetaten".into(),
            orgno: Some("974761076".parse().unwrap()),
        }
    );
    let without_org = AccessRecord::from_input(AccessRecordInput {
        orgno: None,
        ..input()
    })
    .unwrap();
    assert_eq!(without_org.catalog_client().orgno, None);
}

#[test]
fn an_access_record_past_the_horizon_is_refused_by_its_timestamp() {
    use crate::records::Horizon;
    use time::Duration;

    let stamped = datetime!(2024-05-01 08:00 UTC);
    let at = |now| AccessRecord::from_input_at(input(), &Horizon::new(now, Duration::minutes(5)));
    assert!(at(stamped - Duration::minutes(5)).is_ok());
    let err = at(stamped - Duration::minutes(6)).unwrap_err();
    let names: Vec<_> = err.params().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["timestamp"]);
}

#[test]
fn the_owner_is_any_subject_id_not_only_an_identity_number() {
    // The seed's userId is "the ID of the owner"; a pairwise or other
    // subject id is stored as sent.
    let r = AccessRecord::from_input(AccessRecordInput {
        user_id: "pairwise-7f3a".into(),
        ..input()
    })
    .unwrap();
    assert_eq!(r.owner.expose(), "pairwise-7f3a");
}
