//! The raw query string of the access-history endpoint.

use serde::Deserialize;

#[cfg(feature = "openapi")]
use crate::decision::Decision;

/// The raw query string of the access-history endpoint, exactly as sent.
///
/// Every value stays a string so that [`super::AccessHistoryQuery::build`]
/// can report each bad one by name instead of failing on the first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AccessHistoryParams {
    /// The application name to filter by. Cannot be combined with `clientId`.
    pub application: Option<String>,
    /// The OAuth client id of the application to filter by. Cannot be combined with `application`.
    #[cfg_attr(feature = "openapi", param(rename = "clientId"))]
    pub client_id: Option<String>,
    /// The resource name, or URN (`urn:…`), to filter by.
    pub resource: Option<String>,
    /// The action name to filter by.
    pub action: Option<String>,
    /// The purpose name to filter by.
    pub purpose: Option<String>,
    /// The XACML decision to filter by (always validated; any letter case).
    #[cfg_attr(
        feature = "openapi",
        param(inline, value_type = Option<Decision>, example = "Permit")
    )]
    pub decision: Option<String>,
    /// Start of the window (inclusive). Relative `-N[mhdwMy]` before now, or
    /// partial ISO 8601 `YYYY[-MM[-DD[Thh[:mm[:ss]]]]]` with optional zone
    /// (no zone: the server's zone). Default `-1d`.
    #[cfg_attr(
        feature = "openapi",
        param(rename = "startTime", default = "-1d", example = "2024-05-01")
    )]
    pub start_time: Option<String>,
    /// End of the window (exclusive). Relative `N[mhdwMy]` after the start, or
    /// absolute as `startTime`. Default now.
    #[cfg_attr(feature = "openapi", param(rename = "endTime", example = "1M"))]
    pub end_time: Option<String>,
    /// Page size, 1 to 1000, default 100.
    #[cfg_attr(
        feature = "openapi",
        param(value_type = Option<u16>, minimum = 1, maximum = 1000, default = 100)
    )]
    pub count: Option<String>,
    /// Offset of the first item, 0 to 1000000, default 0; deeper pages follow
    /// the `Link` cursor.
    #[cfg_attr(
        feature = "openapi",
        param(rename = "startIndex", value_type = Option<u64>, minimum = 0, maximum = 1_000_000, default = 0)
    )]
    pub start_index: Option<String>,
    /// Sort field: timestamp (default), application, clientId, resource,
    /// action, purpose, decision (any letter case).
    #[cfg_attr(
        feature = "openapi",
        param(rename = "sortBy", default = "timestamp", example = "timestamp")
    )]
    pub sort_by: Option<String>,
    /// `asc` or `desc` (also `ascending`, `descending`; any letter case);
    /// default `desc` for timestamp, else `asc`.
    #[cfg_attr(feature = "openapi", param(rename = "sortOrder", example = "desc"))]
    pub sort_order: Option<String>,
    /// A flag: present with any value, or none (`?validate`), every filter
    /// value must exist in the catalog (else 400). Absent: `application`,
    /// `clientId` and `resource` are still checked.
    pub validate: Option<String>,
    /// Opaque continuation from a previous page's `Link: rel="next"`.
    pub cursor: Option<String>,
}
