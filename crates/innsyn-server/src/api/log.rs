//! `/v1/log/*`: the tamper-evident log's public face. Anyone may read the
//! signed checkpoint, the key and consistency proofs: they reveal no
//! record, only the tree's size and hashes, and monitors need them without
//! an account.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use innsyn_domain::InvalidParams;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::query::parse_query;
use crate::api::responses::Unavailable;
use crate::error::{ApiError, Problem};

const TEXT: &str = "text/plain; charset=utf-8";

/// The latest signed tree head, a C2SP checkpoint (signed note).
#[utoipa::path(get, path = "/v1/log/checkpoint", operation_id = "log_checkpoint", tag = "log",
    responses(
        (status = 200, description = "The checkpoint: origin, tree size and base64 root, then the Ed25519 signature line (c2sp.org/tlog-checkpoint).", body = String, content_type = "text/plain"),
        (status = 404, description = "No checkpoint is signed: no signing key, or nothing stored yet.", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ))]
pub async fn checkpoint(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let cp = state.service.log_checkpoint().await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, TEXT))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(cp.note))
}

/// The key that verifies the log's notes.
#[utoipa::path(get, path = "/v1/log/key", operation_id = "log_key", tag = "log",
    responses(
        (status = 200, description = "The verifier key in the note key format `<origin>+<key ID hex>+<base64(0x01 || Ed25519 public key)>`.", body = String, content_type = "text/plain"),
        (status = 404, description = "No signing key is configured.", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn key(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let key = state
        .service
        .log_key()
        .ok_or_else(|| ApiError::NotFound("no log signing key is configured".to_owned()))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, TEXT))
        .body(format!("{key}\n")))
}

/// The parameters of a consistency proof.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ConsistencyQuery {
    /// The older tree size.
    #[param(value_type = u64, required = true, minimum = 0, example = 0)]
    pub from: Option<String>,
    /// The newer tree size, at most the log's.
    #[param(value_type = u64, required = true, minimum = 0, example = 1)]
    pub to: Option<String>,
}

/// An RFC 9162 consistency proof.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsistencyDoc {
    /// The older tree size.
    pub from: u64,
    /// The newer tree size.
    pub to: u64,
    /// The proof's hashes, base64.
    pub proof: Vec<String>,
}

fn size(params: &mut InvalidParams, name: &str, raw: Option<&str>) -> Option<u64> {
    let Some(raw) = raw else {
        params.push(name, "is required: a tree size (a whole number)");
        return None;
    };
    params.check(
        name,
        raw.parse::<u64>()
            .map_err(|_| "must be a tree size (a whole number)"),
    )
}

/// The proof that the tree of `to` leaves extends the tree of `from`.
#[utoipa::path(get, path = "/v1/log/proof/consistency", operation_id = "log_consistency_proof", tag = "log",
    params(ConsistencyQuery),
    responses(
        (status = 200, description = "The proof (RFC 9162 §2.1.4).", body = ConsistencyDoc),
        (status = 400, description = "A missing or bad `from` or `to` (each named).", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    ))]
pub async fn consistency(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q: ConsistencyQuery = parse_query(req.query_string())?;
    let mut params = InvalidParams::new();
    let from = size(&mut params, "from", q.from.as_deref());
    let to = size(&mut params, "to", q.to.as_deref());
    let (from, to) = params.finish(|| Some((from?, to?)))?;
    let proof = state.service.log_consistency(from, to).await?;
    Ok(HttpResponse::Ok().json(ConsistencyDoc {
        from,
        to,
        proof: proof.iter().map(|h| STANDARD.encode(h)).collect(),
    }))
}
