//! The citizen's page mounted beside the API: its own security policy and
//! HTML errors under `/min-side`, the API's strict policy and problem+json
//! everywhere else, and the demo picker only when configured.

use actix_web::dev::Service as _;
use actix_web::http::{StatusCode, header};
use actix_web::test::TestRequest;

use crate::support::{Setup, header_of, is_html, problem, serve, text_of};

const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

#[actix_web::test]
async fn citizen_page_is_mounted_with_its_own_csp_and_the_api_keeps_the_strict_one() {
    let svc = serve!(Setup::idle().with_page(Some("http://127.0.0.1:9"), false));
    let call = |uri: &str| svc.call(TestRequest::get().uri(uri).to_request());

    // No session: the page sends the browser to its login page.
    let res = call(innsyn_web::BASE_PATH).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = header_of(&res, header::LOCATION).unwrap();
    assert!(location.starts_with("/min-side/logg-inn"), "{location}");
    let csp = header_of(&res, header::CONTENT_SECURITY_POLICY).unwrap();
    assert_ne!(csp, API_CSP);
    assert!(csp.contains("style-src 'self'"), "{csp}");
    assert!(
        csp.contains("form-action 'self' http://127.0.0.1:9"),
        "{csp}"
    );
    assert!(!csp.contains("script-src"), "{csp}");
    assert_eq!(
        header_of(&res, header::X_FRAME_OPTIONS).as_deref(),
        Some("DENY")
    );

    // The login page and its stylesheet.
    let res = call("/min-side/logg-inn").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(is_html(&res));
    assert!(
        header_of(&res, header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .contains("style-src 'self'")
    );
    let html = text_of(res).await;
    assert!(html.contains("/min-side/static/style.css"), "{html}");
    let res = call("/min-side/static/style.css").await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        header_of(&res, header::CONTENT_TYPE)
            .unwrap()
            .starts_with("text/css")
    );
    assert_ne!(
        header_of(&res, header::CACHE_CONTROL).as_deref(),
        Some("no-store"),
        "the page's own caching of its stylesheet is kept"
    );

    // The page's errors stay HTML for browsers, not problem+json.
    let res = call("/min-side/finnes-ikke").await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(is_html(&res));
    assert_ne!(
        header_of(&res, header::CONTENT_SECURITY_POLICY).as_deref(),
        Some(API_CSP)
    );
    // No dev picker outside `innsyn dev`.
    let res = call("/min-side/dev-login").await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The API keeps the strict policy and problem+json.
    for (uri, status) in [
        ("/healthz", 200),
        ("/innlogginger/logg/idporten", 401),
        ("/finnes-ikke", 404),
    ] {
        let res = call(uri).await.unwrap();
        assert_eq!(res.status().as_u16(), status, "{uri}");
        assert_eq!(
            header_of(&res, header::CONTENT_SECURITY_POLICY).as_deref(),
            Some(API_CSP),
            "{uri}"
        );
        if status >= 400 {
            problem(res, status).await;
        }
    }
}

#[actix_web::test]
async fn citizen_page_offers_the_dev_picker_when_configured() {
    let res = Setup::idle()
        .with_page(None, true)
        .call(TestRequest::get().uri("/min-side/dev-login"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let csp = header_of(&res, header::CONTENT_SECURITY_POLICY).unwrap();
    assert!(csp.contains("form-action 'self'"), "{csp}");
    let html = text_of(res).await;
    assert!(html.contains("Alice (demo)"), "{html}");
}
