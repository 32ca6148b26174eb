//! XACML 3.0 authorization decisions.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The four decisions of XACML 3.0 (§7.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Decision {
    /// Access was granted.
    Permit,
    /// Access was refused.
    Deny,
    /// No policy applied to the request.
    NotApplicable,
    /// The policy decision point could not decide.
    Indeterminate,
}

/// A string that is not one of the four XACML decisions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be one of Permit, Deny, NotApplicable, Indeterminate")]
pub struct DecisionError;

impl Decision {
    /// Every decision, in canonical order.
    pub const ALL: [Decision; 4] = [
        Decision::Permit,
        Decision::Deny,
        Decision::NotApplicable,
        Decision::Indeterminate,
    ];

    /// The canonical XACML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Permit => "Permit",
            Decision::Deny => "Deny",
            Decision::NotApplicable => "NotApplicable",
            Decision::Indeterminate => "Indeterminate",
        }
    }

    /// Case-insensitive parse of the canonical spelling.
    pub fn parse(raw: &str) -> Result<Self, DecisionError> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(raw.trim()))
            .ok_or(DecisionError)
    }
}

impl FromStr for Decision {
    type Err = DecisionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Decision {
    type Error = DecisionError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Decision> for &'static str {
    fn from(value: Decision) -> Self {
        value.as_str()
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitively_and_prints_canonically() {
        for (raw, want) in [
            ("Permit", Decision::Permit),
            ("permit", Decision::Permit),
            ("DENY", Decision::Deny),
            ("notapplicable", Decision::NotApplicable),
            (" Indeterminate ", Decision::Indeterminate),
        ] {
            let d = Decision::parse(raw).unwrap();
            assert_eq!(d, want);
            assert_eq!(Decision::parse(&d.to_string()), Ok(d));
        }
        for bad in ["", "Allow", "Not Applicable", "Permit,Deny"] {
            assert_eq!(Decision::parse(bad), Err(DecisionError), "{bad:?}");
        }
    }

    #[test]
    fn serializes_canonically() {
        assert_eq!(
            serde_json::to_string(&Decision::NotApplicable).unwrap(),
            "\"NotApplicable\""
        );
        assert_eq!(
            serde_json::from_str::<Decision>("\"deny\"").unwrap(),
            Decision::Deny
        );
    }
}
