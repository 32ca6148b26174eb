//! A case on the wire: the same document for the citizen and for the
//! organisation, since neither side is shown anything it does not know
//! (the citizen's identity is never in it).

use innsyn_app::DisputePage;
use innsyn_domain::Zone;
use innsyn_domain::disputes::{Dispute, DisputeListParams};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

/// The disputed item as the organisation knows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DisputedItemDoc {
    /// `login` or `access`.
    pub kind: &'static str,
    /// The item's reference in the citizen's history (opaque).
    pub reference: String,
    /// When it happened, RFC 3339 in the server's zone.
    #[schema(format = DateTime)]
    pub occurred_at: String,
    /// The organisation's client that logged in or looked up.
    pub client_id: Option<String>,
    /// A login's service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// A login's eID (`BankID`, `MinID`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eid: Option<String>,
    /// A login's eID method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// A look-up's application.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    /// A look-up's resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// A look-up's action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// A look-up's purpose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// A look-up's XACML decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<&'static str>,
}

/// A case.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "0b6f2d4e-8a7c-4f0e-9d11-3c5a2e7b9f10",
    "status": "answered",
    "organisation": "889640782",
    "openedAt": "2026-12-01T09:00:00+01:00",
    "updatedAt": "2026-12-02T10:30:00+01:00",
    "item": {"kind": "login", "reference": "login.q1w2e3", "occurredAt": "2026-11-30T02:43:00+01:00",
             "clientId": "nav-aap", "serviceName": "NAV", "eid": "BankID"},
    "message": "Jeg sov da.",
    "answer": "Innloggingen kom fra en ny telefon; vi har sperret den."
}))]
pub struct DisputeDoc {
    /// The case id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// `open`, `answered` or `closed`.
    pub status: &'static str,
    /// The organisation the case is routed to.
    pub organisation: String,
    /// When the citizen opened it.
    #[schema(format = DateTime)]
    pub opened_at: String,
    /// When it last changed.
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// What is disputed.
    pub item: DisputedItemDoc,
    /// What the citizen wrote, if anything (plain text).
    pub message: Option<String>,
    /// The organisation's latest answer (plain text).
    pub answer: Option<String>,
}

/// A page of cases.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DisputePageDoc {
    /// Newest first.
    pub cases: Vec<DisputeDoc>,
    /// Pass as `after` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// The parameters of a listing.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DisputeListQuery {
    /// Only cases with this status.
    #[param(value_type = Option<String>, pattern = "^(open|answered|closed)$", example = "open")]
    pub status: Option<String>,
    /// The `nextCursor` of the page before.
    #[param(value_type = Option<String>, pattern = r"^[0-9]{1,16}\.[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub after: Option<String>,
    /// Cases per page.
    #[param(value_type = Option<u16>, minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<String>,
}

impl From<DisputeListQuery> for DisputeListParams {
    fn from(q: DisputeListQuery) -> Self {
        Self {
            status: q.status,
            after: q.after,
            limit: q.limit,
        }
    }
}

/// Body of `POST /v1/me/disputes`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"item": "access.3f2b8c1e-0c1d-4b7a-9a53-2b1b7f1f0a01", "message": "Jeg har ingen sak hos dem."}))]
pub struct OpenDisputeBody {
    /// The item's reference, as the citizen's history shows it.
    #[schema(
        pattern = r"^(login\.[A-Za-z0-9_-]{1,86}|access\.[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
    )]
    pub item: String,
    /// Plain text, at most 1,000 characters; no HTML, no control
    /// characters but line breaks and tabs.
    #[schema(max_length = 1000)]
    pub message: Option<String>,
}

/// Body of `POST /v1/disputes/{id}/answer`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "answered", "message": "Vi undersøker saken."}))]
pub struct AnswerBody {
    /// `answered` (more may follow) or `closed`.
    #[schema(pattern = "^(answered|closed)$")]
    pub status: String,
    /// Plain text, at most 4,000 characters, not blank; no HTML, no
    /// control characters but line breaks and tabs.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub message: String,
}

fn time(t: OffsetDateTime, zone: Zone) -> Result<String, ApiError> {
    zone.to_local(t)
        .format(&Rfc3339)
        .map_err(|e| ApiError::Internal(format!("cannot format a time: {e}")))
}

impl DisputeDoc {
    /// The document of `d`, times in `zone`.
    pub fn of(d: &Dispute, zone: Zone) -> Result<Self, ApiError> {
        let i = &d.item;
        let f = i.details.flat();
        let owned = |v: Option<&str>| v.map(str::to_owned);
        let item = DisputedItemDoc {
            kind: i.reference.kind().as_str(),
            reference: i.reference.to_string(),
            occurred_at: time(i.occurred_at, zone)?,
            client_id: i.client_id.clone(),
            service_name: owned(f.service_name),
            eid: owned(f.eid),
            method: owned(f.method),
            application: owned(f.application),
            resource: owned(f.resource),
            action: owned(f.action),
            purpose: owned(f.purpose),
            decision: f.decision,
        };
        Ok(Self {
            id: d.id.hyphenated().to_string(),
            status: d.status.as_str(),
            organisation: d.organisation.as_str().to_owned(),
            opened_at: time(d.opened_at, zone)?,
            updated_at: time(d.updated_at, zone)?,
            item,
            message: d.message.as_ref().map(|m| m.as_str().to_owned()),
            answer: d.answer.as_ref().map(|a| a.as_str().to_owned()),
        })
    }
}

impl DisputePageDoc {
    /// The document of `page`.
    pub fn of(page: &DisputePage, zone: Zone) -> Result<Self, ApiError> {
        Ok(Self {
            cases: page
                .cases
                .iter()
                .map(|d| DisputeDoc::of(d, zone))
                .collect::<Result<_, _>>()?,
            next_cursor: page.next.map(|c| c.to_string()),
        })
    }
}
