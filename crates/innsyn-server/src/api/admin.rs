//! Catalog administration and retention runs (scope `history:admin`).

use std::future::Future;

use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_app::{Admin, AppError, Service};
use innsyn_domain::{ClientEntry, InvalidParams, ResourceEntry};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

use super::admin_names::{LabelDoc, OrganisationDoc};
use super::responses::{AdminOnly, BodyLimits, Unauthorized, Unavailable};
use super::{AppState, bearer_token, read_json_body};
use crate::error::{ApiError, Problem};
use innsyn_app::wire::parse_json;

/// A client in the catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"clientId": "nav-minside", "application": "NAV Min side", "orgno": "889640782"}))]
pub struct ClientDoc {
    /// OAuth client id.
    pub client_id: String,
    /// Application (service) name.
    pub application: String,
    /// Organisation number owning the service.
    pub orgno: Option<String>,
}

/// A resource in the catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"name": "skattemelding", "urn": "urn:altinn:resource:skattemelding"}))]
pub struct ResourceDoc {
    /// Resource name.
    pub name: String,
    /// Its URN.
    pub urn: Option<String>,
}

impl From<&ClientEntry> for ClientDoc {
    fn from(entry: &ClientEntry) -> Self {
        Self {
            client_id: entry.client_id.clone(),
            application: entry.application.clone(),
            orgno: entry.orgno.as_ref().map(|o| o.as_str().to_owned()),
        }
    }
}

impl From<&ResourceEntry> for ResourceDoc {
    fn from(entry: &ResourceEntry) -> Self {
        Self {
            name: entry.name.clone(),
            urn: entry.urn.clone(),
        }
    }
}

/// The whole catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CatalogDoc {
    /// Clients and their applications.
    pub clients: Vec<ClientDoc>,
    /// Resources.
    pub resources: Vec<ResourceDoc>,
    /// Action names.
    pub actions: Vec<String>,
    /// Purpose names.
    pub purposes: Vec<String>,
    /// Organisations by the names citizens know them by.
    pub organisations: Vec<OrganisationDoc>,
    /// Display names of resources, actions and purposes.
    pub labels: Vec<LabelDoc>,
}

/// Body of `PUT /v1/catalog/clients/{clientId}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"application": "Skatteetaten", "orgno": "974761076"}))]
pub struct PutClient {
    /// Application (service) name: trimmed, not blank, at most 1024 bytes.
    pub application: String,
    /// Organisation number (9 digits, modulus 11; `0192:` prefix accepted;
    /// blank or absent: none).
    pub orgno: Option<String>,
}

/// Body of `PUT /v1/catalog/resources/{name}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"urn": "urn:altinn:resource:skattemelding"}))]
pub struct PutResource {
    /// Its URN.
    pub urn: Option<String>,
}

/// What a retention run removed.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"cutoff": "2023-05-15T12:00:00Z", "loginEvents": 120, "accessRecords": 37}))]
pub struct RetentionDoc {
    /// Everything before this instant was removed; `null` when retention
    /// is off (`database.retention_months` unset).
    pub cutoff: Option<String>,
    /// Login events removed.
    pub login_events: u64,
    /// Access records removed.
    pub access_records: u64,
}

async fn admin(req: &HttpRequest, state: &AppState) -> Result<Admin, ApiError> {
    Ok(state.service.admin(&bearer_token(req)?).await?)
}

/// A path parameter's value by its name (empty when absent).
pub(super) type PathParam<'a> = dyn Fn(&str) -> String + 'a;

/// `PUT` of one catalog entry named by its path parameters: the body `B`
/// (`empty` stands for an empty body, if given), the entry `validate` makes
/// of the path (a parameter's value by its name) and body, stored by the
/// use case `put`; the answer is its document `D`.
pub(super) async fn put_entry<B, E, D, F>(
    req: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
    empty: Option<B>,
    validate: fn(&PathParam<'_>, B) -> Result<E, InvalidParams>,
    put: impl FnOnce(Service, Admin, E) -> F,
) -> Result<HttpResponse, ApiError>
where
    B: DeserializeOwned,
    D: Serialize + for<'e> From<&'e E>,
    F: Future<Output = Result<(), AppError>>,
{
    let admin = admin(req, state).await?;
    let body = read_json_body(req, payload, state.body_limit).await?;
    let input = match empty {
        Some(input) if body.is_empty() => input,
        _ => parse_json(&body)?,
    };
    let path = |name: &str| req.match_info().get(name).unwrap_or_default().to_owned();
    let entry = validate(&path, input)?;
    let doc = D::from(&entry);
    put(state.service.clone(), admin, entry).await?;
    Ok(HttpResponse::Ok().json(doc))
}

/// The whole catalog.
#[utoipa::path(
    get, path = "/v1/catalog", tag = "admin",
    security(("bearer" = ["history:admin"])),
    responses(
        (status = 200, description = "The catalog, sorted by name.", body = CatalogDoc),
        Unauthorized,
        AdminOnly,
        Unavailable,
    )
)]
pub async fn get_catalog(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let admin = admin(&req, &state).await?;
    let catalog = state.service.catalog(&admin).await?;
    Ok(HttpResponse::Ok().json(CatalogDoc {
        clients: catalog.clients.iter().map(ClientDoc::from).collect(),
        resources: catalog.resources.iter().map(ResourceDoc::from).collect(),
        actions: catalog.actions,
        purposes: catalog.purposes,
        organisations: catalog
            .organisations
            .iter()
            .map(OrganisationDoc::from)
            .collect(),
        labels: catalog.labels.iter().map(LabelDoc::from).collect(),
    }))
}

/// Registers or updates a client.
#[utoipa::path(
    put, path = "/v1/catalog/clients/{clientId}", tag = "admin",
    params(("clientId" = String, Path, description = "OAuth client id (trimmed; at most 1024 bytes).", example = "ske-client")),
    request_body = PutClient,
    security(("bearer" = ["history:admin"])),
    responses(
        (status = 200, description = "Stored.", body = ClientDoc),
        (status = 400, description = "Invalid body or name (every bad field listed).", body = Problem, content_type = "application/problem+json"),
        BodyLimits,
        Unauthorized,
        AdminOnly,
        Unavailable,
    )
)]
pub async fn put_client(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    put_entry::<_, _, ClientDoc, _>(
        &req,
        payload,
        &state,
        None,
        |path, input: PutClient| {
            ClientEntry::validate(
                &path("clientId"),
                &input.application,
                input.orgno.as_deref(),
            )
        },
        |service, admin, entry| async move { service.put_client(&admin, entry).await },
    )
    .await
}

/// Registers or updates a resource.
#[utoipa::path(
    put, path = "/v1/catalog/resources/{name}", tag = "admin",
    params(("name" = String, Path, description = "Resource name (trimmed; at most 1024 bytes).", example = "skattemelding")),
    request_body(content = Option<PutResource>, description = "Optional: no body is a resource without a URN."),
    security(("bearer" = ["history:admin"])),
    responses(
        (status = 200, description = "Stored.", body = ResourceDoc),
        (status = 400, description = "Invalid body or name (every bad field listed).", body = Problem, content_type = "application/problem+json"),
        BodyLimits,
        Unauthorized,
        AdminOnly,
        Unavailable,
    )
)]
pub async fn put_resource(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    put_entry::<_, _, ResourceDoc, _>(
        &req,
        payload,
        &state,
        Some(PutResource::default()),
        |path, input: PutResource| ResourceEntry::validate(&path("name"), input.urn.as_deref()),
        |service, admin, entry| async move { service.put_resource(&admin, entry).await },
    )
    .await
}

/// Removes everything older than the configured retention
/// (`database.retention_months`).
#[utoipa::path(
    post, path = "/v1/retention", tag = "admin",
    security(("bearer" = ["history:admin"])),
    responses(
        (status = 200, description = "What was removed.", body = RetentionDoc),
        Unauthorized,
        AdminOnly,
        Unavailable,
    )
)]
pub async fn retention(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let admin = admin(&req, &state).await?;
    let Some(run) = state.service.run_retention(&admin).await? else {
        return Ok(HttpResponse::Ok().json(RetentionDoc {
            cutoff: None,
            login_events: 0,
            access_records: 0,
        }));
    };
    tracing::info!(
        login_events = run.removed.login_events,
        access_records = run.removed.access_records,
        "retention run"
    );
    Ok(HttpResponse::Ok().json(RetentionDoc {
        cutoff: Some(
            run.cutoff
                .format(&Rfc3339)
                .map_err(|e| ApiError::Internal(e.to_string()))?,
        ),
        login_events: run.removed.login_events,
        access_records: run.removed.access_records,
    }))
}
