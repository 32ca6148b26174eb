use time::macros::datetime;
use uuid::Uuid;

use super::*;
use crate::decision::Decision;
use crate::identity::CITIZEN_A;
use crate::orgno::OrgNumber;
use crate::policy::AccessHistoryGrant;
use crate::query::{AccessHistoryQuery, ResourceFilter};
use crate::records::{AccessHistoryEntry, AccessPage};
use crate::subject::SubjectId;
use crate::timespec::TimeWindow;

fn read(kind: HistoryKind, purpose: ReadPurpose, reader: Reader) -> HistoryRead {
    HistoryRead {
        id: Uuid::from_u128(7),
        at: datetime!(2026-12-02 14:00 UTC),
        owner: SubjectId::parse(CITIZEN_A).unwrap(),
        kind,
        purpose,
        reader,
        rows: 3,
    }
}

fn nav() -> Reader {
    Reader {
        client_id: Some("nav-client".into()),
        application: Some("NAV".into()),
        orgno: Some(OrgNumber::parse("889640782").unwrap()),
    }
}

#[test]
fn a_service_reading_seed_1_becomes_a_permit_record_of_the_citizen() {
    let r = read(HistoryKind::Login, ReadPurpose::Innsyn, nav())
        .to_record()
        .unwrap();
    assert_eq!(r.id, Uuid::from_u128(7));
    assert_eq!(r.owner.expose(), CITIZEN_A);
    assert_eq!(r.occurred_at, datetime!(2026-12-02 14:00 UTC));
    assert_eq!(
        (r.application.as_str(), r.client_id.as_str()),
        ("NAV", "nav-client")
    );
    assert_eq!(r.resource, LOGIN_HISTORY_RESOURCE);
    assert_eq!(r.resource_urn.as_deref(), Some(LOGIN_HISTORY_URN));
    assert_eq!((r.action.as_str(), r.purpose.as_str()), ("read", "innsyn"));
    assert_eq!(r.decision, Decision::Permit);
    assert_eq!(r.orgno.unwrap().as_str(), "889640782");
}

#[test]
fn an_audit_read_of_seed_2_has_purpose_audit() {
    let purpose = ReadPurpose::from(AccessHistoryGrant::Audit);
    let r = read(HistoryKind::Access, purpose, nav())
        .to_record()
        .unwrap();
    assert_eq!(r.resource, ACCESS_HISTORY_RESOURCE);
    assert_eq!(r.purpose, "audit");
    assert_eq!(
        ReadPurpose::from(AccessHistoryGrant::Owner),
        ReadPurpose::Innsyn
    );
}

#[test]
fn an_unknown_client_is_still_named() {
    let r = read(HistoryKind::Login, ReadPurpose::Innsyn, Reader::default())
        .to_record()
        .unwrap();
    assert_eq!(r.client_id, UNKNOWN_CLIENT);
    assert_eq!(r.application, UNKNOWN_CLIENT);
    assert_eq!(r.orgno, None);
    let only_client = Reader {
        client_id: Some("svc".into()),
        ..Reader::default()
    };
    let r = read(HistoryKind::Login, ReadPurpose::Innsyn, only_client)
        .to_record()
        .unwrap();
    assert_eq!(
        (r.client_id.as_str(), r.application.as_str()),
        ("svc", "svc")
    );
}

#[test]
fn a_client_id_ingestion_would_refuse_is_refused_by_name() {
    let bad = Reader {
        client_id: Some("a\u{7}b".into()),
        ..nav()
    };
    let e = read(HistoryKind::Login, ReadPurpose::Innsyn, bad)
        .to_record()
        .unwrap_err();
    assert_eq!(e.params()[0].name, "clientId");
}

fn entry(resource: &str) -> AccessHistoryEntry {
    AccessHistoryEntry {
        id: Uuid::from_u128(1),
        occurred_at: datetime!(2026-12-01 10:00 UTC),
        application: "NAV".into(),
        client_id: "nav".into(),
        resource: resource.into(),
        resource_urn: None,
        action: "read".into(),
        purpose: "p".into(),
        decision: Decision::Permit,
        orgno: None,
    }
}

fn query(resource: Option<ResourceFilter>) -> AccessHistoryQuery {
    let window = TimeWindow {
        start: datetime!(2026-12-01 00:00 UTC),
        end: datetime!(2026-12-03 00:00 UTC),
    };
    let mut q = AccessHistoryQuery::new(SubjectId::parse(CITIZEN_A).unwrap(), window);
    q.filter.resource = resource;
    q
}

fn page(resources: &[&str]) -> AccessPage {
    AccessPage {
        entries: resources.iter().map(|r| entry(r)).collect(),
        has_more: false,
    }
}

#[test]
fn reading_only_records_of_reads_is_not_recorded() {
    let any = query(None);
    assert!(records_access_read(
        ReadPurpose::Innsyn,
        &any,
        &page(&["folkeregister"])
    ));
    assert!(records_access_read(
        ReadPurpose::Innsyn,
        &any,
        &page(&[ACCESS_HISTORY_RESOURCE, "folkeregister"])
    ));
    assert!(
        records_access_read(ReadPurpose::Innsyn, &any, &page(&[])),
        "the reader still looked"
    );
    assert!(!records_access_read(
        ReadPurpose::Innsyn,
        &any,
        &page(&[LOGIN_HISTORY_RESOURCE, ACCESS_HISTORY_RESOURCE])
    ));
    for filter in [
        ResourceFilter::Name(LOGIN_HISTORY_RESOURCE.into()),
        ResourceFilter::Urn(ACCESS_HISTORY_URN.into()),
    ] {
        assert!(!records_access_read(
            ReadPurpose::Innsyn,
            &query(Some(filter)),
            &page(&[])
        ));
    }
    let reads_only = page(&[LOGIN_HISTORY_RESOURCE]);
    assert!(
        records_access_read(ReadPurpose::Audit, &any, &reads_only),
        "an auditor's look is always recorded"
    );
    let other = query(Some(ResourceFilter::Name("folkeregister".into())));
    assert!(records_access_read(ReadPurpose::Innsyn, &other, &page(&[])));
}

#[test]
fn the_resources_of_reads_carry_their_urns() {
    let [login, access] = read_resources();
    assert_eq!(login.name, LOGIN_HISTORY_RESOURCE);
    assert_eq!(access.urn.as_deref(), Some(ACCESS_HISTORY_URN));
    assert!(read_resources().iter().all(|r| is_read_resource(&r.name)));
    assert!(filters_on_reads(&query(Some(ResourceFilter::Urn(
        LOGIN_HISTORY_URN.into()
    )))));
    assert!(!filters_on_reads(&query(None)));
}
