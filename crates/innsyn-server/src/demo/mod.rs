//! Demo data for `innsyn dev`: a few synthetic citizens, realistic Norwegian
//! services (with organisation numbers that pass the modulus-11 check), each
//! citizen with their own habits of services, eID and hours over the last
//! months and a few odd logins planted among them ([`habits`]), plus
//! access records (a few of them reads of the citizen's own history) and
//! the catalog with its plain words ([`names`]). Deterministic: the same
//! `now` gives the same data, and ids are stable so seeding twice stores
//! nothing new.

mod habits;
mod names;

use innsyn_domain::identity::{CITIZEN_A, CITIZEN_B, CITIZEN_C};
use innsyn_domain::records::{HistoryKind, HistoryRead, ReadPurpose, Reader};
use innsyn_domain::{
    AccessRecordInput, ActivityRecord, ClientEntry, LabelEntry, OrgNumber, OrganisationEntry,
    ResourceEntry, SubjectId,
};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Synthetic identity numbers (`innsyn_domain::identity::synthetic`:
/// Tenor-style, month + 80, valid check digits, never real people) and a
/// label for each.
pub const CITIZENS: [(&str, &str); 3] = [
    (CITIZEN_A, "Kari Nordmann (demo)"),
    (CITIZEN_B, "Ola Nordmann (demo)"),
    (CITIZEN_C, "Ingrid Hansen (demo)"),
];

/// A demo service: client id, service name, organisation name and number,
/// the resource it reads, and the purpose.
pub struct Service {
    /// OAuth client id (`integrasjon_id`).
    pub client_id: &'static str,
    /// The service (`application`).
    pub application: &'static str,
    /// The organisation (`tjeneste`).
    pub organisation: &'static str,
    /// Its organisation number.
    pub orgno: &'static str,
    /// Resource name.
    pub resource: &'static str,
    /// Purpose of access.
    pub purpose: &'static str,
}

/// The demo services.
pub const SERVICES: [Service; 6] = [
    Service {
        client_id: "nav-minside",
        application: "NAV Min side",
        organisation: "ARBEIDS- OG VELFERDSETATEN",
        orgno: "889640782",
        resource: "nav-arbeidsforhold",
        purpose: "saksbehandling",
    },
    Service {
        client_id: "skatteetaten-skattemelding",
        application: "Skattemeldingen",
        organisation: "SKATTEETATEN",
        orgno: "974761076",
        resource: "skattemelding",
        purpose: "skatteberegning",
    },
    Service {
        client_id: "lanekassen-dinside",
        application: "Lånekassen Dine sider",
        organisation: "STATENS LÅNEKASSE FOR UTDANNING",
        orgno: "960885406",
        resource: "utdanningsstotte",
        purpose: "saksbehandling",
    },
    Service {
        client_id: "helsenorge",
        application: "Helsenorge",
        organisation: "NORSK HELSENETT SF",
        orgno: "994598759",
        resource: "pasientjournal",
        purpose: "helsehjelp",
    },
    Service {
        client_id: "altinn-portal",
        application: "Altinn",
        organisation: "DIGITALISERINGSDIREKTORATET",
        orgno: "991825827",
        resource: "altinn-innboks",
        purpose: "innsyn",
    },
    Service {
        client_id: "brreg-minside",
        application: "Brønnøysundregistrene",
        organisation: "REGISTERENHETEN I BRØNNØYSUND",
        orgno: "974760673",
        resource: "enhetsregisteret-roller",
        purpose: "registerforing",
    },
];

const ACTIONS: [&str; 3] = ["read", "read", "write"];
const DECISIONS: [&str; 6] = [
    "Permit",
    "Permit",
    "Permit",
    "Permit",
    "Deny",
    "NotApplicable",
];

/// Everything `innsyn dev` seeds.
#[derive(Debug, Clone, Default)]
pub struct DemoData {
    /// Login events (ActivityRecords).
    pub events: Vec<ActivityRecord>,
    /// Access records.
    pub records: Vec<AccessRecordInput>,
    /// Clients of the catalog.
    pub clients: Vec<ClientEntry>,
    /// Cases to open: the citizen, the item's reference and the message.
    pub disputes: Vec<(String, String, &'static str)>,
    /// Resources of the catalog.
    pub resources: Vec<ResourceEntry>,
    /// Organisations of the catalog.
    pub organisations: Vec<OrganisationEntry>,
    /// Display names of the codes.
    pub labels: Vec<LabelEntry>,
}

/// A tiny deterministic generator (xorshift64*); demo data needs no more.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Generates the demo data for the months before `now`.
pub fn generate(now: OffsetDateTime) -> DemoData {
    let now = now.replace_nanosecond(0).unwrap_or(now);
    let mut rng = Rng(0x1DE5_7A11_2019_0307);
    let mut data = DemoData::default();
    for s in &SERVICES {
        data.clients.push(ClientEntry {
            client_id: s.client_id.to_owned(),
            application: s.application.to_owned(),
            orgno: OrgNumber::parse(s.orgno).ok(),
        });
        data.resources.push(ResourceEntry {
            name: s.resource.to_owned(),
            urn: Some(format!("urn:altinn:resource:{}", s.resource)),
        });
    }
    data.organisations = names::organisations();
    data.labels = names::labels();
    let mut n: u128 = 0;
    for (c, ((pid, _), habits)) in CITIZENS.iter().zip(&habits::HABITS).enumerate() {
        for i in 0..40 {
            let service = habits.services[rng.below(habits.services.len())];
            let (eid, method) = habits.eids[rng.below(habits.eids.len())];
            let hour = habits.hours[rng.below(habits.hours.len())];
            // Over ~4 months; the first few within the last day so `-1d`
            // windows find something.
            let days_ago = if i < 3 { 0 } else { rng.below(120) as i64 };
            let at = habits::local_at(now, days_ago, hour, rng.below(60) as u8);
            data.events.push(login(
                pid,
                &format!("demo-login-{c}-{i}"),
                at,
                service,
                (eid, method),
                n,
            ));
            n += 1;
        }
        for (k, odd) in habits.odd.iter().enumerate() {
            let at = habits::local_at(now, odd.days_ago, odd.hour, odd.minute);
            data.events.push(login(
                pid,
                &format!("demo-odd-{c}-{k}"),
                at,
                odd.service,
                odd.eid,
                n,
            ));
            n += 1;
        }
        let first_lookup = data.records.len();
        for i in 0..30 {
            let s = &SERVICES[rng.below(SERVICES.len())];
            let minutes = if i < 3 {
                (i as i64) * 240 + 45
            } else {
                rng.below(120 * 24 * 60) as i64
            };
            let at = now - Duration::minutes(minutes);
            data.records.push(AccessRecordInput {
                id: Uuid::from_u128(0xDE30_0000_0000 + n).to_string(),
                timestamp: at.format(&Rfc3339).unwrap_or_default(),
                user_id: (*pid).to_owned(),
                application: s.application.to_owned(),
                client_id: s.client_id.to_owned(),
                resource: s.resource.to_owned(),
                resource_urn: Some(format!("urn:altinn:resource:{}", s.resource)),
                action: ACTIONS[rng.below(ACTIONS.len())].to_owned(),
                purpose: s.purpose.to_owned(),
                decision: DECISIONS[rng.below(DECISIONS.len())].to_owned(),
                orgno: Some(s.orgno.to_owned()),
            });
            n += 1;
        }
        data.records.extend(history_reads(now, pid, &mut n));
        if c == 0 {
            // One open case: the first citizen does not recognise the
            // look-up they see first.
            let first = &data.records[first_lookup];
            data.disputes.push((
                (*pid).to_owned(),
                format!("access.{}", first.id),
                "Jeg har ingen sak hos dere. Hvorfor slo dere opp dette?",
            ));
        }
    }
    data
}

/// One login event as ID-porten sends it.
fn login(
    pid: &str,
    event_id: &str,
    at: OffsetDateTime,
    service: usize,
    (eid, method): (&str, &str),
    n: u128,
) -> ActivityRecord {
    let s = &SERVICES[service % SERVICES.len()];
    let mut extra = std::collections::BTreeMap::new();
    extra.insert("event_id".to_owned(), event_id.to_owned());
    ActivityRecord {
        event_name: "Innlogget".to_owned(),
        event_created: (at.unix_timestamp_nanos() / 1_000_000) as i64,
        event_description: Some("Innlogging via ID-porten".to_owned()),
        event_subject_pid: Some(pid.to_owned()),
        correlation_id: Some(Uuid::from_u128(0xD3_0000 + n).to_string()),
        service_provider_id: Some(s.client_id.to_owned()),
        service_provider_orgno: Some(s.orgno.to_owned()),
        service_provider_name: Some(s.organisation.to_owned()),
        auth_eid: Some(eid.to_owned()),
        auth_method: Some(method.to_owned()),
        application_name: Some("idporten".to_owned()),
        application_environment: Some("dev".to_owned()),
        extra_data: Some(extra),
        ..ActivityRecord::default()
    }
}

/// A few reads of the citizen's own history (issue 15), as innsyn records
/// them: two services holding the citizen's token, and one audit.
fn history_reads(now: OffsetDateTime, pid: &str, n: &mut u128) -> Vec<AccessRecordInput> {
    let Ok(owner) = SubjectId::parse(pid) else {
        return Vec::new();
    };
    let reads = [
        (
            &SERVICES[0],
            HistoryKind::Login,
            ReadPurpose::Innsyn,
            26 * 60,
        ),
        (
            &SERVICES[3],
            HistoryKind::Access,
            ReadPurpose::Innsyn,
            9 * 24 * 60,
        ),
        (
            &SERVICES[4],
            HistoryKind::Access,
            ReadPurpose::Audit,
            30 * 24 * 60,
        ),
    ];
    reads
        .into_iter()
        .map(|(s, kind, purpose, minutes)| {
            *n += 1;
            HistoryRead {
                id: Uuid::from_u128(0xDE5E_0000_0000 + *n),
                at: now - Duration::minutes(minutes),
                owner: owner.clone(),
                kind,
                purpose,
                reader: Reader {
                    client_id: Some(s.client_id.to_owned()),
                    application: Some(s.application.to_owned()),
                    orgno: OrgNumber::parse(s.orgno).ok(),
                },
                rows: 20,
            }
            .to_input()
        })
        .collect()
}

#[cfg(test)]
mod tests;
