//! An access record: someone's data was (or was not) accessed.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::fields::{orgno, required_text, text};
use super::horizon::Horizon;
use crate::catalog::ClientEntry;
use crate::decision::Decision;
use crate::orgno::OrgNumber;
use crate::params::InvalidParams;
use crate::subject::SubjectId;

/// One access record as the ingestion API receives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(
    description = "An access record to ingest.",
    example = json!({
        "id": "3f2b8c1e-0c1d-4b7a-9a53-2b1b7f1f0a01",
        "timestamp": "2024-05-01T10:00:00+02:00",
        "userId": "17912099997",
        "application": "Skatteetaten",
        "clientId": "ske-client",
        "resource": "skattemelding",
        "resourceUrn": "urn:altinn:resource:skattemelding",
        "action": "read",
        "purpose": "tax assessment",
        "decision": "Permit",
        "orgno": "991825827"
    })
))]
pub struct AccessRecordInput {
    /// UUID; the idempotency key.
    #[cfg_attr(feature = "openapi", schema(format = Uuid))]
    pub id: String,
    /// RFC 3339 with offset.
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub timestamp: String,
    /// The owner of the data.
    pub user_id: String,
    /// The application.
    pub application: String,
    /// Its OAuth client id.
    pub client_id: String,
    /// The resource name.
    pub resource: String,
    /// The resource URN.
    pub resource_urn: Option<String>,
    /// The action.
    pub action: String,
    /// The purpose.
    pub purpose: String,
    /// Permit, Deny, NotApplicable or Indeterminate.
    pub decision: String,
    /// The application's organisation number.
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
    /// Validates one access record, without a limit on how far in the
    /// future it may lie (see [`Self::from_input_at`]). Errors name the
    /// record's fields.
    pub fn from_input(r: AccessRecordInput) -> Result<Self, InvalidParams> {
        Self::from_input_at(r, &Horizon::unbounded())
    }

    /// Validates one access record as ingestion does: `timestamp` must not
    /// lie past `horizon`. `userId` is any subject id, not necessarily a
    /// national identity number: the seed calls it "the ID of the owner",
    /// and a reader's token subject may be a pairwise id. Errors name the
    /// record's fields.
    pub fn from_input_at(r: AccessRecordInput, horizon: &Horizon) -> Result<Self, InvalidParams> {
        let mut e = InvalidParams::new();
        let id = e.check(
            "id",
            Uuid::try_parse(r.id.trim()).map_err(|_| "must be a UUID"),
        );
        let occurred_at = e
            .check(
                "timestamp",
                OffsetDateTime::parse(r.timestamp.trim(), &Rfc3339)
                    .map_err(|_| "must be an RFC 3339 time with offset"),
            )
            .and_then(|t| e.check("timestamp", horizon.check(t)).map(|()| t));
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

    /// The catalog entry this record implies for its client: a store that
    /// has not seen the client yet adds it, one that has applies
    /// [`ClientEntry::learn`].
    pub fn catalog_client(&self) -> ClientEntry {
        ClientEntry {
            client_id: self.client_id.clone(),
            application: self.application.clone(),
            orgno: self.orgno.clone(),
        }
    }
}
