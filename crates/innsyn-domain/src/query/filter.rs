//! The filters of the access history: which application, resource, action,
//! purpose and decision the records must have.

use super::params::AccessHistoryParams;
use crate::decision::Decision;
use crate::params::{InvalidParams, given};

/// Longest filter value accepted.
pub const MAX_FILTER_LEN: usize = 1024;

/// Which application the records must come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationFilter {
    /// By application name.
    Name(String),
    /// By OAuth client id.
    ClientId(String),
}

/// A resource given by name or by URN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceFilter {
    /// Matches the resource name.
    Name(String),
    /// A value starting with `urn:` matches the resource URN.
    Urn(String),
}

impl ResourceFilter {
    /// `urn:…` (any case) is a URN, anything else a name.
    pub fn from_value(value: String) -> Self {
        if value
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
        {
            Self::Urn(value)
        } else {
            Self::Name(value)
        }
    }
}

/// The filters of an access-history query; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessFilter {
    /// `application` or `clientId`.
    pub application: Option<ApplicationFilter>,
    /// `resource`.
    pub resource: Option<ResourceFilter>,
    /// `action`.
    pub action: Option<String>,
    /// `purpose`.
    pub purpose: Option<String>,
    /// `decision`.
    pub decision: Option<Decision>,
}

impl AccessFilter {
    /// The filters of the raw parameters; every bad value is recorded in
    /// `errors` and left out.
    pub(super) fn from_params(errors: &mut InvalidParams, p: &AccessHistoryParams) -> Self {
        let application = filter_value(errors, "application", p.application.as_deref());
        let client_id = filter_value(errors, "clientId", p.client_id.as_deref());
        let application = match (application, client_id) {
            (Some(_), Some(_)) => {
                errors.push(
                    "clientId",
                    "cannot be combined with application; give one of them",
                );
                None
            }
            (Some(name), None) => Some(ApplicationFilter::Name(name)),
            (None, Some(id)) => Some(ApplicationFilter::ClientId(id)),
            (None, None) => None,
        };
        Self {
            application,
            resource: filter_value(errors, "resource", p.resource.as_deref())
                .map(ResourceFilter::from_value),
            action: filter_value(errors, "action", p.action.as_deref()),
            purpose: filter_value(errors, "purpose", p.purpose.as_deref()),
            decision: p
                .decision
                .as_deref()
                .and_then(|d| errors.check("decision", given(Some(d))).flatten())
                .and_then(|d| errors.check("decision", Decision::parse(d))),
        }
    }
}

fn filter_value(errors: &mut InvalidParams, name: &str, raw: Option<&str>) -> Option<String> {
    let value = errors.check(name, given(raw)).flatten()?;
    if value.len() > MAX_FILTER_LEN {
        errors.push(name, format!("must be at most {MAX_FILTER_LEN} bytes"));
        return None;
    }
    if value.chars().any(char::is_control) {
        errors.push(name, "must not contain control characters");
        return None;
    }
    Some(value.to_owned())
}
