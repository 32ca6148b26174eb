//! Rendering: the frame every page shares, HTML answers, redirects and
//! the one mapping of the use cases' failures to what a citizen sees.

use actix_web::cookie::Cookie;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, HttpResponseBuilder};
use innsyn_app::AppError;
use innsyn_ports::StoreError;
use maud::Markup;

use crate::html::{self, Frame};
use crate::i18n::{Lang, T};
use crate::{BASE_PATH, WebState};

pub(super) fn frame<'a>(
    state: &WebState,
    lang: Lang,
    switch_href: String,
    csrf: Option<&'a str>,
) -> Frame<'a> {
    Frame {
        lang,
        switch_href,
        logout_csrf: csrf,
        zone: state.inner().service.zone(),
    }
}

pub(super) fn respond(
    status: StatusCode,
    markup: Markup,
    cookies: Vec<Cookie<'static>>,
) -> HttpResponse {
    let mut b = HttpResponseBuilder::new(status);
    b.content_type("text/html; charset=utf-8");
    for c in cookies {
        b.cookie(c);
    }
    b.body(markup.into_string())
}

pub(super) fn see_other(location: &str, cookies: Vec<Cookie<'static>>) -> HttpResponse {
    let mut b = HttpResponse::SeeOther();
    b.insert_header((header::LOCATION, location.to_owned()));
    for c in cookies {
        b.cookie(c);
    }
    b.finish()
}

pub(super) fn login_location(lang: Lang, extra: &str) -> String {
    format!("{BASE_PATH}/logg-inn?lang={}{extra}", lang.code())
}

pub(super) fn error_response(
    state: &WebState,
    lang: Lang,
    status: StatusCode,
    message: T,
) -> HttpResponse {
    let f = frame(
        state,
        lang,
        format!("{BASE_PATH}?lang={}", lang.other().code()),
        None,
    );
    respond(status, html::error_page(&f, message), Vec::new())
}

pub(super) fn load_error(state: &WebState, lang: Lang, e: AppError) -> HttpResponse {
    match e {
        AppError::Store(StoreError::Unavailable(reason)) => {
            tracing::warn!(%reason, "citizen page: history store unavailable");
            let mut r =
                error_response(state, lang, StatusCode::SERVICE_UNAVAILABLE, T::Unavailable);
            r.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("30"));
            r
        }
        other => {
            tracing::error!(error = %other, "citizen page: loading the history failed");
            error_response(
                state,
                lang,
                StatusCode::INTERNAL_SERVER_ERROR,
                T::Unavailable,
            )
        }
    }
}
