//! Logging in at the OpenID provider (through the use cases) and out.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_app::AppError;
use innsyn_domain::SubjectId;
use innsyn_ports::LoginError;
use serde::Deserialize;

use super::cookies::{LangParam, expired_cookie, language, private_cookie, session};
use super::respond::{error_response, frame, login_location, respond, see_other};
use super::{LOGIN_COOKIE, SESSION_COOKIE};
use crate::html::{self, LoginNotice};
use crate::i18n::{Lang, T};
use crate::session::{Session, random_token, same_secret};
use crate::{BASE_PATH, WebState};

#[derive(Debug, Default, Deserialize)]
pub(super) struct LoginPageParams {
    lang: Option<String>,
    utlogget: Option<String>,
    feil: Option<String>,
}

pub(super) async fn login_page(
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
        html::login_page(
            &f,
            notice,
            i.service.citizen_login_configured(),
            i.settings.dev_picker,
        ),
        lang_cookie.into_iter().collect(),
    )
}

pub(super) async fn login_start(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<LangParam>,
) -> HttpResponse {
    let (lang, _) = language(&req, q.lang.as_deref());
    let i = state.inner();
    match i.service.begin_citizen_login(lang.code()).await {
        Ok(start) => {
            let id = i.pending.insert(start.pending, i.service.now());
            let cookie = private_cookie(
                &req,
                &state,
                LOGIN_COOKIE,
                id,
                i.pending.ttl().whole_seconds(),
            );
            see_other(&start.authorize_url, vec![cookie])
        }
        Err(AppError::LoginNotConfigured) => see_other(&login_location(lang, ""), Vec::new()),
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
pub(super) struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

pub(super) fn start_session(
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
        i.service.now(),
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

pub(super) async fn callback(
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
    let pending = req
        .cookie(LOGIN_COOKIE)
        .and_then(|c| i.pending.take(c.value(), i.service.now()));
    let (Some(pending), Some(code), Some(returned_state), None) = (
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
    match i.service.finish_citizen_login(pending, code).await {
        Ok(done) => start_session(&req, &state, done.subject, Some(done.id_token), lang),
        Err(AppError::Login(LoginError::Unavailable(reason))) => {
            tracing::warn!(%reason, "citizen page: the provider is unavailable");
            error_response(
                &state,
                lang,
                StatusCode::SERVICE_UNAVAILABLE,
                T::Unavailable,
            )
        }
        Err(e) => {
            tracing::warn!(error = %e, "citizen page: login refused");
            failed()
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct LogoutForm {
    csrf: Option<String>,
}

pub(super) async fn logout(
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
    if let Some(token) = session.id_token
        && let Some(url) = i.service.citizen_logout_url(Some(token), lang.code()).await
    {
        return see_other(&url, cookies);
    }
    see_other(&done, cookies)
}
