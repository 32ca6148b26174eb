//! Ingestion: `POST /v1/login-events` and `POST /v1/access-records`.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_domain::records::{MAX_BATCH, validate_batch};
use innsyn_domain::{AccessRecord, AppendOutcome, InvalidParams, LoginEvent, policy};
use innsyn_ports::{HistoryStore, StoreError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// What a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"accepted": 2, "duplicates": 1}))]
pub struct IngestOutcome {
    /// Items newly stored.
    pub accepted: u64,
    /// Items already stored before (or repeated in the batch).
    pub duplicates: u64,
}

/// An ID-porten ActivityRecord (`eid-log-event`, `activity.avsc`).
#[derive(Debug, ToSchema)]
#[schema(as = ActivityRecord, example = json!({
    "event_name": "Innlogget",
    "event_created": 1551947196000_i64,
    "event_subject_pid": "12345678901",
    "service_provider_id": "oidc_authorization_api_client_test",
    "service_provider_orgno": "991825827",
    "service_provider_name": "DIREKTORATET FOR FORVALTNING OG IKT",
    "auth_eid": "MinID",
    "auth_method": "PIN",
    "correlation_id": "5f1c2f7e-3a51-4f0e-9a8e-0d8c8b3b2a10",
    "extra_data": {"event_id": "e-1"}
}))]
#[allow(dead_code)]
pub struct ActivityRecordDoc {
    /// The event, e.g. `Innlogget`. Required.
    event_name: String,
    /// Epoch milliseconds. Required.
    event_created: i64,
    /// Free text.
    event_description: Option<String>,
    /// The citizen's national identity number. Required for login events.
    event_subject_pid: Option<String>,
    /// Not stored.
    event_actor_id: Option<String>,
    /// ID-porten's correlation id.
    correlation_id: Option<String>,
    /// The client id (`integrasjon_id`).
    service_provider_id: Option<String>,
    /// The client's organisation number.
    service_provider_orgno: Option<String>,
    /// The client's name.
    service_provider_name: Option<String>,
    /// The service owner's id.
    service_owner_id: Option<String>,
    /// The service owner's organisation number (decides visibility in seed 1).
    service_owner_orgno: Option<String>,
    /// The service owner's name (`tjeneste`).
    service_owner_name: Option<String>,
    /// The eID, e.g. `MinID`, `BankID`.
    auth_eid: Option<String>,
    /// The method, e.g. `PIN`.
    auth_method: Option<String>,
    /// The producing application.
    application_name: Option<String>,
    /// Its environment.
    application_environment: Option<String>,
    /// Extra strings; only `event_id` (the idempotency key) is kept.
    extra_data: Option<BTreeMap<String, String>>,
}

/// An access record to ingest.
#[derive(Debug, ToSchema)]
#[schema(as = AccessRecordInput, example = json!({
    "id": "3f2b8c1e-0c1d-4b7a-9a53-2b1b7f1f0a01",
    "timestamp": "2024-05-01T10:00:00+02:00",
    "userId": "12345678901",
    "application": "Skatteetaten",
    "clientId": "ske-client",
    "resource": "skattemelding",
    "resourceUrn": "urn:altinn:resource:skattemelding",
    "action": "read",
    "purpose": "tax assessment",
    "decision": "Permit",
    "orgno": "974761076"
}))]
#[schema(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct AccessRecordDoc {
    /// UUID; the idempotency key.
    #[schema(format = Uuid)]
    id: String,
    /// RFC 3339 with offset.
    #[schema(format = DateTime)]
    timestamp: String,
    /// The owner of the data.
    user_id: String,
    /// The application.
    application: String,
    /// Its OAuth client id.
    client_id: String,
    /// The resource name.
    resource: String,
    /// The resource URN.
    resource_urn: Option<String>,
    /// The action.
    action: String,
    /// The purpose.
    purpose: String,
    /// Permit, Deny, NotApplicable or Indeterminate.
    decision: String,
    /// The application's organisation number.
    orgno: Option<String>,
}

/// One ingestion request: a writer's batch of at most [`MAX_BATCH`] items
/// `I`, each validated into `T` by `validate` (the whole batch is refused
/// on any error), stored by `append` on the blocking pool, counted in the
/// `metric` series.
async fn ingest<I, T>(
    req: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
    validate: fn(I) -> Result<T, InvalidParams>,
    append: fn(&dyn HistoryStore, &[T]) -> Result<AppendOutcome, StoreError>,
    metric: &'static str,
) -> Result<HttpResponse, ApiError>
where
    I: DeserializeOwned,
    T: Send + 'static,
{
    let caller = state.authenticate(req).await?;
    policy::authorize_write(&caller, &state.scopes)?;
    let body = super::read_json_body(req, payload, state.body_limit).await?;
    let items: Vec<I> = super::parse_json(&body)?;
    // The raw body is not needed past parsing; a batch is held in memory
    // several times on its way to the store, this copy need not be one.
    drop(body);
    if items.len() > MAX_BATCH {
        return Err(ApiError::PayloadTooLarge(format!(
            "a batch holds at most {MAX_BATCH} items"
        )));
    }
    let batch = validate_batch(items, validate)?;
    let outcome = state
        .blocking(move |store| Ok(append(store, &batch)?))
        .await?;
    state
        .metrics
        .ingested(metric, outcome.accepted, outcome.duplicates);
    Ok(HttpResponse::Ok().json(IngestOutcome {
        accepted: outcome.accepted,
        duplicates: outcome.duplicates,
    }))
}

/// Stores a batch of ID-porten login events, idempotently.
#[utoipa::path(
    post,
    path = "/v1/login-events",
    tag = "ingestion",
    request_body(content = Vec<ActivityRecordDoc>, description = "At most 10,000 ActivityRecords."),
    security(("bearer" = ["history:write"])),
    responses(
        (status = 200, description = "Stored durably.", body = IngestOutcome),
        (status = 400, description = "Malformed JSON or an invalid item (`[index].field`); nothing stored.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `history:write`.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "More than 10,000 items or over the body limit.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Store or issuer unavailable.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn login_events(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    ingest(
        &req,
        payload,
        &state,
        LoginEvent::from_activity,
        |store, events| store.append_login_events(events),
        "login_events",
    )
    .await
}

/// Stores a batch of access records, idempotently by id.
#[utoipa::path(
    post,
    path = "/v1/access-records",
    tag = "ingestion",
    request_body(content = Vec<AccessRecordDoc>, description = "At most 10,000 access records."),
    security(("bearer" = ["history:write"])),
    responses(
        (status = 200, description = "Stored durably.", body = IngestOutcome),
        (status = 400, description = "Malformed JSON or an invalid item (`[index].field`); nothing stored.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or invalid token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Missing `history:write`.", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "More than 10,000 items or over the body limit.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Store or issuer unavailable.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn access_records(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    ingest(
        &req,
        payload,
        &state,
        AccessRecord::from_input,
        |store, records| store.append_access_records(records),
        "access_records",
    )
    .await
}
