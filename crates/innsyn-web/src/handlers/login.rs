//! Logging in at the OpenID provider (through the use cases) and out.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_app::AppError;
use innsyn_domain::SubjectId;
use innsyn_ports::LoginError;
use serde::Deserialize;

use super::cookies::{LangParam, Visitor, expired_cookie, language, private_cookie, visitor};
use super::respond::{error_response, frame, login_location, respond, see_other};
use super::{LOGIN_COOKIE, SESSION_COOKIE};
use crate::html::{self, LoginNotice};
use crate::i18n::{Lang, T};
use crate::return_to::ReturnTo;
use crate::session::{Session, random_token, same_secret};
use crate::{BASE_PATH, WebState};

#[derive(Debug, Default, Deserialize)]
pub(super) struct LoginPageParams {
    lang: Option<String>,
    utlogget: Option<String>,
    feil: Option<String>,
    /// The session ended (idle, or at its cap).
    utlopt: Option<String>,
    tilbake: Option<String>,
}

pub(super) async fn login_page(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<LoginPageParams>,
) -> HttpResponse {
    let (lang, lang_cookie) = language(&req, q.lang.as_deref());
    if let Ok(Visitor::Citizen(..)) = visitor(&req, &state).await {
        return see_other(
            &format!("{BASE_PATH}?lang={}", lang.code()),
            lang_cookie.into_iter().collect(),
        );
    }
    let notice = if q.feil.is_some() {
        LoginNotice::Failed
    } else if q.utlopt.is_some() {
        LoginNotice::Expired
    } else if q.utlogget.is_some() {
        LoginNotice::LoggedOut
    } else {
        LoginNotice::None
    };
    let i = state.inner();
    let back = q.tilbake.as_deref().and_then(ReturnTo::parse);
    let f = frame(
        &state,
        lang,
        login_location(lang.other(), &crate::return_to::param_of(back.as_ref())),
        None,
    );
    respond(
        StatusCode::OK,
        html::login_page(
            &f,
            notice,
            i.service.citizen_login_configured(),
            i.settings.dev_picker,
            back.as_ref(),
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
    let back = q.return_to().map(|r| r.as_str().to_owned());
    let started = match i.service.begin_citizen_login(lang.code()).await {
        Ok(start) => i
            .secrets
            .start_login(&i.service, &start.pending, back)
            .await
            .map(|id| (id, start.authorize_url)),
        Err(e) => Err(e),
    };
    match started {
        Ok((id, authorize_url)) => {
            let cookie = private_cookie(
                &req,
                &state,
                LOGIN_COOKIE,
                id,
                i.secrets.pending.whole_seconds(),
            );
            see_other(&authorize_url, vec![cookie])
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

/// Starts a session for `subject` and sends the browser to `back` (the
/// view it came from) or the start page.
pub(super) async fn start_session(
    req: &HttpRequest,
    state: &WebState,
    subject: SubjectId,
    id_token: Option<String>,
    lang: Lang,
    back: Option<ReturnTo>,
) -> HttpResponse {
    let i = state.inner();
    if let Some(old) = req.cookie(SESSION_COOKIE)
        && let Err(e) = i.secrets.end_session(&i.service, old.value()).await
    {
        return super::respond::load_error(state, lang, e);
    }
    // A fresh id at every login: an id planted before login is worthless.
    let session = Session {
        subject,
        csrf: random_token(),
        id_token,
    };
    let id = match i.secrets.start_session(&i.service, &session).await {
        Ok(id) => id,
        Err(e) => return super::respond::load_error(state, lang, e),
    };
    // The browser keeps the cookie until the cap; the server ends the
    // session earlier when it is left idle.
    let cookie = private_cookie(
        req,
        state,
        SESSION_COOKIE,
        id,
        i.secrets.cap.whole_seconds(),
    );
    let to = back.map_or_else(
        || format!("{BASE_PATH}?lang={}", lang.code()),
        |b| b.location(),
    );
    see_other(&to, vec![cookie, expired_cookie(LOGIN_COOKIE)])
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
    let pending = match req.cookie(LOGIN_COOKIE) {
        Some(c) => match i.secrets.take_login(&i.service, c.value()).await {
            Ok(found) => found,
            Err(e) => return super::respond::load_error(&state, lang, e),
        },
        None => None,
    };
    let (Some((pending, back)), Some(code), Some(returned_state), None) = (
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
        Ok(done) => {
            let back = back.as_deref().and_then(ReturnTo::parse);
            start_session(&req, &state, done.subject, Some(done.id_token), lang, back).await
        }
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
    let Ok(Visitor::Citizen(id, session)) = visitor(&req, &state).await else {
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
    if let Err(e) = i.secrets.end_session(&i.service, &id).await {
        // The browser forgets the cookie below; the stored session then
        // ends at its idle end.
        tracing::warn!(error = %e, "citizen page: a logged-out session could not be removed");
    }
    let cookies = vec![expired_cookie(SESSION_COOKIE)];
    if let Some(token) = session.id_token
        && let Some(url) = i.service.citizen_logout_url(Some(token), lang.code()).await
    {
        return see_other(&url, cookies);
    }
    see_other(&done, cookies)
}
