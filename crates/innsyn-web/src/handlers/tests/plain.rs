//! Plain words from the catalog, and the marks' filter and counts.

use innsyn_domain::{ClientEntry, LabelEntry, OrganisationEntry};

use super::*;

/// The seeded store with the words an administrator would set.
fn named_store() -> Arc<MemoryStore> {
    let store = seeded_store();
    store
        .put_client(&ClientEntry::validate("nav", "NAV Min side", Some("889640782")).unwrap())
        .unwrap();
    store
        .put_organisation(&OrganisationEntry::validate("889640782", "NAV").unwrap())
        .unwrap();
    for (kind, code, nb, en) in [
        ("action", "read", "leste", "read"),
        (
            "resource",
            "folkeregister",
            "folkeregisteret",
            "the population register",
        ),
        (
            "purpose",
            "saksbehandling",
            "saksbehandling",
            "case handling",
        ),
    ] {
        store
            .put_label(&LabelEntry::validate(kind, code, nb, Some(en)).unwrap())
            .unwrap();
    }
    store
}

#[actix_web::test]
async fn the_page_reads_the_catalogs_words() {
    let s = state_with(WebSettings::default(), named_store());
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    let body = body_text(get(&s, "/min-side", Some(cookie.clone())).await);
    assert!(
        body.contains("NAV (889640782) leste folkeregisteret — formål: saksbehandling"),
        "{body}"
    );
    assert!(body.contains("via NAV"));
    // The login's service by the catalog's application name (its event
    // named its own organisation, which has no name here); the filter
    // names the service the same way.
    assert!(body.contains(r#"data-label="Tjeneste">NAV Min side</td>"#));
    assert!(body.contains(r#"data-label="Organisasjon">991825827</td>"#));
    assert!(
        body.contains(r#"<option value="nav">NAV Min side</option>"#),
        "{body}"
    );
    let en = body_text(get(&s, "/min-side?lang=en", Some(cookie)).await);
    assert!(en.contains("NAV (889640782) read the population register — purpose: case handling"));
    assert!(en.contains("Permitted — the information was handed out"));
}

#[actix_web::test]
async fn only_the_marked_logins_on_request() {
    let s = state();
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    let all = body_text(get(&s, "/min-side", Some(cookie.clone())).await);
    assert!(all.contains("Vis bare de merkede"));
    assert!(
        all.contains(r#"href="/min-side?merket=ja&amp;lang=nb#innlogginger""#),
        "{all}"
    );
    let marked = body_text(get(&s, "/min-side?merket=ja", Some(cookie.clone())).await);
    assert_eq!(marked.matches("<tr class=\"flagged\"").count(), 1);
    assert_eq!(
        marked.matches(r#"data-label="Tjeneste""#).count(),
        1,
        "{marked}"
    );
    assert!(marked.contains("Viser bare merkede innlogginger.") && marked.contains("Vis alle"));
    assert!(marked.contains(r#"name="merket" value="ja" checked"#));
    // None marked in the last 7 days for Skatteetaten: the empty state
    // names the filters.
    let none = body_text(
        get(
            &s,
            "/min-side?merket=ja&tjeneste=ske&periode=7d",
            Some(cookie),
        )
        .await,
    );
    assert!(
        none.contains("Ingen merkede innlogginger de siste 7 dagene på Skatteetaten."),
        "{none}"
    );
}
