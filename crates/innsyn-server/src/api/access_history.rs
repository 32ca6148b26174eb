//! Seed 2: `GET /metadata/v1/{userId}/accessHistory`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_domain::{
    AccessHistoryEntry, AccessHistoryParams, AccessHistoryQuery, AccessPage, InvalidParams,
    SubjectId, Zone, policy,
};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// The query parameters of seed 2, for the OpenAPI document (the handler
/// reads them into [`AccessHistoryParams`], all as raw strings).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct AccessHistoryQueryDoc {
    /// The application name to filter by. Cannot be combined with `clientId`.
    application: Option<String>,
    /// The OAuth client id of the application to filter by. Cannot be combined with `application`.
    #[param(rename = "clientId")]
    client_id: Option<String>,
    /// The resource name, or URN (`urn:…`), to filter by.
    resource: Option<String>,
    /// The action name to filter by.
    action: Option<String>,
    /// The purpose name to filter by.
    purpose: Option<String>,
    /// The XACML decision to filter by (always validated).
    #[param(value_type = Option<String>, pattern = "^(?i)(Permit|Deny|NotApplicable|Indeterminate)$", example = "Permit")]
    decision: Option<String>,
    /// Start of the window (inclusive). Relative `-N[mhdwMy]` before now, or
    /// partial ISO 8601 `YYYY[-MM[-DD[Thh[:mm[:ss]]]]]` with optional zone
    /// (no zone: the server's zone). Default `-1d`.
    #[param(rename = "startTime", example = "-1w")]
    start_time: Option<String>,
    /// End of the window (exclusive). Relative `N[mhdwMy]` after the start, or
    /// absolute as `startTime`. Default now.
    #[param(rename = "endTime", example = "2024-06-01")]
    end_time: Option<String>,
    /// Page size, 1 to 1000, default 100.
    #[param(value_type = Option<u16>, minimum = 1, maximum = 1000)]
    count: Option<String>,
    /// Offset of the first item, default 0.
    #[param(rename = "startIndex", value_type = Option<u64>, minimum = 0)]
    start_index: Option<String>,
    /// Sort field: timestamp (default), application, clientId, resource,
    /// action, purpose, decision.
    #[param(rename = "sortBy", example = "timestamp")]
    sort_by: Option<String>,
    /// `asc` or `desc`; default `desc` for timestamp, else `asc`.
    #[param(rename = "sortOrder", example = "desc")]
    sort_order: Option<String>,
    /// When present, every filter value must exist in the catalog (else 400).
    validate: Option<String>,
    /// Opaque continuation from a previous page's `Link: rel="next"`.
    cursor: Option<String>,
}

/// One access record as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "id": "3f2b8c1e-0c1d-4b7a-9a53-2b1b7f1f0a01",
    "timestamp": "2024-05-01T10:00:00+02:00",
    "userId": "12345678901",
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

/// A page of a user's access history.
#[utoipa::path(
    get,
    path = "/metadata/v1/{userId}/accessHistory",
    tag = "access history",
    params(
        ("userId" = String, Path, description = "The owner of the history."),
        AccessHistoryQueryDoc,
    ),
    security(("bearer" = ["history:read"]), ("bearer" = ["history:audit"])),
    responses(
        (status = 200, description = "A page of access history records.", body = AccessHistoryPage,
         headers(("Link" = String, description = "`<…&startIndex=N&cursor=…>; rel=\"next\"` when `hasMore`."))),
        (status = 400, description = "Bad parameters.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the owner and no `history:audit`.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such object: the store has never seen this user.", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Store or issuer unavailable.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn access_history(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let caller = state.authenticate(&req).await?;
    let user_id = req
        .match_info()
        .get("userId")
        .unwrap_or_default()
        .to_owned();
    let owner = SubjectId::parse(&user_id).map_err(|e| {
        let mut p = InvalidParams::new();
        p.push("userId", e);
        ApiError::InvalidParams(p)
    })?;
    // Authorization comes before anything that could reveal existence.
    policy::authorize_access_history(&caller, &state.scopes, &owner)?;
    let params: AccessHistoryParams = super::parse_query(req.query_string())?;
    let query = AccessHistoryQuery::build(&user_id, &params, state.clock.now(), state.zone)?;

    let q = query.clone();
    let page: AccessPage = state
        .blocking(move |store| {
            if q.validate {
                let refs = q.catalog_refs();
                if !refs.is_empty() {
                    let found = store.catalog_contains(&refs)?;
                    AccessHistoryQuery::check_catalog(&refs, &found)?;
                }
            }
            if !store.owner_exists(&q.owner)? {
                return Err(ApiError::NotFound(
                    "No such object: there is no history for this user".to_owned(),
                ));
            }
            Ok(store.access_history(&q)?)
        })
        .await?;

    let records = page
        .entries
        .iter()
        .map(|e| AccessHistoryRecord::from_entry(e, &query.owner, state.zone))
        .collect::<Result<Vec<_>, _>>()?;
    let body = AccessHistoryPage {
        start_index: query.page.start_index,
        count: records.len(),
        has_more: page.has_more,
        access_history: records,
    };
    let mut res = HttpResponse::Ok();
    res.insert_header((header::CACHE_CONTROL, "no-store"));
    if page.has_more
        && let Some(last) = page.entries.last()
    {
        let cursor = query.sort.cursor_after(last).encode();
        let next_index = query.page.start_index + page.entries.len() as u64;
        let link = next_link(
            state.public_base_url.as_deref(),
            req.path(),
            req.query_string(),
            next_index,
            &cursor,
        );
        res.insert_header((header::LINK, link));
    }
    Ok(res.json(body))
}

/// `<target>; rel="next"`: the request's own path and parameters, with
/// `startIndex` and `cursor` replaced. Relative unless a public base URL is
/// configured (RFC 8288 resolves it against the request URL).
pub fn next_link(
    base: Option<&str>,
    path: &str,
    query: &str,
    start_index: u64,
    cursor: &str,
) -> String {
    let mut parts: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .filter(|kv| {
            let key = kv.split_once('=').map_or(*kv, |(k, _)| k);
            let key = percent_decode(key);
            key != "startIndex" && key != "cursor"
        })
        .collect();
    let start = format!("startIndex={start_index}");
    let cursor = format!("cursor={cursor}");
    parts.push(&start);
    parts.push(&cursor);
    format!(
        "<{}{}?{}>; rel=\"next\"",
        base.unwrap_or("").trim_end_matches('/'),
        path,
        parts.join("&")
    )
}

/// Decodes `%XX` and `+` of a query key (keys are compared decoded).
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = raw
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(b) = hex {
                    out.push(b);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_keeps_other_parameters() {
        assert_eq!(
            next_link(
                None,
                "/metadata/v1/1/accessHistory",
                "count=2&startIndex=0&decision=Permit&cursor=old",
                2,
                "c1.x"
            ),
            "</metadata/v1/1/accessHistory?count=2&decision=Permit&startIndex=2&cursor=c1.x>; rel=\"next\""
        );
        assert_eq!(
            next_link(
                Some("https://api.example.no/"),
                "/p",
                "start%49ndex=4",
                5,
                "c"
            ),
            "<https://api.example.no/p?startIndex=5&cursor=c>; rel=\"next\""
        );
    }
}
