//! Norwegian national identity numbers (fødselsnummer, D-number, H-number
//! and the synthetic test numbers of NAV/Dolly and Skatteetaten's Tenor).
//!
//! A login event's `event_subject_pid` is one of these: ID-porten puts the
//! citizen's national identity number there. Other subjects (token `sub`,
//! pairwise ids, the seed's `userId`) are [`SubjectId`]s and are not held to
//! this rule.

mod digits;
mod synthetic;

#[cfg(test)]
mod tests;

use std::fmt;

pub use synthetic::{
    CITIZEN_A, CITIZEN_B, CITIZEN_C, CITIZEN_D, CITIZEN_E, CITIZEN_F, SYNTHETIC_CAPACITY, synthetic,
};

use crate::subject::SubjectId;

/// An 11-digit national identity number whose two modulus-11 check digits
/// are valid and whose first six digits are a plausible birth date.
///
/// The date may carry the offsets of the number kinds in use: day + 40
/// (D-number), month + 40 (H-number, and NAV/Dolly's synthetic numbers),
/// month + 80 (Skatteetaten's Tenor synthetic numbers).
///
/// It is personal data: `Debug` and `Display` never print it, and no error
/// repeats it.
///
/// ```
/// use innsyn_domain::identity::{CITIZEN_A, IdentityNumber};
/// let pid = IdentityNumber::parse(CITIZEN_A).unwrap();
/// assert_eq!(format!("{pid:?} {pid}"), "IdentityNumber(<redacted>) <redacted>");
/// assert!(IdentityNumber::parse("12345678901").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdentityNumber(String);

/// Why a string is not a national identity number. The messages name the
/// rule, never the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdentityNumberError {
    /// Not exactly eleven ASCII digits.
    #[error("not a valid national identity number: must be 11 digits")]
    Format,
    /// Eleven digits, but a check digit does not match (or would be 10).
    #[error("not a valid national identity number: the check digits do not match")]
    CheckDigits,
    /// The check digits hold, but the first six digits are no date.
    #[error("not a valid national identity number: the first six digits are not a birth date")]
    Date,
}

impl IdentityNumber {
    /// Accepts exactly eleven digits with valid check digits and date part;
    /// no whitespace or separators (the producer sends the number bare).
    pub fn parse(raw: &str) -> Result<Self, IdentityNumberError> {
        let digits = digits::values(raw).ok_or(IdentityNumberError::Format)?;
        if !digits::check_digits_hold(&digits) {
            return Err(IdentityNumberError::CheckDigits);
        }
        if !digits::plausible_date(&digits) {
            return Err(IdentityNumberError::Date);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The number itself. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<IdentityNumber> for SubjectId {
    fn from(value: IdentityNumber) -> Self {
        Self::from_identity_number(value.0)
    }
}

impl fmt::Debug for IdentityNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdentityNumber(<redacted>)")
    }
}

impl fmt::Display for IdentityNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
