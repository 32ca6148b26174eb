//! Disputes end to end: the real `Application` on PostgreSQL (a fresh
//! database from `DATABASE_URL`; missing it FAILS) and the real OpenID
//! provider. A citizen reports a look-up; only the organisation that made
//! it sees and answers the case, with tokens the provider issued.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::stack::start_server;
use common::{get, post_json};
use innsyn_auth_oidc::test_support::{JWT_AUD, PID, Provider};
use innsyn_store_diesel::test_support::fresh_postgres_url;
use serde_json::json;

/// The organisation of the provider's client `svc-b`.
const OTHER_ORG: &str = "974760673";

#[test]
fn a_dispute_reaches_the_responsible_organisation_only() {
    let db = fresh_postgres_url();
    let op = Provider::start();
    let srv = start_server(db.url(), &op.issuer);
    let writer = op.client_token("writer", JWT_AUD, "history:write");
    // A look-up by an application of svc-b's organisation.
    let looked_up = json!({
        "id": "00000000-0000-4000-8000-000000000001",
        "timestamp": "2019-03-07T10:00:00+01:00",
        "userId": PID,
        "application": "Brønnøysundregistrene",
        "clientId": "svc-b",
        "resource": "foretak",
        "action": "read",
        "purpose": "saksbehandling",
        "decision": "Permit",
        "orgno": OTHER_ORG,
    });
    let res = post_json(srv.port, "/v1/access-records", &writer, &json!([looked_up]));
    assert_eq!(res.status, 200, "{}", res.text());

    let citizen = op.user(PID, "history:read");
    let item = format!("access.{}", looked_up["id"].as_str().unwrap());
    let body = json!({"item": item, "message": "Hvorfor slo dere meg opp?"});
    let res = post_json(srv.port, "/v1/me/disputes", &citizen, &body);
    assert_eq!(res.status, 201, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let again = post_json(srv.port, "/v1/me/disputes", &citizen, &body);
    assert_eq!(again.status, 409, "{}", again.text());
    assert_eq!(
        again.header("location"),
        Some(format!("/v1/me/disputes/{id}").as_str())
    );

    let responsible = op.client_token("svc-b", JWT_AUD, "history:disputes");
    let other = op.client_token("svc-a", JWT_AUD, "history:disputes");
    let listed = get(srv.port, "/v1/disputes", Some(&responsible));
    assert_eq!(listed.status, 200, "{}", listed.text());
    assert!(listed.text().contains(&id) && !listed.text().contains(PID));
    let theirs = get(srv.port, &format!("/v1/disputes/{id}"), Some(&other));
    assert_eq!(theirs.status, 404, "{}", theirs.text());
    let wrong_scope = op.client_token("svc-b", JWT_AUD, "history:read");
    let res = get(srv.port, "/v1/disputes", Some(&wrong_scope));
    assert_eq!(res.status, 403, "{}", res.text());

    let answer =
        json!({"status": "closed", "message": "Oppslaget var en feil; vi har rettet rutinen."});
    let path = format!("/v1/disputes/{id}/answer");
    let res = post_json(srv.port, &path, &other, &answer);
    assert_eq!(res.status, 404, "{}", res.text());
    let res = post_json(srv.port, &path, &responsible, &answer);
    assert_eq!(res.status, 200, "{}", res.text());
    let seen = get(srv.port, &format!("/v1/me/disputes/{id}"), Some(&citizen));
    assert_eq!(seen.json()["status"], "closed");
    assert_eq!(seen.json()["answer"], answer["message"]);
    let metrics = get(srv.port, "/metrics", None).text();
    assert!(
        metrics.contains(&format!(
            "innsyn_disputes_total{{event=\"closed\",organisation=\"{OTHER_ORG}\"}} 1"
        )),
        "{metrics}"
    );
}
