//! Handler unit tests: the real routes and middleware over mockall mocks of
//! the ports. Each error's status, headers and body; seed-1 bytes; seed-2
//! parameters reaching the store; Link paging; ingestion.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::test::{self, TestRequest};
use actix_web::web;
use innsyn_domain::{
    AccessHistoryEntry, AccessHistoryParams, AccessHistoryQuery, AccessPage, AppendOutcome, Caller,
    Decision, LoginHistoryEntry, LoginHistoryQuery, ScopeNames, Scopes, SubjectId, Zone,
};
use innsyn_ports::{
    Clock, MockHistoryStore, MockTokenIntrospector, RetentionOutcome, StoreError, TokenError,
};
use innsyn_server::metrics::Metrics;
use innsyn_server::middleware::RateLimiter;
use innsyn_server::openapi::ApiDoc;
use innsyn_server::startup::app;
use innsyn_server::state::{AppState, StoreGate};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;
use utoipa::OpenApi as _;
use uuid::Uuid;

const NOW: OffsetDateTime = datetime!(2024-05-15 12:00 UTC);
const ALICE: &str = "12345678901";
const BOB: &str = "10987654321";
const ORG: &str = "991825827";

struct FixedClock;
impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        NOW
    }
}

fn caller(subject: Option<&str>, orgno: Option<&str>, scopes: &str) -> Caller {
    Caller {
        subject: subject.map(|s| SubjectId::parse(s).unwrap()),
        client_id: Some("svc-a".into()),
        orgno: orgno.map(|o| o.parse().unwrap()),
        scopes: Scopes::parse(scopes).unwrap(),
        acr: None,
    }
}

fn tokens_for(c: Caller) -> MockTokenIntrospector {
    let mut t = MockTokenIntrospector::new();
    t.expect_introspect().returning(move |_| Ok(c.clone()));
    t
}

fn tokens_err(e: TokenError) -> MockTokenIntrospector {
    let mut t = MockTokenIntrospector::new();
    t.expect_introspect().returning(move |_| Err(e.clone()));
    t
}

struct Setup {
    store: MockHistoryStore,
    tokens: MockTokenIntrospector,
    body_limit: usize,
    rate: (u32, u32),
    retention: Option<OffsetDateTime>,
    gate: StoreGate,
}

impl Setup {
    fn new(store: MockHistoryStore, tokens: MockTokenIntrospector) -> Self {
        Self {
            store,
            tokens,
            body_limit: 1 << 20,
            rate: (0, 0),
            retention: None,
            gate: StoreGate::default(),
        }
    }

    /// What `app` is built from: the state over these mocks, the limiter.
    fn parts(self) -> (web::Data<AppState>, web::Data<RateLimiter>) {
        let retention = self.retention;
        let state = web::Data::new(AppState {
            store: Arc::new(self.store),
            tokens: Arc::new(self.tokens),
            clock: Arc::new(FixedClock),
            zone: Zone::oslo(),
            scopes: ScopeNames::default(),
            public_base_url: None,
            body_limit: self.body_limit,
            metrics: Metrics::default(),
            store_gate: self.gate,
            retention_cutoff: Arc::new(move |_| retention),
        });
        let limiter = web::Data::new(RateLimiter::new(self.rate.0, self.rate.1));
        (state, limiter)
    }

    async fn call(self, req: TestRequest) -> ServiceResponse<impl MessageBody> {
        let (state, limiter) = self.parts();
        let svc = test::init_service(app(state, limiter, false, ApiDoc::openapi(), None)).await;
        svc.call(
            req.peer_addr("127.0.0.1:40000".parse().unwrap())
                .to_request(),
        )
        .await
        .unwrap()
    }
}

fn get(uri: &str) -> TestRequest {
    TestRequest::get()
        .uri(uri)
        .insert_header((header::AUTHORIZATION, "Bearer t0k3n"))
}

fn header_of<B>(res: &ServiceResponse<B>, name: header::HeaderName) -> Option<String> {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

async fn problem<B: MessageBody>(res: ServiceResponse<B>, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status);
    assert_eq!(
        header_of(&res, header::CONTENT_TYPE).as_deref(),
        Some("application/problem+json")
    );
    let body: Value = serde_json::from_slice(&test::read_body(res).await).unwrap();
    assert_eq!(body["status"], status);
    assert!(body["type"].is_string() && body["title"].is_string() && body["detail"].is_string());
    body
}

fn no_store() -> MockHistoryStore {
    MockHistoryStore::new()
}

// ---------------------------------------------------------------- seed 1

fn seed_entries() -> Vec<LoginHistoryEntry> {
    vec![
        LoginHistoryEntry {
            occurred_at: datetime!(2019-03-07 08:26:36 UTC),
            service_name: Some("DIREKTORATET FOR FORVALTNING OG IKT".into()),
            eid: Some("MinID".into()),
            method: Some("PIN".into()),
            client_id: Some("oidc_authorization_api_client_test".into()),
            orgno: Some(ORG.parse().unwrap()),
        },
        LoginHistoryEntry {
            occurred_at: datetime!(2019-03-06 15:04:40 UTC),
            service_name: Some("DIREKTORATET FOR FORVALTNING OG IKT".into()),
            eid: Some("Federated".into()),
            method: None,
            client_id: Some("oidc_authorization_api_client_test".into()),
            orgno: Some(ORG.parse().unwrap()),
        },
    ]
}

#[actix_web::test]
async fn seed1_body_is_byte_compatible_with_the_seed_example() {
    let seen = Arc::new(Mutex::new(None::<LoginHistoryQuery>));
    let mut store = MockHistoryStore::new();
    let s = Arc::clone(&seen);
    store.expect_login_history().times(1).returning(move |q| {
        *s.lock().unwrap() = Some(q.clone());
        Ok(seed_entries())
    });
    let tokens = tokens_for(caller(Some(ALICE), Some(ORG), "idporten:user.log.read"));
    let res = Setup::new(store, tokens)
        .call(get("/innlogginger/logg/idporten?maxhits=5"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header_of(&res, header::CONTENT_TYPE).as_deref(),
        Some("application/json")
    );
    assert_eq!(
        header_of(&res, header::CACHE_CONTROL).as_deref(),
        Some("no-store")
    );
    let body = test::read_body(res).await;
    let expected = concat!(
        r#"[{"tidspunkt":"2019-03-07T09:26:36","tjeneste":"DIREKTORATET FOR FORVALTNING OG IKT","eid":"MinID PIN","integrasjon_id":"oidc_authorization_api_client_test","orgno":"991825827"},"#,
        r#"{"tidspunkt":"2019-03-06T16:04:40","tjeneste":"DIREKTORATET FOR FORVALTNING OG IKT","eid":"Federated","integrasjon_id":"oidc_authorization_api_client_test","orgno":"991825827"}]"#
    );
    assert_eq!(std::str::from_utf8(&body).unwrap(), expected);
    let q = seen.lock().unwrap().clone().unwrap();
    assert_eq!(q.subject.expose(), ALICE);
    assert_eq!(q.orgno.map(|o| o.as_str().to_owned()).as_deref(), Some(ORG));
    assert_eq!(q.max_hits, 5);
}

#[actix_web::test]
async fn no_token_is_401_with_a_bare_bearer_challenge() {
    for auth in [None, Some("Basic dXNlcjpwYXNz")] {
        let mut req = TestRequest::get().uri("/innlogginger/logg/idporten");
        if let Some(a) = auth {
            req = req.insert_header((header::AUTHORIZATION, a));
        }
        let res = Setup::new(no_store(), MockTokenIntrospector::new())
            .call(req)
            .await;
        assert_eq!(
            header_of(&res, header::WWW_AUTHENTICATE).as_deref(),
            Some("Bearer")
        );
        problem(res, 401).await;
    }
}

#[actix_web::test]
async fn malformed_bearer_header_is_invalid_token_without_asking_the_validator() {
    let res = Setup::new(no_store(), MockTokenIntrospector::new())
        .call(
            TestRequest::get()
                .uri("/innlogginger/logg/idporten")
                .insert_header((header::AUTHORIZATION, "Bearer a b\"c")),
        )
        .await;
    assert_eq!(
        header_of(&res, header::WWW_AUTHENTICATE).as_deref(),
        Some("Bearer error=\"invalid_token\", error_description=\"the access token is malformed\"")
    );
    problem(res, 401).await;
}

#[actix_web::test]
async fn every_token_client_error_is_401_invalid_token() {
    let cases = [
        (TokenError::Malformed, "the access token is malformed"),
        (TokenError::Inactive, "the access token is not active"),
        (
            TokenError::Expired,
            "the access token has expired or is not yet valid",
        ),
        (
            TokenError::WrongAudience,
            "the access token was issued for another audience",
        ),
        (
            TokenError::WrongIssuer,
            "the access token was issued by an untrusted issuer",
        ),
        (
            TokenError::BadSignature,
            "the access token signature is invalid",
        ),
        (
            TokenError::BadClaims("the \"pid\" claim".into()),
            "the access token's claims are invalid: the  pid  claim",
        ),
    ];
    for (err, description) in cases {
        let res = Setup::new(no_store(), tokens_err(err))
            .call(get("/innlogginger/logg/idporten"))
            .await;
        assert_eq!(
            header_of(&res, header::WWW_AUTHENTICATE),
            Some(format!(
                "Bearer error=\"invalid_token\", error_description=\"{description}\""
            ))
        );
        let body = problem(res, 401).await;
        assert!(!body.to_string().contains("t0k3n"));
    }
}

#[actix_web::test]
async fn issuer_unavailable_is_503_with_retry_after() {
    let res = Setup::new(
        no_store(),
        tokens_err(TokenError::Unavailable("jwks at 10.0.0.1 timed out".into())),
    )
    .call(get("/innlogginger/logg/idporten"))
    .await;
    assert_eq!(header_of(&res, header::RETRY_AFTER).as_deref(), Some("5"));
    assert!(header_of(&res, header::WWW_AUTHENTICATE).is_none());
    let body = problem(res, 503).await;
    assert!(!body.to_string().contains("10.0.0.1"));
}

#[actix_web::test]
async fn missing_scope_is_403_insufficient_scope() {
    let res = Setup::new(
        no_store(),
        tokens_for(caller(Some(ALICE), Some(ORG), "history:read")),
    )
    .call(get("/innlogginger/logg/idporten"))
    .await;
    assert_eq!(
        header_of(&res, header::WWW_AUTHENTICATE).as_deref(),
        Some("Bearer error=\"insufficient_scope\", scope=\"idporten:user.log.read\"")
    );
    problem(res, 403).await;
}

#[actix_web::test]
async fn client_token_without_subject_is_403() {
    let res = Setup::new(
        no_store(),
        tokens_for(caller(None, Some(ORG), "idporten:user.log.read")),
    )
    .call(get("/innlogginger/logg/idporten"))
    .await;
    assert!(
        header_of(&res, header::WWW_AUTHENTICATE)
            .unwrap()
            .starts_with("Bearer error=\"insufficient_scope\"")
    );
    problem(res, 403).await;
}

#[actix_web::test]
async fn bad_maxhits_is_400_with_invalid_params_and_no_store_call() {
    for bad in ["0", "1001", "many", "-1"] {
        let res = Setup::new(
            no_store(),
            tokens_for(caller(Some(ALICE), Some(ORG), "idporten:user.log.read")),
        )
        .call(get(&format!("/innlogginger/logg/idporten?maxhits={bad}")))
        .await;
        let body = problem(res, 400).await;
        assert_eq!(body["invalid-params"][0]["name"], "maxhits", "{bad}");
    }
}

#[actix_web::test]
async fn store_errors_are_503_or_500_without_detail() {
    let mut store = MockHistoryStore::new();
    store.expect_login_history().returning(|_| {
        Err(StoreError::Unavailable(
            "pool timed out at db.internal".into(),
        ))
    });
    let res = Setup::new(
        store,
        tokens_for(caller(Some(ALICE), Some(ORG), "idporten:user.log.read")),
    )
    .call(get("/innlogginger/logg/idporten"))
    .await;
    assert_eq!(header_of(&res, header::RETRY_AFTER).as_deref(), Some("5"));
    let body = problem(res, 503).await;
    assert!(!body.to_string().contains("db.internal"));

    let mut store = MockHistoryStore::new();
    store
        .expect_login_history()
        .returning(|_| Err(StoreError::Internal("relation secret_table missing".into())));
    let res = Setup::new(
        store,
        tokens_for(caller(Some(ALICE), Some(ORG), "idporten:user.log.read")),
    )
    .call(get("/innlogginger/logg/idporten"))
    .await;
    let body = problem(res, 500).await;
    assert_eq!(body["detail"], "an internal error occurred");
    assert!(!body.to_string().contains("secret_table"));
}

// ---------------------------------------------------------------- seed 2

fn entry(n: u128, at: OffsetDateTime) -> AccessHistoryEntry {
    AccessHistoryEntry {
        id: Uuid::from_u128(n),
        occurred_at: at,
        application: "Skatteetaten".into(),
        client_id: "ske-client".into(),
        resource: "skattemelding".into(),
        resource_urn: Some("urn:altinn:resource:skattemelding".into()),
        action: "read".into(),
        purpose: "tax-assessment".into(),
        decision: Decision::Permit,
    }
}

fn owner_store(
    exists: bool,
    page: AccessPage,
    seen: Arc<Mutex<Option<AccessHistoryQuery>>>,
) -> MockHistoryStore {
    let mut store = MockHistoryStore::new();
    store.expect_owner_exists().returning(move |_| Ok(exists));
    store.expect_access_history().returning(move |q| {
        *seen.lock().unwrap() = Some(q.clone());
        Ok(page.clone())
    });
    store
}

#[actix_web::test]
async fn seed2_parameters_reach_the_store_as_the_domain_builds_them() {
    let seen = Arc::new(Mutex::new(None));
    let store = owner_store(
        true,
        AccessPage {
            entries: vec![entry(1, datetime!(2024-05-01 08:00 UTC))],
            has_more: false,
        },
        Arc::clone(&seen),
    );
    let qs = "clientId=ske-client&resource=urn%3Aaltinn%3Aresource%3Askattemelding&action=read&purpose=tax-assessment&decision=permit&startTime=2024-04&endTime=1M&count=10&startIndex=3&sortBy=resource&sortOrder=desc";
    let res = Setup::new(store, tokens_for(caller(Some(ALICE), None, "history:read")))
        .call(get(&format!("/metadata/v1/{ALICE}/accessHistory/?{qs}")))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header_of(&res, header::CACHE_CONTROL).as_deref(),
        Some("no-store")
    );
    assert!(header_of(&res, header::LINK).is_none());
    let body: Value = serde_json::from_slice(&test::read_body(res).await).unwrap();
    assert_eq!(
        body,
        json!({
            "startIndex": 3, "count": 1, "hasMore": false,
            "accessHistory": [{
                "id": "00000000-0000-0000-0000-000000000001",
                "timestamp": "2024-05-01T10:00:00+02:00",
                "userId": ALICE,
                "application": "Skatteetaten",
                "clientId": "ske-client",
                "resource": "skattemelding",
                "resourceUrn": "urn:altinn:resource:skattemelding",
                "action": "read",
                "purpose": "tax-assessment",
                "decision": "Permit"
            }]
        })
    );
    let params: AccessHistoryParams = serde_urlencoded_parse(qs);
    let want = AccessHistoryQuery::build(ALICE, &params, NOW, Zone::oslo()).unwrap();
    assert_eq!(seen.lock().unwrap().clone().unwrap(), want);
}

fn serde_urlencoded_parse(qs: &str) -> AccessHistoryParams {
    web::Query::<AccessHistoryParams>::from_query(qs)
        .unwrap()
        .into_inner()
}

#[actix_web::test]
async fn seed2_link_header_points_at_the_next_page() {
    let seen = Arc::new(Mutex::new(None));
    let entries = vec![
        entry(2, datetime!(2024-05-15 10:00 UTC)),
        entry(1, datetime!(2024-05-15 09:00 UTC)),
    ];
    let last = entries[1].clone();
    let store = owner_store(
        true,
        AccessPage {
            entries,
            has_more: true,
        },
        Arc::clone(&seen),
    );
    let res = Setup::new(store, tokens_for(caller(Some(ALICE), None, "history:read")))
        .call(get(&format!(
            "/metadata/v1/{ALICE}/accessHistory?count=2&decision=Permit&startIndex=4"
        )))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let q = seen.lock().unwrap().clone().unwrap();
    let cursor = q.sort.cursor_after(&last).encode();
    assert_eq!(
        header_of(&res, header::LINK).unwrap(),
        format!(
            "</metadata/v1/{ALICE}/accessHistory?count=2&decision=Permit&startIndex=6&cursor={cursor}>; rel=\"next\""
        )
    );
    let body: Value = serde_json::from_slice(&test::read_body(res).await).unwrap();
    assert_eq!(body["hasMore"], true);
    assert_eq!(body["count"], 2);
    assert_eq!(body["startIndex"], 4);
}

#[actix_web::test]
async fn seed2_non_owner_is_403_before_existence_is_revealed() {
    // The store has no expectations: any call would fail the test.
    let res = Setup::new(
        no_store(),
        tokens_for(caller(Some(ALICE), None, "history:read")),
    )
    .call(get(&format!("/metadata/v1/{BOB}/accessHistory")))
    .await;
    assert_eq!(
        header_of(&res, header::WWW_AUTHENTICATE).as_deref(),
        Some("Bearer error=\"insufficient_scope\", scope=\"history:audit\"")
    );
    let body = problem(res, 403).await;
    assert!(!body.to_string().contains(BOB) && !body.to_string().contains(ALICE));
}

#[actix_web::test]
async fn seed2_auditor_reads_anyone_and_unknown_owner_is_404() {
    let res = Setup::new(
        owner_store(false, AccessPage::default(), Arc::default()),
        tokens_for(caller(None, None, "history:audit")),
    )
    .call(get(&format!("/metadata/v1/{BOB}/accessHistory")))
    .await;
    let body = problem(res, 404).await;
    assert_eq!(body["title"], "No such object");
}

#[actix_web::test]
async fn seed2_bad_parameters_are_400_naming_each() {
    let res = Setup::new(
        no_store(),
        tokens_for(caller(Some(ALICE), None, "history:read")),
    )
    .call(get(&format!(
        "/metadata/v1/{ALICE}/accessHistory?application=a&clientId=b&decision=Allow&count=0&sortBy=colour"
    )))
    .await;
    let body = problem(res, 400).await;
    let names: Vec<&str> = body["invalid-params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["clientId", "decision", "count", "sortBy"]);
    assert_eq!(body["detail"], "4 parameters are invalid");
}

#[actix_web::test]
async fn seed2_repeated_parameter_is_400_not_500() {
    let res = Setup::new(
        no_store(),
        tokens_for(caller(Some(ALICE), None, "history:read")),
    )
    .call(get(&format!(
        "/metadata/v1/{ALICE}/accessHistory?count=1&count=2"
    )))
    .await;
    problem(res, 400).await;
}

#[actix_web::test]
async fn seed2_validate_checks_the_catalog() {
    let mut store = MockHistoryStore::new();
    store
        .expect_catalog_contains()
        .times(1)
        .returning(|refs| Ok(refs.iter().map(|r| r.value != "nope").collect()));
    let res = Setup::new(store, tokens_for(caller(Some(ALICE), None, "history:read")))
        .call(get(&format!(
            "/metadata/v1/{ALICE}/accessHistory?validate&application=Skatteetaten&action=nope"
        )))
        .await;
    let body = problem(res, 400).await;
    assert_eq!(body["invalid-params"][0]["name"], "action");
}

// ---------------------------------------------------------------- ingestion

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

fn post_json(uri: &str, body: &Value) -> TestRequest {
    TestRequest::post()
        .uri(uri)
        .insert_header((header::AUTHORIZATION, "Bearer t0k3n"))
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .set_payload(serde_json::to_vec(body).unwrap())
}

fn writer() -> MockTokenIntrospector {
    tokens_for(caller(None, Some(ORG), "history:write"))
}

#[actix_web::test]
async fn ingestion_stores_a_valid_batch() {
    let mut store = MockHistoryStore::new();
    store
        .expect_append_login_events()
        .times(1)
        .withf(|events| events.len() == 2 && events[0].subject.expose() == ALICE)
        .returning(|_| {
            Ok(AppendOutcome {
                accepted: 1,
                duplicates: 1,
            })
        });
    let res = Setup::new(store, writer())
        .call(post_json(
            "/v1/login-events",
            &json!([activity(Some(ALICE)), activity(Some(ALICE))]),
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = serde_json::from_slice(&test::read_body(res).await).unwrap();
    assert_eq!(body, json!({"accepted": 1, "duplicates": 1}));
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
    let names: Vec<&str> = body["invalid-params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["[0].id", "[0].timestamp", "[0].decision"]);

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
        .call(
            TestRequest::post()
                .uri("/v1/login-events")
                .insert_header((header::AUTHORIZATION, "Bearer t0k3n"))
                .insert_header((header::CONTENT_TYPE, "application/json"))
                .set_payload("[{\"event_name\": \"12345678901"),
        )
        .await;
    let body = problem(res, 400).await;
    assert!(body["detail"].as_str().unwrap().contains("JSON"));
    assert!(!body.to_string().contains("12345678901"));

    let res = Setup::new(no_store(), writer())
        .call(
            TestRequest::post()
                .uri("/v1/login-events")
                .insert_header((header::AUTHORIZATION, "Bearer t0k3n"))
                .insert_header((header::CONTENT_TYPE, "text/plain"))
                .set_payload("[]"),
        )
        .await;
    problem(res, 415).await;

    let res = Setup::new(no_store(), writer())
        .call(post_json("/v1/login-events", &json!({"not": "an array"})))
        .await;
    problem(res, 400).await;
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
    assert_eq!(
        header_of(&res, header::WWW_AUTHENTICATE).as_deref(),
        Some("Bearer error=\"insufficient_scope\", scope=\"history:write\"")
    );
    problem(res, 403).await;
}

// ---------------------------------------------------------------- admin

#[actix_web::test]
async fn admin_puts_a_client_and_runs_retention() {
    let mut store = MockHistoryStore::new();
    store
        .expect_put_client()
        .times(1)
        .withf(|c| {
            c.client_id == "nav" && c.orgno.as_ref().map(|o| o.as_str()) == Some("889640782")
        })
        .returning(|_| Ok(()));
    let admin = || tokens_for(caller(None, None, "history:admin"));
    let res = Setup::new(store, admin())
        .call(
            post_json(
                "/v1/catalog/clients/nav",
                &json!({"application": "NAV", "orgno": "889640782"}),
            )
            .method(actix_web::http::Method::PUT),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let res = Setup::new(no_store(), admin())
        .call(
            post_json(
                "/v1/catalog/clients/nav",
                &json!({"application": "", "orgno": "889640783"}),
            )
            .method(actix_web::http::Method::PUT),
        )
        .await;
    let body = problem(res, 400).await;
    assert_eq!(body["invalid-params"].as_array().unwrap().len(), 2);

    let mut store = MockHistoryStore::new();
    store
        .expect_apply_retention()
        .times(1)
        .withf(|c| *c == datetime!(2023-05-15 12:00 UTC))
        .returning(|_| {
            Ok(RetentionOutcome {
                login_events: 3,
                access_records: 4,
            })
        });
    let mut setup = Setup::new(store, admin());
    setup.retention = Some(datetime!(2023-05-15 12:00 UTC));
    let res = setup
        .call(
            TestRequest::post()
                .uri("/v1/retention")
                .insert_header((header::AUTHORIZATION, "Bearer t0k3n")),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = serde_json::from_slice(&test::read_body(res).await).unwrap();
    assert_eq!(
        body,
        json!({"cutoff": "2023-05-15T12:00:00Z", "loginEvents": 3, "accessRecords": 4})
    );
}

// ---------------------------------------------------------------- edges

#[actix_web::test]
async fn unknown_routes_and_methods_are_problems() {
    let res = Setup::new(no_store(), MockTokenIntrospector::new())
        .call(TestRequest::get().uri("/nope"))
        .await;
    problem(res, 404).await;
    let res = Setup::new(no_store(), MockTokenIntrospector::new())
        .call(TestRequest::delete().uri("/innlogginger/logg/idporten"))
        .await;
    assert!(header_of(&res, header::ALLOW).is_some());
    problem(res, 405).await;
}

#[actix_web::test]
async fn security_headers_and_request_id() {
    let res = Setup::new(no_store(), MockTokenIntrospector::new())
        .call(
            TestRequest::get()
                .uri("/healthz")
                .insert_header(("x-request-id", "abc-123")),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header_of(&res, header::X_CONTENT_TYPE_OPTIONS).as_deref(),
        Some("nosniff")
    );
    assert!(
        header_of(&res, header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .contains("default-src 'none'")
    );
    assert_eq!(
        header_of(&res, "x-request-id".parse().unwrap()).as_deref(),
        Some("abc-123")
    );
    let res = Setup::new(no_store(), MockTokenIntrospector::new())
        .call(
            TestRequest::get()
                .uri("/healthz")
                .insert_header(("x-request-id", "bad id")),
        )
        .await;
    assert_eq!(
        header_of(&res, "x-request-id".parse().unwrap())
            .unwrap()
            .len(),
        36
    );
}

#[actix_web::test]
async fn a_request_that_cannot_reach_the_store_in_time_is_503() {
    // One store call at a time: the second request waits at the gate and,
    // past the queue timeout, is told to come back, as with a full pool.
    let mut store = MockHistoryStore::new();
    store.expect_login_history().times(1).returning(|_| {
        std::thread::sleep(std::time::Duration::from_millis(500));
        Ok(Vec::new())
    });
    let tokens = tokens_for(caller(Some(ALICE), Some(ORG), "idporten:user.log.read"));
    let (state, limiter) = Setup {
        gate: StoreGate::new(1, std::time::Duration::from_millis(50)),
        ..Setup::new(store, tokens)
    }
    .parts();
    let svc = test::init_service(app(state, limiter, false, ApiDoc::openapi(), None)).await;
    let (first, second) = futures_util::future::join(
        svc.call(get("/innlogginger/logg/idporten").to_request()),
        svc.call(get("/innlogginger/logg/idporten").to_request()),
    )
    .await;
    let (first, second) = (first.unwrap(), second.unwrap());
    let (admitted, turned_away) = if first.status() == StatusCode::OK {
        (first, second)
    } else {
        (second, first)
    };
    assert_eq!(admitted.status(), StatusCode::OK);
    assert_eq!(
        header_of(&turned_away, header::RETRY_AFTER).as_deref(),
        Some("5")
    );
    problem(turned_away, 503).await;
}

#[actix_web::test]
async fn rate_limit_is_429_with_retry_after() {
    let tokens = tokens_err(TokenError::Expired);
    let state = web::Data::new(AppState {
        store: Arc::new(no_store()),
        tokens: Arc::new(tokens),
        clock: Arc::new(FixedClock),
        zone: Zone::oslo(),
        scopes: ScopeNames::default(),
        public_base_url: None,
        body_limit: 1024,
        metrics: Metrics::default(),
        store_gate: StoreGate::default(),
        retention_cutoff: Arc::new(|_| None),
    });
    let limiter = web::Data::new(RateLimiter::new(1, 1));
    let svc = test::init_service(app(state, limiter, false, ApiDoc::openapi(), None)).await;
    let req = || {
        get("/innlogginger/logg/idporten")
            .peer_addr("127.0.0.9:1".parse().unwrap())
            .to_request()
    };
    let first = svc.call(req()).await.unwrap();
    assert_eq!(first.status(), StatusCode::UNAUTHORIZED);
    let second = svc.call(req()).await.unwrap();
    assert_eq!(
        header_of(&second, header::RETRY_AFTER).as_deref(),
        Some("1")
    );
    problem(second, 429).await;
}

#[actix_web::test]
async fn readyz_reports_store_and_validator() {
    let mut store = MockHistoryStore::new();
    store.expect_ping().returning(|| Ok(()));
    let mut tokens = MockTokenIntrospector::new();
    tokens.expect_ready().returning(|| Ok(()));
    let res = Setup::new(store, tokens)
        .call(TestRequest::get().uri("/readyz"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let mut store = MockHistoryStore::new();
    store
        .expect_ping()
        .returning(|| Err(StoreError::Unavailable("down".into())));
    let res = Setup::new(store, MockTokenIntrospector::new())
        .call(TestRequest::get().uri("/readyz"))
        .await;
    assert_eq!(header_of(&res, header::RETRY_AFTER).as_deref(), Some("5"));
    problem(res, 503).await;
}

#[actix_web::test]
async fn openapi_and_docs_are_served() {
    let res = Setup::new(no_store(), MockTokenIntrospector::new())
        .call(TestRequest::get().uri("/openapi.json"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value = serde_json::from_slice(&test::read_body(res).await).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for path in [
        "/innlogginger/logg/idporten",
        "/metadata/v1/{userId}/accessHistory",
        "/v1/login-events",
        "/v1/access-records",
        "/v1/catalog",
        "/v1/retention",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());

    let res = Setup::new(no_store(), MockTokenIntrospector::new())
        .call(TestRequest::get().uri("/docs/"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = test::read_body(res).await;
    assert!(std::str::from_utf8(&html).unwrap().contains("swagger"));
    let res = Setup::new(no_store(), MockTokenIntrospector::new())
        .call(TestRequest::get().uri("/docs/swagger-ui-bundle.js"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[actix_web::test]
async fn metrics_count_requests_by_route_pattern() {
    let state = web::Data::new(AppState {
        store: Arc::new(no_store()),
        tokens: Arc::new(tokens_err(TokenError::Expired)),
        clock: Arc::new(FixedClock),
        zone: Zone::oslo(),
        scopes: ScopeNames::default(),
        public_base_url: None,
        body_limit: 1024,
        metrics: Metrics::default(),
        store_gate: StoreGate::default(),
        retention_cutoff: Arc::new(|_| None),
    });
    let limiter = web::Data::new(RateLimiter::new(0, 0));
    let svc = test::init_service(app(state, limiter, false, ApiDoc::openapi(), None)).await;
    let _ = svc
        .call(get(&format!("/metadata/v1/{ALICE}/accessHistory")).to_request())
        .await
        .unwrap();
    let res = svc
        .call(TestRequest::get().uri("/metrics").to_request())
        .await
        .unwrap();
    let text = String::from_utf8(test::read_body(res).await.to_vec()).unwrap();
    assert!(text.contains(
        "innsyn_http_requests_total{route=\"/metadata/v1/{userId}/accessHistory\",method=\"GET\",status=\"401\"} 1"
    ));
    assert!(!text.contains(ALICE));
}

/// The app with the citizen's page mounted (provider `issuer` for its CSP).
fn page_parts(
    issuer: &str,
    dev_picker: bool,
) -> (
    web::Data<AppState>,
    web::Data<RateLimiter>,
    innsyn_web::WebState,
) {
    let store: Arc<dyn innsyn_ports::HistoryStore> = Arc::new(no_store());
    let clock: Arc<dyn Clock> = Arc::new(FixedClock);
    let page = innsyn_web::WebState::new(
        innsyn_web::WebSettings {
            issuer_url: issuer.to_owned(),
            client_id: if issuer.is_empty() { "" } else { "innsyn-web" }.to_owned(),
            client_secret: "s3cret".to_owned(),
            public_base_url: "http://127.0.0.1:8080".to_owned(),
            dev_picker,
            dev_subjects: vec![format!("{ALICE} Alice (demo)")],
            ..innsyn_web::WebSettings::default()
        },
        Arc::clone(&store),
        Zone::oslo(),
        Arc::clone(&clock),
    )
    .unwrap();
    let state = web::Data::new(AppState {
        store,
        tokens: Arc::new(tokens_err(TokenError::Expired)),
        clock,
        zone: Zone::oslo(),
        scopes: ScopeNames::default(),
        public_base_url: None,
        body_limit: 1024,
        metrics: Metrics::default(),
        store_gate: StoreGate::default(),
        retention_cutoff: Arc::new(|_| None),
    });
    (state, web::Data::new(RateLimiter::new(0, 0)), page)
}

const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

#[actix_web::test]
async fn citizen_page_is_mounted_with_its_own_csp_and_the_api_keeps_the_strict_one() {
    let (state, limiter, page) = page_parts("http://127.0.0.1:9", false);
    let svc = test::init_service(app(state, limiter, false, ApiDoc::openapi(), Some(page))).await;
    let call = |uri: &str| svc.call(TestRequest::get().uri(uri).to_request());

    // No session: the page sends the browser to its login page.
    let res = call(innsyn_web::BASE_PATH).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = header_of(&res, header::LOCATION).unwrap();
    assert!(location.starts_with("/min-side/logg-inn"), "{location}");
    let csp = header_of(&res, header::CONTENT_SECURITY_POLICY).unwrap();
    assert_ne!(csp, API_CSP);
    assert!(csp.contains("style-src 'self'"), "{csp}");
    assert!(
        csp.contains("form-action 'self' http://127.0.0.1:9"),
        "{csp}"
    );
    assert!(!csp.contains("script-src"), "{csp}");
    assert_eq!(
        header_of(&res, header::X_FRAME_OPTIONS).as_deref(),
        Some("DENY")
    );

    // The login page and its stylesheet.
    let res = call("/min-side/logg-inn").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        header_of(&res, header::CONTENT_TYPE)
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        header_of(&res, header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .contains("style-src 'self'")
    );
    let html = String::from_utf8(test::read_body(res).await.to_vec()).unwrap();
    assert!(html.contains("/min-side/static/style.css"), "{html}");
    let res = call("/min-side/static/style.css").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        header_of(&res, header::CONTENT_TYPE)
            .unwrap()
            .starts_with("text/css")
    );
    assert_ne!(
        header_of(&res, header::CACHE_CONTROL).as_deref(),
        Some("no-store"),
        "the page's own caching of its stylesheet is kept"
    );

    // The page's errors stay HTML for browsers, not problem+json.
    let res = call("/min-side/finnes-ikke").await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(
        header_of(&res, header::CONTENT_TYPE)
            .unwrap()
            .starts_with("text/html")
    );
    assert_ne!(
        header_of(&res, header::CONTENT_SECURITY_POLICY).as_deref(),
        Some(API_CSP)
    );
    // No dev picker outside `innsyn dev`.
    let res = call("/min-side/dev-login").await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The API keeps the strict policy and problem+json.
    for (uri, status) in [
        ("/healthz", 200),
        ("/innlogginger/logg/idporten", 401),
        ("/finnes-ikke", 404),
    ] {
        let res = call(uri).await.unwrap();
        assert_eq!(res.status().as_u16(), status, "{uri}");
        assert_eq!(
            header_of(&res, header::CONTENT_SECURITY_POLICY).as_deref(),
            Some(API_CSP),
            "{uri}"
        );
        if status >= 400 {
            problem(res, status).await;
        }
    }
}

#[actix_web::test]
async fn citizen_page_offers_the_dev_picker_when_configured() {
    let (state, limiter, page) = page_parts("", true);
    let svc = test::init_service(app(state, limiter, false, ApiDoc::openapi(), Some(page))).await;
    let res = svc
        .call(TestRequest::get().uri("/min-side/dev-login").to_request())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let csp = header_of(&res, header::CONTENT_SECURITY_POLICY).unwrap();
    assert!(csp.contains("form-action 'self'"), "{csp}");
    let html = String::from_utf8(test::read_body(res).await.to_vec()).unwrap();
    assert!(html.contains("Alice (demo)"), "{html}");
}

#[actix_web::test]
async fn admin_resource_names_are_checked_by_the_domain_rule() {
    let admin = || tokens_for(caller(None, None, "history:admin"));
    let long = "r".repeat(1025);
    let res = Setup::new(no_store(), admin())
        .call(
            post_json(
                &format!("/v1/catalog/resources/{long}"),
                &json!({"urn": "urn:altinn:resource:x"}),
            )
            .method(actix_web::http::Method::PUT),
        )
        .await;
    let body = problem(res, 400).await;
    let names: Vec<&str> = body["invalid-params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["name"]);
    assert!(!body.to_string().contains(&long), "no value echoed");

    let mut store = MockHistoryStore::new();
    store
        .expect_put_resource()
        .times(1)
        .withf(|r| r.name == "skattemelding" && r.urn.is_none())
        .returning(|_| Ok(()));
    let res = Setup::new(store, admin())
        .call(
            TestRequest::put()
                .uri("/v1/catalog/resources/skattemelding")
                .insert_header((header::AUTHORIZATION, "Bearer t0k3n")),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}
