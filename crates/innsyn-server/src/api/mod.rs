//! The endpoints: each parses the request into domain values, asks the
//! policy, calls the ports and renders the answer. No rule lives here.

pub mod access_history;
pub mod admin;
pub mod ingest;
pub mod login_history;
pub mod ops;

use actix_web::http::header;
use actix_web::{HttpRequest, web};
use futures_util::StreamExt as _;
use innsyn_domain::InvalidParams;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Deserializes a query string into `T` (all fields strings, so only
/// structural mistakes such as a repeated parameter fail here).
pub(crate) fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    web::Query::<T>::from_query(query)
        .map(web::Query::into_inner)
        .map_err(|e| {
            let mut params = InvalidParams::new();
            let reason = match &e {
                actix_web::error::QueryPayloadError::Deserialize(d) => {
                    redact_values(&d.to_string())
                }
                _ => "the query string could not be read".to_owned(),
            };
            params.push("query", reason);
            ApiError::InvalidParams(params)
        })
}

/// Reads a JSON request body of at most `limit` bytes.
pub(crate) async fn read_json_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<web::Bytes, ApiError> {
    if let Some(ct) = req.headers().get(header::CONTENT_TYPE) {
        let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
        let essence = ct.split(';').next().unwrap_or("").trim();
        if essence != "application/json" && !essence.ends_with("+json") {
            return Err(ApiError::UnsupportedMediaType);
        }
    }
    let too_large =
        || ApiError::PayloadTooLarge(format!("the request body is larger than {limit} bytes"));
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(8192).min(limit));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| match e {
            actix_web::error::PayloadError::Overflow => too_large(),
            _ => ApiError::BadBody {
                detail: "the request body could not be read".to_owned(),
                params: InvalidParams::new(),
            },
        })?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Parses a JSON body into `T`, naming where it went wrong (`[3].event_created`)
/// without repeating any value from the body.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let what = match inner.classify() {
            serde_json::error::Category::Syntax => "the body is not valid JSON",
            serde_json::error::Category::Eof => "the body ends too early (incomplete JSON)",
            serde_json::error::Category::Data => "the body does not have the expected shape",
            serde_json::error::Category::Io => "the body could not be read",
        };
        let reason = redact_values(&inner.to_string());
        let name = if path == "." || path.is_empty() {
            "body".to_owned()
        } else {
            path
        };
        let mut params = InvalidParams::new();
        params.push(name, reason.clone());
        ApiError::BadBody {
            detail: format!("{what}: {reason}"),
            params,
        }
    })
}

/// Removes values from a serde message: quoted strings become `"…"`, and
/// backticked tokens other than plain identifiers (field names) become `…`.
/// A client's own body may hold identity numbers; error bodies and logs
/// must not repeat them.
pub(crate) fn redact_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for n in chars.by_ref() {
                    if n == '"' {
                        break;
                    }
                }
                out.push_str("\"…\"");
            }
            '`' => {
                let mut inner = String::new();
                for n in chars.by_ref() {
                    if n == '`' {
                        break;
                    }
                    inner.push(n);
                }
                let identifier = inner
                    .chars()
                    .next()
                    .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
                    && inner
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                out.push('`');
                out.push_str(if identifier { &inner } else { "…" });
                out.push('`');
            }
            c if c.is_ascii_digit() => {
                // Long digit runs outside quotes (e.g. a number where a
                // string was expected) could be identity numbers.
                let mut run = String::from(c);
                while let Some(&d) = chars.peek() {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    run.push(d);
                    chars.next();
                }
                out.push_str(if run.len() > 6 { "…" } else { &run });
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_field_names_and_drops_values() {
        assert_eq!(
            redact_values("invalid type: string \"12345678901\", expected i64 at line 1 column 9"),
            "invalid type: string \"…\", expected i64 at line 1 column 9"
        );
        assert_eq!(
            redact_values("missing field `event_name`"),
            "missing field `event_name`"
        );
        assert_eq!(
            redact_values("invalid type: integer `12345678901`, expected a string"),
            "invalid type: integer `…`, expected a string"
        );
        assert_eq!(redact_values("x 12345678901 y"), "x … y");
    }
}
