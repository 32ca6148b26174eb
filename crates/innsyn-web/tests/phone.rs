//! The citizen's page in a real browser at a desktop width and on phones:
//! at 390 and 320 CSS px nothing is wider than the screen (WCAG 1.4.10) and
//! a mark's text is in view; axe-core finds nothing serious or critical at
//! either width; an ended session says so and the login leads back to the
//! view. Screenshots at 1280 and 390 px go to `target/browser-screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver`, and axe-core installed
//! by `npm ci` in `tests/axe` (scripts/test does both). Missing ones fail
//! the test: it is never skipped silently.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::Path;
use std::sync::Arc;

use fantoccini::Locator;
use innsyn_app::{Ports, Service, Settings};
use innsyn_domain::LoginEvent;
use innsyn_ports::HistoryStore;
use innsyn_store_memory::MemoryStore;
use innsyn_test_support::browser::{Browser, screenshots_dir};
use innsyn_web::{WebSettings, WebState};
use serde_json::Value;

mod common;

use common::{CITIZEN, lanekassen_lookup, listen, login, serve};

/// axe-core's browser bundle, from `npm ci` in `tests/axe`.
fn axe_script() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/axe/node_modules/axe-core/axe.min.js");
    fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}): run `npm ci` in crates/innsyn-web/tests/axe (scripts/test does)",
            path.display()
        )
    })
}

/// Habitual logins to one service, one to a new service with a new eID
/// (marked), and a look-up with a long resource URN.
fn seeded_store() -> Arc<MemoryStore> {
    let store = MemoryStore::new();
    let ago = |days: i64| time::Duration::days(days) + time::Duration::hours(2);
    let mut events: Vec<LoginEvent> = (2..=9)
        .map(|d| {
            login(
                ago(d * 3),
                ("ske", "Skatteetaten", "889640782"),
                "BankID",
                "BankID",
            )
        })
        .collect();
    events.push(login(
        ago(1),
        (
            "nav-arbeidsforhold-og-inntektsopplysninger",
            "Arbeids- og velferdsetaten med et svært langt tjenestenavn",
            "889640782",
        ),
        "MinID",
        "PIN",
    ));
    store.append_login_events(&events).unwrap();
    store
        .append_access_records(&[lanekassen_lookup(
            "3f2b8c1e-0c1d-4b7a-9a53-2b1b7f1f0a02",
            Some("urn:altinn:resource:skattemelding-med-vedlegg-og-tilleggsopplysninger"),
            "Deny",
        )])
        .unwrap();
    Arc::new(store)
}

/// Whether the document is wider than the window, and whether the first
/// mark's text lies inside it.
async fn layout(b: &Browser) -> (bool, bool) {
    let v = b
        .client
        .execute(
            "const overflow = document.documentElement.scrollWidth > window.innerWidth;
             const mark = document.querySelector('ul.flags li');
             const r = mark && mark.getBoundingClientRect();
             return [overflow, !!r && r.width > 0 && r.left >= 0 && r.right <= window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    let at = |i: usize| v.get(i).and_then(Value::as_bool).unwrap();
    (at(0), at(1))
}

/// axe-core's serious and critical findings on the current page, by rule.
async fn serious_findings(b: &Browser, axe: &str) -> Vec<String> {
    b.client.execute(axe, vec![]).await.unwrap();
    let found = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document).then(r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

async fn at_width(b: &Browser, width: u32) {
    b.client.set_window_size(width, 900).await.unwrap();
    b.client.refresh().await.unwrap();
    b.client
        .wait()
        .for_element(Locator::Css("main"))
        .await
        .unwrap();
}

#[actix_web::test]
async fn the_page_fits_a_phone_and_an_ended_session_leads_back() {
    let shots = screenshots_dir();
    let axe = axe_script();
    let temp = tempfile::tempdir().unwrap();
    let (listener, base) = listen();
    let settings = WebSettings {
        public_base_url: base.clone(),
        dev_picker: true,
        dev_subjects: vec![format!("{CITIZEN} Demo")],
        ..WebSettings::default()
    };
    let service = Service::new(Ports::over(seeded_store()), Settings::default());
    let state = WebState::new(settings, service).unwrap();
    let server_handle = serve(state, listener);

    let b = Browser::start(&shots, &temp.path().join("profile"), None).await;
    let c = &b.client;
    c.set_window_size(1280, 900).await.unwrap();
    // Log in with the demo picker.
    c.goto(&format!("{base}/min-side/dev-login")).await.unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for_url("the history page", |u| {
        u.starts_with(&format!("{base}/min-side?"))
    })
    .await;
    c.wait()
        .for_element(Locator::Css("table.logins"))
        .await
        .unwrap();

    for (width, name) in [(1280, "1280"), (390, "390"), (320, "320")] {
        at_width(&b, width).await;
        let (overflow, mark_in_view) = layout(&b).await;
        assert!(!overflow, "wider than the window at {width} px");
        assert!(mark_in_view, "the mark's text is not in view at {width} px");
        let findings = serious_findings(&b, &axe).await;
        assert!(findings.is_empty(), "axe at {width} px: {findings:?}");
        if width != 320 {
            b.screenshot(&format!("phone-{name}-logins.png")).await;
            c.execute(
                "document.getElementById('oppslag').scrollIntoView()",
                vec![],
            )
            .await
            .unwrap();
            b.screenshot(&format!("phone-{name}-lookups.png")).await;
        }
    }
    let text = b.body_text().await;
    assert!(
        text.contains("Første gang du logget inn på denne tjenesten."),
        "{text}"
    );

    // The session ends (its id no longer known): a filtered view at 390 px
    // leads to the login page, which says why, and back to the view.
    c.set_window_size(390, 844).await.unwrap();
    c.delete_cookie("innsyn_sid").await.unwrap();
    c.execute(
        "document.cookie = 'innsyn_sid=an-ended-session; path=/min-side'",
        vec![],
    )
    .await
    .unwrap();
    c.goto(&format!("{base}/min-side?lang=nb&tjeneste=ske"))
        .await
        .unwrap();
    b.wait_for_url("the login page", |u| u.contains("/min-side/logg-inn"))
        .await;
    let expired = c.wait().for_element(Locator::Id("expired")).await.unwrap();
    assert!(
        expired
            .text()
            .await
            .unwrap()
            .contains("Økten din er utløpt"),
        "the login page says the session ended"
    );
    assert!(serious_findings(&b, &axe).await.is_empty());
    b.screenshot("phone-390-expired.png").await;
    c.set_window_size(1280, 900).await.unwrap();
    b.screenshot("phone-1280-expired.png").await;
    c.find(Locator::Css("a[href*='/min-side/dev-login']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let back = b
        .wait_for_url("the view asked for", |u| u.contains("tjeneste=ske"))
        .await;
    assert_eq!(back, format!("{base}/min-side?lang=nb&tjeneste=ske"));
    let rows = c
        .find_all(Locator::Css("table.logins tbody tr"))
        .await
        .unwrap();
    assert_eq!(
        rows.len(),
        8,
        "only Skatteetaten's logins, as the view asked"
    );

    b.client.clone().close().await.unwrap();
    server_handle.stop(true).await;
}
