//! The rules the domain enforces on each parameter and body field, as JSON
//! Schema keywords, so generators and fuzzers send what the server reads.
//! Only rules JSON Schema can state: check digits, the catalog and rules
//! across fields (`application` XOR `clientId`, the end after the start)
//! stay in the descriptions.

use innsyn_domain::catalog::MAX_NAME_LEN;
use innsyn_domain::query::MAX_FILTER_LEN;
use innsyn_domain::records::{MAX_BATCH, MAX_TEXT_LEN};
use innsyn_domain::subject::MAX_SUBJECT_LEN;
use innsyn_domain::{Decision, LabelKind, SortKey, SortOrder};
use serde_json::{Value, json};

use super::json::set;

/// Control characters (`char::is_control`, Unicode `Cc`), which no text
/// field accepts.
const CC: &str = r"\u0000-\u001f\u007f-\u009f";

/// Largest `event_created`: the last millisecond of year 9999.
const MAX_EVENT_CREATED: i64 = 253_402_300_799_999;

/// The 11 digits of a national identity number (the check digits and the
/// date are the domain's).
const PID: &str = "^[0-9]{11}$";

/// A subject id (`userId`): any visible characters, no whitespace, at most
/// [`MAX_SUBJECT_LEN`] bytes.
fn subject_id() -> Vec<(&'static str, Value)> {
    text(format!(r"^[^\s{CC}]+$"), MAX_SUBJECT_LEN)
}

/// An organisation number (9 digits, modulus 11 checked by the domain),
/// `0192:` prefix allowed; blank means none.
const ORGNO: &str = r"^\s*((0192:)?[0-9]{9})?\s*$";

/// Partial ISO 8601 `YYYY[-MM[-DD[Thh[:mm[:ss[.f]]][zone]]]]`.
const ABSOLUTE: &str = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}(:[0-9]{2}(:[0-9]{2}([.,][0-9]{1,9})?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?)?)?";

fn text(pattern: String, max: usize) -> Vec<(&'static str, Value)> {
    vec![("pattern", json!(pattern)), ("maxLength", json!(max))]
}

/// Some visible character; none a control character.
fn required_text(max: usize) -> Vec<(&'static str, Value)> {
    text(format!(r"^[^{CC}]*[^\s{CC}][^{CC}]*$"), max)
}

/// A catalog name: trimmed, then not empty, at most [`MAX_NAME_LEN`] and no
/// control characters. The length is the pattern's, since `maxLength`
/// would count the whitespace the server trims; blank is `optional`'s.
fn catalog_name(optional: bool) -> Vec<(&'static str, Value)> {
    let inner = MAX_NAME_LEN - 2;
    let name = format!(r"\s*[^\s{CC}]([^{CC}]{{0,{inner}}}[^\s{CC}])?\s*");
    if optional {
        pattern(format!(r"^(\s*|{name})$"))
    } else {
        pattern(format!("^{name}$"))
    }
}

/// Blank (taken as absent) or free of control characters.
fn optional_text() -> Vec<(&'static str, Value)> {
    text(format!(r"^(\s*|[^{CC}]*)$"), MAX_TEXT_LEN)
}

/// A filter value: not empty, as sent, free of control characters.
fn filter() -> Vec<(&'static str, Value)> {
    let mut rules = text(format!("^[^{CC}]+$"), MAX_FILTER_LEN);
    rules.push(("minLength", json!(1)));
    rules
}

fn pattern(p: impl Into<String>) -> Vec<(&'static str, Value)> {
    vec![("pattern", json!(p.into()))]
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Value {
    json!(all.iter().map(|v| name(*v)).collect::<Vec<_>>())
}

/// Applies every rule to `doc`.
pub(super) fn apply(doc: &mut Value) {
    bodies(doc);
    parameters(doc);
}

/// Sets `rules` on the property `name` of the component schema `schema`.
fn property(doc: &mut Value, schema: &str, name: &str, rules: &[(&str, Value)]) {
    set(
        doc,
        &["components", "schemas", schema, "properties", name],
        rules,
    );
}

fn bodies(doc: &mut Value) {
    property(
        doc,
        "ActivityRecord",
        "event_name",
        &required_text(MAX_TEXT_LEN),
    );
    property(
        doc,
        "ActivityRecord",
        "event_created",
        &[("minimum", json!(0)), ("maximum", json!(MAX_EVENT_CREATED))],
    );
    let mut pid = pattern(PID);
    pid.push(("type", json!("string")));
    property(doc, "ActivityRecord", "event_subject_pid", &pid);
    set(
        doc,
        &["components", "schemas", "ActivityRecord"],
        &[(
            "required",
            json!(["event_name", "event_created", "event_subject_pid"]),
        )],
    );
    for field in [
        "event_description",
        "correlation_id",
        "service_provider_id",
        "service_provider_name",
        "service_owner_id",
        "service_owner_name",
        "auth_eid",
        "auth_method",
        "application_name",
        "application_environment",
    ] {
        property(doc, "ActivityRecord", field, &optional_text());
    }
    for field in ["service_provider_orgno", "service_owner_orgno"] {
        property(doc, "ActivityRecord", field, &pattern(ORGNO));
    }

    property(doc, "AccessRecordInput", "userId", &subject_id());
    for field in ["application", "clientId", "resource", "action", "purpose"] {
        property(
            doc,
            "AccessRecordInput",
            field,
            &required_text(MAX_TEXT_LEN),
        );
    }
    property(doc, "AccessRecordInput", "resourceUrn", &optional_text());
    property(doc, "AccessRecordInput", "orgno", &pattern(ORGNO));
    property(
        doc,
        "AccessRecordInput",
        "decision",
        &[("enum", names(&Decision::ALL, Decision::as_str))],
    );

    property(doc, "PutClient", "application", &catalog_name(false));
    property(doc, "PutOrganisation", "name", &catalog_name(false));
    property(doc, "PutLabel", "nb", &catalog_name(false));
    property(doc, "PutLabel", "en", &catalog_name(true));
    property(doc, "PutClient", "orgno", &pattern(ORGNO));
    set(
        doc,
        &["components", "schemas", "PutResource", "properties", "urn"],
        &catalog_name(true),
    );

    // Optional, not nullable: no body is a resource without a URN, `null`
    // is not an object (utoipa says both for `Option<PutResource>`).
    set(
        doc,
        &[
            "paths",
            "/v1/catalog/resources/{name}",
            "put",
            "requestBody",
            "content",
            "application/json",
        ],
        &[(
            "schema",
            json!({"$ref": "#/components/schemas/PutResource"}),
        )],
    );
    for path in ["/v1/login-events", "/v1/access-records"] {
        set(
            doc,
            &[
                "paths",
                path,
                "post",
                "requestBody",
                "content",
                "application/json",
                "schema",
            ],
            &[("maxItems", json!(MAX_BATCH))],
        );
    }
}

/// The rules of one parameter, by operation and name.
fn parameter_rules(path: &str, name: &str) -> Option<Vec<(&'static str, Value)>> {
    Some(match (path, name) {
        ("/metadata/v1/{userId}/accessHistory", "userId") => subject_id(),
        ("/metadata/v1/{userId}/accessHistory", "startTime") => {
            pattern(format!("^(-[0-9]+[mhdwMy]|{ABSOLUTE})$"))
        }
        ("/metadata/v1/{userId}/accessHistory", "endTime") => {
            pattern(format!(r"^(\+?[0-9]+[mhdwMy]|{ABSOLUTE})$"))
        }
        ("/metadata/v1/{userId}/accessHistory", "sortBy") => {
            vec![("enum", names(&SortKey::ALL, SortKey::as_str))]
        }
        ("/metadata/v1/{userId}/accessHistory", "sortOrder") => vec![(
            "enum",
            names(&[SortOrder::Asc, SortOrder::Desc], SortOrder::as_str),
        )],
        ("/metadata/v1/{userId}/accessHistory", "cursor") => vec![("minLength", json!(1))],
        (
            "/metadata/v1/{userId}/accessHistory",
            "application" | "clientId" | "resource" | "action" | "purpose",
        ) => filter(),
        ("/v1/catalog/clients/{clientId}", "clientId")
        | ("/v1/catalog/resources/{name}", "name")
        | ("/v1/catalog/labels/{kind}/{name}", "name") => catalog_name(false),
        ("/v1/catalog/labels/{kind}/{name}", "kind") => {
            vec![("enum", names(&LabelKind::ALL, LabelKind::as_str))]
        }
        ("/v1/catalog/organisations/{orgno}", "orgno") => pattern(r"^\s*(0192:)?[0-9]{9}\s*$"),
        _ => return None,
    })
}

fn parameters(doc: &mut Value) {
    for (path, _, op) in super::json::operations(doc) {
        let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
            continue;
        };
        for param in params.iter_mut() {
            let name = param["name"].as_str().unwrap_or_default().to_owned();
            if let (Some(rules), Some(schema)) = (
                parameter_rules(&path, &name),
                param.get_mut("schema").and_then(Value::as_object_mut),
            ) {
                for (key, value) in rules {
                    schema.insert(key.to_owned(), value);
                }
            }
        }
    }
}
