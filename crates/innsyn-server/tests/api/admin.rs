//! Catalog administration and retention (`history:admin`).

use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use innsyn_domain::{AccessRecord, ClientEntry, LoginEvent, ResourceEntry};
use innsyn_ports::{HistoryStore, MockTokenIntrospector};
use serde_json::json;

use crate::support::{
    ORG, Setup, access, alice, authorized, caller, json_of, login, no_store, param_names,
    post_json, problem, seeded, stored_by, tokens_for,
};

/// A day past a year before `NOW`, in minutes: outside 12 months' retention.
const OVER_A_YEAR: i64 = 367 * 24 * 60;

fn admin() -> MockTokenIntrospector {
    tokens_for(caller(None, None, "history:admin"))
}

fn put(uri: &str, body: &serde_json::Value) -> TestRequest {
    post_json(uri, body).method(Method::PUT)
}

#[actix_web::test]
async fn admin_puts_a_client_and_runs_retention() {
    let (store, _) = stored_by(
        admin(),
        put(
            "/v1/catalog/clients/nav",
            &json!({"application": "NAV", "orgno": "889640782"}),
        ),
    )
    .await;
    let nav = ClientEntry::validate("nav", "NAV", Some("889640782")).unwrap();
    assert_eq!(store.catalog().unwrap().clients, [nav]);

    let res = Setup::new(no_store(), admin())
        .call(put(
            "/v1/catalog/clients/nav",
            &json!({"application": "", "orgno": "889640783"}),
        ))
        .await;
    let body = problem(res, 400).await;
    assert_eq!(body["invalid-params"].as_array().unwrap().len(), 2);

    // Three login events and four access records older than the cutoff,
    // one of each newer.
    let logins: Vec<LoginEvent> = (1..=3)
        .map(|i| login(&alice(), OVER_A_YEAR + i, "ske", Some(ORG)))
        .chain([login(&alice(), 10, "ske", Some(ORG))])
        .collect();
    let records: Vec<AccessRecord> = (1..=4u8)
        .map(|i| access(&alice(), i.into(), OVER_A_YEAR + i64::from(i)))
        .chain([access(&alice(), 99, 10)])
        .collect();
    let mut setup = Setup::new(seeded(&logins, &records), admin());
    setup.settings.retention_months = Some(12);
    let res = setup
        .call(authorized(TestRequest::post().uri("/v1/retention")))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        json_of(res).await,
        json!({"cutoff": "2023-05-15T12:00:00Z", "loginEvents": 3, "accessRecords": 4})
    );
}

#[actix_web::test]
async fn admin_resource_names_are_checked_by_the_domain_rule() {
    let long = "r".repeat(1025);
    let res = Setup::new(no_store(), admin())
        .call(put(
            &format!("/v1/catalog/resources/{long}"),
            &json!({"urn": "urn:altinn:resource:x"}),
        ))
        .await;
    let body = problem(res, 400).await;
    assert_eq!(param_names(&body), ["name"]);
    assert!(!body.to_string().contains(&long), "no value echoed");

    let (store, _) = stored_by(
        admin(),
        authorized(TestRequest::put().uri("/v1/catalog/resources/skattemelding")),
    )
    .await;
    let resource = ResourceEntry::validate("skattemelding", None).unwrap();
    assert_eq!(store.catalog().unwrap().resources, [resource]);
}
