//! Reading what clients send, shared by the HTTP API, `innsyn import` and
//! the Kafka consumer:
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

/// Parses a JSON body (or NDJSON line) into `T`, naming where it went wrong
/// (`[3].event_created`) without repeating any value from the body.
/// Nothing but white space may follow the value: `[…]xyz` or `[…][…]` is
/// refused, not read in part.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, JsonError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| json_error(&e.path().to_string(), e.into_inner()))?;
    de.end().map_err(|e| json_error("", e))?;
    Ok(value)
}

/// Parses a JSON array of items `T` (an ingestion batch). When items do not
/// have `T`'s shape, every one of them is named with its field, not only
/// the first: the client fixes the batch in one round.
pub fn parse_json_items<T: DeserializeOwned>(body: &[u8]) -> Result<Vec<T>, JsonError> {
    let first = match parse_json::<Vec<T>>(body) {
        Ok(items) => return Ok(items),
        Err(e) => e,
    };
    // Only a well-formed array whose items have the wrong shape is worth a
    // second, item-by-item pass (bad input only: the common path parses once).
    let Ok(items) = parse_json::<Vec<serde_json::Value>>(body) else {
        return Err(first);
    };
    let mut params = InvalidParams::new();
    for (i, item) in items.into_iter().enumerate() {
        if let Err(e) = serde_path_to_error::deserialize::<_, T>(item) {
            let path = e.path().to_string();
            let field = if path == "." || path.is_empty() {
                format!("[{i}]")
            } else {
                format!("[{i}].{path}")
            };
            params.push(field, redact_values(&e.into_inner().to_string()));
        }
    }
    let detail = match params.params().len() {
        0 => return Err(first),
        1 => "1 item does not have the expected shape".to_owned(),
        n => format!("{n} items do not have the expected shape"),
    };
    Err(JsonError { detail, params })
}

fn json_error(path: &str, inner: serde_json::Error) -> JsonError {
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
        path.to_owned()
    };
    let mut params = InvalidParams::new();
    params.push(name, reason.clone());
    JsonError {
        detail: format!("{what}: {reason}"),
        params,
    }
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

    #[derive(Debug, serde::Deserialize)]
    struct Item {
        #[allow(dead_code)]
        n: u32,
    }

    fn names(e: &JsonError) -> Vec<&str> {
        e.params.params().iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn nothing_may_follow_the_value() {
        assert!(parse_json::<Vec<Item>>(b"[{\"n\":1}] \n").is_ok());
        for trailing in [&b"[{\"n\":1}]xyz"[..], b"[{\"n\":1}][{\"n\":2}]"] {
            let e = parse_json::<Vec<Item>>(trailing).unwrap_err();
            assert_eq!(names(&e), ["body"]);
            assert!(e.detail.contains("trailing"), "{}", e.detail);
        }
    }

    #[test]
    fn every_item_of_the_wrong_shape_is_named() {
        let e = parse_json_items::<Item>(b"[{\"n\":1},{\"n\":\"12345678901\"},{},{\"n\":-1}]")
            .unwrap_err();
        assert_eq!(names(&e), ["[1].n", "[2]", "[3].n"]);
        assert_eq!(e.detail, "3 items do not have the expected shape");
        assert!(!format!("{e:?}").contains("12345678901"));
        // Not an array, or not JSON: one error for the body.
        assert_eq!(
            names(&parse_json_items::<Item>(b"{}").unwrap_err()),
            ["body"]
        );
        assert_eq!(
            names(&parse_json_items::<Item>(b"not json").unwrap_err()),
            ["body"]
        );
    }

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
