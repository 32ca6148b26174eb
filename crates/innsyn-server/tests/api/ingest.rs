//! Ingestion, `POST /v1/login-events` and `POST /v1/access-records`: a
//! batch is stored whole or not at all, and bad bodies are named, never
//! echoed.

use actix_web::http::header;
use actix_web::test::TestRequest;
use innsyn_ports::{HistoryStore, MockTokenIntrospector};
use innsyn_store_contract::fixtures::citizen_query;
use serde_json::{Value, json};

use crate::support::{
    ALICE, NOW, ORG, Setup, alice, authorized, caller, no_store, param_names, post_json, problem,
    problem_with, stored_by, tokens_for,
};

fn activity(pid: Option<&str>) -> Value {
    json!({
        "event_name": "Innlogget",
        "event_created": 1551947196000_i64,
        "event_subject_pid": pid,
        "service_provider_id": "oidc_authorization_api_client_test",
        "service_provider_orgno": ORG,
        "service_provider_name": "DIREKTORATET FOR FORVALTNING OG IKT",
        "auth_eid": "MinID",
        "auth_method": "PIN"
    })
}

fn writer() -> MockTokenIntrospector {
    tokens_for(caller(None, Some(ORG), "history:write"))
}

/// A login-events body with `content_type`, bypassing [`post_json`].
fn raw_login_events(content_type: &str, body: impl Into<String>) -> TestRequest {
    authorized(TestRequest::post().uri("/v1/login-events"))
        .insert_header((header::CONTENT_TYPE, content_type))
        .set_payload(body.into())
}

#[actix_web::test]
async fn ingestion_stores_a_valid_batch() {
    let (store, body) = stored_by(
        writer(),
        post_json(
            "/v1/login-events",
            &json!([activity(Some(ALICE)), activity(Some(ALICE))]),
        ),
    )
    .await;
    assert_eq!(
        body,
        json!({"accepted": 1, "duplicates": 1, "conflicts": 0})
    );
    // Both items reached the store, as Alice's: one kept, one a repeat.
    let stored = store.login_history(&citizen_query(&alice())).unwrap();
    assert_eq!(stored.len(), 1);
}

#[actix_web::test]
async fn ingestion_rejects_a_batch_with_any_bad_item_and_stores_nothing() {
    let res = Setup::new(no_store(), writer())
        .call(post_json(
            "/v1/login-events",
            &json!([activity(Some(ALICE)), activity(None), activity(Some(""))]),
        ))
        .await;
    let body = problem(res, 400).await;
    assert_eq!(
        body["invalid-params"],
        json!([
            {"name": "[1].event_subject_pid", "reason": "is required for a login event"},
            {"name": "[2].event_subject_pid", "reason": "is required for a login event"}
        ])
    );

    let mut bad = json!({
        "id": "nope", "timestamp": "2024-05-01T10:00:00", "userId": ALICE,
        "application": "A", "clientId": "c", "resource": "r", "action": "read",
        "purpose": "p", "decision": "Allow"
    });
    let res = Setup::new(no_store(), writer())
        .call(post_json("/v1/access-records", &json!([bad.clone()])))
        .await;
    let body = problem(res, 400).await;
    assert_eq!(
        param_names(&body),
        ["[0].id", "[0].timestamp", "[0].decision"]
    );

    // A value of the wrong type names its place, never the value.
    bad["userId"] = json!(12345678901_i64);
    let res = Setup::new(no_store(), writer())
        .call(post_json("/v1/access-records", &json!([bad])))
        .await;
    let body = problem(res, 400).await;
    assert_eq!(body["invalid-params"][0]["name"], "[0].userId");
    assert!(!body.to_string().contains("12345678901"));
}

#[actix_web::test]
async fn ingestion_malformed_json_is_400_and_wrong_type_is_415() {
    let res = Setup::new(no_store(), writer())
        .call(raw_login_events(
            "application/json",
            "[{\"event_name\": \"12345678901",
        ))
        .await;
    let body = problem(res, 400).await;
    assert!(body["detail"].as_str().unwrap().contains("JSON"));
    assert!(!body.to_string().contains("12345678901"));

    let res = Setup::new(no_store(), writer())
        .call(raw_login_events("text/plain", "[]"))
        .await;
    problem(res, 415).await;

    let res = Setup::new(no_store(), writer())
        .call(post_json("/v1/login-events", &json!({"not": "an array"})))
        .await;
    problem(res, 400).await;
}

#[actix_web::test]
async fn ingestion_names_every_item_of_the_wrong_shape_and_refuses_trailing_data() {
    let good = activity(Some(ALICE)).to_string();
    let batch = format!(
        "[{good},{{\"event_name\":1,\"event_created\":0}},{good},{{\"event_created\":\"12345678901\"}}]"
    );
    let res = Setup::new(no_store(), writer())
        .call(raw_login_events("application/json", batch))
        .await;
    let body = problem(res, 400).await;
    assert_eq!(param_names(&body), ["[1].event_name", "[3].event_created"]);
    assert!(!body.to_string().contains("12345678901"));
    for trailing in [format!("[{good}]xyz"), format!("[{good}][{good}]")] {
        let res = Setup::new(no_store(), writer())
            .call(raw_login_events("application/json", trailing.clone()))
            .await;
        let body = problem(res, 400).await;
        assert_eq!(param_names(&body), ["body"], "{trailing}");
    }
}

#[actix_web::test]
async fn ingestion_too_large_is_413() {
    let many = Value::Array(vec![activity(Some(ALICE)); 10_001]);
    let mut setup = Setup::new(no_store(), writer());
    setup.body_limit = 64 << 20;
    let res = setup.call(post_json("/v1/login-events", &many)).await;
    let body = problem(res, 413).await;
    assert!(body["detail"].as_str().unwrap().contains("10000"));

    let mut setup = Setup::new(no_store(), writer());
    setup.body_limit = 100;
    let res = setup
        .call(post_json(
            "/v1/login-events",
            &json!([activity(Some(ALICE)), activity(Some(ALICE))]),
        ))
        .await;
    problem(res, 413).await;
}

#[actix_web::test]
async fn ingestion_needs_history_write() {
    let res = Setup::new(
        no_store(),
        tokens_for(caller(Some(ALICE), Some(ORG), "history:read history:admin")),
    )
    .call(post_json("/v1/login-events", &json!([])))
    .await;
    problem_with(
        res,
        403,
        header::WWW_AUTHENTICATE,
        "Bearer error=\"insufficient_scope\", scope=\"history:write\"",
    )
    .await;
}

#[actix_web::test]
async fn ingestion_refuses_events_past_the_skew_and_subjects_that_are_no_identity_number() {
    let now_ms = i64::try_from(NOW.unix_timestamp_nanos() / 1_000_000).unwrap();
    let mut late = activity(Some(ALICE));
    late["event_created"] = json!(now_ms + 301_000);
    let mut edge = activity(Some(ALICE));
    edge["event_created"] = json!(now_ms + 300_000);
    let res = Setup::new(no_store(), writer())
        .call(post_json(
            "/v1/login-events",
            &json!([edge, late, activity(Some("12345678901"))]),
        ))
        .await;
    let body = problem(res, 400).await;
    assert_eq!(
        body["invalid-params"],
        json!([
            {"name": "[1].event_created", "reason": "must not be more than 300 seconds after the service's clock"},
            {"name": "[2].event_subject_pid", "reason": "not a valid national identity number: the check digits do not match"}
        ])
    );
    assert!(!body.to_string().contains("12345678901"));

    let record = |timestamp: &str| {
        json!({
            "id": "3f2b8c1e-0c1d-4b7a-9a53-2b1b7f1f0a01", "timestamp": timestamp,
            "userId": ALICE, "application": "A", "clientId": "c", "resource": "r",
            "action": "read", "purpose": "p", "decision": "Permit"
        })
    };
    let mut setup = Setup::new(no_store(), writer());
    setup.settings.max_future_skew = std::time::Duration::from_secs(60);
    let res = setup
        .call(post_json(
            "/v1/access-records",
            &json!([record("2024-05-15T14:01:01+02:00")]),
        ))
        .await;
    let body = problem(res, 400).await;
    assert_eq!(param_names(&body), ["[0].timestamp"]);
}
