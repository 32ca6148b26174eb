//! Seed 2, `GET /metadata/v1/{userId}/accessHistory`: the query the domain
//! builds, the page and its `Link`, and each refusal.

use std::sync::{Arc, Mutex};

use actix_web::http::{StatusCode, header};
use actix_web::test::TestRequest;
use actix_web::web;
use innsyn_domain::{AccessHistoryEntry, AccessHistoryParams, AccessPage, AccessRecord};
use innsyn_ports::{AccessHistoryAnswer, MockHistoryStore, MockTokenIntrospector};
use innsyn_store_contract::fixtures::access_query;
use serde_json::json;
use time::macros::datetime;

use crate::support::{
    ALICE, BOB, Setup, access, alice, caller, get, header_of, json_of, no_store, param_names,
    problem, problem_with, seeded, tokens_for,
};

fn alice_reads() -> MockTokenIntrospector {
    tokens_for(caller(Some(ALICE), None, "history:read"))
}

/// Alice's own history with the query string `qs`.
fn own(qs: &str) -> TestRequest {
    get(&format!("/metadata/v1/{ALICE}/accessHistory?{qs}"))
}

fn params(qs: &str) -> AccessHistoryParams {
    web::Query::<AccessHistoryParams>::from_query(qs)
        .unwrap()
        .into_inner()
}

#[actix_web::test]
async fn seed2_parameters_reach_the_store_as_the_domain_builds_them() {
    // A mock, not the memory store: what is checked is the query handed
    // over, so the page it answers need not match it.
    let seen = Arc::new(Mutex::new(None));
    let record = AccessRecord {
        occurred_at: datetime!(2024-05-01 08:00 UTC),
        ..access(&alice(), 1, 0)
    };
    let page = AccessPage {
        entries: vec![AccessHistoryEntry::from(&record)],
        has_more: false,
    };
    let mut store = MockHistoryStore::new();
    let s = Arc::clone(&seen);
    store.expect_access_history().times(1).returning(move |q| {
        *s.lock().unwrap() = Some(q.clone());
        Ok(AccessHistoryAnswer::Page(page.clone()))
    });
    let qs = "clientId=ske-client&resource=urn%3Aaltinn%3Aresource%3Askattemelding&action=read&purpose=tax-assessment&decision=permit&startTime=2024-04&endTime=1M&count=10&startIndex=3&sortBy=resource&sortOrder=desc";
    // The mock answers the query only; the read's record is another test's.
    let mut setup = Setup::new(Arc::new(store), alice_reads());
    setup.settings.record_reads = false;
    let res = setup
        .call(get(&format!("/metadata/v1/{ALICE}/accessHistory/?{qs}")))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header_of(&res, header::CACHE_CONTROL).as_deref(),
        Some("no-store")
    );
    assert!(header_of(&res, header::LINK).is_none());
    assert_eq!(
        json_of(res).await,
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
    let want = access_query(&alice(), params(qs));
    assert_eq!(seen.lock().unwrap().clone().unwrap(), want);
}

#[actix_web::test]
async fn seed2_link_header_points_at_the_next_page() {
    // Newest first: four newer records, then the page (10:00 and 09:00),
    // then one more, so another page follows.
    let mut records: Vec<AccessRecord> = (0..4).map(|i| access(&alice(), 10 + i, 10)).collect();
    let (first, last) = (access(&alice(), 2, 120), access(&alice(), 1, 180));
    records.extend([first, last.clone(), access(&alice(), 3, 240)]);
    let qs = "count=2&decision=Permit&startIndex=4";
    let res = Setup::new(seeded(&[], &records), alice_reads())
        .call(own(qs))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let cursor = access_query(&alice(), params(qs))
        .sort
        .cursor_after(&AccessHistoryEntry::from(&last))
        .encode();
    assert_eq!(
        header_of(&res, header::LINK).unwrap(),
        format!(
            "</metadata/v1/{ALICE}/accessHistory?count=2&decision=Permit&startIndex=6&cursor={cursor}>; rel=\"next\""
        )
    );
    let body = json_of(res).await;
    assert_eq!(body["hasMore"], true);
    assert_eq!(body["count"], 2);
    assert_eq!(body["startIndex"], 4);
}

#[actix_web::test]
async fn seed2_non_owner_is_403_before_existence_is_revealed() {
    let res = Setup::new(no_store(), alice_reads())
        .call(get(&format!("/metadata/v1/{BOB}/accessHistory")))
        .await;
    let body = problem_with(
        res,
        403,
        header::WWW_AUTHENTICATE,
        "Bearer error=\"insufficient_scope\", scope=\"history:audit\"",
    )
    .await;
    assert!(!body.to_string().contains(BOB) && !body.to_string().contains(ALICE));
}

#[actix_web::test]
async fn seed2_auditor_reads_anyone_and_unknown_owner_is_404() {
    // The store has Alice only; Bob was never seen.
    let store = seeded(&[], &[access(&alice(), 1, 10)]);
    let res = Setup::new(store, tokens_for(caller(None, None, "history:audit")))
        .call(get(&format!("/metadata/v1/{BOB}/accessHistory")))
        .await;
    let body = problem(res, 404).await;
    assert_eq!(body["title"], "No such object");
}

#[actix_web::test]
async fn seed2_bad_parameters_are_400_naming_each() {
    let res = Setup::new(no_store(), alice_reads())
        .call(own(
            "application=a&clientId=b&decision=Allow&count=0&sortBy=colour",
        ))
        .await;
    let body = problem(res, 400).await;
    assert_eq!(
        param_names(&body),
        ["clientId", "decision", "count", "sortBy"]
    );
    assert_eq!(body["detail"], "4 parameters are invalid");
}

#[actix_web::test]
async fn seed2_repeated_parameter_is_400_not_500() {
    let res = Setup::new(no_store(), alice_reads())
        .call(own("count=1&count=2"))
        .await;
    problem(res, 400).await;
}

#[actix_web::test]
async fn the_query_string_is_read_before_the_policy() {
    // The handlers hand the use cases parsed parameters, so a query string
    // that cannot be read is refused before the policy is asked (both
    // seeds): a caller refused by either policy still gets 400 for it.
    for (uri, repeated) in [
        ("/innlogginger/logg/idporten", "maxhits=1&maxhits=2"),
        (
            &format!("/metadata/v1/{BOB}/accessHistory"),
            "count=1&count=2",
        ),
    ] {
        let res = Setup::new(no_store(), alice_reads()).call(get(uri)).await;
        problem(res, 403).await;
        let res = Setup::new(no_store(), alice_reads())
            .call(get(&format!("{uri}?{repeated}")))
            .await;
        let body = problem(res, 400).await;
        assert_eq!(param_names(&body), ["query"], "{uri}");
    }
}

#[actix_web::test]
async fn seed2_validate_checks_the_catalog() {
    // Alice's record puts Skatteetaten and "read" in the catalog; "nope"
    // is in no catalog.
    let store = seeded(&[], &[access(&alice(), 1, 10)]);
    let res = Setup::new(store, alice_reads())
        .call(own("validate&application=Skatteetaten&action=nope"))
        .await;
    let body = problem(res, 400).await;
    assert_eq!(body["invalid-params"][0]["name"], "action");
}
