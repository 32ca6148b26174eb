//! What the use-case tests share: a service over the memory store at a
//! fixed clock, and one citizen's events.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use innsyn_app::{Ports, Service, Settings};
use innsyn_domain::identity::CITIZEN_A;
use innsyn_domain::{AccessRecordInput, ActivityRecord, Caller, OrgNumber, Scopes, SubjectId};
use innsyn_ports::MockTokenIntrospector;
use innsyn_store_memory::MemoryStore;
use innsyn_test_support::FixedClock;
use time::OffsetDateTime;
use time::macros::datetime;

pub(crate) const CITIZEN: &str = CITIZEN_A;
pub(crate) const NOW: OffsetDateTime = datetime!(2024-05-15 12:00 UTC);

pub(crate) fn caller(scopes: &str, orgno: Option<&str>) -> Caller {
    Caller {
        subject: Some(SubjectId::parse(CITIZEN).unwrap()),
        client_id: Some("svc".into()),
        orgno: orgno.map(|o| OrgNumber::parse(o).unwrap()),
        scopes: Scopes::parse(scopes).unwrap(),
        acr: None,
    }
}

pub(crate) fn service_with(
    tokens: Option<MockTokenIntrospector>,
    retention_months: Option<u32>,
) -> Service {
    Service::new(
        Ports {
            tokens: tokens.map(|t| Arc::new(t) as _),
            clock: Arc::new(FixedClock::at(NOW)),
            ..Ports::over(Arc::new(MemoryStore::new()))
        },
        Settings {
            store_queue_timeout: Duration::from_secs(5),
            retention_months,
            ..Settings::default()
        },
    )
}

pub(crate) fn login(at: OffsetDateTime, owner_orgno: &str) -> ActivityRecord {
    ActivityRecord {
        event_name: "Innlogget".into(),
        event_created: i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap(),
        event_subject_pid: Some(CITIZEN.into()),
        service_provider_id: Some("svc".into()),
        service_owner_orgno: Some(owner_orgno.into()),
        service_owner_name: Some("Tjenesten".into()),
        auth_eid: Some("MinID".into()),
        auth_method: Some("PIN".into()),
        ..ActivityRecord::default()
    }
}

pub(crate) fn record(n: u128, at: &str) -> AccessRecordInput {
    AccessRecordInput {
        id: uuid::Uuid::from_u128(n).to_string(),
        timestamp: at.into(),
        user_id: CITIZEN.into(),
        application: "NAV".into(),
        client_id: "nav".into(),
        resource: "folkeregister".into(),
        resource_urn: None,
        action: "read".into(),
        purpose: "saksbehandling".into(),
        decision: "Permit".into(),
        orgno: None,
    }
}
