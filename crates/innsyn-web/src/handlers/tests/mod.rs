//! The page's handlers against the in-memory store.

use innsyn_test_support::FixedClock;
use std::sync::Arc;

use actix_web::body::MessageBody as _;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{App, test};
use innsyn_app::{Ports, Service, Settings};
use innsyn_domain::{AccessRecord, AccessRecordInput, ActivityRecord, LoginEvent, SubjectId};
use innsyn_ports::{CitizenLogin, HistoryStore, LoginError, MockCitizenLogin};
use innsyn_store_memory::MemoryStore;
use time::OffsetDateTime;
use time::macros::datetime;

use super::*;
use crate::session::{Session, random_token};
use crate::{WebSettings, WebState};

const CITIZEN: &str = innsyn_domain::identity::CITIZEN_A;
const NOW: OffsetDateTime = datetime!(2024-05-15 12:00 UTC);

fn login(at: OffsetDateTime, client: &str, name: &str, eid: &str, method: &str) -> LoginEvent {
    LoginEvent::from_activity(ActivityRecord {
        event_name: "Innlogget".into(),
        event_created: (at.unix_timestamp_nanos() / 1_000_000) as i64,
        event_subject_pid: Some(CITIZEN.into()),
        service_provider_id: Some(client.into()),
        service_provider_orgno: Some("991825827".into()),
        service_owner_name: Some(name.into()),
        auth_eid: Some(eid.into()),
        auth_method: Some(method.into()),
        ..Default::default()
    })
    .unwrap()
}

fn access(n: u128, at: &str, app: &str, client: &str, decision: &str) -> AccessRecord {
    AccessRecord::from_input(AccessRecordInput {
        id: uuid::Uuid::from_u128(n).to_string(),
        timestamp: at.into(),
        user_id: CITIZEN.into(),
        application: app.into(),
        client_id: client.into(),
        resource: "folkeregister".into(),
        resource_urn: Some("urn:altinn:resource:folkeregister".into()),
        action: "read".into(),
        purpose: "saksbehandling".into(),
        decision: decision.into(),
        orgno: None,
    })
    .unwrap()
}

/// Ten morning logins to Skatteetaten with BankID, then a night login
/// to NAV with MinID (three flags), and two access records.
fn seeded_store() -> Arc<MemoryStore> {
    let store = MemoryStore::new();
    let mut events: Vec<LoginEvent> = (0..10)
        .map(|d| {
            login(
                datetime!(2024-05-01 07:15 UTC) + time::Duration::days(d),
                "ske",
                "Skatteetaten",
                "BankID",
                "app",
            )
        })
        .collect();
    events.push(login(
        datetime!(2024-05-14 01:05 UTC),
        "nav",
        "Arbeids- og velferdsetaten",
        "MinID",
        "PIN",
    ));
    events.push(login(
        datetime!(2023-01-10 10:00 UTC),
        "old",
        "Gammel tjeneste",
        "BankID",
        "app",
    ));
    store.append_login_events(&events).unwrap();
    store
        .append_access_records(&[
            access(1, "2024-05-10T10:00:00+02:00", "NAV", "nav", "Permit"),
            access(2, "2024-05-12T10:00:00+02:00", "Ukjent app", "evil", "Deny"),
        ])
        .unwrap();
    Arc::new(store)
}

fn state_with(settings: WebSettings, store: Arc<MemoryStore>) -> WebState {
    state_with_login(settings, store, None)
}

fn state_with_login(
    settings: WebSettings,
    store: Arc<MemoryStore>,
    login: Option<Arc<dyn CitizenLogin>>,
) -> WebState {
    let service = Service::new(
        Ports {
            clock: Arc::new(FixedClock::at(NOW)),
            citizen_login: login,
            ..Ports::over(store)
        },
        Settings::default(),
    );
    WebState::new(settings, service).unwrap()
}

fn state() -> WebState {
    state_with(WebSettings::default(), seeded_store())
}

async fn logged_in(state: &WebState, subject: &str) -> (Cookie<'static>, String) {
    let csrf = random_token();
    let session = Session {
        subject: SubjectId::parse(subject).unwrap(),
        csrf: csrf.clone(),
        id_token: None,
    };
    let i = state.inner();
    let id = i.secrets.start_session(&i.service, &session).await.unwrap();
    (Cookie::new(SESSION_COOKIE, id), csrf)
}

async fn get(state: &WebState, path: &str, cookie: Option<Cookie<'static>>) -> ServiceResponse {
    let app =
        test::init_service(App::new().configure(|cfg| crate::configure(cfg, state.clone()))).await;
    let mut req = test::TestRequest::get().uri(path);
    if let Some(c) = cookie {
        req = req.cookie(c);
    }
    test::call_service(&app, req.to_request()).await
}

fn body_text(resp: ServiceResponse) -> String {
    let bytes = resp.into_body().try_into_bytes().unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn location(resp: &ServiceResponse) -> &str {
    resp.headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[actix_web::test]
async fn unauthenticated_visitors_are_sent_to_login() {
    let s = state();
    for path in [
        "/min-side",
        "/min-side/",
        "/min-side/eksport/innlogginger.csv",
        "/min-side/eksport/historikk.json",
    ] {
        let resp = get(&s, path, None).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&resp).starts_with("/min-side/logg-inn"), "{path}");
    }
    let forged = Cookie::new(SESSION_COOKIE, "forged");
    let resp = get(&s, "/min-side", Some(forged)).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let resp = get(&s, "/min-side/logg-inn", None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let body = body_text(resp);
    assert!(body.contains("Logg inn for å se historikken din"));
    assert!(body.contains("ikke satt opp"), "no provider configured");
}

#[actix_web::test]
async fn the_page_shows_seeded_events_with_hints_and_headers() {
    let s = state();
    let (cookie, csrf) = logged_in(&s, CITIZEN).await;
    let resp = get(&s, "/min-side", Some(cookie)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let csp = resp
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'none'") && !csp.contains("unsafe-inline"));
    assert_eq!(
        resp.headers().get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );
    let body = body_text(resp);
    assert!(body.contains("<html lang=\"nb\">"));
    assert!(body.contains("Skatteetaten"));
    assert!(body.contains("Arbeids- og velferdsetaten"));
    assert!(body.contains("BankID med app") && body.contains("MinID med PIN-kode"));
    // 03:05 Oslo time (01:05 UTC in May).
    assert!(body.contains("14.05.2024 kl. 03:05"), "local time");
    // Each mark says what is usual.
    assert!(body.contains(
        "Første gang du logget inn på denne tjenesten. Før det hadde du brukt 2 andre tjenester."
    ));
    assert!(body.contains("Første gang du brukte MinID. Du bruker vanligvis BankID."));
    assert!(body.contains("Innlogging om natten. Du logger vanligvis inn mellom kl. 09 og 10."));
    // The count matches the rows: one marked of the eleven in 12 months.
    assert!(
        body.contains("1 av 11 innlogginger de siste 12 månedene er merket"),
        "{body}"
    );
    // Access records: who, what, decision explained; codes the catalog
    // does not name stay as they are, the URN is not shown.
    assert!(body.contains("Ukjent app: read folkeregister — formål: saksbehandling"));
    assert!(body.contains("Avslått — ingen opplysninger ble utlevert"));
    assert!(!body.contains("urn:altinn:resource:folkeregister"));
    assert!(body.contains("Utfall (gjelder oppslag)"));
    // Outside the default period (12 months).
    assert!(!body.contains("Gammel tjeneste</td>"));
    assert!(body.contains(&csrf), "logout form carries its token");
    assert!(!body.contains("<script"), "no script at all");
    assert!(!body.contains("style="), "no inline style");
    assert!(
        !body.contains(CITIZEN),
        "the page need not print the identity number"
    );
}

#[actix_web::test]
async fn filters_narrow_both_tables() {
    let s = state();
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    let body = body_text(get(&s, "/min-side?tjeneste=nav", Some(cookie.clone())).await);
    assert!(body.contains("Arbeids- og velferdsetaten</td>"));
    assert!(!body.contains("Skatteetaten</td>"));
    // The look-up's organisation comes from its client's, learnt from the
    // logins.
    assert!(body.contains("991825827: read folkeregister") && !body.contains("Ukjent app: read"));
    assert!(body.contains("via NAV<"));
    assert!(
        !body.contains("via Ukjent app"),
        "no organisation: the sentence names the app"
    );

    let body = body_text(get(&s, "/min-side?utfall=Deny", Some(cookie.clone())).await);
    assert!(body.contains("Ukjent app: read") && !body.contains("via NAV<"));
    assert!(!body.contains("via Ukjent app"));
    assert!(body.contains("value=\"Deny\" selected"));

    let body = body_text(get(&s, "/min-side?periode=alle", Some(cookie.clone())).await);
    assert!(body.contains("Gammel tjeneste</td>"));

    let body = body_text(get(&s, "/min-side?periode=7d", Some(cookie)).await);
    // 7 days before 15 May 12:00 is 8 May 12:00: the logins of 9, 10
    // and 14 May remain, and both look-ups.
    assert_eq!(body.matches("<time ").count(), 3 + 2, "{body}");
}

#[actix_web::test]
async fn paging_moves_through_the_logins() {
    let store = MemoryStore::new();
    let events: Vec<LoginEvent> = (0..25)
        .map(|m| {
            login(
                datetime!(2024-05-01 08:00 UTC) + time::Duration::minutes(m),
                "ske",
                "Skatteetaten",
                "BankID",
                "app",
            )
        })
        .collect();
    store.append_login_events(&events).unwrap();
    let s = state_with(WebSettings::default(), Arc::new(store));
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    let first = body_text(get(&s, "/min-side", Some(cookie.clone())).await);
    assert_eq!(first.matches("<time ").count(), 20);
    assert!(first.contains("rel=\"next\" href=\"/min-side?side=2&amp;lang=nb#innlogginger\""));
    let second = body_text(get(&s, "/min-side?side=2", Some(cookie)).await);
    assert_eq!(second.matches("<time ").count(), 5);
    assert!(second.contains("rel=\"prev\""));
    assert!(!second.contains("rel=\"next\""));
}

#[actix_web::test]
async fn an_empty_history_says_so() {
    let s = state();
    let (cookie, _) = logged_in(&s, "99999999999").await;
    let body = body_text(get(&s, "/min-side", Some(cookie)).await);
    assert!(
        body.contains("Ingen innlogginger de siste 12 månedene."),
        "{body}"
    );
    assert!(body.contains("Ingen har hentet opplysninger om deg de siste 12 månedene."));
    assert!(!body.contains("er merket"), "no count above an empty table");
}

#[actix_web::test]
async fn the_language_switch_keeps_filters_and_pages() {
    let s = state();
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    let body = body_text(
        get(
            &s,
            "/min-side?periode=alle&tjeneste=Skatteetaten&side=2&oppslagside=3",
            Some(cookie),
        )
        .await,
    );
    let switch = body
        .split("class=\"lang\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a language switch");
    for part in [
        "periode=alle",
        "tjeneste=Skatteetaten",
        "side=2",
        "oppslagside=3",
        "lang=en",
    ] {
        assert!(switch.contains(part), "{part} missing from {switch}");
    }
}

#[actix_web::test]
async fn english_on_request_and_remembered() {
    let s = state();
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    let resp = get(&s, "/min-side?lang=en", Some(cookie.clone())).await;
    let set = resp
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set.starts_with("innsyn_lang=en"));
    let body = body_text(resp);
    assert!(body.contains("<html lang=\"en\">") && body.contains("My login history"));
    assert!(body.contains("The first time you logged in to this service."));
    assert!(body.contains("14 May 2024, 03:05"));
    let app = test::init_service(App::new().configure(|c| crate::configure(c, s.clone()))).await;
    let req = test::TestRequest::get()
        .uri("/min-side")
        .cookie(cookie)
        .cookie(Cookie::new(LANG_COOKIE, "en"))
        .to_request();
    let body = body_text(test::call_service(&app, req).await);
    assert!(body.contains("My login history"));
}

#[actix_web::test]
async fn exports_are_attachments_in_both_formats() {
    let s = state();
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    let resp = get(
        &s,
        "/min-side/eksport/innlogginger.csv",
        Some(cookie.clone()),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers().get(header::CONTENT_TYPE).unwrap(),
        "text/csv; charset=utf-8"
    );
    let disposition = resp.headers().get(header::CONTENT_DISPOSITION).unwrap();
    assert_eq!(
        disposition,
        "attachment; filename=\"innsyn-innlogginger-2024-05-15.csv\""
    );
    let csv = body_text(resp);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "Tidspunkt;Tjeneste;Klient-ID;Organisasjonsnummer;eID;Metode;Merknad"
    );
    assert_eq!(lines.len(), 1 + 12, "all time, every login");
    assert!(lines[1].starts_with("2024-05-14T03:05:00+02:00;Arbeids- og velferdsetaten;nav;"));
    assert!(
        lines[1].ends_with("Innlogging om natten. Du logger vanligvis inn mellom kl. 09 og 10.")
    );

    let csv = body_text(get(&s, "/min-side/eksport/oppslag.csv", Some(cookie.clone())).await);
    assert!(csv.contains(
        "Ukjent app;evil;folkeregister;urn:altinn:resource:folkeregister;read;saksbehandling;Avslått"
    ));
    let en = body_text(
        get(
            &s,
            "/min-side/eksport/oppslag.csv?lang=en",
            Some(cookie.clone()),
        )
        .await,
    );
    assert!(en.contains(
        "Ukjent app,evil,folkeregister,urn:altinn:resource:folkeregister,read,saksbehandling,Denied"
    ));

    let resp = get(&s, "/min-side/eksport/historikk.json", Some(cookie)).await;
    assert_eq!(
        resp.headers().get(header::CONTENT_TYPE).unwrap(),
        "application/json"
    );
    let v: serde_json::Value = serde_json::from_str(&body_text(resp)).unwrap();
    assert_eq!(v["loginEvents"].as_array().unwrap().len(), 12);
    assert_eq!(v["accessHistory"].as_array().unwrap().len(), 2);
    assert_eq!(v["accessHistory"][0]["decision"], "Deny");
}

#[actix_web::test]
async fn logout_needs_the_form_token_and_ends_the_session() {
    let s = state();
    let (cookie, csrf) = logged_in(&s, CITIZEN).await;
    let app = test::init_service(App::new().configure(|c| crate::configure(c, s.clone()))).await;
    let wrong = test::TestRequest::post()
        .uri("/min-side/logg-ut")
        .cookie(cookie.clone())
        .set_form([("csrf", "nope")])
        .to_request();
    let resp = test::call_service(&app, wrong).await;
    assert_eq!(location(&resp), "/min-side");
    assert!(session_alive(&s, &cookie).await);
    let right = test::TestRequest::post()
        .uri("/min-side/logg-ut")
        .cookie(cookie.clone())
        .set_form([("csrf", csrf.as_str())])
        .to_request();
    let resp = test::call_service(&app, right).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resp), "/min-side/logg-inn?lang=nb&utlogget=1");
    assert!(!session_alive(&s, &cookie).await);
    let resp = get(&s, "/min-side", Some(cookie)).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
}

async fn session_alive(s: &WebState, cookie: &Cookie<'_>) -> bool {
    let i = s.inner();
    i.secrets
        .session(&i.service, cookie.value())
        .await
        .unwrap()
        .is_some()
}

#[actix_web::test]
async fn the_stylesheet_is_served_and_unknown_paths_are_404() {
    let s = state();
    let resp = get(&s, "/min-side/static/style.css", None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers().get(header::CONTENT_TYPE).unwrap(),
        "text/css; charset=utf-8"
    );
    assert!(body_text(resp).contains("--accent"));
    assert_eq!(
        get(&s, "/min-side/nope", None).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn a_callback_without_a_pending_login_fails_cleanly() {
    // A provider that cannot be reached.
    let mut login = MockCitizenLogin::new();
    login
        .expect_issuer_origin()
        .return_const("http://127.0.0.1:9".to_owned());
    login
        .expect_begin()
        .returning(|_| Err(LoginError::Unavailable("connection refused".into())));
    login.expect_finish().never();
    let s = state_with_login(
        WebSettings::default(),
        seeded_store(),
        Some(Arc::new(login)),
    );
    let resp = get(&s, "/min-side/callback?code=abc&state=xyz", None).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resp), "/min-side/logg-inn?lang=nb&feil=1");
    let csp = resp.headers().get(header::CONTENT_SECURITY_POLICY).unwrap();
    assert!(
        csp.to_str()
            .unwrap()
            .contains("form-action 'self' http://127.0.0.1:9")
    );
    // The provider is unreachable: starting a login says so, without detail.
    let resp = get(&s, "/min-side/logg-inn/start", None).await;
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[::core::prelude::v1::test]
fn settings_debug_hides_the_secret() {
    let s = WebSettings {
        client_secret: innsyn_domain::Secret::new("svc-a-secret"),
        ..WebSettings::default()
    };
    assert!(!format!("{s:?}").contains("svc-a-secret"));
}

mod dev;
mod disputes;
mod plain;
mod reads;
mod sessions;
