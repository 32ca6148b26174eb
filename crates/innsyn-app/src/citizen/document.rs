//! The citizen's JSON file: both histories in seed 1's and seed 2's field
//! names, and, when the log signed a checkpoint, what `innsyn verify` needs
//! to check the file offline. One type for writing it (the page) and
//! reading it back (the verifier), so the two cannot drift.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use innsyn_domain::disputes::ItemRef;
use innsyn_domain::{AccessHistoryEntry, LoginHistoryEntry, Zone, login_flags};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::Export;
use crate::LeafProof;

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryDocument {
    /// When it was read, in the zone's local time.
    pub generated: String,
    /// The zone of every local time in the file.
    #[serde(rename = "timeZone")]
    pub time_zone: String,
    /// The logins, newest first.
    #[serde(rename = "loginEvents")]
    pub login_events: Vec<ExportedLogin>,
    /// The look-ups, newest first.
    #[serde(rename = "accessHistory")]
    pub access_history: Vec<ExportedAccess>,
    /// The log's keys and signed notes; absent in a file without proofs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<LogSection>,
}

/// One login, in seed 1's names (plus the eID and method apart, and marks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedLogin {
    /// The event's reference (`login.…`), as disputes use it.
    #[serde(rename = "ref")]
    pub reference: String,
    /// When, local time, RFC 3339 to the microsecond.
    pub tidspunkt: String,
    /// The service.
    pub tjeneste: Option<String>,
    /// The eID and method as one label.
    pub eid: String,
    /// The client id.
    pub integrasjon_id: Option<String>,
    /// The organisation the event is shown to.
    pub orgno: Option<String>,
    /// The eID.
    pub auth_eid: Option<String>,
    /// The eID's method.
    pub auth_method: Option<String>,
    /// The page's marks, as codes (not covered by the log: derived).
    pub merknader: Vec<String>,
    /// Its place in the log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<ExportedLeaf>,
}

/// One look-up, in seed 2's names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)]
pub struct ExportedAccess {
    pub id: Uuid,
    pub timestamp: String,
    pub application: String,
    #[serde(rename = "clientId")]
    pub client_id: String,
    pub resource: String,
    #[serde(rename = "resourceUrn")]
    pub resource_urn: Option<String>,
    pub action: String,
    pub purpose: String,
    pub decision: String,
    /// The accessing organisation.
    pub orgno: Option<String>,
    /// Its place in the log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<ExportedLeaf>,
}

/// A record's leaf index and inclusion proof (base64 hashes, from the
/// leaf's sibling up).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedLeaf {
    /// The leaf index.
    pub index: u64,
    /// The inclusion proof.
    pub proof: Vec<String>,
}

/// What a verifier checks the records against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogSection {
    /// The log's verifier key, as `GET /v1/log/key` publishes it.
    pub key: String,
    /// The signed checkpoint (C2SP tlog-checkpoint) every proof leads to.
    pub checkpoint: String,
    /// The signed statement of which leaves this file holds.
    pub statement: String,
    /// The subject's keyed hash, base64, as the leaves encode it.
    #[serde(rename = "subjectKey")]
    pub subject_key: String,
}

/// RFC 3339 in `zone`'s local time; sub-second digits as stored.
pub fn local_rfc3339(t: OffsetDateTime, zone: Zone) -> String {
    zone.to_local(t).format(&Rfc3339).unwrap_or_default()
}

fn leaf(proof: Option<&LeafProof>) -> Option<ExportedLeaf> {
    proof.map(|p| ExportedLeaf {
        index: p.index,
        proof: p.proof.iter().map(|h| STANDARD.encode(h)).collect(),
    })
}

impl HistoryDocument {
    /// The file of `export`, local times in `zone`.
    pub fn of(export: &Export, zone: Zone) -> Self {
        let proof = |item: ItemRef| export.log.as_ref().and_then(|l| l.leaves.get(&item));
        let flags = login_flags(&export.logins, zone);
        let login_events = export
            .logins
            .iter()
            .zip(&flags)
            .map(|(e, f): (&LoginHistoryEntry, _)| ExportedLogin {
                reference: ItemRef::Login(e.key.clone()).to_string(),
                tidspunkt: local_rfc3339(e.occurred_at, zone),
                tjeneste: e.service_name.clone(),
                eid: e.eid_label(),
                integrasjon_id: e.client_id.clone(),
                orgno: e.orgno.as_ref().map(|o| o.as_str().to_owned()),
                auth_eid: e.eid.clone(),
                auth_method: e.method.clone(),
                merknader: f.iter().map(|f| f.code().to_owned()).collect(),
                log: leaf(proof(ItemRef::Login(e.key.clone()))),
            })
            .collect();
        let access_history = export
            .access
            .iter()
            .map(|r: &AccessHistoryEntry| ExportedAccess {
                id: r.id,
                timestamp: local_rfc3339(r.occurred_at, zone),
                application: r.application.clone(),
                client_id: r.client_id.clone(),
                resource: r.resource.clone(),
                resource_urn: r.resource_urn.clone(),
                action: r.action.clone(),
                purpose: r.purpose.clone(),
                decision: r.decision.as_str().to_owned(),
                orgno: r.orgno.as_ref().map(|o| o.as_str().to_owned()),
                log: leaf(proof(ItemRef::Access(r.id))),
            })
            .collect();
        Self {
            generated: local_rfc3339(export.generated_at, zone),
            time_zone: zone.name().to_owned(),
            login_events,
            access_history,
            log: export.log.as_ref().map(|l| LogSection {
                key: l.key.clone(),
                checkpoint: l.checkpoint.clone(),
                statement: l.statement.clone(),
                subject_key: STANDARD.encode(&l.subject_key),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use innsyn_domain::disputes::LoginKey;
    use time::macros::datetime;

    fn export() -> Export {
        Export {
            logins: vec![LoginHistoryEntry {
                key: LoginKey::new(vec![1, 2]),
                occurred_at: datetime!(2019-03-07 08:26:36.123456 UTC),
                service_name: Some("Altinn".into()),
                eid: Some("MinID".into()),
                method: Some("PIN".into()),
                client_id: Some("svc".into()),
                orgno: Some("991825827".parse().unwrap()),
            }],
            access: Vec::new(),
            generated_at: datetime!(2024-05-15 12:00 UTC),
            log: None,
        }
    }

    #[test]
    fn the_file_uses_the_seeds_names_and_keeps_microseconds() {
        let v = serde_json::to_value(HistoryDocument::of(&export(), Zone::oslo())).unwrap();
        assert_eq!(v["timeZone"], "Europe/Oslo");
        let login = &v["loginEvents"][0];
        assert_eq!(login["tidspunkt"], "2019-03-07T09:26:36.123456+01:00");
        assert_eq!(login["ref"], "login.AQI");
        assert_eq!(login["eid"], "MinID PIN");
        assert_eq!(login["orgno"], "991825827");
        assert!(login.get("log").is_none() && v.get("log").is_none());
        assert_eq!(v["accessHistory"], serde_json::json!([]));
    }
}
