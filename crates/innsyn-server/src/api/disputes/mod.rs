//! Disputes: the organisation's side (`/v1/disputes`, scope
//! `history:disputes`) and the citizen's (`/v1/me/disputes`, the citizen's
//! own token with `history:read`).

mod doc;
pub mod me;
pub mod organisation;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use innsyn_domain::disputes::DisputeParty;

use crate::api::{AppState, parse_query};
use crate::error::ApiError;

pub use doc::{
    AnswerBody, DisputeDoc, DisputeListQuery, DisputePageDoc, DisputedItemDoc, OpenDisputeBody,
};

/// The page of `party`'s cases that the request's query asks for.
async fn page_of(
    req: &HttpRequest,
    state: &AppState,
    party: DisputeParty,
) -> Result<HttpResponse, ApiError> {
    let q: DisputeListQuery = parse_query(req.query_string())?;
    let page = state.service.disputes(party, &q.into()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(DisputePageDoc::of(&page, state.service.zone())?))
}

/// The case of the path's `id`, when `party` may see it.
async fn case_of(
    req: &HttpRequest,
    state: &AppState,
    party: DisputeParty,
) -> Result<HttpResponse, ApiError> {
    let id = req.match_info().get("id").unwrap_or_default();
    let d = state.service.dispute(party, id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(DisputeDoc::of(&d, state.service.zone())?))
}
