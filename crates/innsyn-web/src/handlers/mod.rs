//! The page's routes under `/min-side`: each handler reads the request,
//! calls one use case of [`innsyn_app::Service`] and renders the answer.

mod cookies;
mod dev;
mod disputes;
mod export;
mod login;
mod origin;
mod page;
mod respond;
#[cfg(test)]
mod tests;

use actix_web::http::header;
use actix_web::middleware::{DefaultHeaders, from_fn};
use actix_web::web;

use crate::{BASE_PATH, WebState};
use dev::{dev_login, dev_login_page};
use export::{export_access_csv, export_json, export_logins_csv};
use login::{callback, login_page, login_start, logout};
use page::{index, not_found, style};

const SESSION_COOKIE: &str = "innsyn_sid";
const LOGIN_COOKIE: &str = "innsyn_login";
const LANG_COOKIE: &str = "innsyn_lang";
/// The dev picker's form token (double-submit: no session exists yet).
const DEV_CSRF_COOKIE: &str = "innsyn_dev_csrf";

/// The scope with every route and the page's security headers.
pub(crate) fn scope(state: WebState) -> impl actix_web::dev::HttpServiceFactory {
    let csp = state.inner().csp.clone();
    web::scope(BASE_PATH)
        .app_data(web::Data::new(state))
        .wrap(from_fn(origin::check_origin))
        .wrap(
            DefaultHeaders::new()
                .add((header::CONTENT_SECURITY_POLICY, csp))
                .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                // Not `no-referrer`: under it browsers send `Origin: null`
                // with the page's own form posts (Fetch, "append a request
                // Origin header"). Nothing leaves for other sites either way.
                .add((header::REFERRER_POLICY, "same-origin"))
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
        .route("/meld-fra", web::get().to(disputes::report_page_of))
        .route("/meld-fra", web::post().to(disputes::report))
        .route("/dette-var-meg", web::post().to(disputes::confirm))
        .route("/saker", web::get().to(disputes::cases))
        .route("/dev-login", web::get().to(dev_login_page))
        .route("/dev-login", web::post().to(dev_login))
        .default_service(web::to(not_found))
}
