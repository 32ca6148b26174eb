//! The citizen's page in a real browser: Debian's Chromium driven over
//! WebDriver (chromedriver), logging in through the real OpenID provider
//! (oidc-provider on Node, `crates/innsyn-auth-oidc/tests/provider`).
//!
//! Needs the Debian packages `chromium` and `chromium-driver`, and Node with
//! npm. A missing browser fails the test: it is never skipped silently.
//! Screenshots go to `target/browser-screenshots/`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use innsyn_test_support::browser::{Browser, screenshots_dir};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use innsyn_app::{Ports, Service, Settings};
use innsyn_auth_oidc::test_support::Provider;
use innsyn_auth_oidc::{RelyingParty, RelyingPartySettings, Secret};
use innsyn_domain::LoginEvent;
use innsyn_ports::HistoryStore;
use innsyn_store_memory::MemoryStore;
use innsyn_web::{WebSettings, WebState};

mod common;

use common::{CITIZEN, lanekassen_lookup, listen, login, serve};

fn seeded_store() -> Arc<MemoryStore> {
    let store = MemoryStore::new();
    let days = |d| time::Duration::days(d);
    let mut events: Vec<LoginEvent> = (1..=8)
        .map(|d| {
            login(
                days(d * 3),
                ("ske", "Skatteetaten", "991825827"),
                "BankID",
                "app",
            )
        })
        .collect();
    events.push(login(
        time::Duration::hours(5),
        ("nav", "Arbeids- og velferdsetaten", "991825827"),
        "MinID",
        "PIN",
    ));
    store.append_login_events(&events).unwrap();
    store
        .append_access_records(&[lanekassen_lookup(
            "3f2b8c1e-0c1d-4b7a-9a53-2b1b7f1f0a01",
            None,
            "Permit",
        )])
        .unwrap();
    Arc::new(store)
}

async fn wait_for_download(dir: &Path) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(done) = fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "csv"))
        {
            return done;
        }
        assert!(Instant::now() < deadline, "the CSV was not downloaded");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[actix_web::test]
async fn a_citizen_logs_in_sees_filters_downloads_and_logs_out() {
    let logs = screenshots_dir();
    let temp = tempfile::tempdir().unwrap();
    let downloads = temp.path().join("downloads");
    fs::create_dir_all(&downloads).unwrap();

    let (listener, base) = listen();
    let provider = Provider::builder()
        .env("EXTRA_REDIRECT_URIS", &format!("{base}/min-side/callback"))
        .log_file(&logs.join("provider.log"))
        .start();

    let settings = WebSettings {
        public_base_url: base.clone(),
        ..WebSettings::default()
    };
    let login = RelyingParty::new(&RelyingPartySettings {
        issuer_url: provider.issuer.clone(),
        client_id: "svc-a".into(),
        client_secret: Secret::new("svc-a-secret"),
        redirect_uri: WebState::redirect_uri(&settings),
        subject_claim: settings.subject_claim.clone(),
        scopes: settings.scopes.clone(),
        post_logout_redirect_uri: None,
    })
    .unwrap();
    let service = Service::new(
        Ports {
            citizen_login: Some(Arc::new(login)),
            ..Ports::over(seeded_store())
        },
        Settings::default(),
    );
    let state = WebState::new(settings, service).unwrap();
    let server_handle = serve(state, listener);

    let b = Browser::start(&logs, &temp.path().join("profile"), Some(&downloads)).await;
    let c = &b.client;

    // Not logged in: the page sends the visitor to the login page.
    c.goto(&format!("{base}/min-side")).await.unwrap();
    b.wait_for_url("the login page", |u| u.contains("/min-side/logg-inn"))
        .await;
    b.screenshot("01-login.png").await;
    c.find(Locator::Id("login"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // The provider's dev login page: any password; then its consent page.
    let field = c
        .wait()
        .for_element(Locator::Css("input[name=login]"))
        .await
        .unwrap();
    field.send_keys(CITIZEN).await.unwrap();
    c.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys("any password")
        .await
        .unwrap();
    c.find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let consent = c
        .wait()
        .for_element(Locator::Css("input[name=prompt][value=consent] ~ button"))
        .await
        .unwrap();
    consent.click().await.unwrap();

    // Back on the page, with the seeded history.
    b.wait_for_url("the history page", |u| {
        u.starts_with(&format!("{base}/min-side?"))
    })
    .await;
    c.wait()
        .for_element(Locator::Css("table.logins"))
        .await
        .unwrap();
    let text = b.body_text().await;
    assert!(text.contains("Min innloggingshistorikk"), "{text}");
    assert!(text.contains("Skatteetaten"), "{text}");
    assert!(text.contains("Arbeids- og velferdsetaten"), "{text}");
    assert!(text.contains("Første gang du logget inn på denne tjenesten."));
    assert!(text.contains("Lånekassen"));
    b.screenshot("02-history.png").await;

    // Filter by service with the form (GET, no JavaScript).
    c.find(Locator::Css("select#tjeneste option[value=nav]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("section.filters button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for_url("the filtered page", |u| u.contains("tjeneste=nav"))
        .await;
    let rows = c
        .find_all(Locator::Css("table.logins tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "only the NAV login remains");
    let text = b.body_text().await;
    assert!(text.contains("Arbeids- og velferdsetaten"));
    assert!(text.contains("Ingen har hentet opplysninger om deg"));
    b.screenshot("03-filtered.png").await;

    // Download the login history as CSV.
    c.find(Locator::Css("a[href*='innlogginger.csv']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let file = wait_for_download(&downloads).await;
    assert!(
        file.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("innsyn-innlogginger-")
    );
    let csv = fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    // In the page's language, with the separator Norwegian spreadsheets expect.
    assert_eq!(
        lines[0],
        "Tidspunkt;Tjeneste;Klient-ID;Organisasjonsnummer;eID;Metode;Merknad"
    );
    assert_eq!(lines.len(), 1 + 9, "{csv}");
    assert!(lines[1].contains(";Arbeids- og velferdsetaten;nav;991825827;MinID;PIN;"));
    assert!(lines[1].contains("Første gang du logget inn på denne tjenesten."));
    assert!(
        lines
            .iter()
            .skip(2)
            .all(|l| l.contains(";Skatteetaten;ske;"))
    );

    // Log out: the session ends here, then the provider's end-session page.
    c.find(Locator::Css("form.logout button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let provider_logout = c
        .wait()
        .for_element(Locator::Css("button[name=logout][value=yes]"))
        .await
        .unwrap();
    provider_logout.click().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;

    // The page is gone for this browser.
    c.goto(&format!("{base}/min-side")).await.unwrap();
    b.wait_for_url("the login page again", |u| u.contains("/min-side/logg-inn"))
        .await;
    assert!(c.find(Locator::Id("login")).await.is_ok());
    assert!(!b.body_text().await.contains("Skatteetaten"));
    c.goto(&format!("{base}/min-side/eksport/innlogginger.csv"))
        .await
        .unwrap();
    b.wait_for_url("the login page for the export", |u| {
        u.contains("/min-side/logg-inn")
    })
    .await;
    b.screenshot("04-logged-out.png").await;

    b.client.clone().close().await.unwrap();
    server_handle.stop(true).await;
}
