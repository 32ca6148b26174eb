//! The error responses several operations share, declared once for the
//! OpenAPI document (utoipa `IntoResponses`). The headers they carry, and
//! 405 and 429, are added to every operation by [`crate::openapi`].

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

/// What reading a JSON body refuses ([`super::read_json_body`]).
#[derive(IntoResponses)]
pub enum BodyLimits {
    /// Too large.
    #[response(
        status = 413,
        description = "Over the body limit (`server.body_limit_bytes`), or an ingestion batch of more than 10,000 items.",
        content_type = "application/problem+json"
    )]
    TooLarge(Problem),
    /// Not JSON.
    #[response(
        status = 415,
        description = "A `Content-Type` other than JSON (none is read as JSON).",
        content_type = "application/problem+json"
    )]
    NotJson(Problem),
}

/// What the ingestion operations refuse besides a token (`history:write`)
/// and [`BodyLimits`].
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
}
