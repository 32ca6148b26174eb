//! Seed 2: `GET /metadata/v1/{userId}/accessHistory`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_app::AccessHistory;
use innsyn_domain::{AccessHistoryEntry, AccessHistoryParams, SubjectId, Zone};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

use super::responses::{Unauthorized, Unavailable};
use super::{AppState, next_link, parse_query};
use crate::error::{ApiError, Problem};

/// One access record as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "3f2b8c1e-0c1d-4b7a-9a53-2b1b7f1f0a01",
    "timestamp": "2024-05-01T10:00:00+02:00",
    "userId": "17912099997",
    "application": "Skatteetaten",
    "clientId": "ske-client",
    "resource": "skattemelding",
    "resourceUrn": "urn:altinn:resource:skattemelding",
    "action": "read",
    "purpose": "tax assessment",
    "decision": "Permit"
}))]
pub struct AccessHistoryRecord {
    /// The record's id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// When, RFC 3339 with the offset of the server's zone.
    #[schema(format = DateTime)]
    pub timestamp: String,
    /// The owner.
    pub user_id: String,
    /// The application that asked.
    pub application: String,
    /// Its OAuth client id.
    pub client_id: String,
    /// The resource name.
    pub resource: String,
    /// The resource URN, when known.
    pub resource_urn: Option<String>,
    /// The action.
    pub action: String,
    /// The purpose.
    pub purpose: String,
    /// The XACML decision: Permit, Deny, NotApplicable or Indeterminate.
    pub decision: String,
}

impl AccessHistoryRecord {
    fn from_entry(e: &AccessHistoryEntry, owner: &SubjectId, zone: Zone) -> Result<Self, ApiError> {
        Ok(Self {
            id: e.id.hyphenated().to_string(),
            timestamp: zone
                .to_local(e.occurred_at)
                .format(&Rfc3339)
                .map_err(|err| ApiError::Internal(format!("cannot format a time: {err}")))?,
            user_id: owner.expose().to_owned(),
            application: e.application.clone(),
            client_id: e.client_id.clone(),
            resource: e.resource.clone(),
            resource_urn: e.resource_urn.clone(),
            action: e.action.clone(),
            purpose: e.purpose.clone(),
            decision: e.decision.as_str().to_owned(),
        })
    }
}

/// A page of access history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessHistoryPage {
    /// The offset of the first record.
    pub start_index: u64,
    /// The number of records in this page.
    pub count: usize,
    /// Whether more records follow (see the `Link` header).
    pub has_more: bool,
    /// The records.
    pub access_history: Vec<AccessHistoryRecord>,
}

impl AccessHistoryPage {
    fn of(found: &AccessHistory, zone: Zone) -> Result<Self, ApiError> {
        let records = found
            .page
            .entries
            .iter()
            .map(|e| AccessHistoryRecord::from_entry(e, &found.query.owner, zone))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            start_index: found.query.page.start_index,
            count: records.len(),
            has_more: found.page.has_more,
            access_history: records,
        })
    }
}

/// A page of a user's access history.
#[utoipa::path(
    get,
    path = "/metadata/v1/{userId}/accessHistory",
    tag = "access history",
    params(
        ("userId" = String, Path, description = "The owner of the history: a subject id (in ID-porten the national identity number).", example = "17912099997"),
        AccessHistoryParams,
    ),
    security(("bearer" = ["history:read"]), ("bearer" = ["history:audit"])),
    responses(
        (status = 200, description = "A page of access history records.", body = AccessHistoryPage,
         headers(("Link" = String, description = "`<…&startIndex=N&cursor=…>; rel=\"next\"` when `hasMore`."))),
        (status = 400, description = "Bad parameters (every one listed): a bad value, `application` with `clientId`, an end not after the start, or a filter value not in the catalog.", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = "Not the owner and no `history:audit`.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such object: the store has never seen this user.", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    )
)]
pub async fn access_history(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let caller = state.authenticate(&req).await?;
    let user_id = req.match_info().get("userId").unwrap_or_default();
    let params: AccessHistoryParams = parse_query(req.query_string())?;
    let found = state
        .service
        .access_history(&caller, user_id, &params)
        .await?;
    let body = AccessHistoryPage::of(&found, state.service.zone())?;
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CACHE_CONTROL, "no-store"));
    if let Some(cursor) = found.next_cursor() {
        let link = next_link(
            state.public_base_url.as_deref(),
            req.path(),
            req.query_string(),
            found.next_start_index(),
            &cursor.encode(),
        );
        res.insert_header((header::LINK, link));
    }
    Ok(res.json(body))
}
