//! The routes and the middleware around them.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, web};
use utoipa_swagger_ui::SwaggerUi;

use crate::api::{AppState, access_history, admin, ingest, login_history, ops};
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
    let get = |path: &str, handler| {
        web::resource(path)
            .route(web::get().to(handler))
            .default_service(web::to(ops::method_not_allowed))
    };
    App::new()
        .app_data(state)
        .app_data(limiter)
        .app_data(metrics)
        .app_data(web::Data::new(TlsOn(tls)))
        .wrap(from_fn(middleware::problem_fallback))
        .wrap(from_fn(middleware::rate_limit))
        .wrap(from_fn(middleware::security_headers))
        .wrap(from_fn(middleware::observe))
        .service(
            web::resource("/innlogginger/logg/idporten")
                .route(web::get().to(login_history::login_history))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource([
                "/metadata/v1/{userId}/accessHistory",
                "/metadata/v1/{userId}/accessHistory/",
            ])
            .route(web::get().to(access_history::access_history))
            .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/v1/login-events")
                .route(web::post().to(ingest::login_events))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/v1/access-records")
                .route(web::post().to(ingest::access_records))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/v1/catalog")
                .route(web::get().to(admin::get_catalog))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/v1/catalog/clients/{clientId}")
                .route(web::put().to(admin::put_client))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/v1/catalog/resources/{name}")
                .route(web::put().to(admin::put_resource))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/v1/retention")
                .route(web::post().to(admin::retention))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(get("/healthz", ops::healthz))
        .service(
            web::resource("/readyz")
                .route(web::get().to(ops::readyz))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/metrics")
                .route(web::get().to(ops::metrics))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(
            web::resource("/docs")
                .route(web::get().to(ops::docs_redirect))
                .default_service(web::to(ops::method_not_allowed)),
        )
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", openapi))
        .configure(move |cfg| {
            if let Some(page) = page {
                innsyn_web::configure(cfg, page);
            }
        })
        .default_service(web::to(ops::not_found))
}
