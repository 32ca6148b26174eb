//! Every error the HTTP layer can answer with, mapped once to RFC 9457
//! `application/problem+json` (and RFC 6750 `WWW-Authenticate` for 401/403).
//!
//! Nothing here ever prints a token, an identity number or a record's
//! content: details come from typed errors whose messages are safe.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use innsyn_app::AppError;
use innsyn_domain::{Denied, InvalidParams};
use innsyn_ports::{StoreError, TokenError};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Seconds a client should wait before retrying a 503.
pub const RETRY_AFTER_UNAVAILABLE: u64 = 5;

/// One bad parameter or field (RFC 9457 §3 example extension `invalid-params`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct InvalidParamBody {
    /// The parameter or field, e.g. `startTime` or `[3].event_created`.
    #[schema(example = "maxhits")]
    pub name: String,
    /// What is wrong and what is accepted.
    #[schema(example = "must be a whole number from 1 to 1000")]
    pub reason: String,
}

/// An RFC 9457 problem details object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "https://innsyn.example/problems/invalid-params",
    "title": "Invalid request parameters",
    "status": 400,
    "detail": "1 parameter is invalid",
    "invalid-params": [{"name": "maxhits", "reason": "must be a whole number from 1 to 1000"}]
}))]
pub struct Problem {
    /// A URI identifying the problem type.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence.
    pub detail: String,
    /// Every bad parameter, for 400 responses about parameters or fields.
    #[serde(rename = "invalid-params", skip_serializing_if = "Vec::is_empty")]
    pub invalid_params: Vec<InvalidParamBody>,
}

/// Everything a request can fail with. Mapped to a response in exactly one
/// place ([`ResponseError`] below).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No bearer token was sent (or another authentication scheme was used).
    #[error("this endpoint needs a bearer access token")]
    MissingToken,
    /// The token was refused, or the issuer could not be asked.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The caller is known but not allowed.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// Bad query parameters or fields.
    #[error("{0}")]
    InvalidParams(#[from] InvalidParams),
    /// A body that is not what the endpoint reads (bad JSON, wrong shape).
    #[error("{detail}")]
    BadBody {
        /// Safe description (no values from the body).
        detail: String,
        /// Where in the body, when known.
        params: InvalidParams,
    },
    /// The resource does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with what is stored (a case disputed before, a
    /// closed case answered, an answer that lost a race).
    #[error("{detail}")]
    Conflict {
        /// Safe description.
        detail: String,
        /// The existing resource, for `Location`.
        location: Option<String>,
    },
    /// Well-formed, but nothing can be done with it.
    #[error("{0}")]
    Unprocessable(String),
    /// The route exists, the method does not.
    #[error("this method is not allowed on this resource")]
    MethodNotAllowed {
        /// The methods the resource has, for `Allow`.
        allow: &'static str,
    },
    /// The body or the batch is larger than allowed.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// A body that is not JSON.
    #[error("the body must be application/json")]
    UnsupportedMediaType,
    /// Past the per-client rate limit.
    #[error("too many requests; retry after {retry_after} seconds")]
    RateLimited {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A failure of ours that the client cannot fix; the message is logged,
    /// never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<AppError> for ApiError {
    /// The one mapping of the use cases' failures to the API's.
    fn from(e: AppError) -> Self {
        match e {
            AppError::Token(t) => ApiError::Token(t),
            AppError::Denied(d) => ApiError::Denied(d),
            AppError::InvalidParams(p) => ApiError::InvalidParams(p),
            AppError::Store(s) => ApiError::Store(s),
            e @ (AppError::UnknownOwner | AppError::NoSuchCase | AppError::NoCheckpoint) => {
                ApiError::NotFound(e.to_string())
            }
            AppError::AlreadyDisputed(d) => ApiError::Conflict {
                detail: format!("this item is already disputed in case {}", d.id),
                location: Some(format!("/v1/me/disputes/{}", d.id)),
            },
            e @ AppError::Unroutable => ApiError::Unprocessable(e.to_string()),
            e @ (AppError::CaseRefused(_) | AppError::CaseChanged) => ApiError::Conflict {
                detail: e.to_string(),
                location: None,
            },
            e @ AppError::BatchTooLarge { .. } => ApiError::PayloadTooLarge(e.to_string()),
            e @ (AppError::Login(_) | AppError::LoginNotConfigured | AppError::Internal(_)) => {
                ApiError::Internal(e.to_string())
            }
        }
    }
}

impl From<innsyn_app::wire::JsonError> for ApiError {
    fn from(e: innsyn_app::wire::JsonError) -> Self {
        ApiError::BadBody {
            detail: e.detail,
            params: e.params,
        }
    }
}

impl ApiError {
    fn problem_type(&self) -> &'static str {
        match self {
            ApiError::MissingToken | ApiError::Token(TokenError::Malformed) => {
                "https://innsyn.example/problems/unauthorized"
            }
            ApiError::Token(TokenError::Unavailable(_)) => {
                "https://innsyn.example/problems/issuer-unavailable"
            }
            ApiError::Token(_) => "https://innsyn.example/problems/invalid-token",
            ApiError::Denied(_) => "https://innsyn.example/problems/forbidden",
            ApiError::InvalidParams(_) => "https://innsyn.example/problems/invalid-params",
            ApiError::BadBody { .. } => "https://innsyn.example/problems/invalid-body",
            ApiError::NotFound(_) => "https://innsyn.example/problems/not-found",
            ApiError::Conflict { .. } => "https://innsyn.example/problems/conflict",
            ApiError::Unprocessable(_) => "https://innsyn.example/problems/unprocessable",
            ApiError::MethodNotAllowed { .. } => {
                "https://innsyn.example/problems/method-not-allowed"
            }
            ApiError::PayloadTooLarge(_) => "https://innsyn.example/problems/payload-too-large",
            ApiError::UnsupportedMediaType => {
                "https://innsyn.example/problems/unsupported-media-type"
            }
            ApiError::RateLimited { .. } => "https://innsyn.example/problems/rate-limited",
            ApiError::Store(StoreError::Unavailable(_)) => {
                "https://innsyn.example/problems/store-unavailable"
            }
            ApiError::Store(StoreError::Internal(_)) | ApiError::Internal(_) => {
                "https://innsyn.example/problems/internal"
            }
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::MissingToken => "Authentication required",
            ApiError::Token(TokenError::Unavailable(_)) => "Token issuer unavailable",
            ApiError::Token(_) => "Invalid access token",
            ApiError::Denied(_) => "Forbidden",
            ApiError::InvalidParams(_) => "Invalid request parameters",
            ApiError::BadBody { .. } => "Invalid request body",
            ApiError::NotFound(_) => "No such object",
            ApiError::Conflict { .. } => "Conflict",
            ApiError::Unprocessable(_) => "Unprocessable request",
            ApiError::MethodNotAllowed { .. } => "Method not allowed",
            ApiError::PayloadTooLarge(_) => "Payload too large",
            ApiError::UnsupportedMediaType => "Unsupported media type",
            ApiError::RateLimited { .. } => "Too many requests",
            ApiError::Store(StoreError::Unavailable(_)) => "Service unavailable",
            ApiError::Store(StoreError::Internal(_)) | ApiError::Internal(_) => {
                "Internal server error"
            }
        }
    }

    /// The detail sent to the client: never internal causes.
    fn detail(&self) -> String {
        match self {
            ApiError::Store(StoreError::Unavailable(_)) => {
                "the history store is unavailable; retry later".to_owned()
            }
            ApiError::Token(TokenError::Unavailable(_)) => {
                "the token issuer could not be reached to validate the access token; retry later"
                    .to_owned()
            }
            ApiError::Store(StoreError::Internal(_)) | ApiError::Internal(_) => {
                "an internal error occurred".to_owned()
            }
            ApiError::InvalidParams(p) => match p.params().len() {
                1 => "1 parameter is invalid".to_owned(),
                n => format!("{n} parameters are invalid"),
            },
            other => other.to_string(),
        }
    }

    fn invalid_params(&self) -> Vec<InvalidParamBody> {
        let params = match self {
            ApiError::InvalidParams(p) => p,
            ApiError::BadBody { params, .. } => params,
            _ => return Vec::new(),
        };
        params
            .params()
            .iter()
            .map(|p| InvalidParamBody {
                name: p.name.clone(),
                reason: p.reason.clone(),
            })
            .collect()
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        Problem {
            problem_type: self.problem_type().to_owned(),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            invalid_params: self.invalid_params(),
        }
    }

    fn www_authenticate(&self) -> Option<String> {
        match self {
            ApiError::MissingToken => Some("Bearer".to_owned()),
            ApiError::Token(e) if e.is_client_error() => Some(format!(
                "Bearer error=\"invalid_token\", error_description=\"{}\"",
                quoted_safe(&e.to_string())
            )),
            ApiError::Denied(d) => Some(match d.required_scope() {
                Some(scope) => format!(
                    "Bearer error=\"insufficient_scope\", scope=\"{}\"",
                    quoted_safe(scope)
                ),
                None => format!(
                    "Bearer error=\"insufficient_scope\", error_description=\"{}\"",
                    quoted_safe(&d.to_string())
                ),
            }),
            _ => None,
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::Store(StoreError::Unavailable(_))
            | ApiError::Token(TokenError::Unavailable(_)) => Some(RETRY_AFTER_UNAVAILABLE),
            ApiError::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }
}

/// Keeps only the characters RFC 6750 §3 allows inside a quoted
/// `WWW-Authenticate` parameter (%x20-21 / %x23-5B / %x5D-7E).
fn quoted_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' ' | '!' | '#'..='[' | ']'..='~' => c,
            _ => ' ',
        })
        .collect()
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::MissingToken => StatusCode::UNAUTHORIZED,
            ApiError::Token(e) if e.is_client_error() => StatusCode::UNAUTHORIZED,
            ApiError::Token(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Denied(_) => StatusCode::FORBIDDEN,
            ApiError::InvalidParams(_) | ApiError::BadBody { .. } => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Store(StoreError::Unavailable(_)) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Store(StoreError::Internal(_)) | ApiError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            // Causes are safe to log (the ports promise it) but not to send.
            ApiError::Store(e) => tracing::warn!(error = %e, "store error"),
            ApiError::Token(e @ TokenError::Unavailable(_)) => {
                tracing::warn!(error = %e, "token issuer unavailable")
            }
            ApiError::Internal(e) => tracing::error!(error = %e, "internal error"),
            _ => {}
        }
        problem_response(self.status_code(), &self.problem(), |res| {
            if let Some(value) = self
                .www_authenticate()
                .and_then(|v| HeaderValue::from_str(&v).ok())
            {
                res.insert_header((header::WWW_AUTHENTICATE, value));
            }
            if let Some(secs) = self.retry_after() {
                res.insert_header((header::RETRY_AFTER, secs.to_string()));
            }
            if let ApiError::MethodNotAllowed { allow } = self {
                res.insert_header((header::ALLOW, *allow));
            }
            if let ApiError::Conflict {
                location: Some(location),
                ..
            } = self
            {
                res.insert_header((header::LOCATION, location.as_str()));
            }
        })
    }
}

/// Renders `problem` with the problem+json media type.
pub fn problem_response(
    status: StatusCode,
    problem: &Problem,
    extra: impl FnOnce(&mut actix_web::HttpResponseBuilder),
) -> HttpResponse {
    let body = serde_json::to_vec(problem).unwrap_or_else(|_| b"{}".to_vec());
    let mut res = HttpResponse::build(status);
    res.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
    res.insert_header((header::CACHE_CONTROL, "no-store"));
    extra(&mut res);
    res.body(body)
}

/// A problem for a bare status (the fallback for errors raised outside our
/// handlers, e.g. by actix itself).
pub fn problem_for_status(status: StatusCode) -> Problem {
    let title = status.canonical_reason().unwrap_or("Error").to_owned();
    let detail = match status {
        StatusCode::NOT_FOUND => "no resource at this path".to_owned(),
        StatusCode::METHOD_NOT_ALLOWED => "this method is not allowed on this resource".to_owned(),
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is too large".to_owned(),
        s if s.is_server_error() => "an internal error occurred".to_owned(),
        _ => "the request could not be processed".to_owned(),
    };
    Problem {
        problem_type: "about:blank".to_owned(),
        title,
        status: status.as_u16(),
        detail,
        invalid_params: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_sanitised() {
        assert_eq!(quoted_safe("a\"b\\c\nd"), "a b c d");
        assert_eq!(quoted_safe("ok: [x] ~"), "ok: [x] ~");
    }
}
