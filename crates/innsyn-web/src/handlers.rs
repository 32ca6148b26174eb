//! The page's routes under `/min-side`.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use innsyn_domain::{AccessHistoryParams, SubjectId};
use innsyn_ports::StoreError;
use maud::Markup;
use serde::Deserialize;

use crate::html::{self, Frame, LoginNotice};
use crate::i18n::{Lang, T};
use crate::oidc::OidcError;
use crate::session::{PendingLogin, Session, random_token, same_secret};
use crate::view::{self, EXPORT_LIMIT, Filters, LoadError, PageParams};
use crate::{BASE_PATH, WebState};

const SESSION_COOKIE: &str = "innsyn_sid";
const LOGIN_COOKIE: &str = "innsyn_login";
const LANG_COOKIE: &str = "innsyn_lang";

/// The scope with every route and the page's security headers.
pub(crate) fn scope(state: WebState) -> impl actix_web::dev::HttpServiceFactory {
    let csp = state.inner().csp.clone();
    web::scope(BASE_PATH)
        .app_data(web::Data::new(state))
        .wrap(
            DefaultHeaders::new()
                .add((header::CONTENT_SECURITY_POLICY, csp))
                .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .add((header::REFERRER_POLICY, "no-referrer"))
                .add((header::X_FRAME_OPTIONS, "DENY"))
                .add((header::CACHE_CONTROL, "no-store")),
        )
        .route("", web::get().to(index))
        .route("/", web::get().to(index))
        .route("/static/style.css", web::get().to(style))
        .route("/logg-inn", web::get().to(login_page))
        .route("/logg-inn/start", web::get().to(login_start))
        .route("/callback", web::get().to(callback))
        .route("/logg-ut", web::post().to(logout))
        .route(
            "/eksport/innlogginger.csv",
            web::get().to(export_logins_csv),
        )
        .route("/eksport/oppslag.csv", web::get().to(export_access_csv))
        .route("/eksport/historikk.json", web::get().to(export_json))
        .route("/dev-login", web::get().to(dev_login_page))
        .route("/dev-login", web::post().to(dev_login))
        .default_service(web::to(not_found))
}

#[derive(Debug, Default, Deserialize)]
struct LangParam {
    lang: Option<String>,
}

/// The language: `?lang=` (remembered in a cookie), else the cookie, else
/// bokmål.
fn language(req: &HttpRequest, asked: Option<&str>) -> (Lang, Option<Cookie<'static>>) {
    if let Some(lang) = asked.and_then(Lang::parse) {
        let cookie = Cookie::build(LANG_COOKIE, lang.code())
            .path(BASE_PATH)
            .http_only(true)
            .same_site(SameSite::Lax)
            .max_age(actix_web::cookie::time::Duration::days(365))
            .finish();
        return (lang, Some(cookie));
    }
    let remembered = req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value()));
    (remembered.unwrap_or_default(), None)
}

fn secure(req: &HttpRequest, state: &WebState) -> bool {
    let s = &state.inner().settings;
    s.secure_cookies
        || s.public_base_url.starts_with("https://")
        || req.connection_info().scheme() == "https"
}

fn private_cookie(
    req: &HttpRequest,
    state: &WebState,
    name: &'static str,
    value: String,
    max_age_secs: i64,
) -> Cookie<'static> {
    Cookie::build(name, value)
        .path(BASE_PATH)
        .http_only(true)
        .secure(secure(req, state))
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::seconds(max_age_secs))
        .finish()
}

fn expired_cookie(name: &'static str) -> Cookie<'static> {
    let mut c = Cookie::build(name, "")
        .path(BASE_PATH)
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish();
    c.make_removal();
    c
}

fn session(req: &HttpRequest, state: &WebState) -> Option<(String, Session)> {
    let id = req.cookie(SESSION_COOKIE)?.value().to_owned();
    let now = state.inner().clock.now();
    let s = state.inner().sessions.get(&id, now)?;
    Some((id, s))
}

fn frame<'a>(
    state: &WebState,
    lang: Lang,
    switch_href: String,
    csrf: Option<&'a str>,
) -> Frame<'a> {
    Frame {
        lang,
        switch_href,
        logout_csrf: csrf,
        zone: state.inner().zone,
    }
}

fn respond(status: StatusCode, markup: Markup, cookies: Vec<Cookie<'static>>) -> HttpResponse {
    let mut b = HttpResponseBuilder::new(status);
    b.content_type("text/html; charset=utf-8");
    for c in cookies {
        b.cookie(c);
    }
    b.body(markup.into_string())
}

fn see_other(location: &str, cookies: Vec<Cookie<'static>>) -> HttpResponse {
    let mut b = HttpResponse::SeeOther();
    b.insert_header((header::LOCATION, location.to_owned()));
    for c in cookies {
        b.cookie(c);
    }
    b.finish()
}

fn login_location(lang: Lang, extra: &str) -> String {
    format!("{BASE_PATH}/logg-inn?lang={}{extra}", lang.code())
}

fn error_response(state: &WebState, lang: Lang, status: StatusCode, message: T) -> HttpResponse {
    let f = frame(
        state,
        lang,
        format!("{BASE_PATH}?lang={}", lang.other().code()),
        None,
    );
    respond(status, html::error_page(&f, message), Vec::new())
}

fn load_error(state: &WebState, lang: Lang, e: LoadError) -> HttpResponse {
    match e {
        LoadError::Store(StoreError::Unavailable(reason)) => {
            tracing::warn!(%reason, "citizen page: history store unavailable");
            let mut r =
                error_response(state, lang, StatusCode::SERVICE_UNAVAILABLE, T::Unavailable);
            r.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("30"));
            r
        }
        LoadError::Store(StoreError::Internal(reason)) | LoadError::Query(reason) => {
            tracing::error!(%reason, "citizen page: loading the history failed");
            error_response(
                state,
                lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                T::Unavailable,
            )
        }
    }
}

async fn index(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<PageParams>,
) -> HttpResponse {
    let (lang, lang_cookie) = language(&req, q.lang.as_deref());
    let Some((_, session)) = session(&req, &state) else {
        return see_other(&login_location(lang, ""), lang_cookie.into_iter().collect());
    };
    let filters = Filters::from_params(&q);
    let inner_state = state.get_ref().clone();
    let subject = session.subject.clone();
    let f = filters.clone();
    let loaded = web::block(move || {
        let i = inner_state.inner();
        view::load_page(&*i.store, &subject, &f, i.clock.now(), i.zone)
    })
    .await;
    let data = match loaded {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => return load_error(&state, lang, e),
        Err(_) => return load_error(&state, lang, LoadError::Query("blocking pool gone".into())),
    };
    let mut switch = filters.params();
    switch.lang = Some(lang.other().code().to_owned());
    let f = frame(&state, lang, html::page_href(&switch), Some(&session.csrf));
    respond(
        StatusCode::OK,
        html::history_page(&f, &filters, &data),
        lang_cookie.into_iter().collect(),
    )
}

async fn style() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(html::STYLE_CSS)
}

#[derive(Debug, Default, Deserialize)]
struct LoginPageParams {
    lang: Option<String>,
    utlogget: Option<String>,
    feil: Option<String>,
}

async fn login_page(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<LoginPageParams>,
) -> HttpResponse {
    let (lang, lang_cookie) = language(&req, q.lang.as_deref());
    if session(&req, &state).is_some() {
        return see_other(
            &format!("{BASE_PATH}?lang={}", lang.code()),
            lang_cookie.into_iter().collect(),
        );
    }
    let notice = if q.feil.is_some() {
        LoginNotice::Failed
    } else if q.utlogget.is_some() {
        LoginNotice::LoggedOut
    } else {
        LoginNotice::None
    };
    let i = state.inner();
    let f = frame(&state, lang, login_location(lang.other(), ""), None);
    respond(
        StatusCode::OK,
        html::login_page(&f, notice, i.oidc.is_some(), i.settings.dev_picker),
        lang_cookie.into_iter().collect(),
    )
}

async fn login_start(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<LangParam>,
) -> HttpResponse {
    let (lang, _) = language(&req, q.lang.as_deref());
    let i = state.inner();
    let Some(oidc) = &i.oidc else {
        return see_other(&login_location(lang, ""), Vec::new());
    };
    match oidc.begin(lang.code()).await {
        Ok((url, pending)) => {
            let id = i.pending.insert(pending, i.clock.now());
            let cookie = private_cookie(
                &req,
                &state,
                LOGIN_COOKIE,
                id,
                i.pending.ttl().whole_seconds(),
            );
            see_other(url.as_str(), vec![cookie])
        }
        Err(e) => {
            tracing::warn!(error = %e, "citizen page: cannot start a login");
            error_response(
                &state,
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                T::Unavailable,
            )
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

fn start_session(
    req: &HttpRequest,
    state: &WebState,
    subject: SubjectId,
    id_token: Option<String>,
    lang: Lang,
) -> HttpResponse {
    let i = state.inner();
    if let Some(old) = req.cookie(SESSION_COOKIE) {
        i.sessions.remove(old.value());
    }
    // A fresh id at every login: an id planted before login is worthless.
    let id = i.sessions.insert(
        Session {
            subject,
            csrf: random_token(),
            id_token,
        },
        i.clock.now(),
    );
    let cookie = private_cookie(
        req,
        state,
        SESSION_COOKIE,
        id,
        i.sessions.ttl().whole_seconds(),
    );
    see_other(
        &format!("{BASE_PATH}?lang={}", lang.code()),
        vec![cookie, expired_cookie(LOGIN_COOKIE)],
    )
}

async fn callback(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<CallbackParams>,
) -> HttpResponse {
    let (lang, _) = language(&req, None);
    let i = state.inner();
    let failed = || {
        see_other(
            &login_location(lang, "&feil=1"),
            vec![expired_cookie(LOGIN_COOKIE)],
        )
    };
    let pending: Option<PendingLogin> = req
        .cookie(LOGIN_COOKIE)
        .and_then(|c| i.pending.take(c.value(), i.clock.now()));
    let (Some(oidc), Some(pending), Some(code), Some(returned_state), None) = (
        &i.oidc,
        pending,
        q.code.clone(),
        q.state.as_deref(),
        q.error.as_deref(),
    ) else {
        tracing::info!("citizen page: login callback without a matching pending login");
        return failed();
    };
    if !same_secret(&pending.state, returned_state) {
        tracing::warn!("citizen page: login callback with a wrong state");
        return failed();
    }
    match oidc.finish(pending, code).await {
        Ok(done) => match SubjectId::parse(&done.subject) {
            Ok(subject) => start_session(&req, &state, subject, Some(done.id_token), lang),
            Err(_) => {
                tracing::warn!("citizen page: the ID token's subject is not a valid identifier");
                failed()
            }
        },
        Err(OidcError::Unavailable(reason)) => {
            tracing::warn!(%reason, "citizen page: the provider is unavailable");
            error_response(
                &state,
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                T::Unavailable,
            )
        }
        Err(e @ OidcError::Rejected(_)) => {
            tracing::warn!(error = %e, "citizen page: login refused");
            failed()
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct LogoutForm {
    csrf: Option<String>,
}

async fn logout(
    req: HttpRequest,
    state: web::Data<WebState>,
    form: web::Form<LogoutForm>,
) -> HttpResponse {
    let (lang, _) = language(&req, None);
    let i = state.inner();
    let done = login_location(lang, "&utlogget=1");
    let Some((id, session)) = session(&req, &state) else {
        return see_other(&done, vec![expired_cookie(SESSION_COOKIE)]);
    };
    if !form
        .csrf
        .as_deref()
        .is_some_and(|c| same_secret(c, &session.csrf))
    {
        tracing::warn!("citizen page: logout without a valid form token");
        return see_other(BASE_PATH, Vec::new());
    }
    i.sessions.remove(&id);
    let cookies = vec![expired_cookie(SESSION_COOKIE)];
    if let (Some(oidc), Some(token)) = (&i.oidc, session.id_token.as_deref())
        && let Some(url) = oidc.logout_url(Some(token), lang.code()).await
    {
        return see_other(url.as_str(), cookies);
    }
    see_other(&done, cookies)
}

/// `innsyn-<what>-<date>.<ext>`, as an attachment.
fn download(content_type: &str, what: &str, ext: &str, date: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "innsyn-{what}-{date}.{ext}"
            ))],
        })
        .body(body)
}

enum ExportKind {
    LoginsCsv,
    AccessCsv,
    Json,
}

async fn export(req: HttpRequest, state: web::Data<WebState>, kind: ExportKind) -> HttpResponse {
    let (lang, _) = language(&req, None);
    let Some((_, session)) = session(&req, &state) else {
        return see_other(&login_location(lang, ""), Vec::new());
    };
    let st = state.get_ref().clone();
    let subject = session.subject.clone();
    let want_logins = !matches!(kind, ExportKind::AccessCsv);
    let want_access = !matches!(kind, ExportKind::LoginsCsv);
    let loaded = web::block(move || -> Result<_, LoadError> {
        let i = st.inner();
        let now = i.clock.now();
        let logins = if want_logins {
            view::all_logins(&*i.store, &subject, None, EXPORT_LIMIT)?
        } else {
            Vec::new()
        };
        let access = if want_access {
            view::all_access(
                &*i.store,
                &subject,
                AccessHistoryParams {
                    start_time: Some("1970-01-01T00:00:00Z".into()),
                    ..AccessHistoryParams::default()
                },
                now,
                i.zone,
                EXPORT_LIMIT,
            )?
        } else {
            Vec::new()
        };
        Ok((logins, access, now))
    })
    .await;
    let (logins, access, now) = match loaded {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => return load_error(&state, lang, e),
        Err(_) => return load_error(&state, lang, LoadError::Query("blocking pool gone".into())),
    };
    let zone = state.inner().zone;
    let date = zone.to_local(now).date().to_string();
    match kind {
        ExportKind::LoginsCsv => download(
            "text/csv; charset=utf-8",
            "innlogginger",
            "csv",
            &date,
            crate::export::logins_csv(&logins, zone),
        ),
        ExportKind::AccessCsv => download(
            "text/csv; charset=utf-8",
            "oppslag",
            "csv",
            &date,
            crate::export::access_csv(&access, zone),
        ),
        ExportKind::Json => download(
            "application/json",
            "historikk",
            "json",
            &date,
            crate::export::history_json(&logins, &access, zone, now).to_string(),
        ),
    }
}

async fn export_logins_csv(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    export(req, state, ExportKind::LoginsCsv).await
}

async fn export_access_csv(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    export(req, state, ExportKind::AccessCsv).await
}

async fn export_json(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    export(req, state, ExportKind::Json).await
}

async fn dev_login_page(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<LangParam>,
) -> HttpResponse {
    let (lang, lang_cookie) = language(&req, q.lang.as_deref());
    if !state.inner().settings.dev_picker {
        return not_found_in(&state, lang);
    }
    let f = frame(
        &state,
        lang,
        format!("{BASE_PATH}/dev-login?lang={}", lang.other().code()),
        None,
    );
    respond(
        StatusCode::OK,
        html::dev_picker_page(&f, &state.inner().settings.dev_subjects),
        lang_cookie.into_iter().collect(),
    )
}

#[derive(Debug, Default, Deserialize)]
struct DevLoginForm {
    subject: Option<String>,
}

async fn dev_login(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<LangParam>,
    form: web::Form<DevLoginForm>,
) -> HttpResponse {
    let (lang, _) = language(&req, q.lang.as_deref());
    let settings = &state.inner().settings;
    if !settings.dev_picker {
        return not_found_in(&state, lang);
    }
    // Only the configured demo citizens: the picker is no way to read an
    // arbitrary person's history, even in development.
    let chosen = form
        .subject
        .as_deref()
        .filter(|s| {
            settings
                .dev_subjects
                .iter()
                .any(|d| crate::dev_subject(d).0 == *s)
        })
        .and_then(|s| SubjectId::parse(s).ok());
    match chosen {
        Some(subject) => start_session(&req, &state, subject, None, lang),
        None => see_other(
            &format!("{BASE_PATH}/dev-login?lang={}", lang.code()),
            Vec::new(),
        ),
    }
}

fn not_found_in(state: &WebState, lang: Lang) -> HttpResponse {
    error_response(state, lang, StatusCode::NOT_FOUND, T::NotFound)
}

async fn not_found(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (lang, _) = language(&req, None);
    not_found_in(&state, lang)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use actix_web::body::MessageBody as _;
    use actix_web::dev::ServiceResponse;
    use actix_web::{App, test};
    use innsyn_domain::{AccessRecord, AccessRecordInput, ActivityRecord, LoginEvent, Zone};
    use innsyn_ports::{Clock, HistoryStore};
    use innsyn_store_memory::MemoryStore;
    use time::OffsetDateTime;
    use time::macros::datetime;

    use super::*;
    use crate::WebSettings;

    const CITIZEN: &str = "12345678901";
    const NOW: OffsetDateTime = datetime!(2024-05-15 12:00 UTC);

    struct FixedClock;
    impl Clock for FixedClock {
        fn now(&self) -> OffsetDateTime {
            NOW
        }
    }

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
        WebState::new(settings, store, Zone::oslo(), Arc::new(FixedClock)).unwrap()
    }

    fn state() -> WebState {
        state_with(WebSettings::default(), seeded_store())
    }

    fn logged_in(state: &WebState, subject: &str) -> (Cookie<'static>, String) {
        let csrf = random_token();
        let id = state.inner().sessions.insert(
            Session {
                subject: SubjectId::parse(subject).unwrap(),
                csrf: csrf.clone(),
                id_token: None,
            },
            NOW,
        );
        (Cookie::new(SESSION_COOKIE, id), csrf)
    }

    async fn get(state: &WebState, path: &str, cookie: Option<Cookie<'static>>) -> ServiceResponse {
        let app =
            test::init_service(App::new().configure(|cfg| crate::configure(cfg, state.clone())))
                .await;
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
        let (cookie, csrf) = logged_in(&s, CITIZEN);
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
        assert!(body.contains("BankID app") && body.contains("MinID PIN"));
        // 03:05 Oslo time (01:05 UTC in May).
        assert!(body.contains("14.05.2024 kl. 03:05"), "local time");
        assert!(body.contains("Første gang du logget inn på denne tjenesten."));
        assert!(body.contains("Første gang du brukte denne eID-en"));
        assert!(body.contains("Innlogging om natten"));
        // Access records: who, what, decision in words.
        assert!(body.contains("Ukjent app") && body.contains("Avslått"));
        assert!(body.contains("urn:altinn:resource:folkeregister"));
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
        let (cookie, _) = logged_in(&s, CITIZEN);
        let body = body_text(get(&s, "/min-side?tjeneste=nav", Some(cookie.clone())).await);
        assert!(body.contains("Arbeids- og velferdsetaten</td>"));
        assert!(!body.contains("Skatteetaten</td>"));
        assert!(body.contains("<td>NAV</td>") && !body.contains("<td>Ukjent app</td>"));

        let body = body_text(get(&s, "/min-side?utfall=Deny", Some(cookie.clone())).await);
        assert!(body.contains("<td>Ukjent app</td>") && !body.contains("<td>NAV</td>"));
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
        let (cookie, _) = logged_in(&s, CITIZEN);
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
        let (cookie, _) = logged_in(&s, "99999999999");
        let body = body_text(get(&s, "/min-side", Some(cookie)).await);
        assert!(body.contains("Ingen innlogginger i valgt periode"));
        assert!(body.contains("Ingen har hentet opplysninger om deg"));
    }

    #[actix_web::test]
    async fn english_on_request_and_remembered() {
        let s = state();
        let (cookie, _) = logged_in(&s, CITIZEN);
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
        let app =
            test::init_service(App::new().configure(|c| crate::configure(c, s.clone()))).await;
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
        let (cookie, _) = logged_in(&s, CITIZEN);
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
            "tidspunkt,tjeneste,integrasjon_id,orgno,eid,metode,merknad"
        );
        assert_eq!(lines.len(), 1 + 12, "all time, every login");
        assert!(lines[1].starts_with("2024-05-14T03:05:00+02:00,Arbeids- og velferdsetaten,nav,"));
        assert!(lines[1].ends_with("new-service new-eid night"));

        let csv = body_text(get(&s, "/min-side/eksport/oppslag.csv", Some(cookie.clone())).await);
        assert!(csv.contains("Ukjent app,evil,folkeregister,urn:altinn:resource:folkeregister,read,saksbehandling,Deny"));

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
        let (cookie, csrf) = logged_in(&s, CITIZEN);
        let app =
            test::init_service(App::new().configure(|c| crate::configure(c, s.clone()))).await;
        let wrong = test::TestRequest::post()
            .uri("/min-side/logg-ut")
            .cookie(cookie.clone())
            .set_form([("csrf", "nope")])
            .to_request();
        let resp = test::call_service(&app, wrong).await;
        assert_eq!(location(&resp), "/min-side");
        assert!(session_alive(&s, &cookie));
        let right = test::TestRequest::post()
            .uri("/min-side/logg-ut")
            .cookie(cookie.clone())
            .set_form([("csrf", csrf.as_str())])
            .to_request();
        let resp = test::call_service(&app, right).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&resp), "/min-side/logg-inn?lang=nb&utlogget=1");
        assert!(!session_alive(&s, &cookie));
        let resp = get(&s, "/min-side", Some(cookie)).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    }

    fn session_alive(s: &WebState, cookie: &Cookie<'_>) -> bool {
        s.inner().sessions.get(cookie.value(), NOW).is_some()
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
        let app =
            test::init_service(App::new().configure(|c| crate::configure(c, s.clone()))).await;
        let other = test::TestRequest::post()
            .uri("/min-side/dev-login")
            .set_form([("subject", "55555555555")])
            .to_request();
        let resp = test::call_service(&app, other).await;
        assert!(
            resp.headers().get(header::SET_COOKIE).is_none(),
            "unlisted subject"
        );
        let chosen = test::TestRequest::post()
            .uri("/min-side/dev-login")
            .set_form([("subject", CITIZEN)])
            .to_request();
        let resp = test::call_service(&app, chosen).await;
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
        let app =
            test::init_service(App::new().configure(|c| crate::configure(c, s.clone()))).await;
        let req = test::TestRequest::post()
            .uri("/min-side/dev-login")
            .set_form([("subject", CITIZEN)])
            .to_request();
        let resp = test::call_service(&app, req).await;
        let sid = resp
            .response()
            .cookies()
            .find(|c| c.name() == SESSION_COOKIE)
            .unwrap();
        assert_eq!(sid.secure(), Some(true));
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
        let s = state_with(
            WebSettings {
                issuer_url: "http://127.0.0.1:9".into(),
                client_id: "svc-a".into(),
                ..WebSettings::default()
            },
            seeded_store(),
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
            client_secret: "svc-a-secret".into(),
            ..WebSettings::default()
        };
        assert!(!format!("{s:?}").contains("svc-a-secret"));
    }
}
