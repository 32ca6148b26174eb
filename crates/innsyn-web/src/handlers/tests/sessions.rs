//! Sessions kept in the store: idle expiry that each use renews, an
//! absolute cap, a clear message when a session has ended, and the way
//! back to the view the citizen was on.

use time::Duration;

use super::dev::{dev_post, picker_form};
use super::*;

/// A picker-enabled page over a store, at a clock the test moves.
fn state_at(clock: &Arc<FixedClock>, store: Arc<MemoryStore>) -> WebState {
    let service = Service::new(
        Ports {
            clock: Arc::clone(clock) as _,
            ..Ports::over(store)
        },
        Settings::default(),
    );
    WebState::new(
        WebSettings {
            dev_picker: true,
            dev_subjects: vec![CITIZEN.into()],
            session_ttl_secs: 1_800,
            session_max_secs: 7_200,
            ..WebSettings::default()
        },
        service,
    )
    .unwrap()
}

#[actix_web::test]
async fn use_renews_the_idle_end_until_the_cap() {
    let clock = Arc::new(FixedClock::at(NOW));
    let s = state_at(&clock, seeded_store());
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    // A view every 25 minutes keeps it: 25, 50, 75, 100 minutes.
    for minute in [25, 50, 75, 100] {
        clock.set(NOW + Duration::minutes(minute));
        let page = get(&s, "/min-side", Some(cookie.clone())).await;
        assert_eq!(page.status(), StatusCode::OK, "at {minute} min");
    }
    // Two hours after the login the cap ends it, however recently used.
    clock.set(NOW + Duration::minutes(121));
    let page = get(&s, "/min-side?lang=en", Some(cookie)).await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&page),
        "/min-side/logg-inn?lang=en&utlopt=1&tilbake=lang%3Den"
    );
}

#[actix_web::test]
async fn an_idle_session_ends_with_a_message_and_the_login_returns_to_the_view() {
    let clock = Arc::new(FixedClock::at(NOW));
    let s = state_at(&clock, seeded_store());
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    let view = "/min-side?lang=nb&tjeneste=Altinn&innlogginger=1";
    assert_eq!(
        get(&s, view, Some(cookie.clone())).await.status(),
        StatusCode::OK
    );

    clock.set(NOW + Duration::minutes(31));
    let expired = get(&s, view, Some(cookie)).await;
    assert_eq!(expired.status(), StatusCode::SEE_OTHER);
    let to_login = location(&expired).to_owned();
    assert_eq!(
        to_login,
        "/min-side/logg-inn?lang=nb&utlopt=1&tilbake=lang%3Dnb%26tjeneste%3DAltinn%26innlogginger%3D1"
    );
    assert!(
        expired
            .response()
            .cookies()
            .any(|c| c.name() == SESSION_COOKIE && c.value().is_empty()),
        "the ended session's cookie is removed"
    );
    let login = body_text(get(&s, &to_login, None).await);
    assert!(login.contains("Økten din er utløpt"), "{login}");
    assert!(
        login.contains("/min-side/dev-login?lang=nb&amp;tilbake=lang%3Dnb%26tjeneste%3DAltinn%26innlogginger%3D1"),
        "{login}"
    );

    // The picker carries the view through its form, and the login lands on it.
    let (form_cookie, token) = picker_form(&s).await;
    let back = "lang=nb&tjeneste=Altinn&innlogginger=1";
    let done = dev_post(
        &s,
        &[("subject", CITIZEN), ("csrf", &token), ("tilbake", back)],
        Some(form_cookie),
        None,
    )
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&done), view);
}

#[actix_web::test]
async fn a_session_survives_a_new_page_state_over_the_same_store() {
    // A restart, or a second instance: a new WebState over the same store.
    let clock = Arc::new(FixedClock::at(NOW));
    let store = seeded_store();
    let first = state_at(&clock, Arc::clone(&store));
    let (cookie, _) = logged_in(&first, CITIZEN).await;
    let second = state_at(&clock, store);
    assert_eq!(
        get(&second, "/min-side", Some(cookie)).await.status(),
        StatusCode::OK
    );
    // Over another store the same cookie is nobody's.
    let elsewhere = state_at(&clock, seeded_store());
    let (other, _) = logged_in(&first, CITIZEN).await;
    let page = get(&elsewhere, "/min-side", Some(other)).await;
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
}
