#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use utoipa::OpenApi as _;

use super::{Annotated, ApiDoc, completed_json};

fn served() -> Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap()
}

#[test]
fn the_completion_survives_utoipas_types() {
    // Anything utoipa's types cannot hold would be dropped silently.
    let completed = completed_json(&Annotated::openapi()).unwrap();
    let served = served();
    let lost: Vec<String> = leaves(&completed, "")
        .into_iter()
        .filter(|(pointer, value)| served.pointer(pointer) != Some(value))
        .map(|(pointer, _)| pointer)
        .collect();
    assert!(lost.is_empty(), "lost: {lost:?}");
}

fn leaves(v: &Value, at: &str) -> Vec<(String, Value)> {
    let key = |k: &str| format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
    match v {
        Value::Object(m) => m.iter().flat_map(|(k, v)| leaves(v, &key(k))).collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .flat_map(|(i, v)| leaves(v, &key(&i.to_string())))
            .collect(),
        leaf => vec![(at.to_owned(), leaf.clone())],
    }
}

#[test]
fn every_rule_found_its_field() {
    let doc = served();
    let props = |schema: &str| doc["components"]["schemas"][schema]["properties"].clone();
    let activity = props("ActivityRecord");
    for (field, keyword) in [
        ("event_name", "pattern"),
        ("event_created", "maximum"),
        ("event_subject_pid", "pattern"),
        ("auth_eid", "maxLength"),
        ("service_owner_orgno", "pattern"),
    ] {
        assert!(
            activity[field][keyword].is_string() || activity[field][keyword].is_number(),
            "{field}.{keyword}"
        );
    }
    assert_eq!(activity["event_subject_pid"]["pattern"], "^[0-9]{11}$");
    let record = props("AccessRecordInput");
    assert_eq!(
        record["decision"]["enum"],
        json!(["Permit", "Deny", "NotApplicable", "Indeterminate"])
    );
    assert_eq!(record["purpose"]["maxLength"], 1024);
    assert!(props("PutClient")["orgno"]["pattern"].is_string());
    assert!(props("PutResource")["urn"]["pattern"].is_string());
    for path in ["/v1/login-events", "/v1/access-records"] {
        let body =
            &doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(body["maxItems"], 10_000, "{path}");
    }
}

fn param(doc: &Value, path: &str, method: &str, name: &str) -> Value {
    doc["paths"][path][method]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{path} has no {name}"))
        .clone()
}

#[test]
fn parameters_carry_defaults_enums_and_bounds() {
    let doc = served();
    let access = "/metadata/v1/{userId}/accessHistory";
    let schema = |name: &str| param(&doc, access, "get", name)["schema"].clone();
    assert_eq!(schema("sortBy")["enum"][2], "clientId");
    assert_eq!(schema("sortBy")["default"], "timestamp");
    assert_eq!(schema("sortOrder")["enum"], json!(["asc", "desc"]));
    assert_eq!(schema("startTime")["default"], "-1d");
    assert_eq!(schema("count")["default"], 100);
    assert_eq!(schema("startIndex")["maximum"], 1_000_000);
    assert_eq!(schema("application")["minLength"], 1);
    assert!(
        schema("validate").get("minLength").is_none(),
        "a flag may be empty"
    );
    let maxhits = param(&doc, "/innlogginger/logg/idporten", "get", "maxhits")["schema"].clone();
    assert_eq!(
        (maxhits["minimum"].clone(), maxhits["maximum"].clone()),
        (json!(1), json!(1000))
    );
}

#[test]
fn every_operation_lists_405_and_429_and_the_headers() {
    let doc = served();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("405"), "{method} {path}");
            let limited = !["/healthz", "/readyz", "/metrics"].contains(&path.as_str());
            assert_eq!(responses.contains_key("429"), limited, "{method} {path}");
            for (status, header) in [
                ("401", "WWW-Authenticate"),
                ("403", "WWW-Authenticate"),
                ("503", "Retry-After"),
            ] {
                if let Some(r) = responses.get(status) {
                    assert!(
                        r["headers"][header]["schema"].is_object(),
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
    let responses = &doc["components"]["responses"];
    assert!(responses["TooManyRequests"]["headers"]["Retry-After"].is_object());
    assert!(responses["MethodNotAllowed"]["headers"]["Allow"].is_object());
}

#[test]
fn oauth2_flows_list_the_default_scopes_beside_bearer() {
    let doc = served();
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    for flow in ["clientCredentials", "authorizationCode"] {
        let scopes = schemes["oauth2"]["flows"][flow]["scopes"]
            .as_object()
            .unwrap();
        let names: Vec<&str> = scopes.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "history:admin",
                "history:audit",
                "history:disputes",
                "history:read",
                "history:write",
                "idporten:user.log.read"
            ],
            "{flow}"
        );
    }
    let security = &doc["paths"]["/v1/catalog"]["get"]["security"];
    assert_eq!(
        security,
        &json!([{"bearer": ["history:admin"]}, {"oauth2": ["history:admin"]}])
    );
}
