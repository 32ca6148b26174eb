//! "Det var ikke meg" end to end in `innsyn dev`, in a real browser: a
//! demo citizen reports a marked login on the page, the responsible
//! organisation answers it through the API with a token from the dev
//! issuer, and the citizen sees the answer on the page.
//!
//! Needs Debian's `chromium` and `chromium-driver`; a missing browser
//! fails the test. Screenshots go to `target/browser-screenshots/`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use fantoccini::Locator;
use innsyn_test_support::browser::{Browser, screenshots_dir};
use serde_json::json;

use common::{dev, get, post_json};

async fn click(c: &fantoccini::Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_disputes_a_marked_login_and_reads_the_organisations_answer() {
    let dir = tempfile::tempdir().unwrap();
    let server = dev::start(dir.path());
    let base = format!("http://127.0.0.1:{}", server.port);
    let b = Browser::start(&screenshots_dir(), &dir.path().join("profile"), None).await;
    let c = &b.client;

    // The first demo citizen, through the dev picker.
    c.goto(&format!("{base}/min-side/dev-login")).await.unwrap();
    click(c, "button[type=submit]").await;
    b.wait_for_url("the history page", |u| {
        u.contains("/min-side?lang=") || u.ends_with("/min-side")
    })
    .await;

    // The demo catalog's words: organisations by name and number, codes
    // as sentences; the marks say what is usual.
    let page = b.body_text().await;
    assert!(
        page.contains("(889640782)") && page.contains("— formål:"),
        "{page}"
    );
    assert!(page.contains("Du bruker vanligvis BankID."), "{page}");
    b.screenshot("dispute-00-history.png").await;

    // A marked login: "Kjenner du ikke igjen denne?", the steps, the report.
    click(c, "tr.flagged a.report").await;
    b.wait_for_url("the report page", |u| {
        u.contains("/min-side/meld-fra?sak=login.")
    })
    .await;
    let page = b.body_text().await;
    assert!(page.contains("Dette bør du gjøre"), "{page}");
    let message = "Jeg var ikke pålogget da. Sperr tilgangen.";
    c.find(Locator::Id("melding"))
        .await
        .unwrap()
        .send_keys(message)
        .await
        .unwrap();
    b.screenshot("dispute-01-report.png").await;
    click(c, "#meld-fra").await;
    let url = b
        .wait_for_url("the cases page", |u| u.contains("/min-side/saker?ny="))
        .await;
    let id = url
        .split("ny=")
        .nth(1)
        .and_then(|rest| rest.split(['&', '#']).next())
        .unwrap()
        .to_owned();
    let page = b.body_text().await;
    assert!(page.contains("Saksnummer") && page.contains(&id), "{page}");
    assert!(
        page.contains(message) && page.contains("venter på svar"),
        "{page}"
    );

    // The organisation finds the case in its own list and answers it.
    let citizen = innsyn_server::demo::CITIZENS[0].0;
    let mine = dev::token(dir.path(), &["--sub", citizen, "--scope", "history:read"]);
    let case = get(server.port, &format!("/v1/me/disputes/{id}"), Some(&mine));
    assert_eq!(case.status, 200, "{}", case.text());
    let case: serde_json::Value = serde_json::from_str(&case.text()).unwrap();
    let org = case["organisation"].as_str().unwrap();
    let theirs = dev::token(
        dir.path(),
        &[
            "--scope",
            "history:disputes",
            "--client-id",
            "demo-org",
            "--orgno",
            org,
        ],
    );
    let listed = get(server.port, "/v1/disputes?status=open", Some(&theirs));
    assert_eq!(listed.status, 200, "{}", listed.text());
    assert!(listed.text().contains(&id) && !listed.text().contains(citizen));
    let answer = "Innloggingen kom fra en ukjent enhet. Vi har sperret den.";
    let res = post_json(
        server.port,
        &format!("/v1/disputes/{id}/answer"),
        &theirs,
        &json!({"status": "answered", "message": answer}),
    );
    assert_eq!(res.status, 200, "{}", res.text());

    // Back on the page, the answer is there.
    c.refresh().await.unwrap();
    let page = b.body_text().await;
    assert!(page.contains(answer) && page.contains("Besvart"), "{page}");
    b.screenshot("dispute-02-answered.png").await;
    b.client.clone().close().await.unwrap();
}
