//! The store gate: at most `store_concurrency` store calls at once, the
//! rest queued and refused with 503 past `store_queue_timeout`, whichever
//! front end asks.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::dev::{Service as _, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::test::TestRequest;
use futures_util::future::{join, join_all};
use innsyn_ports::HistoryStore as _;

use crate::probe::Probe;
use crate::support::{
    ALICE, ORG, Setup, access, alice, caller, get, header_of, is_html, problem_with, serve,
    tokens_for,
};

type Answer<B> = Result<ServiceResponse<B>, actix_web::Error>;

/// The refused of `responses` (numbered, any order), after checking each
/// was either served or refused for want of a turn at the store.
fn refused<B>(responses: Vec<(usize, Answer<B>)>) -> Vec<ServiceResponse<B>> {
    responses
        .into_iter()
        .map(|(_, res)| res.unwrap())
        .filter(|res| {
            let status = res.status();
            assert!(
                status == StatusCode::OK || status == StatusCode::SERVICE_UNAVAILABLE,
                "{status}"
            );
            status != StatusCode::OK
        })
        .collect()
}

#[actix_web::test]
async fn a_request_that_cannot_reach_the_store_in_time_is_503() {
    // One store call at a time: the second request waits at the gate and,
    // past the queue timeout, is told to come back, as with a full pool.
    let probe = Arc::new(Probe::slow(Duration::from_millis(500)));
    let tokens = tokens_for(caller(Some(ALICE), Some(ORG), "idporten:user.log.read"));
    let mut setup = Setup::new(probe.clone(), tokens);
    setup.settings.store_concurrency = 1;
    setup.settings.store_queue_timeout = Duration::from_millis(50);
    // The read's own record would be one more store call; recording is
    // held to its own tests (innsyn-app tests/read_records).
    setup.settings.record_reads = false;
    let svc = serve!(setup);
    let (first, second) = join(
        svc.call(get("/innlogginger/logg/idporten").to_request()),
        svc.call(get("/innlogginger/logg/idporten").to_request()),
    )
    .await;
    let [turned_away]: [_; 1] = refused(vec![(0, first), (1, second)])
        .try_into()
        .ok()
        .unwrap();
    assert_eq!(
        probe.calls(),
        1,
        "the refused request never reached the store"
    );
    problem_with(turned_away, 503, header::RETRY_AFTER, "5").await;
}

#[actix_web::test]
async fn the_gate_holds_from_the_page_and_the_api_together() {
    // One service behind both front ends, one store call at a time, each
    // history call 300 ms, a turn waited for 450 ms at most. Requests queue
    // in arrival order, API and page alternating: the first (API, one call)
    // is served at once; a page takes a quick turn for its session, then
    // slow ones for the history, queueing behind the others. The first
    // API call, the second and the first page get their turns in time (the
    // page's later calls queue behind no one); the rest wait too long.
    let probe = Arc::new(Probe::slow(Duration::from_millis(300)));
    probe
        .store
        .append_access_records(&[access(&alice(), 1, 10)])
        .unwrap();
    let tokens = tokens_for(caller(Some(ALICE), None, "history:read"));
    let mut setup = Setup::new(probe.clone(), tokens).with_page(None, true);
    setup.settings.store_concurrency = 1;
    setup.settings.store_queue_timeout = Duration::from_millis(450);
    // Counted are the reads' turns, not their records (tests/read_records).
    setup.settings.record_reads = false;
    let svc = serve!(setup);

    // The picker's form token and its cookie, as a browser gets them.
    let picker = svc
        .call(TestRequest::get().uri("/min-side/dev-login").to_request())
        .await
        .unwrap();
    let form_cookie = picker
        .headers()
        .get_all(header::SET_COOKIE)
        .filter_map(|c| c.to_str().ok()?.split(';').next())
        .find(|c| c.starts_with("innsyn_dev_csrf="))
        .unwrap()
        .to_owned();
    let token = form_cookie["innsyn_dev_csrf=".len()..].to_owned();
    let login = svc
        .call(
            TestRequest::post()
                .uri("/min-side/dev-login")
                .insert_header((header::COOKIE, form_cookie))
                .set_form([("subject", ALICE), ("csrf", token.as_str())])
                .to_request(),
        )
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let session = login
        .headers()
        .get_all(header::SET_COOKIE)
        .filter_map(|c| c.to_str().ok()?.split(';').next())
        .find(|c| c.starts_with("innsyn_sid="))
        .unwrap()
        .to_owned();
    assert_eq!(probe.calls(), 0, "logging in asks no store");

    let api = || get(&format!("/metadata/v1/{ALICE}/accessHistory")).to_request();
    let page = || {
        TestRequest::get()
            .uri("/min-side")
            .insert_header((header::COOKIE, session.clone()))
            .to_request()
    };
    let started = Instant::now();
    let calls = (0..3).flat_map(|_| [svc.call(api()), svc.call(page())]);
    let (api, page): (Vec<_>, Vec<_>) = join_all(calls)
        .await
        .into_iter()
        .enumerate()
        .partition(|(i, _)| i % 2 == 0);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(probe.peak(), 1, "never two store calls at once");

    let (api, page) = (refused(api), refused(page));
    assert!(
        (3..=4).contains(&(api.len() + page.len())),
        "two or three were served in time: {} refused",
        api.len() + page.len()
    );
    assert!(api.len() < 3 && page.len() < 3, "each front end had a turn");
    assert!(!api.is_empty() && !page.is_empty(), "each front end waited");
    for res in api {
        problem_with(res, 503, header::RETRY_AFTER, "5").await;
    }
    for res in page {
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(is_html(&res), "the page answers in HTML");
        assert!(header_of(&res, header::RETRY_AFTER).is_some());
    }
}
