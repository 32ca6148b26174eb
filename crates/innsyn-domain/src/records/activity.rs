//! The ActivityRecord of ID-porten, as ingestion receives it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::orgno::OrgNumber;

/// One ID-porten activity record, the shape `eid-log-event`'s `activity.avsc`
/// emits. Only `event_name` and `event_created` are required by the schema.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(
    description = "An ID-porten ActivityRecord (`eid-log-event`, `activity.avsc`).",
    example = json!({
        "event_name": "Innlogget",
        "event_created": 1551947196000_i64,
        "event_subject_pid": "17912099997",
        "service_provider_id": "oidc_authorization_api_client_test",
        "service_provider_orgno": "991825827",
        "service_provider_name": "DIREKTORATET FOR FORVALTNING OG IKT",
        "auth_eid": "MinID",
        "auth_method": "PIN",
        "correlation_id": "5f1c2f7e-3a51-4f0e-9a8e-0d8c8b3b2a10",
        "extra_data": {"event_id": "e-1"}
    })
))]
pub struct ActivityRecord {
    /// The event, e.g. `Innlogget`. Required.
    pub event_name: String,
    /// Epoch milliseconds. Required.
    pub event_created: i64,
    /// Free text.
    pub event_description: Option<String>,
    /// The citizen's national identity number. Required for login events.
    pub event_subject_pid: Option<String>,
    /// Not stored.
    pub event_actor_id: Option<String>,
    /// ID-porten's correlation id.
    pub correlation_id: Option<String>,
    /// The client id (`integrasjon_id`).
    pub service_provider_id: Option<String>,
    /// The client's organisation number.
    pub service_provider_orgno: Option<String>,
    /// The client's name.
    pub service_provider_name: Option<String>,
    /// The service owner's id.
    pub service_owner_id: Option<String>,
    /// The service owner's organisation number (decides visibility in seed 1).
    pub service_owner_orgno: Option<String>,
    /// The service owner's name (`tjeneste`).
    pub service_owner_name: Option<String>,
    /// The eID, e.g. `MinID`, `BankID`.
    pub auth_eid: Option<String>,
    /// The method, e.g. `PIN`.
    pub auth_method: Option<String>,
    /// The producing application.
    pub application_name: Option<String>,
    /// Its environment.
    pub application_environment: Option<String>,
    /// Extra strings; only `event_id` (the idempotency key) is kept.
    #[serde(default)]
    pub extra_data: Option<BTreeMap<String, String>>,
}

/// An organisation as an activity record names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    /// Its id in ID-porten (client id or owner id).
    pub id: Option<String>,
    /// Its organisation number.
    pub orgno: Option<OrgNumber>,
    /// Its name.
    pub name: Option<String>,
}
