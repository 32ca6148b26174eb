//! The citizen's side, for front ends other than innsyn's own page.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_domain::disputes::DisputeParty;

use super::doc::{DisputeDoc, DisputeListQuery, DisputePageDoc, OpenDisputeBody};
use crate::api::responses::{BodyLimits, Unauthorized, Unavailable};
use crate::api::{AppState, bearer_token, read_json_body};
use crate::error::{ApiError, Problem};
use innsyn_app::wire::parse_json;

/// Reports an item of the caller's own history: the case goes to the
/// organisation that answers for it.
#[utoipa::path(
    post, path = "/v1/me/disputes", operation_id = "open_own_dispute", tag = "disputes",
    request_body = OpenDisputeBody,
    security(("bearer" = ["history:read"])),
    responses(
        (status = 201, description = "The new case, durable.", body = DisputeDoc,
         headers(("Location" = String, description = "`/v1/me/disputes/{id}`."))),
        (status = 400, description = "Bad `item` (also one not in the caller's history) or `message` (too long, HTML, control characters).", body = Problem, content_type = "application/problem+json"),
        BodyLimits,
        Unauthorized,
        (status = 403, description = "Missing `history:read`, or a token issued to no person.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller disputed this item before; `Location` names that case.", body = Problem, content_type = "application/problem+json",
         headers(("Location" = String, description = "The existing case."))),
        (status = 422, description = "No organisation is known for the item, so it cannot be routed.", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    )
)]
pub async fn open(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let subject = state.service.dispute_citizen(&bearer_token(&req)?).await?;
    let body = read_json_body(&req, payload, state.body_limit).await?;
    let input: OpenDisputeBody = parse_json(&body)?;
    let d = state
        .service
        .open_dispute(&subject, &input.item, input.message.as_deref())
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/v1/me/disputes/{}", d.id)))
        .json(DisputeDoc::of(&d, state.service.zone())?))
}

/// The caller's own cases, with their status and answers.
#[utoipa::path(
    get, path = "/v1/me/disputes", operation_id = "list_own_disputes", tag = "disputes",
    params(DisputeListQuery),
    security(("bearer" = ["history:read"])),
    responses(
        (status = 200, description = "The caller's cases, newest first.", body = DisputePageDoc),
        (status = 400, description = "Bad `status`, `after` or `limit` (every one listed).", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = "Missing `history:read`, or a token issued to no person.", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    )
)]
pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let subject = state.service.dispute_citizen(&bearer_token(&req)?).await?;
    super::page_of(&req, &state, DisputeParty::Citizen(subject)).await
}

/// One of the caller's own cases.
#[utoipa::path(
    get, path = "/v1/me/disputes/{id}", operation_id = "get_own_dispute", tag = "disputes",
    params(("id" = String, Path, description = "The case id.", example = "0b6f2d4e-8a7c-4f0e-9d11-3c5a2e7b9f10")),
    security(("bearer" = ["history:read"])),
    responses(
        (status = 200, description = "The case.", body = DisputeDoc),
        Unauthorized,
        (status = 403, description = "Missing `history:read`, or a token issued to no person.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case of the caller's.", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    )
)]
pub async fn get(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let subject = state.service.dispute_citizen(&bearer_token(&req)?).await?;
    super::case_of(&req, &state, DisputeParty::Citizen(subject)).await
}
