//! Norwegian organisation numbers (Enhetsregisteret).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The ISO 6523 International Code Designator that Maskinporten and ELMA put
/// in front of Norwegian organisation numbers (`0192:991825827`).
pub const ISO6523_NORWAY_PREFIX: &str = "0192:";

const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

/// A nine-digit organisation number whose modulus-11 check digit is valid.
///
/// ```
/// use innsyn_domain::OrgNumber;
/// let org: OrgNumber = "0192:991825827".parse().unwrap();
/// assert_eq!(org.as_str(), "991825827");
/// assert!("991825828".parse::<OrgNumber>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgNumber(String);

/// Why a string is not an organisation number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgNumberError {
    /// Not exactly nine ASCII digits (after an optional `0192:` prefix).
    #[error("an organisation number has exactly nine digits")]
    Format,
    /// Nine digits, but the modulus-11 check digit does not match.
    #[error("the check digit of the organisation number is wrong")]
    CheckDigit,
}

impl OrgNumber {
    /// Parses `991825827` or `0192:991825827`; surrounding whitespace is ignored.
    pub fn parse(raw: &str) -> Result<Self, OrgNumberError> {
        let trimmed = raw.trim();
        let digits = trimmed
            .strip_prefix(ISO6523_NORWAY_PREFIX)
            .unwrap_or(trimmed);
        if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(OrgNumberError::Format);
        }
        let values: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = WEIGHTS.iter().zip(&values).map(|(w, d)| w * d).sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => return Err(OrgNumberError::CheckDigit),
            other => other,
        };
        if values[8] != check {
            return Err(OrgNumberError::CheckDigit);
        }
        Ok(Self(digits.to_owned()))
    }

    /// The nine digits, without prefix.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for OrgNumber {
    type Err = OrgNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for OrgNumber {
    type Error = OrgNumberError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OrgNumber> for String {
    fn from(value: OrgNumber) -> Self {
        value.0
    }
}

impl fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrgNumber({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_digit(first8: &[u32]) -> Option<u32> {
        let sum: u32 = WEIGHTS.iter().zip(first8).map(|(w, d)| w * d).sum();
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            c => Some(c),
        }
    }

    #[test]
    fn known_organisations_are_valid() {
        for (raw, digits) in [
            ("991825827", "991825827"), // Digitaliseringsdirektoratet
            ("974760673", "974760673"), // Brønnøysundregistrene
            ("0192:991825827", "991825827"),
            ("  889640782 ", "889640782"), // NAV
            ("983887457", "983887457"),
        ] {
            assert_eq!(
                OrgNumber::parse(raw).map(|o| o.0),
                Ok(digits.to_owned()),
                "{raw}"
            );
        }
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for raw in [
            "",
            "99182582",
            "9918258270",
            "99182582a",
            "0192:",
            "0191:991825827",
            "991 825 827",
            "+91825827",
            "0192:0192:991825827",
        ] {
            assert_eq!(
                OrgNumber::parse(raw),
                Err(OrgNumberError::Format),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn wrong_check_digit_is_refused() {
        for raw in ["991825828", "974760670", "123456789"] {
            assert_eq!(
                OrgNumber::parse(raw),
                Err(OrgNumberError::CheckDigit),
                "{raw}"
            );
        }
    }

    #[test]
    fn serde_round_trip_and_validation() {
        let org: OrgNumber = serde_json::from_str("\"991825827\"").unwrap();
        assert_eq!(serde_json::to_string(&org).unwrap(), "\"991825827\"");
        assert!(serde_json::from_str::<OrgNumber>("\"991825828\"").is_err());
    }

    proptest! {
        #[test]
        fn exactly_one_check_digit_is_accepted(first8 in proptest::collection::vec(0u32..10, 8)) {
            let prefix: String = first8.iter().map(|d| char::from_digit(*d, 10).unwrap()).collect();
            let accepted: Vec<u32> = (0..10)
                .filter(|d| OrgNumber::parse(&format!("{prefix}{d}")).is_ok())
                .collect();
            match check_digit(&first8) {
                Some(c) => prop_assert_eq!(accepted, vec![c]),
                None => prop_assert!(accepted.is_empty()),
            }
        }

        #[test]
        fn prefixed_and_plain_forms_agree(first8 in proptest::collection::vec(0u32..10, 8), last in 0u32..10) {
            let digits: String = first8.iter().chain([&last]).map(|d| char::from_digit(*d, 10).unwrap()).collect();
            prop_assert_eq!(OrgNumber::parse(&digits), OrgNumber::parse(&format!("0192:{digits}")));
        }
    }
}
