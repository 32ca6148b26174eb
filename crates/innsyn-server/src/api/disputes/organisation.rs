//! The organisation's side: its cases, one case, an answer.

use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_domain::disputes::DisputeParty;

use super::doc::{AnswerBody, DisputeDoc, DisputeListQuery, DisputePageDoc};
use crate::api::responses::{BodyLimits, Unauthorized, Unavailable};
use crate::api::{AppState, bearer_token, read_json_body};
use crate::error::{ApiError, Problem};
use innsyn_app::wire::parse_json;

fn case_id(req: &HttpRequest) -> &str {
    req.match_info().get("id").unwrap_or_default()
}

/// The cases citizens routed to the caller's organisation.
#[utoipa::path(
    get, path = "/v1/disputes", operation_id = "list_organisation_disputes", tag = "disputes",
    params(DisputeListQuery),
    security(("bearer" = ["history:disputes"])),
    responses(
        (status = 200, description = "The organisation's cases, newest first; never the citizen's identity.", body = DisputePageDoc),
        (status = 400, description = "Bad `status`, `after` or `limit` (every one listed).", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = "Missing `history:disputes`, or a client without an organisation number.", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    )
)]
pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let org = state
        .service
        .dispute_organisation(&bearer_token(&req)?)
        .await?;
    super::page_of(&req, &state, DisputeParty::Organisation(org)).await
}

/// One of the organisation's cases.
#[utoipa::path(
    get, path = "/v1/disputes/{id}", operation_id = "get_organisation_dispute", tag = "disputes",
    params(("id" = String, Path, description = "The case id.", example = "0b6f2d4e-8a7c-4f0e-9d11-3c5a2e7b9f10")),
    security(("bearer" = ["history:disputes"])),
    responses(
        (status = 200, description = "The case.", body = DisputeDoc),
        Unauthorized,
        (status = 403, description = "Missing `history:disputes`, or a client without an organisation number.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case: unknown, malformed, or another organisation's (ids leak nothing).", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    )
)]
pub async fn get(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let org = state
        .service
        .dispute_organisation(&bearer_token(&req)?)
        .await?;
    super::case_of(&req, &state, DisputeParty::Organisation(org)).await
}

/// Answers a case, or closes it; durable before the answer.
#[utoipa::path(
    post, path = "/v1/disputes/{id}/answer", operation_id = "answer_dispute", tag = "disputes",
    params(("id" = String, Path, description = "The case id.", example = "0b6f2d4e-8a7c-4f0e-9d11-3c5a2e7b9f10")),
    request_body = AnswerBody,
    security(("bearer" = ["history:disputes"])),
    responses(
        (status = 200, description = "The case as answered.", body = DisputeDoc),
        (status = 400, description = "Bad `status` or `message` (every one listed), or a body that is not the answer.", body = Problem, content_type = "application/problem+json"),
        BodyLimits,
        Unauthorized,
        (status = 403, description = "Missing `history:disputes`, or a client without an organisation number.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case, or another organisation's.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or another answer changed it first.", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    )
)]
pub async fn answer(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = state
        .service
        .dispute_organisation(&bearer_token(&req)?)
        .await?;
    let body = read_json_body(&req, payload, state.body_limit).await?;
    let input: AnswerBody = parse_json(&body)?;
    let d = state
        .service
        .answer_dispute(&org, case_id(&req), &input.status, &input.message)
        .await?;
    Ok(HttpResponse::Ok().json(DisputeDoc::of(&d, state.service.zone())?))
}
