//! What is stored: login events (from ID-porten's ActivityRecord) and access
//! records, with the validation that turns wire objects into them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::decision::Decision;
use crate::orgno::OrgNumber;
use crate::params::InvalidParams;
use crate::subject::SubjectId;

/// Longest text field accepted at ingestion.
pub const MAX_TEXT_LEN: usize = 1024;
/// Largest batch either ingestion endpoint accepts.
pub const MAX_BATCH: usize = 10_000;

/// One ID-porten activity record, the shape `eid-log-event`'s `activity.avsc`
/// emits. Only `event_name` and `event_created` are required by the schema.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct ActivityRecord {
    pub event_name: String,
    /// Epoch milliseconds.
    pub event_created: i64,
    pub event_description: Option<String>,
    pub event_subject_pid: Option<String>,
    pub event_actor_id: Option<String>,
    pub correlation_id: Option<String>,
    pub service_provider_id: Option<String>,
    pub service_provider_orgno: Option<String>,
    pub service_provider_name: Option<String>,
    pub service_owner_id: Option<String>,
    pub service_owner_orgno: Option<String>,
    pub service_owner_name: Option<String>,
    pub auth_eid: Option<String>,
    pub auth_method: Option<String>,
    pub application_name: Option<String>,
    pub application_environment: Option<String>,
    #[serde(default)]
    pub extra_data: Option<BTreeMap<String, String>>,
}

/// An organisation as an activity record names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    /// Its id in ID-porten (client id or owner id).
    pub id: Option<String>,
    /// Its organisation number.
    pub orgno: Option<OrgNumber>,
    /// Its name.
    pub name: Option<String>,
}

/// A validated login event.
///
/// `event_actor_id` and `extra_data` (except `extra_data.event_id`) are not
/// kept: the read APIs do not show them and they may hold further personal
/// data (data minimisation, GDPR art. 5(1)(c)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginEvent {
    /// When it happened.
    pub occurred_at: OffsetDateTime,
    /// Who logged in.
    pub subject: SubjectId,
    /// ID-porten's event name, e.g. `Innlogget`.
    pub event_name: String,
    /// Free text from the producer.
    pub description: Option<String>,
    /// The client (integration) the login was for.
    pub service_provider: Party,
    /// The organisation owning the service, when it differs from the client's.
    pub service_owner: Party,
    /// The eID, e.g. `MinID`, `BankID`.
    pub eid: Option<String>,
    /// The method, e.g. `PIN`.
    pub method: Option<String>,
    /// ID-porten's correlation id.
    pub correlation_id: Option<String>,
    /// The producing application and its environment.
    pub application: Option<(String, Option<String>)>,
    /// The producer's own event id (`extra_data.event_id`), the idempotency
    /// key when given.
    pub event_id: Option<String>,
}

fn text(errors: &mut InvalidParams, field: &str, value: Option<String>) -> Option<String> {
    let value = value.filter(|v| !v.trim().is_empty())?;
    if value.len() > MAX_TEXT_LEN {
        errors.push(field, format!("must be at most {MAX_TEXT_LEN} bytes"));
        return None;
    }
    if value.chars().any(char::is_control) {
        errors.push(field, "must not contain control characters");
        return None;
    }
    Some(value)
}

fn orgno(errors: &mut InvalidParams, field: &str, value: Option<String>) -> Option<OrgNumber> {
    let value = value.filter(|v| !v.trim().is_empty())?;
    errors.check(field, OrgNumber::parse(&value))
}

fn required_text(errors: &mut InvalidParams, field: &str, value: String) -> Option<String> {
    let kept = text(errors, field, Some(value.clone()));
    if kept.is_none() && value.trim().is_empty() {
        errors.push(field, "is required");
    }
    kept
}

impl LoginEvent {
    /// Validates one activity record. Errors name the record's fields.
    pub fn from_activity(r: ActivityRecord) -> Result<Self, InvalidParams> {
        let mut e = InvalidParams::new();
        let event_name = required_text(&mut e, "event_name", r.event_name);
        let occurred_at = e.check(
            "event_created",
            i128::from(r.event_created)
                .checked_mul(1_000_000)
                .and_then(|n| OffsetDateTime::from_unix_timestamp_nanos(n).ok())
                .filter(|t| t.year() >= 1970 && t.year() <= 9999)
                .ok_or("must be epoch milliseconds between 1970 and 9999"),
        );
        let subject = match r.event_subject_pid.as_deref() {
            None | Some("") => {
                e.push("event_subject_pid", "is required for a login event");
                None
            }
            Some(pid) => e.check("event_subject_pid", SubjectId::parse(pid)),
        };
        let service_provider = Party {
            id: text(&mut e, "service_provider_id", r.service_provider_id),
            orgno: orgno(&mut e, "service_provider_orgno", r.service_provider_orgno),
            name: text(&mut e, "service_provider_name", r.service_provider_name),
        };
        let service_owner = Party {
            id: text(&mut e, "service_owner_id", r.service_owner_id),
            orgno: orgno(&mut e, "service_owner_orgno", r.service_owner_orgno),
            name: text(&mut e, "service_owner_name", r.service_owner_name),
        };
        let description = text(&mut e, "event_description", r.event_description);
        let eid = text(&mut e, "auth_eid", r.auth_eid);
        let method = text(&mut e, "auth_method", r.auth_method);
        let correlation_id = text(&mut e, "correlation_id", r.correlation_id);
        let application_name = text(&mut e, "application_name", r.application_name);
        let application_environment =
            text(&mut e, "application_environment", r.application_environment);
        let event_id = text(
            &mut e,
            "extra_data.event_id",
            r.extra_data.and_then(|mut m| m.remove("event_id")),
        );
        e.finish(|| {
            Some(Self {
                occurred_at: occurred_at?,
                subject: subject?,
                event_name: event_name?,
                description,
                service_provider,
                service_owner,
                eid,
                method,
                correlation_id,
                application: application_name.map(|n| (n, application_environment)),
                event_id,
            })
        })
    }

    /// The client id shown as `integrasjon_id`.
    pub fn client_id(&self) -> Option<&str> {
        self.service_provider.id.as_deref()
    }

    /// The organisation the service belongs to: its owner, else the client's
    /// organisation. Seed 1 shows an event to this organisation only.
    pub fn service_orgno(&self) -> Option<&OrgNumber> {
        self.service_owner
            .orgno
            .as_ref()
            .or(self.service_provider.orgno.as_ref())
    }

    /// The service name shown as `tjeneste`: the owner's name, else the client's.
    pub fn service_name(&self) -> Option<&str> {
        self.service_owner
            .name
            .as_deref()
            .or(self.service_provider.name.as_deref())
    }

    /// Every field that identifies this event's content, length-prefixed so
    /// no two different events share it. With the subject (hashed by the
    /// store) it forms the idempotency key when no `event_id` is given.
    pub fn content_fingerprint(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        let mut put = |field: Option<&str>| match field {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                out.extend_from_slice(&(v.len() as u64).to_be_bytes());
                out.extend_from_slice(v.as_bytes());
            }
        };
        if let Some(id) = &self.event_id {
            put(Some("event_id"));
            put(Some(id));
            return out;
        }
        let nanos = self.occurred_at.unix_timestamp_nanos().to_string();
        for field in [
            Some(nanos.as_str()),
            Some(self.event_name.as_str()),
            self.description.as_deref(),
            self.service_provider.id.as_deref(),
            self.service_provider.orgno.as_ref().map(OrgNumber::as_str),
            self.service_provider.name.as_deref(),
            self.service_owner.id.as_deref(),
            self.service_owner.orgno.as_ref().map(OrgNumber::as_str),
            self.service_owner.name.as_deref(),
            self.eid.as_deref(),
            self.method.as_deref(),
            self.correlation_id.as_deref(),
        ] {
            put(field);
        }
        out
    }
}

/// One access record as the ingestion API receives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct AccessRecordInput {
    pub id: String,
    pub timestamp: String,
    pub user_id: String,
    pub application: String,
    pub client_id: String,
    pub resource: String,
    pub resource_urn: Option<String>,
    pub action: String,
    pub purpose: String,
    pub decision: String,
    pub orgno: Option<String>,
}

/// A validated access record: someone's data was (or was not) accessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRecord {
    /// The producer's id; the idempotency key.
    pub id: Uuid,
    /// When.
    pub occurred_at: OffsetDateTime,
    /// Whose data.
    pub owner: SubjectId,
    /// Which application asked.
    pub application: String,
    /// Its OAuth client id.
    pub client_id: String,
    /// Which resource.
    pub resource: String,
    /// Its URN.
    pub resource_urn: Option<String>,
    /// What it did.
    pub action: String,
    /// Why.
    pub purpose: String,
    /// The XACML decision.
    pub decision: Decision,
    /// The organisation of the application, when known.
    pub orgno: Option<OrgNumber>,
}

impl AccessRecord {
    /// Validates one access record. Errors name the record's fields.
    pub fn from_input(r: AccessRecordInput) -> Result<Self, InvalidParams> {
        let mut e = InvalidParams::new();
        let id = e.check(
            "id",
            Uuid::try_parse(r.id.trim()).map_err(|_| "must be a UUID"),
        );
        let occurred_at = e.check(
            "timestamp",
            OffsetDateTime::parse(r.timestamp.trim(), &Rfc3339)
                .map_err(|_| "must be an RFC 3339 time with offset"),
        );
        let owner = e.check("userId", SubjectId::parse(&r.user_id));
        let application = required_text(&mut e, "application", r.application);
        let client_id = required_text(&mut e, "clientId", r.client_id);
        let resource = required_text(&mut e, "resource", r.resource);
        let resource_urn = text(&mut e, "resourceUrn", r.resource_urn);
        let action = required_text(&mut e, "action", r.action);
        let purpose = required_text(&mut e, "purpose", r.purpose);
        let decision = e.check("decision", Decision::parse(&r.decision));
        let orgno = orgno(&mut e, "orgno", r.orgno);
        e.finish(|| {
            Some(Self {
                id: id?,
                occurred_at: occurred_at?,
                owner: owner?,
                application: application?,
                client_id: client_id?,
                resource: resource?,
                resource_urn,
                action: action?,
                purpose: purpose?,
                decision: decision?,
                orgno,
            })
        })
    }
}

/// Validates a whole batch: every bad item is reported as `[index].field`,
/// and one bad item rejects the batch.
pub fn validate_batch<I, T>(
    items: Vec<I>,
    one: impl Fn(I) -> Result<T, InvalidParams>,
) -> Result<Vec<T>, InvalidParams> {
    let mut errors = InvalidParams::new();
    if items.len() > MAX_BATCH {
        errors.push("body", format!("a batch holds at most {MAX_BATCH} items"));
        return Err(errors);
    }
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        match one(item) {
            Ok(v) => out.push(v),
            Err(e) => errors.extend_prefixed(&format!("[{index}]."), e),
        }
    }
    errors.finish(|| Some(out))
}

/// One line of a citizen's login history (seed 1), without the subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginHistoryEntry {
    /// When.
    pub occurred_at: OffsetDateTime,
    /// The service's name (`tjeneste`).
    pub service_name: Option<String>,
    /// The eID (`MinID`, `BankID`, `Federated`…).
    pub eid: Option<String>,
    /// The method (`PIN`, `OTC`…).
    pub method: Option<String>,
    /// The client id (`integrasjon_id`).
    pub client_id: Option<String>,
    /// The service's organisation; always present in seed-1 answers, which
    /// select by it.
    pub orgno: Option<OrgNumber>,
}

impl LoginHistoryEntry {
    /// The seed's `eid` text: eID and method separated by a space
    /// (`MinID PIN`), or whichever is known (`Federated`).
    pub fn eid_label(&self) -> String {
        match (self.eid.as_deref(), self.method.as_deref()) {
            (Some(e), Some(m)) => format!("{e} {m}"),
            (Some(one), None) | (None, Some(one)) => one.to_owned(),
            (None, None) => String::new(),
        }
    }
}

/// One access record as the owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct AccessHistoryEntry {
    pub id: Uuid,
    pub occurred_at: OffsetDateTime,
    pub application: String,
    pub client_id: String,
    pub resource: String,
    pub resource_urn: Option<String>,
    pub action: String,
    pub purpose: String,
    pub decision: Decision,
}

impl From<&AccessRecord> for AccessHistoryEntry {
    fn from(r: &AccessRecord) -> Self {
        Self {
            id: r.id,
            occurred_at: r.occurred_at,
            application: r.application.clone(),
            client_id: r.client_id.clone(),
            resource: r.resource.clone(),
            resource_urn: r.resource_urn.clone(),
            action: r.action.clone(),
            purpose: r.purpose.clone(),
            decision: r.decision,
        }
    }
}

/// A page of access history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessPage {
    /// The records, in the requested order.
    pub entries: Vec<AccessHistoryEntry>,
    /// Whether more records follow this page.
    pub has_more: bool,
}

/// What an idempotent append did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AppendOutcome {
    /// Newly stored.
    pub accepted: u64,
    /// Already stored before (or repeated within the batch).
    pub duplicates: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn activity() -> ActivityRecord {
        ActivityRecord {
            event_name: "Innlogget".into(),
            event_created: 1_551_947_196_000,
            event_subject_pid: Some("12345678901".into()),
            service_provider_id: Some("oidc_authorization_api_client_test".into()),
            service_provider_orgno: Some("991825827".into()),
            service_owner_name: Some("DIREKTORATET FOR FORVALTNING OG IKT".into()),
            auth_eid: Some("MinID".into()),
            auth_method: Some("PIN".into()),
            ..Default::default()
        }
    }

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
    fn access_record_validation() {
        let ok = AccessRecordInput {
            id: "3f2b8c1e-0c1d-4b7a-9a53-2b1b7f1f0a01".into(),
            timestamp: "2024-05-01T10:00:00+02:00".into(),
            user_id: "12345678901".into(),
            application: "Skatteetaten".into(),
            client_id: "ske-client".into(),
            resource: "skattemelding".into(),
            resource_urn: Some("urn:altinn:resource:skattemelding".into()),
            action: "read".into(),
            purpose: "tax assessment".into(),
            decision: "permit".into(),
            orgno: Some("974761076".into()),
        };
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
    fn batches_report_every_bad_item_by_index() {
        let items = vec![
            activity(),
            ActivityRecord {
                event_subject_pid: None,
                ..activity()
            },
            activity(),
            ActivityRecord {
                event_created: -1,
                ..activity()
            },
        ];
        let err = validate_batch(items, LoginEvent::from_activity).unwrap_err();
        let names: Vec<_> = err.params().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["[1].event_subject_pid", "[3].event_created"]);
        assert_eq!(
            validate_batch(vec![activity(); 3], LoginEvent::from_activity)
                .unwrap()
                .len(),
            3
        );
        assert!(
            validate_batch(vec![activity(); MAX_BATCH + 1], LoginEvent::from_activity).is_err()
        );
    }

    #[test]
    fn eid_labels_follow_the_seed() {
        let mut entry = LoginHistoryEntry {
            occurred_at: datetime!(2019-03-07 08:26:36 UTC),
            service_name: None,
            eid: Some("MinID".into()),
            method: Some("PIN".into()),
            client_id: None,
            orgno: Some("991825827".parse().unwrap()),
        };
        assert_eq!(entry.eid_label(), "MinID PIN");
        entry.eid = Some("Federated".into());
        entry.method = None;
        assert_eq!(entry.eid_label(), "Federated");
    }
}
