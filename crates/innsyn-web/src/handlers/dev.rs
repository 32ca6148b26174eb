//! The demo-citizen picker of `innsyn dev`: logs in without a provider,
//! only as one of the configured demo citizens.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_domain::SubjectId;
use serde::Deserialize;

use super::cookies::{LangParam, language};
use super::login::start_session;
use super::page::not_found_in;
use super::respond::{frame, respond, see_other};
use crate::html;
use crate::{BASE_PATH, WebState};

pub(super) async fn dev_login_page(
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
pub(super) struct DevLoginForm {
    subject: Option<String>,
}

pub(super) async fn dev_login(
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
