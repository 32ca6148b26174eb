//! The history page itself, its stylesheet and the page's 404.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use super::cookies::{language, require_citizen};
use super::respond::{error_response, frame, load_error, respond};
use crate::WebState;
use crate::html;
use crate::i18n::{Lang, T};
use crate::return_to::ReturnTo;
use crate::view::{Filters, PAGE_SIZE, PageParams};

pub(super) async fn index(
    req: HttpRequest,
    state: web::Data<WebState>,
    q: web::Query<PageParams>,
) -> HttpResponse {
    let (lang, lang_cookie) = language(&req, q.lang.as_deref());
    // A citizen sent to log in comes back to this very view.
    let back = ReturnTo::parse(req.query_string());
    let (_, session) = match require_citizen(&req, &state, lang, back.as_ref()).await {
        Ok(found) => found,
        Err(to_login) => return to_login,
    };
    let filters = Filters::from_params(&q);
    let data = match state
        .inner()
        .service
        .citizen_view(&session.subject, &filters.view_request(PAGE_SIZE))
        .await
    {
        Ok(d) => d,
        Err(e) => return load_error(&state, lang, e),
    };
    let switch = html::view_href(
        &filters,
        lang.other(),
        filters.login_page,
        filters.access_page,
    );
    let f = frame(&state, lang, switch, Some(&session.csrf));
    respond(
        StatusCode::OK,
        html::history_page(&f, &filters, &data),
        lang_cookie.into_iter().collect(),
    )
}

pub(super) async fn style() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(html::STYLE_CSS)
}

pub(super) fn not_found_in(state: &WebState, lang: Lang) -> HttpResponse {
    error_response(state, lang, StatusCode::NOT_FOUND, T::NotFound)
}

pub(super) async fn not_found(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (lang, _) = language(&req, None);
    not_found_in(&state, lang)
}
