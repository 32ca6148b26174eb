//! End-to-end: the real `Application` against PostgreSQL (a fresh database
//! per test from `DATABASE_URL`; missing it FAILS with a message) and the
//! real OpenID provider (node). Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo test -p innsyn-server --test e2e_postgres`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::stack::{Server, auth_settings, real_settings, start_server};
use common::{get, post_json, request};
use innsyn_auth_oidc::test_support::{JWT_AUD, PID, Provider};
use innsyn_store_diesel::test_support::{PgTestDb, fresh_postgres_url};
use serde_json::{Value, json};

const ORG: &str = "991825827";
const OTHER_ORG: &str = "974760673";

fn login(at_ms: i64, eid: &str, method: Option<&str>, orgno: &str, name: &str) -> Value {
    json!({
        "event_name": "Innlogget",
        "event_created": at_ms,
        "event_subject_pid": PID,
        "service_provider_id": "oidc_authorization_api_client_test",
        "service_provider_orgno": orgno,
        "service_provider_name": name,
        "auth_eid": eid,
        "auth_method": method,
    })
}

fn seed_events() -> Value {
    json!([
        // 2019-03-07T08:26:36Z and 2019-03-06T15:04:40Z: the seed's example.
        login(
            1_551_947_196_000,
            "MinID",
            Some("PIN"),
            ORG,
            "DIREKTORATET FOR FORVALTNING OG IKT"
        ),
        login(
            1_551_884_680_000,
            "Federated",
            None,
            ORG,
            "DIREKTORATET FOR FORVALTNING OG IKT"
        ),
        // Another organisation's service: never shown to ORG's clients.
        login(
            1_551_950_000_000,
            "BankID",
            Some("BankID"),
            OTHER_ORG,
            "BRØNNØYSUNDREGISTRENE"
        ),
    ])
}

/// A server on a fresh database, holding the seed's login events.
fn serving_the_seed_events() -> (PgTestDb, Provider, Server) {
    let db = fresh_postgres_url();
    let (op, srv) = serving_the_seed_events_on(db.url());
    (db, op, srv)
}

/// A server on the migrated database `url`, holding the seed's login events.
fn serving_the_seed_events_on(url: &str) -> (Provider, Server) {
    let op = Provider::start();
    let srv = start_server(url, &op.issuer);
    let writer = op.client_token("writer", JWT_AUD, "history:write");
    let res = post_json(srv.port, "/v1/login-events", &writer, &seed_events());
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(
        res.json(),
        json!({"accepted": 3, "duplicates": 0, "conflicts": 0})
    );
    (op, srv)
}

#[test]
fn seed1_example_reproduced_and_other_organisations_hidden() {
    let (_db, op, srv) = serving_the_seed_events();

    let user = op.user(PID, "idporten:user.log.read");
    let res = get(
        srv.port,
        "/innlogginger/logg/idporten?maxhits=5",
        Some(&user),
    );
    assert_eq!(res.status, 200, "{}", res.text());
    let expected = concat!(
        r#"[{"tidspunkt":"2019-03-07T09:26:36","tjeneste":"DIREKTORATET FOR FORVALTNING OG IKT","eid":"MinID PIN","integrasjon_id":"oidc_authorization_api_client_test","orgno":"991825827"},"#,
        r#"{"tidspunkt":"2019-03-06T16:04:40","tjeneste":"DIREKTORATET FOR FORVALTNING OG IKT","eid":"Federated","integrasjon_id":"oidc_authorization_api_client_test","orgno":"991825827"}]"#
    );
    assert_eq!(res.text(), expected);
    let body = res.json();
    assert_eq!(body[0]["tidspunkt"], "2019-03-07T09:26:36");
    assert_eq!(body[0]["tjeneste"], "DIREKTORATET FOR FORVALTNING OG IKT");
    assert_eq!(body[0]["eid"], "MinID PIN");
    assert_eq!(
        body[0]["integrasjon_id"],
        "oidc_authorization_api_client_test"
    );
    assert_eq!(body[0]["orgno"], ORG);
    assert_eq!(body[1]["eid"], "Federated");

    // maxhits limits; svc-b (the other organisation) sees only its event.
    let res = get(
        srv.port,
        "/innlogginger/logg/idporten?maxhits=1",
        Some(&user),
    );
    assert_eq!(res.json().as_array().unwrap().len(), 1);
    let other = op.user_as("svc-b", PID, "idporten:user.log.read", JWT_AUD, 600);
    let res = get(srv.port, "/innlogginger/logg/idporten", Some(&other));
    let body = res.json();
    assert_eq!(body.as_array().unwrap().len(), 1, "{body}");
    assert_eq!(body[0]["orgno"], OTHER_ORG);
}

fn record(
    n: u32,
    ts: &str,
    app: &str,
    client: &str,
    resource: &str,
    action: &str,
    decision: &str,
) -> Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"),
        "timestamp": ts,
        "userId": PID,
        "application": app,
        "clientId": client,
        "resource": resource,
        "resourceUrn": format!("urn:altinn:resource:{resource}"),
        "action": action,
        "purpose": "saksbehandling",
        "decision": decision,
        "orgno": ORG,
    })
}

#[test]
fn seed2_every_parameter() {
    let db = fresh_postgres_url();
    let op = Provider::start();
    let srv = start_server(db.url(), &op.issuer);
    let writer = op.client_token("writer", JWT_AUD, "history:write");
    let records = json!([
        record(
            1,
            "2024-05-01T10:00:00+02:00",
            "Skattemeldingen",
            "ske",
            "skattemelding",
            "read",
            "Permit"
        ),
        record(
            2,
            "2024-05-02T10:00:00+02:00",
            "NAV Min side",
            "nav",
            "arbeidsforhold",
            "read",
            "Deny"
        ),
        record(
            3,
            "2024-05-03T10:00:00+02:00",
            "NAV Min side",
            "nav",
            "arbeidsforhold",
            "write",
            "Permit"
        ),
        record(
            4,
            "2024-05-04T10:00:00+02:00",
            "Helsenorge",
            "hn",
            "pasientjournal",
            "read",
            "NotApplicable"
        ),
        record(
            5,
            "2024-06-01T10:00:00+02:00",
            "Helsenorge",
            "hn",
            "pasientjournal",
            "read",
            "Permit"
        ),
    ]);
    let res = post_json(srv.port, "/v1/access-records", &writer, &records);
    assert_eq!(res.status, 200, "{}", res.text());
    let user = op.user(PID, "history:read");
    let base = format!("/metadata/v1/{PID}/accessHistory");
    let ids = |q: &str| -> Vec<u64> {
        let res = get(
            srv.port,
            &format!("{base}?startTime=2024-01-01&endTime=2025-01-01&{q}"),
            Some(&user),
        );
        assert_eq!(res.status, 200, "{q}: {}", res.text());
        res.json()["accessHistory"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap()[24..].parse().unwrap())
            .collect()
    };
    assert_eq!(ids(""), [5, 4, 3, 2, 1], "timestamp desc by default");
    assert_eq!(ids("application=NAV%20Min%20side"), [3, 2]);
    assert_eq!(ids("clientId=hn"), [5, 4]);
    assert_eq!(ids("resource=skattemelding"), [1]);
    assert_eq!(
        ids("resource=urn%3Aaltinn%3Aresource%3Apasientjournal"),
        [5, 4]
    );
    assert_eq!(ids("action=write"), [3]);
    assert_eq!(ids("purpose=saksbehandling").len(), 5);
    assert_eq!(ids("decision=deny"), [2]);
    assert_eq!(
        ids("sortBy=decision").first(),
        Some(&2),
        "Deny < NotApplicable < Permit"
    );
    assert_eq!(ids("sortOrder=asc"), [1, 2, 3, 4, 5]);
    assert_eq!(ids("count=2&startIndex=1"), [4, 3]);
    assert_eq!(ids("validate&clientId=nav"), [3, 2]);
    // Windows: start-inclusive, end-exclusive, relative end.
    let res = get(
        srv.port,
        &format!(
            "{base}?startTime=2024-05-02T10:00:00%2B02:00&endTime=2024-05-04T10:00:00%2B02:00"
        ),
        Some(&user),
    );
    let got: Vec<String> = res.json()["accessHistory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["timestamp"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        got,
        ["2024-05-03T10:00:00+02:00", "2024-05-02T10:00:00+02:00"]
    );
    let res = get(
        srv.port,
        &format!("{base}?startTime=2024-05&endTime=1M"),
        Some(&user),
    );
    assert_eq!(res.json()["count"], 4);
    // The default window (-1d) holds nothing of 2024, only the records of
    // this test's own reads (docs/api.md); trailing slash works.
    let res = get(srv.port, &format!("{base}/"), Some(&user));
    assert_eq!(res.status, 200);
    let body = res.json();
    let reads = body["accessHistory"].as_array().unwrap();
    assert!(!reads.is_empty(), "{body}");
    assert!(
        reads
            .iter()
            .all(|r| r["resource"] == "innsyn:access-history"),
        "{body}"
    );
    // Paging through Link headers visits everything once.
    let mut next = Some(format!(
        "{base}?startTime=2024-01-01&endTime=2025-01-01&count=2"
    ));
    let mut seen = Vec::new();
    while let Some(path) = next.take() {
        let res = get(srv.port, &path, Some(&user));
        assert_eq!(res.status, 200, "{}", res.text());
        for r in res.json()["accessHistory"].as_array().unwrap() {
            seen.push(r["id"].as_str().unwrap().to_owned());
        }
        next = res.header("link").map(|l| {
            l.trim_start_matches('<')
                .split('>')
                .next()
                .unwrap()
                .to_owned()
        });
    }
    assert_eq!(seen.len(), 5);
    // Errors.
    for (q, name) in [
        ("application=a&clientId=b", "clientId"),
        ("decision=Allow", "decision"),
        ("count=0", "count"),
        ("startTime=soon", "startTime"),
        ("sortBy=colour", "sortBy"),
        ("validate&clientId=nobody", "clientId"),
    ] {
        let res = get(srv.port, &format!("{base}?{q}"), Some(&user));
        assert_eq!(res.status, 400, "{q}");
        assert_eq!(res.header("content-type"), Some("application/problem+json"));
        assert_eq!(res.json()["invalid-params"][0]["name"], name, "{q}");
    }
    let auditor = op.user("99999999999", "history:audit");
    let res = get(
        srv.port,
        "/metadata/v1/55555555555/accessHistory",
        Some(&auditor),
    );
    assert_eq!(res.status, 404);
    assert_eq!(res.json()["title"], "No such object");
}

#[test]
fn authorization_matrix() {
    let db = fresh_postgres_url();
    let op = Provider::start();
    let srv = start_server(db.url(), &op.issuer);
    let writer = op.client_token("writer", JWT_AUD, "history:write");
    assert_eq!(
        post_json(srv.port, "/v1/login-events", &writer, &seed_events()).status,
        200
    );
    let seed2 = format!("/metadata/v1/{PID}/accessHistory");
    // (method, path, scope that grants it, status of the right caller)
    let endpoints: [(&str, &str, &str, u16); 5] = [
        (
            "GET",
            "/innlogginger/logg/idporten",
            "idporten:user.log.read",
            200,
        ),
        ("GET", &seed2, "history:read", 200),
        ("POST", "/v1/login-events", "history:write", 200),
        ("GET", "/v1/catalog", "history:admin", 200),
        ("POST", "/v1/retention", "history:admin", 200),
    ];
    let call = |method: &str, path: &str, token: Option<&str>| {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = auth.as_deref() {
            headers.push(("Authorization", a));
        }
        let body = (method == "POST").then_some(b"[]".as_slice());
        request(srv.port, method, path, &headers, body)
    };
    for (method, path, scope, ok) in endpoints {
        let res = call(method, path, None);
        assert_eq!(
            (res.status, res.header("www-authenticate")),
            (401, Some("Bearer")),
            "{path} no token"
        );
        let res = call(method, path, Some("not-a-token"));
        assert_eq!(res.status, 401, "{path} malformed");
        assert!(
            res.header("www-authenticate")
                .unwrap()
                .starts_with("Bearer error=\"invalid_token\", error_description=\"")
        );
        let expired = op.user_as("svc-a", PID, scope, JWT_AUD, -3600);
        let res = call(method, path, Some(&expired));
        assert_eq!(res.status, 401, "{path} expired");
        assert!(
            res.header("www-authenticate")
                .unwrap()
                .starts_with("Bearer error=\"invalid_token\"")
        );
        let wrong_aud = op.user_as("svc-a", PID, scope, "https://elsewhere.test/jwt", 600);
        let res = call(method, path, Some(&wrong_aud));
        assert_eq!(res.status, 401, "{path} wrong audience");
        assert!(
            res.header("www-authenticate")
                .unwrap()
                .starts_with("Bearer error=\"invalid_token\"")
        );
        let other_scope = if scope == "history:write" {
            "history:read"
        } else {
            "history:write"
        };
        let missing = op.user(PID, other_scope);
        let res = call(method, path, Some(&missing));
        assert_eq!(res.status, 403, "{path} missing scope");
        let www = res.header("www-authenticate").unwrap();
        assert!(
            www.starts_with("Bearer error=\"insufficient_scope\", scope=\""),
            "{www}"
        );
        let right = op.user(PID, scope);
        let res = call(method, path, Some(&right));
        assert_eq!(res.status, ok, "{path} right caller: {}", res.text());
    }
    // Another user's history: 403 naming the audit scope, before existence.
    let bob = op.user("10987654321", "history:read");
    let res = get(srv.port, &seed2, Some(&bob));
    assert_eq!(res.status, 403);
    assert_eq!(
        res.header("www-authenticate"),
        Some("Bearer error=\"insufficient_scope\", scope=\"history:audit\"")
    );
    let res = get(
        srv.port,
        "/metadata/v1/55555555555/accessHistory",
        Some(&bob),
    );
    assert_eq!(
        res.status, 403,
        "same answer whether or not the user exists"
    );
    // Another organisation's events are not shown (svc-b sees its own only).
    let other = op.user_as("svc-b", PID, "idporten:user.log.read", JWT_AUD, 600);
    let res = get(srv.port, "/innlogginger/logg/idporten", Some(&other));
    assert!(
        res.json()
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["orgno"] == OTHER_ORG)
    );
}

#[test]
fn ingestion_is_idempotent_and_rejects_bad_batches_whole() {
    let db = fresh_postgres_url();
    let op = Provider::start();
    let srv = start_server(db.url(), &op.issuer);
    let writer = op.client_token("writer", JWT_AUD, "history:write");
    let user = op.user(PID, "idporten:user.log.read");
    let count = || {
        get(srv.port, "/innlogginger/logg/idporten", Some(&user))
            .json()
            .as_array()
            .unwrap()
            .len()
    };

    let res = post_json(srv.port, "/v1/login-events", &writer, &seed_events());
    assert_eq!(
        res.json(),
        json!({"accepted": 3, "duplicates": 0, "conflicts": 0})
    );
    let res = post_json(srv.port, "/v1/login-events", &writer, &seed_events());
    assert_eq!(
        res.json(),
        json!({"accepted": 0, "duplicates": 3, "conflicts": 0})
    );
    assert_eq!(count(), 2);

    let mut bad = seed_events();
    bad.as_array_mut()
        .unwrap()
        .push(login(1_600_000_000_000, "MinID", Some("PIN"), ORG, "X"));
    bad[3]["event_subject_pid"] = Value::Null;
    bad.as_array_mut()
        .unwrap()
        .push(login(1_600_000_100_000, "MinID", Some("PIN"), ORG, "Y"));
    let res = post_json(srv.port, "/v1/login-events", &writer, &bad);
    assert_eq!(res.status, 400);
    assert_eq!(
        res.json()["invalid-params"][0]["name"],
        "[3].event_subject_pid"
    );
    assert_eq!(count(), 2, "nothing of a rejected batch is stored");

    let res = request(
        srv.port,
        "POST",
        "/v1/login-events",
        &[
            ("Authorization", &format!("Bearer {writer}")),
            ("Content-Type", "application/json"),
        ],
        Some(b"[{\"event_name\":"),
    );
    assert_eq!(res.status, 400);
    let many = Value::Array(vec![login(1, "MinID", None, ORG, "X"); 10_001]);
    assert_eq!(
        post_json(srv.port, "/v1/login-events", &writer, &many).status,
        413
    );
}

#[test]
fn provider_with_a_public_issuer_name_is_honoured() {
    // As on a compose network, where innsyn reaches the provider as
    // `http://oidc:9090`: here `localhost` instead of 127.0.0.1.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let issuer = format!("http://localhost:{port}");
    let port_text = port.to_string();
    let op = Provider::start_with(&[("PORT", &port_text), ("ISSUER", &issuer)]);
    assert_eq!(op.issuer, issuer);
    let db = fresh_postgres_url();
    let srv = start_server(db.url(), &op.issuer);
    let writer = op.client_token("writer", JWT_AUD, "history:write");
    let res = post_json(srv.port, "/v1/login-events", &writer, &seed_events());
    assert_eq!(res.status, 200, "{}", res.text());
    let user = op.user(PID, "idporten:user.log.read");
    let res = get(srv.port, "/innlogginger/logg/idporten", Some(&user));
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json().as_array().unwrap().len(), 2);
}

/// The citizen's records of reads of `resource`, as they see them.
fn reads_of(port: u16, citizen: &str, resource: &str) -> Vec<Value> {
    let path = format!("/metadata/v1/{PID}/accessHistory?resource={resource}&count=1000");
    let res = get(port, &path, Some(citizen));
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["accessHistory"].as_array().unwrap().clone()
}

#[test]
fn reads_of_a_citizens_history_are_in_that_citizens_access_history() {
    let (_db, op, srv) = serving_the_seed_events();
    reads_are_recorded(&op, &srv);
}

#[test]
fn reads_are_recorded_on_sqlite_too() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("innsyn.db").display());
    let settings = real_settings(&url, auth_settings("http://127.0.0.1:1"));
    innsyn_server::root::migrate(&settings).unwrap();
    let (op, srv) = serving_the_seed_events_on(&url);
    reads_are_recorded(&op, &srv);
}

/// A service's seed-1 read and an auditor's seed-2 read are in the
/// citizen's seed 2; a refused read and the citizen's look at them are not.
fn reads_are_recorded(op: &Provider, srv: &Server) {
    let citizen = op.user(PID, "history:read");
    // Filtering on the resources of reads works before the first read.
    assert!(reads_of(srv.port, &citizen, "innsyn:login-history").is_empty());

    // A service with the citizen's token reads seed 1; a refused read
    // (no scope) records nothing.
    let service = op.user(PID, "idporten:user.log.read");
    let res = get(srv.port, "/innlogginger/logg/idporten", Some(&service));
    assert_eq!(res.status, 200, "{}", res.text());
    let refused = get(srv.port, "/innlogginger/logg/idporten", Some(&citizen));
    assert_eq!(refused.status, 403);
    let reads = reads_of(srv.port, &citizen, "innsyn:login-history");
    assert_eq!(reads.len(), 1, "{reads:?}");
    let r = &reads[0];
    assert_eq!(r["clientId"], "svc-a");
    assert_eq!(r["resourceUrn"], "urn:innsyn:resource:login-history");
    assert_eq!(
        (&r["action"], &r["purpose"]),
        (&json!("read"), &json!("innsyn"))
    );
    assert_eq!(r["decision"], "Permit");

    // An auditor reads the citizen's access history: purpose audit. The
    // citizen's reads of the records of reads above added none.
    let auditor = op.client_token("svc-b", JWT_AUD, "history:audit");
    let res = get(
        srv.port,
        &format!("/metadata/v1/{PID}/accessHistory"),
        Some(&auditor),
    );
    assert_eq!(res.status, 200, "{}", res.text());
    let reads = reads_of(srv.port, &citizen, "innsyn:access-history");
    assert_eq!(reads.len(), 1, "{reads:?}");
    assert_eq!(
        (&reads[0]["clientId"], &reads[0]["purpose"]),
        (&json!("svc-b"), &json!("audit"))
    );
}
