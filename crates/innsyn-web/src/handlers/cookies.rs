//! The page's cookies: language, session and pending login.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use serde::Deserialize;

use super::{LANG_COOKIE, SESSION_COOKIE};
use crate::i18n::Lang;
use crate::session::Session;
use crate::{BASE_PATH, WebState};

#[derive(Debug, Default, Deserialize)]
pub(super) struct LangParam {
    pub(super) lang: Option<String>,
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

pub(super) fn session(req: &HttpRequest, state: &WebState) -> Option<(String, Session)> {
    let id = req.cookie(SESSION_COOKIE)?.value().to_owned();
    let now = state.inner().service.now();
    let s = state.inner().sessions.get(&id, now)?;
    Some((id, s))
}
