//! The OpenAPI schemas derived on the wire types (feature `openapi`): the
//! names and constraints the server's document relies on.

use crate::{AccessHistoryParams, AccessRecordInput, ActivityRecord, Decision};
use serde_json::{Value, json};
use utoipa::openapi::path::ParameterIn;
use utoipa::{IntoParams, PartialSchema, ToSchema};

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

fn param(name: &str) -> Value {
    let params = to_json(&AccessHistoryParams::into_params(|| {
        Some(ParameterIn::Query)
    }));
    params
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no parameter {name}"))
}

#[test]
fn the_schemas_keep_their_wire_names() {
    assert_eq!(ActivityRecord::name(), "ActivityRecord");
    assert_eq!(AccessRecordInput::name(), "AccessRecordInput");
    let input = to_json(&AccessRecordInput::schema());
    assert_eq!(input["properties"]["id"]["format"], "uuid");
    assert_eq!(input["properties"]["timestamp"]["format"], "date-time");
    assert!(input["properties"]["userId"].is_object());
    let activity = to_json(&ActivityRecord::schema());
    assert_eq!(activity["required"], json!(["event_name", "event_created"]));
}

#[test]
fn every_query_parameter_is_optional_and_in_the_query_by_its_wire_name() {
    let params = to_json(&AccessHistoryParams::into_params(|| {
        Some(ParameterIn::Query)
    }));
    let params = params.as_array().unwrap();
    assert_eq!(params.len(), 14);
    for p in params {
        assert_eq!(
            (&p["in"], &p["required"]),
            (&json!("query"), &json!(false)),
            "{p}"
        );
        assert!(!p["name"].as_str().unwrap().contains('_'), "{p}");
    }
    for camel in [
        "clientId",
        "startTime",
        "endTime",
        "startIndex",
        "sortBy",
        "sortOrder",
    ] {
        assert!(params.iter().any(|p| p["name"] == camel), "{camel}");
    }
}

#[test]
fn decision_is_an_enum_of_the_canonical_names_not_a_pattern() {
    let schema = &param("decision")["schema"];
    let names: Vec<&str> = Decision::ALL.iter().map(|d| d.as_str()).collect();
    assert_eq!(schema["enum"], json!(names));
    assert!(schema.get("pattern").is_none());
}

#[test]
fn count_and_start_index_carry_their_bounds() {
    let count = &param("count")["schema"];
    assert_eq!(
        (count["minimum"].as_f64(), count["maximum"].as_f64()),
        (Some(1.0), Some(1000.0))
    );
    assert_eq!(param("startIndex")["schema"]["minimum"].as_f64(), Some(0.0));
}

#[test]
fn defaults_are_keywords_and_the_time_examples_make_a_window() {
    assert_eq!(param("startTime")["schema"]["default"], "-1d");
    assert_eq!(param("count")["schema"]["default"], 100);
    assert_eq!(param("startIndex")["schema"]["default"], 0);
    assert_eq!(param("startIndex")["schema"]["maximum"].as_f64(), Some(1e6));
    assert_eq!(param("sortBy")["schema"]["default"], "timestamp");
    // An absolute end before a relative start was refused (an end must
    // follow the start): each example is valid alone and with the other.
    assert_eq!(
        (&param("startTime")["example"], &param("endTime")["example"]),
        (&json!("2024-05-01"), &json!("1M"))
    );
}
