//! The routes and the middleware around them.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, FromRequest, Handler, Resource, Responder, web};
use utoipa_swagger_ui::SwaggerUi;

use crate::api::disputes::{me, organisation};
use crate::api::{
    AppState, access_history, admin, admin_names, ingest, log, login_history, me_export, ops,
};
use crate::middleware::{self, RateLimiter, TlsOn};

/// The application: routes and middleware. Shared by the server and tests.
/// `page` mounts the citizen's page under [`innsyn_web::BASE_PATH`]; build it
/// once and clone it into every worker so they share its sessions.
pub fn app(
    state: web::Data<AppState>,
    limiter: web::Data<RateLimiter>,
    tls: bool,
    openapi: utoipa::openapi::OpenApi,
    page: Option<innsyn_web::WebState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let metrics = web::Data::new(state.metrics.clone());
    let has_page = page.is_some();
    App::new()
        .app_data(state)
        .app_data(limiter)
        .app_data(metrics)
        .app_data(web::Data::new(TlsOn(tls)))
        // Only when the client asks (Accept-Encoding): HTML, CSS, JSON and
        // CSV shrink 5-10 times; the API's load tools ask for nothing.
        .wrap(Compress::default())
        .wrap(from_fn(middleware::problem_fallback))
        .wrap(from_fn(middleware::rate_limit))
        .wrap(from_fn(middleware::security_headers))
        .wrap(from_fn(middleware::observe))
        .wrap(from_fn(middleware::head_as_get))
        .service(get(
            web::resource("/innlogginger/logg/idporten"),
            login_history::login_history,
        ))
        .service(get(
            web::resource([
                "/metadata/v1/{userId}/accessHistory",
                "/metadata/v1/{userId}/accessHistory/",
            ]),
            access_history::access_history,
        ))
        .service(post(
            web::resource("/v1/login-events"),
            ingest::login_events,
        ))
        .service(post(
            web::resource("/v1/access-records"),
            ingest::access_records,
        ))
        .service(get(web::resource("/v1/catalog"), admin::get_catalog))
        .service(put(
            web::resource("/v1/catalog/clients/{clientId}"),
            admin::put_client,
        ))
        .service(put(
            web::resource("/v1/catalog/resources/{name}"),
            admin::put_resource,
        ))
        .service(put(
            web::resource("/v1/catalog/organisations/{orgno}"),
            admin_names::put_organisation,
        ))
        .service(put(
            web::resource("/v1/catalog/labels/{kind}/{name}"),
            admin_names::put_label,
        ))
        .service(post(web::resource("/v1/retention"), admin::retention))
        .service(get(web::resource("/v1/disputes"), organisation::list))
        .service(get(web::resource("/v1/disputes/{id}"), organisation::get))
        .service(post(
            web::resource("/v1/disputes/{id}/answer"),
            organisation::answer,
        ))
        .service(
            web::resource("/v1/me/disputes")
                .route(web::get().to(me::list))
                .route(web::post().to(me::open))
                .default_service(web::to(|| ops::method_not_allowed("GET, HEAD, POST"))),
        )
        .service(get(web::resource("/v1/me/disputes/{id}"), me::get))
        .service(get(web::resource("/v1/me/export"), me_export::export))
        .service(get(web::resource("/v1/log/checkpoint"), log::checkpoint))
        .service(get(web::resource("/v1/log/key"), log::key))
        .service(get(
            web::resource("/v1/log/proof/consistency"),
            log::consistency,
        ))
        .service(get(web::resource("/healthz"), ops::healthz))
        .service(get(web::resource("/readyz"), ops::readyz))
        .service(get(web::resource("/metrics"), ops::metrics))
        .service(get(web::resource("/docs"), ops::docs_redirect))
        .service(get(web::resource("/favicon.ico"), ops::favicon))
        .service(get(web::resource("/"), move || ops::start_page(has_page)))
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", openapi))
        .configure(move |cfg| {
            if let Some(page) = page {
                innsyn_web::configure(cfg, page);
            }
        })
        .default_service(web::to(ops::not_found))
}

/// `r` answering `method` with `handler`, and 405 with its own `Allow`
/// for any other method.
fn answering<F, Args>(r: Resource, method: Method, allow: &'static str, handler: F) -> Resource
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    r.route(web::method(method).to(handler))
        .default_service(web::to(move || ops::method_not_allowed(allow)))
}

/// A GET resource; HEAD reaches it through [`middleware::head_as_get`].
fn get<F, Args>(r: Resource, handler: F) -> Resource
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    answering(r, Method::GET, "GET, HEAD", handler)
}

fn post<F, Args>(r: Resource, handler: F) -> Resource
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    answering(r, Method::POST, "POST", handler)
}

fn put<F, Args>(r: Resource, handler: F) -> Resource
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    answering(r, Method::PUT, "PUT", handler)
}
