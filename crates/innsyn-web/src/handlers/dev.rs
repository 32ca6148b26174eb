//! The demo-citizen picker of `innsyn dev`: logs in without a provider,
//! only as one of the configured demo citizens.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_domain::SubjectId;
use serde::Deserialize;

use super::DEV_CSRF_COOKIE;
use super::cookies::{LangParam, language, private_cookie};
use super::login::start_session;
use super::page::not_found_in;
use super::respond::{frame, respond, see_other};
use crate::html;
use crate::return_to::ReturnTo;
use crate::session::{random_token, same_secret};
use crate::{BASE_PATH, WebState};

/// How long a picker form stays valid.
const FORM_SECS: i64 = 600;

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
    // The same token in the form and in a cookie another site cannot read
    // or set: a post that lacks either was not made from this form.
    let token = random_token();
    let mut cookies: Vec<_> = lang_cookie.into_iter().collect();
    cookies.push(private_cookie(
        &req,
        &state,
        DEV_CSRF_COOKIE,
        token.clone(),
        FORM_SECS,
    ));
    respond(
        StatusCode::OK,
        html::dev_picker_page(
            &f,
            &state.inner().settings.dev_subjects,
            &token,
            q.return_to().as_ref(),
        ),
        cookies,
    )
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct DevLoginForm {
    subject: Option<String>,
    csrf: Option<String>,
    tilbake: Option<String>,
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
    let cookie = req.cookie(DEV_CSRF_COOKIE);
    let from_our_form = form
        .csrf
        .as_deref()
        .zip(cookie.as_ref())
        .is_some_and(|(sent, kept)| same_secret(sent, kept.value()));
    if !from_our_form {
        tracing::warn!("citizen page: demo login without a valid form token");
        return see_other(
            &format!("{BASE_PATH}/dev-login?lang={}", lang.code()),
            Vec::new(),
        );
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
        Some(subject) => {
            let back = form.tilbake.as_deref().and_then(ReturnTo::parse);
            start_session(&req, &state, subject, None, lang, back).await
        }
        None => see_other(
            &format!("{BASE_PATH}/dev-login?lang={}", lang.code()),
            Vec::new(),
        ),
    }
}
