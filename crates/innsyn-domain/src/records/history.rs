//! What the read APIs return: history lines without the subject.

use time::OffsetDateTime;
use uuid::Uuid;

use super::access_record::AccessRecord;
use crate::decision::Decision;
use crate::disputes::LoginKey;
use crate::orgno::OrgNumber;

/// One line of a citizen's login history (seed 1), without the subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginHistoryEntry {
    /// The store's key of the event, unique per subject: how the citizen
    /// refers to it (a dispute, "this was me"). Never in seed 1's answer.
    pub key: LoginKey,
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
    pub orgno: Option<OrgNumber>,
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
            orgno: r.orgno.clone(),
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
