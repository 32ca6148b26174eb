//! Seed 1, `GET /innlogginger/logg/idporten`: the seed's bytes, and every
//! refusal with its status, challenge and body.

use std::sync::Arc;

use actix_web::http::{StatusCode, header};
use actix_web::test::{self, TestRequest};
use innsyn_domain::LoginEvent;
use innsyn_ports::{
    HistoryStore as _, MockHistoryStore, MockTokenIntrospector, StoreError, TokenError,
};
use innsyn_store_contract::fixtures::ORG_B;
use time::macros::datetime;

use crate::probe::Probe;
use crate::support::{
    ALICE, ORG, Setup, alice, caller, get, header_of, login, no_store, problem, problem_with,
    tokens_err, tokens_for,
};

const CLIENT: &str = "oidc_authorization_api_client_test";

/// A login of Alice at the seed's service; `method` `None` is federated.
fn at_difi(at: time::OffsetDateTime, eid: &str, method: Option<&str>) -> LoginEvent {
    let mut event = login(&alice(), 0, CLIENT, Some(ORG));
    event.occurred_at = at;
    event.service_provider.name = Some("DIREKTORATET FOR FORVALTNING OG IKT".into());
    event.eid = Some(eid.into());
    event.method = method.map(Into::into);
    event
}

fn reader() -> MockTokenIntrospector {
    tokens_for(caller(Some(ALICE), Some(ORG), "idporten:user.log.read"))
}

#[actix_web::test]
async fn seed1_body_is_byte_compatible_with_the_seed_example() {
    let probe = Arc::new(Probe::default());
    probe
        .store
        .append_login_events(&[
            at_difi(datetime!(2019-03-07 08:26:36 UTC), "MinID", Some("PIN")),
            at_difi(datetime!(2019-03-06 15:04:40 UTC), "Federated", None),
            // Another organisation's service: the caller's must not see it.
            login(&alice(), 60, "nav", Some(ORG_B)),
        ])
        .unwrap();
    let res = Setup::new(probe.clone(), reader())
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
    let [q] = probe.login_queries().try_into().unwrap();
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
        let res = Setup::idle().call(req).await;
        problem_with(res, 401, header::WWW_AUTHENTICATE, "Bearer").await;
    }
}

#[actix_web::test]
async fn malformed_bearer_header_is_invalid_token_without_asking_the_validator() {
    let res = Setup::idle()
        .call(
            TestRequest::get()
                .uri("/innlogginger/logg/idporten")
                .insert_header((header::AUTHORIZATION, "Bearer a b\"c")),
        )
        .await;
    problem_with(
        res,
        401,
        header::WWW_AUTHENTICATE,
        "Bearer error=\"invalid_token\", error_description=\"the access token is malformed\"",
    )
    .await;
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
        let challenge =
            format!("Bearer error=\"invalid_token\", error_description=\"{description}\"");
        let body = problem_with(res, 401, header::WWW_AUTHENTICATE, &challenge).await;
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
    assert!(header_of(&res, header::WWW_AUTHENTICATE).is_none());
    let body = problem_with(res, 503, header::RETRY_AFTER, "5").await;
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
    problem_with(
        res,
        403,
        header::WWW_AUTHENTICATE,
        "Bearer error=\"insufficient_scope\", scope=\"idporten:user.log.read\"",
    )
    .await;
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
        let res = Setup::new(no_store(), reader())
            .call(get(&format!("/innlogginger/logg/idporten?maxhits={bad}")))
            .await;
        let body = problem(res, 400).await;
        assert_eq!(body["invalid-params"][0]["name"], "maxhits", "{bad}");
    }
}

#[actix_web::test]
async fn store_errors_are_503_or_500_without_detail() {
    let failing = |e: StoreError| {
        let mut store = MockHistoryStore::new();
        store
            .expect_login_history()
            .returning(move |_| Err(e.clone()));
        Setup::new(Arc::new(store), reader())
    };
    let res = failing(StoreError::Unavailable(
        "pool timed out at db.internal".into(),
    ))
    .call(get("/innlogginger/logg/idporten"))
    .await;
    let body = problem_with(res, 503, header::RETRY_AFTER, "5").await;
    assert!(!body.to_string().contains("db.internal"));

    let res = failing(StoreError::Internal("relation secret_table missing".into()))
        .call(get("/innlogginger/logg/idporten"))
        .await;
    let body = problem(res, 500).await;
    assert_eq!(body["detail"], "an internal error occurred");
    assert!(!body.to_string().contains("secret_table"));
}
