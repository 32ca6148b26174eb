//! Operations and the edges every route shares: health, readiness,
//! metrics, the OpenAPI document and docs, unknown routes and methods,
//! security headers and the rate limit.

use std::sync::Arc;

use actix_web::dev::Service as _;
use actix_web::http::{StatusCode, header};
use actix_web::test::TestRequest;
use innsyn_ports::{MockHistoryStore, MockTokenIntrospector, StoreError, TokenError};
use innsyn_store_memory::MemoryStore;

use crate::support::{
    ALICE, Setup, get, header_of, json_of, no_store, problem, problem_with, serve, text_of,
    tokens_err,
};

#[actix_web::test]
async fn unknown_routes_and_methods_are_problems() {
    let res = Setup::idle().call(TestRequest::get().uri("/nope")).await;
    problem(res, 404).await;
    // Each route's 405 lists that route's own methods.
    for (method, uri, allow) in [
        ("DELETE", "/innlogginger/logg/idporten", "GET, HEAD"),
        ("POST", "/healthz", "GET, HEAD"),
        ("GET", "/v1/login-events", "POST"),
        ("DELETE", "/v1/catalog/clients/c", "PUT"),
    ] {
        let req = TestRequest::default()
            .method(method.parse().unwrap())
            .uri(uri);
        let res = Setup::idle().call(req).await;
        assert_eq!(
            header_of(&res, header::ALLOW).as_deref(),
            Some(allow),
            "{uri}"
        );
        problem(res, 405).await;
    }
}

#[actix_web::test]
async fn head_is_answered_on_every_get_route() {
    for uri in ["/healthz", "/openapi.json", "/docs/", "/min-side/logg-inn"] {
        let res = Setup::idle()
            .with_page(None, false)
            .call(
                TestRequest::default()
                    .method(actix_web::http::Method::HEAD)
                    .uri(uri),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
    }
    // A GET route that needs a token answers HEAD as it answers GET.
    let res = Setup::idle()
        .call(
            TestRequest::default()
                .method(actix_web::http::Method::HEAD)
                .uri("/innlogginger/logg/idporten"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn security_headers_and_request_id() {
    let healthz = |request_id: &str| {
        TestRequest::get()
            .uri("/healthz")
            .insert_header(("x-request-id", request_id))
    };
    let res = Setup::idle().call(healthz("abc-123")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header_of(&res, header::X_CONTENT_TYPE_OPTIONS).as_deref(),
        Some("nosniff")
    );
    assert!(
        header_of(&res, header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .contains("default-src 'none'")
    );
    assert_eq!(
        header_of(&res, "x-request-id".parse().unwrap()).as_deref(),
        Some("abc-123")
    );
    let res = Setup::idle().call(healthz("bad id")).await;
    assert_eq!(
        header_of(&res, "x-request-id".parse().unwrap())
            .unwrap()
            .len(),
        36
    );
}

#[actix_web::test]
async fn rate_limit_is_429_with_retry_after() {
    let mut setup = Setup::new(no_store(), tokens_err(TokenError::Expired));
    setup.rate = (1, 1);
    let svc = serve!(setup);
    let req = || {
        get("/innlogginger/logg/idporten")
            .peer_addr("127.0.0.9:1".parse().unwrap())
            .to_request()
    };
    let first = svc.call(req()).await.unwrap();
    assert_eq!(first.status(), StatusCode::UNAUTHORIZED);
    let second = svc.call(req()).await.unwrap();
    problem_with(second, 429, header::RETRY_AFTER, "1").await;
}

#[actix_web::test]
async fn readyz_reports_store_and_validator() {
    let mut tokens = MockTokenIntrospector::new();
    tokens.expect_ready().returning(|| Ok(()));
    let res = Setup::new(Arc::new(MemoryStore::new()), tokens)
        .call(TestRequest::get().uri("/readyz"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let mut store = MockHistoryStore::new();
    store
        .expect_ping()
        .returning(|| Err(StoreError::Unavailable("down".into())));
    let res = Setup::new(Arc::new(store), MockTokenIntrospector::new())
        .call(TestRequest::get().uri("/readyz"))
        .await;
    problem_with(res, 503, header::RETRY_AFTER, "5").await;
}

#[actix_web::test]
async fn openapi_and_docs_are_served() {
    let res = Setup::idle()
        .call(TestRequest::get().uri("/openapi.json"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = json_of(res).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for path in [
        "/innlogginger/logg/idporten",
        "/metadata/v1/{userId}/accessHistory",
        "/v1/login-events",
        "/v1/access-records",
        "/v1/catalog",
        "/v1/retention",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());

    let res = Setup::idle().call(TestRequest::get().uri("/docs/")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(text_of(res).await.contains("swagger"));
    let res = Setup::idle()
        .call(TestRequest::get().uri("/docs/swagger-ui-bundle.js"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[actix_web::test]
async fn metrics_count_requests_by_route_pattern() {
    let svc = serve!(Setup::new(no_store(), tokens_err(TokenError::Expired)));
    let _ = svc
        .call(get(&format!("/metadata/v1/{ALICE}/accessHistory")).to_request())
        .await
        .unwrap();
    let res = svc
        .call(TestRequest::get().uri("/metrics").to_request())
        .await
        .unwrap();
    let text = text_of(res).await;
    assert!(text.contains(
        "innsyn_http_requests_total{route=\"/metadata/v1/{userId}/accessHistory\",method=\"GET\",status=\"401\"} 1"
    ));
    assert!(!text.contains(ALICE));
}

#[actix_web::test]
async fn the_start_address_leads_somewhere_and_the_icon_is_served() {
    let to = |headers: &header::HeaderMap| {
        headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let with_page = Setup::idle()
        .with_page(None, false)
        .call(TestRequest::get().uri("/"))
        .await;
    assert_eq!(with_page.status(), StatusCode::SEE_OTHER);
    assert_eq!(to(with_page.headers()).as_deref(), Some("/min-side"));
    let api_only = Setup::idle().call(TestRequest::get().uri("/")).await;
    assert_eq!(to(api_only.headers()).as_deref(), Some("/docs/"));

    let icon = Setup::idle()
        .call(TestRequest::get().uri("/favicon.ico"))
        .await;
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(
        icon.headers().get(header::CONTENT_TYPE).unwrap(),
        "image/svg+xml"
    );
}

#[actix_web::test]
async fn answers_are_compressed_only_when_asked() {
    let openapi = |encoding: Option<&str>| {
        let req = TestRequest::get().uri("/openapi.json");
        match encoding {
            Some(e) => req.insert_header((header::ACCEPT_ENCODING, e)),
            None => req,
        }
    };
    let encoding = |headers: &header::HeaderMap| {
        headers
            .get(header::CONTENT_ENCODING)
            .map(|v| v.to_str().unwrap_or_default().to_owned())
    };
    let plain = Setup::idle().call(openapi(None)).await;
    assert_eq!(encoding(plain.headers()), None);
    let gzip = Setup::idle().call(openapi(Some("gzip"))).await;
    assert_eq!(encoding(gzip.headers()).as_deref(), Some("gzip"));
    let br = Setup::idle().call(openapi(Some("br, gzip"))).await;
    assert_eq!(encoding(br.headers()).as_deref(), Some("br"));
}
