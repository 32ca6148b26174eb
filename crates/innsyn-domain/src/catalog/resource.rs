//! A resource in the catalog and its URN.

use serde::{Deserialize, Serialize};

use super::names::{name, optional};
use crate::params::InvalidParams;

/// A resource and its URN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceEntry {
    /// The resource name.
    pub name: String,
    /// Its URN, when known.
    pub urn: Option<String>,
}

impl ResourceEntry {
    /// A resource entry from an administrator's input: `name` and, when
    /// given (blank = none), `urn` are catalog names (trimmed, non-empty, at
    /// most [`MAX_NAME_LEN`] bytes, no control characters). Every bad field
    /// is reported.
    pub fn validate(resource: &str, urn: Option<&str>) -> Result<Self, InvalidParams> {
        let mut errors = InvalidParams::new();
        let resource = name(&mut errors, "name", resource);
        let urn = match optional(urn) {
            None => Some(None),
            Some(u) => name(&mut errors, "urn", u).map(Some),
        };
        errors.finish(|| {
            Some(Self {
                name: resource?,
                urn: urn?,
            })
        })
    }
}
