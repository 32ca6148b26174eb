//! The error responses several operations share, declared once for the
//! OpenAPI document (utoipa `IntoResponses`).

use utoipa::IntoResponses;

use crate::error::Problem;

/// 401: every operation that takes a token.
#[derive(IntoResponses)]
#[response(
    status = 401,
    description = "No or invalid token.",
    content_type = "application/problem+json"
)]
pub struct Unauthorized(#[allow(dead_code)] Problem);

/// 503: every operation that reaches the store or the issuer.
#[derive(IntoResponses)]
#[response(
    status = 503,
    description = "Store or issuer unavailable.",
    content_type = "application/problem+json"
)]
pub struct Unavailable(#[allow(dead_code)] Problem);

/// 403 of the catalog and retention operations.
#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "Missing `history:admin`.",
    content_type = "application/problem+json"
)]
pub struct AdminOnly(#[allow(dead_code)] Problem);

/// What the ingestion operations refuse besides a token (`history:write`).
#[derive(IntoResponses)]
pub enum IngestErrors {
    /// Bad JSON or item.
    #[response(
        status = 400,
        description = "Malformed JSON or an invalid item (`[index].field`); nothing stored.",
        content_type = "application/problem+json"
    )]
    BadBatch(Problem),
    /// Missing scope.
    #[response(
        status = 403,
        description = "Missing `history:write`.",
        content_type = "application/problem+json"
    )]
    Forbidden(Problem),
    /// Too large.
    #[response(
        status = 413,
        description = "More than 10,000 items or over the body limit.",
        content_type = "application/problem+json"
    )]
    TooLarge(Problem),
    /// Not JSON.
    #[response(
        status = 415,
        description = "Not JSON.",
        content_type = "application/problem+json"
    )]
    NotJson(Problem),
}
