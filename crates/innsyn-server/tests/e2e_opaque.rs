//! End-to-end with opaque access tokens: a second `Application` whose
//! `[auth]` validates by RFC 7662 introspection at the real OpenID provider
//! (audience `https://innsyn.test/opaque`, resource server `innsyn-rs`),
//! over the same PostgreSQL database as the JWT application that ingests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::stack::{start_introspection_server, start_server};
use common::{get, post_json};
use innsyn_auth_oidc::test_support::{JWT_AUD, OPAQUE_AUD, PID, Provider};
use innsyn_store_diesel::test_support::fresh_postgres_url;
use serde_json::json;

const ORG: &str = "991825827";

#[test]
fn opaque_tokens_read_both_seeds_revocation_is_401_and_one_introspection_per_token() {
    let db = fresh_postgres_url();
    let op = Provider::start();
    // The JWT application ingests; the introspection application reads.
    let jwt_srv = start_server(db.url(), &op.issuer);
    let srv = start_introspection_server(db.url(), &op.issuer);

    let writer = op.client_token("writer", JWT_AUD, "history:write");
    let events = json!([{
        "event_name": "Innlogget",
        "event_created": 1_551_947_196_000_i64,
        "event_subject_pid": PID,
        "service_provider_id": "oidc_authorization_api_client_test",
        "service_provider_orgno": ORG,
        "service_provider_name": "DIREKTORATET FOR FORVALTNING OG IKT",
        "auth_eid": "MinID",
        "auth_method": "PIN",
    }]);
    let res = post_json(jwt_srv.port, "/v1/login-events", &writer, &events);
    assert_eq!(res.status, 200, "{}", res.text());
    let records = json!([{
        "id": "00000000-0000-4000-8000-000000000001",
        "timestamp": "2024-05-01T10:00:00+02:00",
        "userId": PID,
        "application": "Skattemeldingen",
        "clientId": "ske",
        "resource": "skattemelding",
        "action": "read",
        "purpose": "skatteberegning",
        "decision": "Permit",
    }]);
    let res = post_json(jwt_srv.port, "/v1/access-records", &writer, &records);
    assert_eq!(res.status, 200, "{}", res.text());

    // Seed 1 with an opaque token: one introspection, however many calls.
    let seed1 = op.user_as("svc-a", PID, "idporten:user.log.read", OPAQUE_AUD, 600);
    assert!(!seed1.contains('.'), "the provider issued an opaque token");
    op.reset_stats();
    for _ in 0..3 {
        let res = get(srv.port, "/innlogginger/logg/idporten", Some(&seed1));
        assert_eq!(res.status, 200, "{}", res.text());
        assert_eq!(
            res.text(),
            r#"[{"tidspunkt":"2019-03-07T09:26:36","tjeneste":"DIREKTORATET FOR FORVALTNING OG IKT","eid":"MinID PIN","integrasjon_id":"oidc_authorization_api_client_test","orgno":"991825827"}]"#
        );
    }
    assert_eq!(op.introspections(), 1, "cached until exp");

    // Seed 2 with an opaque token.
    let seed2 = op.user_as("svc-a", PID, "history:read", OPAQUE_AUD, 600);
    op.reset_stats();
    let path = format!("/metadata/v1/{PID}/accessHistory?startTime=2024-01-01&endTime=2025-01-01");
    for _ in 0..3 {
        let res = get(srv.port, &path, Some(&seed2));
        assert_eq!(res.status, 200, "{}", res.text());
        let body = res.json();
        assert_eq!(body["count"], 1, "{body}");
        assert_eq!(
            body["accessHistory"][0]["id"],
            "00000000-0000-4000-8000-000000000001"
        );
    }
    assert_eq!(op.introspections(), 1, "cached until exp");
    // The scope still decides: a seed-1 token cannot read seed 2.
    let res = get(srv.port, &path, Some(&seed1));
    assert_eq!(res.status, 403, "{}", res.text());

    // A revoked opaque token is refused as invalid.
    let revoked = op.user_as("svc-a", PID, "idporten:user.log.read", OPAQUE_AUD, 600);
    op.revoke("svc-a", &revoked);
    let res = get(srv.port, "/innlogginger/logg/idporten", Some(&revoked));
    assert_eq!(res.status, 401, "{}", res.text());
    let challenge = res.header("www-authenticate").unwrap();
    assert!(
        challenge.starts_with("Bearer") && challenge.contains("error=\"invalid_token\""),
        "{challenge}"
    );
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    // So is an opaque token for another resource server.
    let other = op.user_as(
        "svc-a",
        PID,
        "idporten:user.log.read",
        "https://other.test/opaque",
        600,
    );
    let res = get(srv.port, "/innlogginger/logg/idporten", Some(&other));
    assert_eq!(res.status, 401, "{}", res.text());

    // The PostgreSQL pool is published as gauges.
    let metrics = get(srv.port, "/metrics", None).text();
    let gauge = |name: &str| -> u32 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} missing: {metrics}"))
            .parse()
            .unwrap()
    };
    assert!(metrics.contains("# TYPE innsyn_db_pool_connections gauge"));
    assert!(gauge("innsyn_db_pool_connections") >= 1);
    assert!(gauge("innsyn_db_pool_idle") <= gauge("innsyn_db_pool_connections"));
}
