//! Reading what clients send, shared by the HTTP API and `innsyn import`:
//! JSON that names where it went wrong (`[3].event_created`) without
//! repeating any value, since a client's own body may hold identity numbers.

use innsyn_domain::InvalidParams;
use serde::de::DeserializeOwned;

/// A body (or NDJSON line) that is not what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct JsonError {
    /// Safe description (no values from the body).
    pub detail: String,
    /// Where in the body.
    pub params: InvalidParams,
}

/// Parses a JSON body into `T`, naming where it went wrong (`[3].event_created`)
/// without repeating any value from the body.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, JsonError> {
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
        JsonError {
            detail: format!("{what}: {reason}"),
            params,
        }
    })
}

/// Removes values from a serde message: quoted strings become `"…"`, and
/// backticked tokens other than plain identifiers (field names) become `…`.
/// A client's own body may hold identity numbers; error bodies and logs
/// must not repeat them.
pub fn redact_values(message: &str) -> String {
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
