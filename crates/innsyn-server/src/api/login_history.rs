//! Seed 1: `GET /innlogginger/logg/idporten?maxhits=N`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use innsyn_domain::{LoginHistoryEntry, Zone};
use serde::{Deserialize, Serialize};
use time::format_description::FormatItem;
use time::macros::format_description;
use utoipa::{IntoParams, ToSchema};

use super::responses::{Unauthorized, Unavailable};
use super::{AppState, parse_query};
use crate::error::{ApiError, Problem};

/// `YYYY-MM-DDThh:mm:ss`, local time without offset, as in the seed.
const TIDSPUNKT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");

/// Query parameters of seed 1.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoginHistoryParams {
    /// Largest number of events returned, newest first; 1 to 1000, default 100.
    #[param(value_type = Option<u16>, minimum = 1, maximum = 1000, example = 5)]
    pub maxhits: Option<String>,
}

/// One login, as seed 1 shows it. The key order is the seed's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({
    "tidspunkt": "2019-03-07T09:26:36",
    "tjeneste": "DIREKTORATET FOR FORVALTNING OG IKT",
    "eid": "MinID PIN",
    "integrasjon_id": "oidc_authorization_api_client_test",
    "orgno": "991825827"
}))]
pub struct LoginHistoryItem {
    /// Local time of the login in the server's zone, without offset.
    pub tidspunkt: String,
    /// The service's name.
    pub tjeneste: String,
    /// The eID and method, e.g. `MinID PIN`, or `Federated`.
    pub eid: String,
    /// The client id of the integration.
    pub integrasjon_id: String,
    /// The service's organisation number.
    pub orgno: String,
}

impl LoginHistoryItem {
    /// Renders one entry in `zone`.
    pub fn from_entry(e: &LoginHistoryEntry, zone: Zone) -> Result<Self, ApiError> {
        let tidspunkt = zone
            .to_local(e.occurred_at)
            .format(TIDSPUNKT)
            .map_err(|err| ApiError::Internal(format!("cannot format a time: {err}")))?;
        Ok(Self {
            tidspunkt,
            tjeneste: e.service_name.clone().unwrap_or_default(),
            eid: e.eid_label(),
            integrasjon_id: e.client_id.clone().unwrap_or_default(),
            orgno: e
                .orgno
                .as_ref()
                .map(|o| o.as_str().to_owned())
                .unwrap_or_default(),
        })
    }
}

/// The caller's own login history with the caller's organisation's services.
#[utoipa::path(
    get,
    path = "/innlogginger/logg/idporten",
    tag = "login history",
    params(LoginHistoryParams),
    security(("bearer" = ["idporten:user.log.read"])),
    responses(
        (status = 200, description = "Newest first; only services of the caller's organisation.",
         body = [LoginHistoryItem], content_type = "application/json"),
        (status = 400, description = "Bad `maxhits`.", body = Problem, content_type = "application/problem+json"),
        Unauthorized,
        (status = 403, description = "Missing scope, no subject or no organisation.", body = Problem, content_type = "application/problem+json"),
        Unavailable,
    )
)]
pub async fn login_history(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let caller = state.authenticate(&req).await?;
    let params: LoginHistoryParams = parse_query(req.query_string())?;
    let entries = state
        .service
        .login_history(&caller, params.maxhits.as_deref())
        .await?;
    let zone = state.service.zone();
    let items = entries
        .iter()
        .map(|e| LoginHistoryItem::from_entry(e, zone))
        .collect::<Result<Vec<_>, _>>()?;
    let body = serde_json::to_vec(&items).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}
