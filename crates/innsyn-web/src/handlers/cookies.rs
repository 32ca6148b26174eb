//! The page's cookies: language, session and pending login.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse};
use innsyn_app::AppError;
use serde::Deserialize;

use super::respond::{load_error, login_location, see_other};
use super::{LANG_COOKIE, SESSION_COOKIE};
use crate::i18n::Lang;
use crate::return_to::{ReturnTo, param_of};
use crate::session::Session;
use crate::{BASE_PATH, WebState};

#[derive(Debug, Default, Deserialize)]
pub(super) struct LangParam {
    pub(super) lang: Option<String>,
    /// Where to go after a login (the login pages carry it through).
    pub(super) tilbake: Option<String>,
}

impl LangParam {
    pub(super) fn return_to(&self) -> Option<ReturnTo> {
        self.tilbake.as_deref().and_then(ReturnTo::parse)
    }
}

/// The language: `?lang=` (remembered in a cookie), else the cookie, else
/// bokmål.
pub(super) fn language(req: &HttpRequest, asked: Option<&str>) -> (Lang, Option<Cookie<'static>>) {
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

pub(super) fn secure(req: &HttpRequest, state: &WebState) -> bool {
    let s = &state.inner().settings;
    s.secure_cookies
        || s.public_base_url.starts_with("https://")
        || req.connection_info().scheme() == "https"
}

pub(super) fn private_cookie(
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

pub(super) fn expired_cookie(name: &'static str) -> Cookie<'static> {
    let mut c = Cookie::build(name, "")
        .path(BASE_PATH)
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish();
    c.make_removal();
    c
}

/// Who a request comes from, by its session cookie.
pub(super) enum Visitor {
    /// A logged-in citizen: the session's id and the session.
    Citizen(String, Session),
    /// A session cookie whose session has ended (idle, or at its cap).
    Expired,
    /// No session cookie.
    Anonymous,
}

/// The request's visitor; using a session moves its idle end.
pub(super) async fn visitor(req: &HttpRequest, state: &WebState) -> Result<Visitor, AppError> {
    let Some(cookie) = req.cookie(SESSION_COOKIE) else {
        return Ok(Visitor::Anonymous);
    };
    let id = cookie.value().to_owned();
    let i = state.inner();
    Ok(match i.secrets.session(&i.service, &id).await? {
        Some(s) => Visitor::Citizen(id, s),
        None => Visitor::Expired,
    })
}

/// The logged-in citizen, or the response that sends the browser to log
/// in (saying so when its session has ended) and back to `return_to`.
pub(super) async fn require_citizen(
    req: &HttpRequest,
    state: &WebState,
    lang: Lang,
    return_to: Option<&ReturnTo>,
) -> Result<(String, Session), HttpResponse> {
    let back = param_of(return_to);
    match visitor(req, state).await {
        Ok(Visitor::Citizen(id, s)) => Ok((id, s)),
        Ok(Visitor::Expired) => Err(see_other(
            &login_location(lang, &format!("&utlopt=1{back}")),
            vec![expired_cookie(SESSION_COOKIE)],
        )),
        Ok(Visitor::Anonymous) => Err(see_other(&login_location(lang, &back), Vec::new())),
        Err(e) => Err(load_error(state, lang, e)),
    }
}
