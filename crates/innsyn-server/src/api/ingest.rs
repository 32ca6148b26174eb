//! Ingestion: `POST /v1/login-events` and `POST /v1/access-records`.

use std::future::Future;

use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_app::{AppError, Service, Writer};
use innsyn_domain::{AccessRecordInput, ActivityRecord, AppendOutcome};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use super::responses::{BodyLimits, IngestErrors, Unauthorized, Unavailable};
use super::{AppState, bearer_token, read_json_body};
use crate::error::ApiError;
use innsyn_app::wire::parse_json_items;

/// What a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"accepted": 2, "duplicates": 1, "conflicts": 0}))]
pub struct IngestOutcome {
    /// Items newly stored.
    pub accepted: u64,
    /// Items already stored before (or repeated in the batch), identically.
    pub duplicates: u64,
    /// Access records whose `id` was already stored (before, or earlier in
    /// the batch) with other content (any field: another `timestamp`,
    /// `userId`, …): not stored, the first record stays. Always 0 for
    /// login events.
    pub conflicts: u64,
}

/// Reads one ingestion body of items `I` for the use case `ingest`; the
/// writer is checked before the body is read.
async fn ingest<I, F>(
    req: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
    ingest: impl FnOnce(Service, Writer, Vec<I>) -> F,
    metric: &'static str,
) -> Result<HttpResponse, ApiError>
where
    I: DeserializeOwned,
    F: Future<Output = Result<AppendOutcome, AppError>>,
{
    let writer = state.service.writer(&bearer_token(req)?).await?;
    let body = read_json_body(req, payload, state.body_limit).await?;
    let items: Vec<I> = parse_json_items(&body)?;
    // The raw body is not needed past parsing; a batch is held in memory
    // several times on its way to the store, this copy need not be one.
    drop(body);
    let outcome = ingest(state.service.clone(), writer, items).await?;
    state
        .metrics
        .ingested(metric, outcome.accepted, outcome.duplicates);
    Ok(HttpResponse::Ok().json(IngestOutcome {
        accepted: outcome.accepted,
        duplicates: outcome.duplicates,
        conflicts: outcome.conflicts,
    }))
}

/// Stores a batch of ID-porten login events, idempotently.
#[utoipa::path(
    post,
    path = "/v1/login-events",
    tag = "ingestion",
    request_body(content = Vec<ActivityRecord>, description = "At most 10,000 ActivityRecords."),
    security(("bearer" = ["history:write"])),
    responses(
        (status = 200, description = "Stored durably.", body = IngestOutcome),
        IngestErrors,
        BodyLimits,
        Unauthorized,
        Unavailable,
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
        |service, writer, items: Vec<ActivityRecord>| async move {
            service.ingest_login_events(&writer, items).await
        },
        "login_events",
    )
    .await
}

/// Stores a batch of access records, idempotently by id.
#[utoipa::path(
    post,
    path = "/v1/access-records",
    tag = "ingestion",
    request_body(content = Vec<AccessRecordInput>, description = "At most 10,000 access records."),
    security(("bearer" = ["history:write"])),
    responses(
        (status = 200, description = "Stored durably.", body = IngestOutcome),
        IngestErrors,
        BodyLimits,
        Unauthorized,
        Unavailable,
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
        |service, writer, items: Vec<AccessRecordInput>| async move {
            service.ingest_access_records(&writer, items).await
        },
        "access_records",
    )
    .await
}
