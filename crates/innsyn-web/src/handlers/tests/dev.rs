//! The demo-citizen picker of `innsyn dev`: only when enabled, only the
//! configured citizens, only from this site's own form.

use super::*;

/// The dev picker's form token and the cookie that goes with it, as a
/// browser gets them from the picker page.
pub(super) async fn picker_form(s: &WebState) -> (Cookie<'static>, String) {
    let page = get(s, "/min-side/dev-login", None).await;
    let cookie = page
        .response()
        .cookies()
        .find(|c| c.name() == DEV_CSRF_COOKIE)
        .expect("the picker sets its form cookie")
        .into_owned();
    let body = body_text(page);
    let token = body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the picker form carries its token")
        .to_owned();
    (cookie, token)
}

/// Posts the picker's form, as from `origin` when given.
pub(super) async fn dev_post(
    s: &WebState,
    form: &[(&str, &str)],
    cookie: Option<Cookie<'static>>,
    origin: Option<&str>,
) -> ServiceResponse {
    let app = test::init_service(App::new().configure(|c| crate::configure(c, s.clone()))).await;
    let mut req = test::TestRequest::post()
        .uri("/min-side/dev-login")
        .insert_header((header::HOST, "localhost:8080"))
        .set_form(form);
    if let Some(c) = cookie {
        req = req.cookie(c);
    }
    if let Some(o) = origin {
        req = req.insert_header((header::ORIGIN, o));
    }
    test::call_service(&app, req.to_request()).await
}

#[actix_web::test]
async fn the_dev_picker_exists_only_when_enabled() {
    let s = state();
    assert_eq!(
        get(&s, "/min-side/dev-login", None).await.status(),
        StatusCode::NOT_FOUND
    );

    let s = state_with(
        WebSettings {
            dev_picker: true,
            dev_subjects: vec![CITIZEN.into(), "01010112345 Kari Nordmann (demo)".into()],
            ..WebSettings::default()
        },
        seeded_store(),
    );
    let body = body_text(get(&s, "/min-side/dev-login", None).await);
    assert!(body.contains(CITIZEN) && body.contains("Kari Nordmann (demo) · 01010112345"));
    assert!(body.contains("value=\"01010112345\""));
    let (cookie, token) = picker_form(&s).await;
    let other = dev_post(
        &s,
        &[("subject", "55555555555"), ("csrf", &token)],
        Some(cookie.clone()),
        None,
    )
    .await;
    assert!(
        other.headers().get(header::SET_COOKIE).is_none(),
        "unlisted subject"
    );
    let resp = dev_post(
        &s,
        &[("subject", CITIZEN), ("csrf", &token)],
        Some(cookie),
        None,
    )
    .await;
    assert_eq!(location(&resp), "/min-side?lang=nb");
    let sid = resp
        .response()
        .cookies()
        .find(|c| c.name() == SESSION_COOKIE)
        .unwrap()
        .into_owned();
    assert_eq!(sid.http_only(), Some(true));
    assert_eq!(sid.same_site(), Some(SameSite::Lax));
    assert_eq!(sid.path(), Some("/min-side"));
    assert_ne!(sid.secure(), Some(true), "plain HTTP in development");
    let body = body_text(get(&s, "/min-side", Some(sid)).await);
    assert!(body.contains("Skatteetaten"));
}

#[actix_web::test]
async fn cookies_are_secure_behind_https() {
    let s = state_with(
        WebSettings {
            dev_picker: true,
            dev_subjects: vec![CITIZEN.into()],
            public_base_url: "https://innsyn.example.no/".into(),
            ..WebSettings::default()
        },
        seeded_store(),
    );
    let (cookie, token) = picker_form(&s).await;
    let resp = dev_post(
        &s,
        &[("subject", CITIZEN), ("csrf", &token)],
        Some(cookie),
        None,
    )
    .await;
    let sid = resp
        .response()
        .cookies()
        .find(|c| c.name() == SESSION_COOKIE)
        .unwrap();
    assert_eq!(sid.secure(), Some(true));
}

#[actix_web::test]
async fn a_demo_login_needs_the_pickers_token_and_this_sites_origin() {
    let s = state_with(
        WebSettings {
            dev_picker: true,
            dev_subjects: vec![CITIZEN.into()],
            ..WebSettings::default()
        },
        seeded_store(),
    );
    let (cookie, token) = picker_form(&s).await;
    let logged_in = |resp: &ServiceResponse| {
        resp.response()
            .cookies()
            .any(|c| c.name() == SESSION_COOKIE)
    };
    // A hostile page can post the form, but has neither token nor cookie.
    let bare = dev_post(&s, &[("subject", CITIZEN)], None, None).await;
    assert_eq!(bare.status(), StatusCode::SEE_OTHER);
    assert!(!logged_in(&bare));
    let guessed = dev_post(
        &s,
        &[("subject", CITIZEN), ("csrf", "guess")],
        Some(cookie.clone()),
        None,
    )
    .await;
    assert!(!logged_in(&guessed));
    // Every POST from another origin is refused before the handler.
    let foreign = dev_post(
        &s,
        &[("subject", CITIZEN), ("csrf", &token)],
        Some(cookie.clone()),
        Some("https://evil.example"),
    )
    .await;
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    assert!(!logged_in(&foreign));
    // `null` says nothing about the sender: the form token decides.
    let null_without_token = dev_post(&s, &[("subject", CITIZEN)], None, Some("null")).await;
    assert_eq!(null_without_token.status(), StatusCode::SEE_OTHER);
    assert!(!logged_in(&null_without_token));
    let ours = dev_post(
        &s,
        &[("subject", CITIZEN), ("csrf", &token)],
        Some(cookie),
        Some("http://localhost:8080"),
    )
    .await;
    assert!(logged_in(&ours));
}
