use time::macros::datetime;

use super::test_support::activity;
use super::*;
use crate::catalog::ClientEntry;
use crate::orgno::OrgNumber;

#[test]
fn maps_an_activity_record() {
    let e = LoginEvent::from_activity(activity()).unwrap();
    assert_eq!(e.occurred_at, datetime!(2019-03-07 08:26:36 UTC));
    assert_eq!(e.client_id(), Some("oidc_authorization_api_client_test"));
    assert_eq!(e.service_orgno().map(OrgNumber::as_str), Some("991825827"));
    assert_eq!(
        e.service_name(),
        Some("DIREKTORATET FOR FORVALTNING OG IKT")
    );
}

#[test]
fn owner_org_wins_over_provider_org() {
    let e = LoginEvent::from_activity(ActivityRecord {
        service_owner_orgno: Some("974760673".into()),
        ..activity()
    })
    .unwrap();
    assert_eq!(e.service_orgno().map(OrgNumber::as_str), Some("974760673"));
}

#[test]
fn rejects_missing_subject_and_bad_fields_by_name() {
    let err = LoginEvent::from_activity(ActivityRecord {
        event_name: String::new(),
        event_created: i64::MAX,
        event_subject_pid: None,
        service_provider_orgno: Some("123".into()),
        auth_eid: Some("x".repeat(2000)),
        ..Default::default()
    })
    .unwrap_err();
    let names: Vec<_> = err.params().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "event_name",
            "event_created",
            "event_subject_pid",
            "service_provider_orgno",
            "auth_eid"
        ]
    );
    assert!(!err.to_string().contains("xxxx"));
}

#[test]
fn fingerprint_distinguishes_content_and_prefers_event_id() {
    let a = LoginEvent::from_activity(activity()).unwrap();
    let b = LoginEvent::from_activity(ActivityRecord {
        auth_method: Some("OTC".into()),
        ..activity()
    })
    .unwrap();
    assert_eq!(
        a.content_fingerprint(),
        LoginEvent::from_activity(activity())
            .unwrap()
            .content_fingerprint()
    );
    assert_ne!(a.content_fingerprint(), b.content_fingerprint());
    let with_id = |m: &str| {
        LoginEvent::from_activity(ActivityRecord {
            auth_method: Some(m.into()),
            extra_data: Some([("event_id".to_owned(), "e-1".to_owned())].into()),
            ..activity()
        })
        .unwrap()
        .content_fingerprint()
    };
    assert_eq!(with_id("PIN"), with_id("OTC"));
    // Moving text between neighbouring fields changes the fingerprint.
    let c = LoginEvent::from_activity(ActivityRecord {
        auth_eid: Some("Min".into()),
        auth_method: Some("IDPIN".into()),
        ..activity()
    })
    .unwrap();
    assert_ne!(a.content_fingerprint(), c.content_fingerprint());
}

#[test]
fn a_login_names_its_client_for_the_catalog() {
    let e = LoginEvent::from_activity(ActivityRecord {
        service_provider_name: Some("Min side".into()),
        service_owner_name: Some("NAV".into()),
        service_owner_orgno: Some("889640782".into()),
        ..activity()
    })
    .unwrap();
    assert_eq!(
        e.catalog_client(),
        Some(ClientEntry {
            client_id: "oidc_authorization_api_client_test".into(),
            application: "Min side".into(),
            orgno: Some("889640782".parse().unwrap()),
        })
    );
}

#[test]
fn a_client_without_a_name_takes_its_owners_else_its_id() {
    let owner_named = LoginEvent::from_activity(activity()).unwrap();
    let entry = owner_named.catalog_client().unwrap();
    assert_eq!(entry.application, "DIREKTORATET FOR FORVALTNING OG IKT");
    assert_eq!(
        entry.orgno.as_ref().map(OrgNumber::as_str),
        Some("991825827")
    );
    let unnamed = LoginEvent::from_activity(ActivityRecord {
        service_owner_name: None,
        ..activity()
    })
    .unwrap();
    assert_eq!(
        unnamed.catalog_client().unwrap().application,
        "oidc_authorization_api_client_test"
    );
    let no_client = LoginEvent::from_activity(ActivityRecord {
        service_provider_id: None,
        ..activity()
    })
    .unwrap();
    assert_eq!(no_client.catalog_client(), None);
}

#[test]
fn the_subject_must_be_a_national_identity_number() {
    for (pid, reason) in [
        ("123", "must be 11 digits"),
        ("12345678901", "the check digits do not match"),
        ("32019000035", "the first six digits are not a birth date"),
    ] {
        let err = LoginEvent::from_activity(ActivityRecord {
            event_subject_pid: Some(pid.into()),
            ..activity()
        })
        .unwrap_err();
        let p = &err.params()[0];
        assert_eq!(p.name, "event_subject_pid");
        assert_eq!(
            p.reason,
            format!("not a valid national identity number: {reason}")
        );
        assert!(!err.to_string().contains(pid), "{err}");
    }
    for kind in ["41019000077", "01419000066", "01819000049"] {
        let e = LoginEvent::from_activity(ActivityRecord {
            event_subject_pid: Some(kind.into()),
            ..activity()
        })
        .unwrap();
        assert_eq!(e.subject.expose(), kind);
    }
}

#[test]
fn an_event_past_the_horizon_is_refused_by_its_time_field() {
    use crate::records::Horizon;
    use time::Duration;

    let created = datetime!(2019-03-07 08:26:36 UTC);
    let at = |now, skew| {
        LoginEvent::from_activity_at(activity(), &Horizon::new(now, Duration::seconds(skew)))
    };
    assert!(at(created, 0).is_ok());
    assert!(at(created - Duration::seconds(300), 300).is_ok());
    let err = at(created - Duration::seconds(301), 300).unwrap_err();
    assert_eq!(err.params().len(), 1);
    assert_eq!(err.params()[0].name, "event_created");
    assert_eq!(
        err.params()[0].reason,
        "must not be more than 300 seconds after the service's clock"
    );
    // Together with other bad fields, every one is named.
    let err = LoginEvent::from_activity_at(
        ActivityRecord {
            event_subject_pid: Some("123".into()),
            ..activity()
        },
        &Horizon::new(created - Duration::hours(1), Duration::ZERO),
    )
    .unwrap_err();
    let names: Vec<_> = err.params().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["event_created", "event_subject_pid"]);
}
