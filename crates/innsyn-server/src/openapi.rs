//! The OpenAPI 3.1 document: generated from the handlers' annotations, then
//! completed with what annotations cannot say: the rules the domain
//! enforces on each field ([`rules`]), the statuses and headers every
//! operation shares ([`statuses`]) and the security schemes ([`security`]).

mod json;
mod rules;
mod security;
mod statuses;

use utoipa::OpenApi;

use crate::api::{
    access_history, admin, admin_names, disputes, ingest, log, login_history, me_export, ops,
};
use crate::error::{InvalidParamBody, Problem};

/// What the handlers' annotations say; [`ApiDoc`] completes it.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "innsyn",
        description = "Who logged in as me (ID-porten login history) and who accessed my data (access history).\n\nAll errors are RFC 9457 `application/problem+json`. Bearer tokens per RFC 6750: 401 carries `WWW-Authenticate: Bearer error=\"invalid_token\"`, 403 for a missing scope `error=\"insufficient_scope\", scope=\"…\"`. 429 and 503 carry `Retry-After` (seconds). A method a path does not have is 405 with that path's `Allow`. HEAD is answered on every GET operation. Scope names are the defaults; each is configurable (`[scopes]`).",
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
        admin_names::put_organisation,
        admin_names::put_label,
        admin::retention,
        disputes::organisation::list,
        disputes::organisation::get,
        disputes::organisation::answer,
        disputes::me::open,
        disputes::me::list,
        disputes::me::get,
        log::checkpoint,
        log::key,
        log::consistency,
        me_export::export,
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
        admin_names::OrganisationDoc,
        admin_names::LabelDoc,
        admin_names::PutOrganisation,
        admin_names::PutLabel,
        disputes::DisputeDoc,
        disputes::DisputedItemDoc,
        disputes::DisputePageDoc,
        disputes::OpenDisputeBody,
        disputes::AnswerBody,
        log::ConsistencyDoc,
        ops::Health,
    )),
    tags(
        (name = "login history", description = "Seed 1: ID-porten login history of the token's own subject."),
        (name = "access history", description = "Seed 2: who accessed a user's data."),
        (name = "ingestion", description = "Batch ingestion of login events and access records (`history:write`)."),
        (name = "admin", description = "Catalog administration and retention (`history:admin`)."),
        (name = "disputes", description = "\"Det var ikke meg\": a citizen reports a login or a look-up (`/v1/me/disputes`, the citizen's token with `history:read`); the organisation that answers for it reads and answers the case (`/v1/disputes`, `history:disputes`)."),
        (name = "log", description = "The tamper-evident log (RFC 9162 Merkle tree, C2SP signed checkpoints): public, no token. A citizen's JSON download carries inclusion proofs against a checkpoint; `innsyn verify` checks them offline."),
        (name = "operations", description = "Health, readiness and metrics."),
    )
)]
struct Annotated;

/// The API description served at `/openapi.json`.
pub struct ApiDoc;

impl OpenApi for ApiDoc {
    fn openapi() -> utoipa::openapi::OpenApi {
        let annotated = Annotated::openapi();
        match completed(&annotated) {
            Ok(doc) => doc,
            // Only a bug of ours gets here (the tests build the document);
            // the annotated part still describes the API.
            Err(e) => {
                tracing::error!(error = %e, "cannot complete the OpenAPI document");
                annotated
            }
        }
    }
}

/// The annotated document with the rules, statuses and schemes added.
fn completed(
    annotated: &utoipa::openapi::OpenApi,
) -> Result<utoipa::openapi::OpenApi, serde_json::Error> {
    let mut doc = serde_json::from_value(completed_json(annotated)?)?;
    security::add_schemes(&mut doc);
    Ok(doc)
}

/// The completion works on the JSON form: utoipa's types make every
/// nested schema an enum to match on, JSON paths say the same plainly.
fn completed_json(
    annotated: &utoipa::openapi::OpenApi,
) -> Result<serde_json::Value, serde_json::Error> {
    let mut doc = serde_json::to_value(annotated)?;
    rules::apply(&mut doc);
    statuses::apply(&mut doc);
    security::apply(&mut doc);
    Ok(doc)
}

#[cfg(test)]
mod tests;
