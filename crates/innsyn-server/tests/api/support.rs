//! What every endpoint's tests build on: callers and their tokens, the
//! stores, the app over them, and request and response helpers.

use innsyn_test_support::FixedClock;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{Service as _, ServiceResponse};
use actix_web::http::header;
use actix_web::test::{self, TestRequest};
use actix_web::web;
use innsyn_app::{Ports, Service, Settings};
use innsyn_domain::{AccessRecord, Caller, LoginEvent, Scopes, SubjectId};
use innsyn_ports::{
    CitizenLogin, DisputeStore, HistoryStore, LogStore, MockCitizenLogin, MockHistoryStore,
    MockTokenIntrospector, TokenError,
};
use innsyn_server::api::AppState;
use innsyn_server::metrics::Metrics;
use innsyn_server::middleware::RateLimiter;
pub(crate) use innsyn_store_contract::fixtures::{NOW, ORG_A as ORG, access, login};
use innsyn_store_memory::MemoryStore;
use innsyn_web::{WebSettings, WebState};
use serde_json::Value;

pub(crate) const ALICE: &str = innsyn_domain::identity::CITIZEN_A;
pub(crate) const BOB: &str = innsyn_domain::identity::CITIZEN_B;

pub(crate) fn alice() -> SubjectId {
    SubjectId::parse(ALICE).unwrap()
}

pub(crate) fn caller(subject: Option<&str>, orgno: Option<&str>, scopes: &str) -> Caller {
    Caller {
        subject: subject.map(|s| SubjectId::parse(s).unwrap()),
        client_id: Some("svc-a".into()),
        orgno: orgno.map(|o| o.parse().unwrap()),
        scopes: Scopes::parse(scopes).unwrap(),
        acr: None,
    }
}

pub(crate) fn tokens_for(c: Caller) -> MockTokenIntrospector {
    let mut t = MockTokenIntrospector::new();
    t.expect_introspect().returning(move |_| Ok(c.clone()));
    t
}

pub(crate) fn tokens_err(e: TokenError) -> MockTokenIntrospector {
    let mut t = MockTokenIntrospector::new();
    t.expect_introspect().returning(move |_| Err(e.clone()));
    t
}

/// A store the request must not reach: a mock without expectations panics
/// on any call, which the gate's blocking task turns into a 500.
pub(crate) fn no_store() -> Arc<dyn HistoryStore> {
    Arc::new(MockHistoryStore::new())
}

/// The app of a [`Setup`], for tests that send it several requests. A
/// macro, because the test service's request type (`actix_http::Request`)
/// cannot be named without another dependency.
macro_rules! serve {
    ($setup:expr) => {{
        let (state, limiter, page) = $setup.parts();
        let openapi = <innsyn_server::openapi::ApiDoc as utoipa::OpenApi>::openapi();
        actix_web::test::init_service(innsyn_server::http::app(
            state, limiter, false, openapi, page,
        ))
        .await
    }};
}
pub(crate) use serve;

/// What the app is built from; tests change the fields they are about.
pub(crate) struct Setup {
    store: Arc<dyn HistoryStore>,
    disputes: Arc<dyn DisputeStore>,
    log: Arc<dyn LogStore>,
    tokens: MockTokenIntrospector,
    citizen_login: Option<Arc<dyn CitizenLogin>>,
    page: Option<WebSettings>,
    pub(crate) settings: Settings,
    pub(crate) body_limit: usize,
    pub(crate) rate: (u32, u32),
}

impl Setup {
    pub(crate) fn new(store: Arc<dyn HistoryStore>, tokens: MockTokenIntrospector) -> Self {
        Self {
            store,
            disputes: Arc::new(MemoryStore::new()),
            log: Arc::new(MemoryStore::new()),
            tokens,
            citizen_login: None,
            page: None,
            settings: Settings::default(),
            body_limit: 1 << 20,
            rate: (0, 0),
        }
    }

    /// One memory store behind both histories, disputes and the log.
    pub(crate) fn over(store: Arc<MemoryStore>, tokens: MockTokenIntrospector) -> Self {
        Self {
            disputes: Arc::clone(&store) as Arc<dyn DisputeStore>,
            log: Arc::clone(&store) as Arc<dyn LogStore>,
            ..Self::new(store, tokens)
        }
    }

    /// For requests that must reach no port at all.
    pub(crate) fn idle() -> Self {
        Self::new(no_store(), MockTokenIntrospector::new())
    }

    /// Mounts the citizen's page, with a provider at `issuer` (an origin)
    /// or none, and the demo picker offering Alice when `dev_picker`.
    pub(crate) fn with_page(mut self, issuer: Option<&str>, dev_picker: bool) -> Self {
        self.citizen_login = issuer.map(|origin| {
            let mut login = MockCitizenLogin::new();
            login.expect_issuer_origin().return_const(origin.to_owned());
            Arc::new(login) as Arc<dyn CitizenLogin>
        });
        self.page = Some(WebSettings {
            public_base_url: "http://127.0.0.1:8080".to_owned(),
            dev_picker,
            dev_subjects: vec![format!("{ALICE} Alice (demo)")],
            ..WebSettings::default()
        });
        self
    }

    /// What `app` is built from: one service behind both front ends.
    pub(crate) fn parts(
        self,
    ) -> (
        web::Data<AppState>,
        web::Data<RateLimiter>,
        Option<WebState>,
    ) {
        let service = Service::new(
            Ports {
                store: self.store,
                disputes: self.disputes,
                log: self.log,
                dead_letters: Arc::new(innsyn_store_memory::MemoryStore::new()),
                page_sessions: Arc::new(innsyn_store_memory::MemoryStore::new()),
                tokens: Some(Arc::new(self.tokens)),
                clock: Arc::new(FixedClock::at(NOW)),
                citizen_login: self.citizen_login,
            },
            self.settings,
        );
        let page = self
            .page
            .map(|settings| WebState::new(settings, service.clone()).unwrap());
        let state = web::Data::new(AppState {
            service,
            metrics: Metrics::default(),
            public_base_url: None,
            stream_ready: None,
            body_limit: self.body_limit,
        });
        let limiter = web::Data::new(RateLimiter::new(self.rate.0, self.rate.1));
        (state, limiter, page)
    }

    pub(crate) async fn call(self, req: TestRequest) -> ServiceResponse<impl MessageBody> {
        let svc = serve!(self);
        svc.call(
            req.peer_addr("127.0.0.1:40000".parse().unwrap())
                .to_request(),
        )
        .await
        .unwrap()
    }
}

/// `req` with a bearer token (the mocks decide what it stands for).
pub(crate) fn authorized(req: TestRequest) -> TestRequest {
    req.insert_header((header::AUTHORIZATION, "Bearer t0k3n"))
}

pub(crate) fn get(uri: &str) -> TestRequest {
    authorized(TestRequest::get().uri(uri))
}

pub(crate) fn post_json(uri: &str, body: &Value) -> TestRequest {
    authorized(TestRequest::post().uri(uri))
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .set_payload(serde_json::to_vec(body).unwrap())
}

pub(crate) fn header_of<B>(res: &ServiceResponse<B>, name: header::HeaderName) -> Option<String> {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

pub(crate) async fn json_of<B: MessageBody>(res: ServiceResponse<B>) -> Value {
    serde_json::from_slice(&test::read_body(res).await).unwrap()
}

pub(crate) async fn text_of<B: MessageBody>(res: ServiceResponse<B>) -> String {
    String::from_utf8(test::read_body(res).await.to_vec()).unwrap()
}

/// Checks an RFC 9457 answer of `status` and returns its body.
pub(crate) async fn problem<B: MessageBody>(res: ServiceResponse<B>, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status);
    assert_eq!(
        header_of(&res, header::CONTENT_TYPE).as_deref(),
        Some("application/problem+json")
    );
    let body = json_of(res).await;
    assert_eq!(body["status"], status);
    assert!(body["type"].is_string() && body["title"].is_string() && body["detail"].is_string());
    body
}

/// [`problem`], with the header `name` set to `value` (a challenge, a
/// `Retry-After`).
pub(crate) async fn problem_with<B: MessageBody>(
    res: ServiceResponse<B>,
    status: u16,
    name: header::HeaderName,
    value: &str,
) -> Value {
    assert_eq!(header_of(&res, name).as_deref(), Some(value));
    problem(res, status).await
}

/// The names of a problem's `invalid-params`, in order.
pub(crate) fn param_names(body: &Value) -> Vec<&str> {
    body["invalid-params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect()
}

/// A memory store holding these.
pub(crate) fn seeded(logins: &[LoginEvent], records: &[AccessRecord]) -> Arc<MemoryStore> {
    let store = MemoryStore::new();
    store.append_login_events(logins).unwrap();
    store.append_access_records(records).unwrap();
    Arc::new(store)
}

/// Sends `req` with `tokens` to an app over an empty memory store, expects
/// 200, and returns the store, to check what was stored, and the body.
pub(crate) async fn stored_by(
    tokens: MockTokenIntrospector,
    req: TestRequest,
) -> (Arc<MemoryStore>, Value) {
    let store = seeded(&[], &[]);
    let res = Setup::new(store.clone(), tokens).call(req).await;
    assert_eq!(res.status(), actix_web::http::StatusCode::OK);
    (store, json_of(res).await)
}

pub(crate) fn is_html<B>(res: &ServiceResponse<B>) -> bool {
    header_of(res, header::CONTENT_TYPE).is_some_and(|ct| ct.starts_with("text/html"))
}
