//! What every operation can answer besides its own statuses, and the
//! headers the error responses carry (see [`crate::error`] and
//! [`crate::middleware::rate_limit`]).

use serde_json::{Value, json};

use super::json::{object_at, operations};

/// Paths the rate limiter lets through (`middleware::rate_limit`).
const NOT_RATE_LIMITED: [&str; 3] = ["/healthz", "/readyz", "/metrics"];

fn problem(description: &str, header: (&str, Value)) -> Value {
    json!({
        "description": description,
        "headers": { header.0: header.1 },
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    })
}

fn header(description: &str, schema: Value) -> Value {
    // Always sent; utoipa's header type has no `required` to say so.
    json!({"description": description, "schema": schema})
}

fn www_authenticate() -> Value {
    header(
        "RFC 6750 challenge: `Bearer` (no token), `Bearer error=\"invalid_token\"` (401), `Bearer error=\"insufficient_scope\", scope=\"…\"` (403).",
        json!({"type": "string"}),
    )
}

fn retry_after() -> Value {
    header(
        "Seconds to wait before retrying.",
        json!({"type": "integer", "minimum": 1}),
    )
}

/// Adds 405 and 429 to every operation (429 where the limiter applies),
/// and the headers to the responses that carry them.
pub(super) fn apply(doc: &mut Value) {
    for (path, _, op) in operations(doc) {
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
            continue;
        };
        responses.insert(
            "405".to_owned(),
            json!({"$ref": "#/components/responses/MethodNotAllowed"}),
        );
        if !NOT_RATE_LIMITED.contains(&path.as_str()) {
            responses.insert(
                "429".to_owned(),
                json!({"$ref": "#/components/responses/TooManyRequests"}),
            );
        }
        for (status, response) in responses.iter_mut() {
            let named = match status.as_str() {
                "401" | "403" => ("WWW-Authenticate", www_authenticate()),
                "503" => ("Retry-After", retry_after()),
                _ => continue,
            };
            if let Some(response) = response.as_object_mut() {
                let headers = response.entry("headers").or_insert_with(|| json!({}));
                headers[named.0] = named.1;
            }
        }
    }
    let Some(components) = object_at(doc, &["components"]) else {
        return;
    };
    let responses = components.entry("responses").or_insert_with(|| json!({}));
    responses["MethodNotAllowed"] = problem(
        "Another method of this path, which answers only those `Allow` lists.",
        (
            "Allow",
            header("This path's methods.", json!({"type": "string"})),
        ),
    );
    responses["TooManyRequests"] = problem(
        "Past the per-client rate limit (`server.rate_limit_per_second`, `server.rate_limit_burst`).",
        ("Retry-After", retry_after()),
    );
}
