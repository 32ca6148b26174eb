//! Disputes over HTTP: the authorization matrix of every endpoint (the
//! citizen who owns the item, another citizen, the responsible
//! organisation, another organisation, no token, a wrong scope), the whole
//! life of a case, and bad input that stores nothing.

use actix_web::http::header;
use actix_web::test::TestRequest;
use innsyn_domain::AccessRecord;
use innsyn_ports::{AccessToken, MockTokenIntrospector, TokenError};
use innsyn_store_contract::fixtures::ORG_B;
use serde_json::{Value, json};

use crate::support::{
    ALICE, BOB, ORG, Setup, access, alice, caller, header_of, json_of, login, param_names, problem,
    seeded, serve,
};
use actix_web::dev::Service as _;

/// Each bearer token stands for one party.
fn parties() -> MockTokenIntrospector {
    let mut t = MockTokenIntrospector::new();
    t.expect_introspect().returning(|token: &AccessToken| {
        Ok(match token.expose() {
            "alice" => caller(Some(ALICE), None, "history:read"),
            "bob" => caller(Some(BOB), None, "history:read"),
            "org-b" => caller(None, Some(ORG_B), "history:disputes"),
            "org-a" => caller(None, Some(ORG), "history:disputes"),
            "wrong-scope" => caller(Some(ALICE), Some(ORG_B), "history:audit history:write"),
            _ => return Err(TokenError::Inactive),
        })
    });
    t
}

fn as_party(req: TestRequest, token: Option<&str>) -> TestRequest {
    match token {
        Some(t) => req.insert_header((header::AUTHORIZATION, format!("Bearer {t}"))),
        None => req,
    }
}

fn get(uri: &str, token: Option<&str>) -> TestRequest {
    as_party(TestRequest::get().uri(uri), token)
}

fn post(uri: &str, token: Option<&str>, body: &Value) -> TestRequest {
    as_party(TestRequest::post().uri(uri), token)
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .set_payload(serde_json::to_vec(body).unwrap())
}

/// Alice's look-up by an application of `ORG_B`, her login to a service
/// of `ORG`, and a look-up whose organisation nobody knows.
fn store() -> std::sync::Arc<innsyn_store_memory::MemoryStore> {
    let unroutable = AccessRecord {
        orgno: None,
        client_id: "nobody-knows".into(),
        ..access(&alice(), 2, 20)
    };
    seeded(
        &[login(&alice(), 30, "svc-a", Some(ORG))],
        &[access(&alice(), 1, 10), unroutable],
    )
}

const RECORD: &str = "access.00000000-0000-0000-0000-000000000001";

macro_rules! send {
    ($svc:expr, $req:expr) => {
        $svc.call(
            $req.peer_addr("127.0.0.1:40000".parse().unwrap())
                .to_request(),
        )
        .await
        .unwrap()
    };
}

#[actix_web::test]
async fn opening_a_case_is_for_the_citizen_whose_item_it_is() {
    let svc = serve!(Setup::over(store(), parties()));
    let body = json!({"item": RECORD, "message": "Jeg kjenner ikke til dette."});
    let uri = "/v1/me/disputes";
    problem(send!(svc, post(uri, None, &body)), 401).await;
    problem(send!(svc, post(uri, Some("wrong-scope"), &body)), 403).await;
    problem(send!(svc, post(uri, Some("org-b"), &body)), 403).await;
    let other = problem(send!(svc, post(uri, Some("bob"), &body)), 400).await;
    assert_eq!(param_names(&other), ["item"]);
    let res = send!(svc, post(uri, Some("alice"), &body));
    assert_eq!(res.status().as_u16(), 201);
    let location = header_of(&res, header::LOCATION).unwrap();
    let case = json_of(res).await;
    let id = case["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/v1/me/disputes/{id}"));
    assert_eq!(
        (
            &case["status"],
            &case["organisation"],
            &case["item"]["kind"]
        ),
        (&json!("open"), &json!(ORG_B), &json!("access"))
    );
    assert_eq!(case["item"]["reference"], RECORD);
    assert_eq!(case["message"], "Jeg kjenner ikke til dette.");
    // The same item again: the case it already has, nothing stored twice.
    let again = send!(svc, post(uri, Some("alice"), &json!({"item": RECORD})));
    assert_eq!(header_of(&again, header::LOCATION), Some(location));
    problem(again, 409).await;
    let mine = json_of(send!(svc, get(uri, Some("alice")))).await;
    assert_eq!(mine["cases"].as_array().unwrap().len(), 1);
    assert_eq!(mine["cases"][0]["id"], id.as_str());
    let bobs = json_of(send!(svc, get(uri, Some("bob")))).await;
    assert_eq!(bobs["cases"], json!([]));
    problem(send!(svc, get(uri, Some("org-b"))), 403).await;
    problem(send!(svc, get(uri, Some("wrong-scope"))), 403).await;
    problem(send!(svc, get(uri, None)), 401).await;
    let one = format!("/v1/me/disputes/{id}");
    assert_eq!(send!(svc, get(&one, Some("alice"))).status().as_u16(), 200);
    problem(send!(svc, get(&one, Some("bob"))), 404).await;
    problem(send!(svc, get(&one, Some("org-b"))), 403).await;
    problem(send!(svc, get(&one, None)), 401).await;
}

#[actix_web::test]
async fn only_the_responsible_organisation_reads_and_answers_a_case() {
    let svc = serve!(Setup::over(store(), parties()));
    let res = send!(
        svc,
        post("/v1/me/disputes", Some("alice"), &json!({"item": RECORD}))
    );
    let id = json_of(res).await["id"].as_str().unwrap().to_owned();

    let list = send!(svc, get("/v1/disputes", Some("org-b")));
    assert_eq!(list.status().as_u16(), 200);
    let text = String::from_utf8(actix_web::test::read_body(list).await.to_vec()).unwrap();
    assert!(!text.contains(ALICE), "the citizen's identity stays out");
    let listed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(listed["cases"][0]["id"], id.as_str());
    assert_eq!(listed["cases"][0]["item"]["clientId"], "ske-client");
    let none = json_of(send!(svc, get("/v1/disputes", Some("org-a")))).await;
    assert_eq!(none["cases"], json!([]));
    problem(send!(svc, get("/v1/disputes", Some("alice"))), 403).await;
    problem(send!(svc, get("/v1/disputes", Some("wrong-scope"))), 403).await;
    problem(send!(svc, get("/v1/disputes", None)), 401).await;

    let one = format!("/v1/disputes/{id}");
    assert_eq!(send!(svc, get(&one, Some("org-b"))).status().as_u16(), 200);
    problem(send!(svc, get(&one, Some("org-a"))), 404).await;
    problem(
        send!(svc, get("/v1/disputes/not-a-case", Some("org-b"))),
        404,
    )
    .await;
    problem(send!(svc, get(&one, Some("alice"))), 403).await;
    problem(send!(svc, get(&one, None)), 401).await;

    let answer = format!("/v1/disputes/{id}/answer");
    let reply = json!({"status": "answered", "message": "Saksbehandler slo opp feil person; vi har meldt avvik."});
    problem(send!(svc, post(&answer, Some("org-a"), &reply)), 404).await;
    problem(send!(svc, post(&answer, Some("alice"), &reply)), 403).await;
    problem(send!(svc, post(&answer, Some("wrong-scope"), &reply)), 403).await;
    problem(send!(svc, post(&answer, None, &reply)), 401).await;
    let bad = json!({"status": "open", "message": "<p>hei</p>"});
    let refused = problem(send!(svc, post(&answer, Some("org-b"), &bad)), 400).await;
    assert_eq!(param_names(&refused), ["status", "message"]);
    let res = send!(svc, post(&answer, Some("org-b"), &reply));
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(json_of(res).await["status"], "answered");
    let seen = json_of(send!(
        svc,
        get(&format!("/v1/me/disputes/{id}"), Some("alice"))
    ))
    .await;
    assert_eq!(
        (&seen["status"], &seen["answer"]),
        (&json!("answered"), &reply["message"])
    );
    let close = json!({"status": "closed", "message": "Avsluttet."});
    assert_eq!(
        send!(svc, post(&answer, Some("org-b"), &close))
            .status()
            .as_u16(),
        200
    );
    problem(send!(svc, post(&answer, Some("org-b"), &reply)), 409).await;
    let open = json_of(send!(svc, get("/v1/disputes?status=open", Some("org-b")))).await;
    assert_eq!(open["cases"], json!([]));
    let closed = json_of(send!(svc, get("/v1/disputes?status=closed", Some("org-b")))).await;
    assert_eq!(closed["cases"][0]["answer"], "Avsluttet.");
}

#[actix_web::test]
async fn bad_reports_get_a_4xx_naming_the_field_and_store_nothing() {
    let store = store();
    let svc = serve!(Setup::over(store.clone(), parties()));
    let uri = "/v1/me/disputes";
    let cases: [(Value, u16, &[&str]); 5] = [
        (
            json!({"item": RECORD, "message": "x".repeat(1_001)}),
            400,
            &["message"],
        ),
        (
            json!({"item": RECORD, "message": "Se <a href=\"https://x.invalid\">her</a>"}),
            400,
            &["message"],
        ),
        (
            json!({"item": "access.00000000-0000-0000-0000-0000000000ff"}),
            400,
            &["item"],
        ),
        (json!({"item": "login.!!"}), 400, &["item"]),
        (
            json!({"item": "access.00000000-0000-0000-0000-000000000002"}),
            422,
            &[],
        ),
    ];
    for (body, status, names) in cases {
        let p = problem(send!(svc, post(uri, Some("alice"), &body)), status).await;
        if !names.is_empty() {
            assert_eq!(param_names(&p), names, "{body}");
        }
        assert!(!p.to_string().contains("href"), "the message is not echoed");
    }
    problem(
        send!(
            svc,
            post(uri, Some("alice"), &json!({"item": RECORD, "extra": 1}))
        ),
        400,
    )
    .await;
    problem(
        send!(svc, get("/v1/me/disputes?limit=0&status=x", Some("alice"))),
        400,
    )
    .await;
    let mine = json_of(send!(svc, get(uri, Some("alice")))).await;
    assert_eq!(mine["cases"], json!([]), "nothing was stored");
}

#[actix_web::test]
async fn an_organisation_pages_through_its_cases_newest_first() {
    let records: Vec<AccessRecord> = (1..=5)
        .map(|i| access(&alice(), i, 10 * i as i64))
        .collect();
    let svc = serve!(Setup::over(seeded(&[], &records), parties()));
    for i in 1..=5 {
        let item = format!("access.00000000-0000-0000-0000-00000000000{i}");
        let res = send!(
            svc,
            post("/v1/me/disputes", Some("alice"), &json!({"item": item}))
        );
        assert_eq!(res.status().as_u16(), 201);
    }
    let mut seen = Vec::new();
    let mut uri = "/v1/disputes?limit=2".to_owned();
    loop {
        let page = json_of(send!(svc, get(&uri, Some("org-b")))).await;
        let cases = page["cases"].as_array().unwrap();
        assert!(cases.len() <= 2);
        seen.extend(cases.iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        match page["nextCursor"].as_str() {
            Some(next) => uri = format!("/v1/disputes?limit=2&after={next}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5, "no case twice across pages");
}
