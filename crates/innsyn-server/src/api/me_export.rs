//! `GET /v1/me/export`: the verifiable file of the token's own person, for
//! front ends other than innsyn's page (which offers the same download).

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_app::citizen::HistoryDocument;

use crate::api::responses::{Unauthorized, Unavailable};
use crate::api::{AppState, bearer_token};
use crate::error::{ApiError, Problem};

/// The caller's whole history, both kinds, with each record's leaf index
/// and inclusion proof against one signed checkpoint and the signed export
/// statement (docs/api.md "The log"); `innsyn verify` checks it offline.
#[utoipa::path(
    get, path = "/v1/me/export", operation_id = "export_own_history", tag = "log",
    security(("bearer" = ["history:read"])),
    responses(
        (status = 200, description = "The file: `loginEvents`, `accessHistory` and, when the log signs, `log` (key, checkpoint, statement, subject key) and each record's `log` (index, proof). Recorded as a read by the token's client.", body = Object, content_type = "application/json"),
        Unauthorized,
        (status = 403, description = "Missing `history:read`, or a token issued to no person.", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    )
)]
pub async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let export = state.service.own_export(&bearer_token(&req)?).await?;
    let doc = HistoryDocument::of(&export, state.service.zone());
    let date = state.service.zone().to_local(export.generated_at).date();
    Ok(HttpResponse::Ok()
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "innsyn-historikk-{date}.json"
            ))],
        })
        .json(doc))
}
