//! Plain words in the catalog (scope `history:admin`): organisations by
//! the names citizens know them by, and display names of codes. The
//! citizen page reads them; the APIs keep answering with the codes.

use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_domain::{LabelEntry, OrganisationEntry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::admin::put_entry;
use super::responses::{AdminOnly, BodyLimits, Unauthorized, Unavailable};
use crate::error::{ApiError, Problem};

/// An organisation in the catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"orgno": "889640782", "name": "NAV"}))]
pub struct OrganisationDoc {
    /// Organisation number.
    pub orgno: String,
    /// The name citizens know it by.
    pub name: String,
}

/// Display names of one code.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"kind": "action", "name": "read", "nb": "leste", "en": "read"}))]
pub struct LabelDoc {
    /// `resource`, `action` or `purpose`.
    #[schema(pattern = "^(resource|action|purpose)$")]
    pub kind: String,
    /// The code, as records carry it.
    pub name: String,
    /// Bokmål.
    pub nb: String,
    /// English (bokmål stands in when absent).
    pub en: Option<String>,
}

impl From<&OrganisationEntry> for OrganisationDoc {
    fn from(o: &OrganisationEntry) -> Self {
        Self {
            orgno: o.orgno.as_str().to_owned(),
            name: o.name.clone(),
        }
    }
}

impl From<&LabelEntry> for LabelDoc {
    fn from(l: &LabelEntry) -> Self {
        Self {
            kind: l.kind.as_str().to_owned(),
            name: l.name.clone(),
            nb: l.nb.clone(),
            en: l.en.clone(),
        }
    }
}

/// Body of `PUT /v1/catalog/organisations/{orgno}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"name": "NAV"}))]
pub struct PutOrganisation {
    /// The name citizens know it by: trimmed, not blank, at most 1024 bytes.
    pub name: String,
}

/// Body of `PUT /v1/catalog/labels/{kind}/{name}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"nb": "leste", "en": "read"}))]
pub struct PutLabel {
    /// Bokmål: trimmed, not blank, at most 1024 bytes. An action's label is
    /// a past-tense verb ("leste"): the page writes "NAV leste
    /// arbeidsforhold".
    pub nb: String,
    /// English (blank or absent: bokmål stands in).
    pub en: Option<String>,
}

/// Registers or renames an organisation.
#[utoipa::path(
    put, path = "/v1/catalog/organisations/{orgno}", tag = "admin",
    params(("orgno" = String, Path, description = "Organisation number (9 digits, modulus 11; `0192:` prefix accepted).", example = "889640782")),
    request_body = PutOrganisation,
    security(("bearer" = ["history:admin"])),
    responses(
        (status = 200, description = "Stored.", body = OrganisationDoc),
        (status = 400, description = "Invalid body or number (every bad field listed).", body = Problem, content_type = "application/problem+json"),
        BodyLimits,
        Unauthorized,
        AdminOnly,
        Unavailable,
    )
)]
pub async fn put_organisation(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    put_entry::<_, _, OrganisationDoc, _>(
        &req,
        payload,
        &state,
        None,
        |path, input: PutOrganisation| OrganisationEntry::validate(&path("orgno"), &input.name),
        |service, admin, entry| async move { service.put_organisation(&admin, entry).await },
    )
    .await
}

/// Sets the display names of a resource, action or purpose.
#[utoipa::path(
    put, path = "/v1/catalog/labels/{kind}/{name}", tag = "admin",
    params(
        ("kind" = String, Path, description = "`resource`, `action` or `purpose`.", example = "action"),
        ("name" = String, Path, description = "The code (trimmed; at most 1024 bytes).", example = "read"),
    ),
    request_body = PutLabel,
    security(("bearer" = ["history:admin"])),
    responses(
        (status = 200, description = "Stored.", body = LabelDoc),
        (status = 400, description = "Invalid body, kind or name (every bad field listed).", body = Problem, content_type = "application/problem+json"),
        BodyLimits,
        Unauthorized,
        AdminOnly,
        Unavailable,
    )
)]
pub async fn put_label(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    put_entry::<_, _, LabelDoc, _>(
        &req,
        payload,
        &state,
        None,
        |path, input: PutLabel| {
            LabelEntry::validate(&path("kind"), &path("name"), &input.nb, input.en.as_deref())
        },
        |service, admin, entry| async move { service.put_label(&admin, entry).await },
    )
    .await
}
