//! "Kjenner du ikke igjen denne?" on the page: the steps for the eID, the
//! report with the session's form token, the cases, and "Dette var meg".

use innsyn_domain::LoginHistoryQuery;
use innsyn_domain::disputes::ItemRef;
use innsyn_ports::DisputeStore as _;

use super::*;

/// The reference of the citizen's night login to NAV (the one with marks).
fn night_login(store: &MemoryStore) -> String {
    let q = LoginHistoryQuery {
        subject: SubjectId::parse(CITIZEN).unwrap(),
        orgno: None,
        window: None,
        client_id: Some("nav".into()),
        start_index: 0,
        max_hits: 10,
    };
    let entries = store.login_history(&q).unwrap();
    ItemRef::Login(entries[0].key.clone()).to_string()
}

async fn post(
    s: &WebState,
    path: &str,
    cookie: &Cookie<'static>,
    form: &[(&str, &str)],
) -> ServiceResponse {
    let app = test::init_service(App::new().configure(|c| crate::configure(c, s.clone()))).await;
    let req = test::TestRequest::post()
        .uri(path)
        .cookie(cookie.clone())
        .set_form(form)
        .to_request();
    test::call_service(&app, req).await
}

fn cases_of(store: &MemoryStore) -> usize {
    let party = innsyn_domain::disputes::DisputeParty::Citizen(SubjectId::parse(CITIZEN).unwrap());
    let q = innsyn_domain::disputes::DisputeQuery {
        party,
        status: None,
        after: None,
        limit: 100,
    };
    store.disputes(&q).unwrap().len()
}

#[actix_web::test]
async fn every_row_offers_to_report_it() {
    let s = state();
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    let body = body_text(get(&s, "/min-side?periode=alle", Some(cookie)).await);
    assert_eq!(body.matches("/min-side/meld-fra?sak=login.").count(), 12);
    assert_eq!(body.matches("/min-side/meld-fra?sak=access.").count(), 2);
    assert!(body.contains("Kjenner du ikke igjen denne?"));
    assert!(body.contains("href=\"/min-side/saker?lang=nb\""));
}

#[actix_web::test]
async fn a_citizen_reports_a_login_and_sees_the_case() {
    let store = seeded_store();
    let item = night_login(&store);
    let s = state_with(WebSettings::default(), store.clone());
    let (cookie, csrf) = logged_in(&s, CITIZEN).await;
    let page = get(
        &s,
        &format!("/min-side/meld-fra?sak={item}"),
        Some(cookie.clone()),
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
    let body = body_text(page);
    assert!(body.contains("minid.no"), "steps for MinID");
    assert!(body.contains("Meld fra til Arbeids- og velferdsetaten (991825827)"));

    let path = "/min-side/meld-fra?lang=nb";
    let forged = post(&s, path, &cookie, &[("csrf", "nope"), ("sak", &item)]).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let html = "<script>alert(1)</script>";
    let refused = post(
        &s,
        path,
        &cookie,
        &[("csrf", &csrf), ("sak", &item), ("melding", html)],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let body = body_text(refused);
    assert!(
        body.contains("&lt;script&gt;") && !body.contains(html),
        "kept, escaped"
    );
    assert_eq!(cases_of(&store), 0, "nothing stored");

    let form = [
        ("csrf", csrf.as_str()),
        ("sak", &item),
        ("melding", "Jeg sov."),
    ];
    let sent = post(&s, path, &cookie, &form).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let to = location(&sent).to_owned();
    assert!(to.starts_with("/min-side/saker?ny="), "{to}");
    let cases = body_text(get(&s, &to, Some(cookie.clone())).await);
    assert!(cases.contains("Saken er sendt. Saksnummer:"));
    assert!(cases.contains("Sendt – venter på svar") && cases.contains("Jeg sov."));
    let again = post(&s, path, &cookie, &form).await;
    assert!(location(&again).starts_with("/min-side/saker?finnes="));
    assert_eq!(cases_of(&store), 1);

    let other = logged_in(&s, innsyn_domain::identity::CITIZEN_B).await.0;
    let theirs = get(&s, &format!("/min-side/meld-fra?sak={item}"), Some(other)).await;
    assert_eq!(
        theirs.status(),
        StatusCode::NOT_FOUND,
        "only one's own items"
    );
    let en = body_text(get(&s, "/min-side/saker?lang=en", Some(cookie)).await);
    assert!(en.contains("Your cases") && en.contains("Sent – awaiting an answer"));
}

#[actix_web::test]
async fn this_was_me_clears_the_marks_of_that_login() {
    let store = seeded_store();
    let item = night_login(&store);
    let s = state_with(WebSettings::default(), store);
    let (cookie, csrf) = logged_in(&s, CITIZEN).await;
    let before = body_text(get(&s, "/min-side", Some(cookie.clone())).await);
    assert!(before.contains("class=\"flagged\""));
    let done = post(
        &s,
        "/min-side/dette-var-meg?lang=nb",
        &cookie,
        &[("csrf", &csrf), ("sak", &item)],
    )
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let after = body_text(get(&s, "/min-side", Some(cookie)).await);
    assert!(!after.contains("class=\"flagged\""), "no mark left");
    assert!(after.contains("Du har sagt at dette var deg."));
}

#[actix_web::test]
async fn a_look_up_nobody_answers_for_cannot_be_reported() {
    let s = state();
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    let item = ItemRef::Access(uuid::Uuid::from_u128(2)).to_string();
    let body = body_text(get(&s, &format!("/min-side/meld-fra?sak={item}"), Some(cookie)).await);
    assert!(body.contains("Vi vet ikke hvilken organisasjon"));
    assert!(!body.contains("id=\"meld-fra\""), "no report button");
    assert!(body.contains("id=\"dette-var-meg\""));
}
