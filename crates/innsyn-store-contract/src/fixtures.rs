//! Builders for the records and queries the cases use.

use innsyn_domain::{
    AccessHistoryParams, AccessHistoryQuery, AccessRecord, Decision, LoginEvent, LoginHistoryQuery,
    OrgNumber, SubjectId, Zone, identity::synthetic, records::Party,
};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// The fixed "now" of every case.
pub const NOW: OffsetDateTime = datetime!(2024-05-15 12:00 UTC);

/// Organisation numbers that pass the modulus-11 check.
pub const ORG_A: &str = "991825827";
/// A second organisation.
pub const ORG_B: &str = "974760673";

/// The `n`th test citizen: a synthetic identity number with valid check
/// digits ([`synthetic`]).
pub fn subject(n: u32) -> SubjectId {
    SubjectId::parse(&synthetic(n)).unwrap()
}

/// An organisation number.
pub fn org(raw: &str) -> OrgNumber {
    raw.parse().unwrap()
}

/// `NOW` minus `minutes`.
pub fn ago(minutes: i64) -> OffsetDateTime {
    NOW - Duration::minutes(minutes)
}

/// A plain access record of `owner` with id `id`, `minutes` before `NOW`.
pub fn access(owner: &SubjectId, id: u128, minutes: i64) -> AccessRecord {
    AccessRecord {
        id: Uuid::from_u128(id),
        occurred_at: ago(minutes),
        owner: owner.clone(),
        application: "Skatteetaten".into(),
        client_id: "ske-client".into(),
        resource: "skattemelding".into(),
        resource_urn: Some("urn:altinn:resource:skattemelding".into()),
        action: "read".into(),
        purpose: "tax-assessment".into(),
        decision: Decision::Permit,
        orgno: Some(org(ORG_B)),
    }
}

/// A varied data set for filters and sorts: ten records of one owner.
pub fn varied(owner: &SubjectId) -> Vec<AccessRecord> {
    let apps = [
        ("NAV", "nav-client"),
        ("Skatteetaten", "ske-client"),
        ("Lånekassen", "lanekassen"),
    ];
    let resources = [
        ("a-melding", "urn:altinn:resource:a-melding"),
        ("skattemelding", "urn:altinn:resource:skattemelding"),
    ];
    let actions = ["read", "write"];
    let purposes = ["case-handling", "tax-assessment", "statistics"];
    (0..10u128)
        .map(|i| {
            let n = i as usize;
            AccessRecord {
                application: apps[n % 3].0.into(),
                client_id: apps[n % 3].1.into(),
                resource: resources[n % 2].0.into(),
                resource_urn: Some(resources[n % 2].1.into()),
                action: actions[(n / 2) % 2].into(),
                purpose: purposes[(n / 3) % 3].into(),
                decision: Decision::ALL[n % 4],
                ..access(owner, 100 + i, 10 * (i as i64 + 1))
            }
        })
        .collect()
}

/// A login event of `subject`, `minutes` before `NOW`, for a service of `orgno`.
pub fn login(subject: &SubjectId, minutes: i64, client: &str, orgno: Option<&str>) -> LoginEvent {
    LoginEvent {
        occurred_at: ago(minutes),
        subject: subject.clone(),
        event_name: "Innlogget".into(),
        description: None,
        service_provider: Party {
            id: Some(client.into()),
            orgno: orgno.map(org),
            name: Some(format!("Tjeneste {client}")),
        },
        service_owner: Party::default(),
        eid: Some("MinID".into()),
        method: Some("PIN".into()),
        correlation_id: Some(format!("corr-{minutes}-{client}")),
        application: None,
        event_id: None,
    }
}

/// A seed-2 query for `owner` built by the domain from raw parameters.
pub fn access_query(owner: &SubjectId, params: AccessHistoryParams) -> AccessHistoryQuery {
    AccessHistoryQuery::build(owner.clone(), &params, NOW, Zone::oslo()).unwrap()
}

/// Raw parameters with a window wide enough for every fixture (the last 30 days).
pub fn wide() -> AccessHistoryParams {
    AccessHistoryParams {
        start_time: Some("-30d".into()),
        ..Default::default()
    }
}

/// [`wide`] with `validate` on: every filter value must be in the catalog.
pub fn validated() -> AccessHistoryParams {
    AccessHistoryParams {
        validate: Some("true".into()),
        ..wide()
    }
}

/// A seed-1 query: one organisation's newest `max_hits`.
pub fn login_query(subject: &SubjectId, orgno: &str, max_hits: u16) -> LoginHistoryQuery {
    LoginHistoryQuery {
        orgno: Some(org(orgno)),
        max_hits,
        ..citizen_query(subject)
    }
}

/// The citizen's own view: every service, all time, first 100.
pub fn citizen_query(subject: &SubjectId) -> LoginHistoryQuery {
    LoginHistoryQuery {
        subject: subject.clone(),
        orgno: None,
        window: None,
        client_id: None,
        start_index: 0,
        max_hits: 100,
    }
}
