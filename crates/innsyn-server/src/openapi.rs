//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::{access_history, admin, ingest, login_history, ops};
use crate::error::{InvalidParamBody, Problem};

/// The API description served at `/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "innsyn",
        description = "Who logged in as me (ID-porten login history) and who accessed my data (access history).\n\nAll errors are RFC 9457 `application/problem+json`. Bearer tokens per RFC 6750: 401 carries `WWW-Authenticate: Bearer error=\"invalid_token\"`, 403 for a missing scope `error=\"insufficient_scope\", scope=\"…\"`. 503 responses carry `Retry-After`.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        login_history::login_history,
        access_history::access_history,
        ingest::login_events,
        ingest::access_records,
        admin::get_catalog,
        admin::put_client,
        admin::put_resource,
        admin::retention,
        ops::healthz,
        ops::readyz,
        ops::metrics,
    ),
    components(schemas(
        Problem,
        InvalidParamBody,
        login_history::LoginHistoryItem,
        access_history::AccessHistoryPage,
        access_history::AccessHistoryRecord,
        ingest::IngestOutcome,
        innsyn_domain::ActivityRecord,
        innsyn_domain::AccessRecordInput,
        admin::CatalogDoc,
        admin::ClientDoc,
        admin::ResourceDoc,
        admin::PutClient,
        admin::PutResource,
        admin::RetentionDoc,
        ops::Health,
    )),
    modifiers(&BearerScheme),
    tags(
        (name = "login history", description = "Seed 1: ID-porten login history of the token's own subject."),
        (name = "access history", description = "Seed 2: who accessed a user's data."),
        (name = "ingestion", description = "Batch ingestion of login events and access records (`history:write`)."),
        (name = "admin", description = "Catalog administration and retention (`history:admin`)."),
        (name = "operations", description = "Health, readiness and metrics."),
    )
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("JWT (RFC 9068) or opaque (RFC 7662)".to_owned());
        http.description = Some(
            "An OAuth 2.0 access token. Scopes: idporten:user.log.read, history:read, history:audit, history:write, history:admin (names configurable)."
                .to_owned(),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(http));
    }
}
