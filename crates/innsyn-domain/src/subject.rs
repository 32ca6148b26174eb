//! The person a history belongs to.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Longest subject identifier accepted; ID-porten's `pid` is 11 digits and
/// pairwise `sub` values are well below this.
pub const MAX_SUBJECT_LEN: usize = 255;

/// A subject identifier: in ID-porten the national identity number (`pid`).
///
/// It is personal data, so `Debug` and `Display` never print it; read it with
/// [`SubjectId::expose`] only where the value itself is needed (hashing,
/// comparing with a path parameter).
///
/// A subject is not required to be a national identity number (pairwise
/// `sub` values are not); login events check theirs with
/// [`IdentityNumber`](crate::identity::IdentityNumber).
///
/// ```
/// use innsyn_domain::SubjectId;
/// use innsyn_domain::identity::CITIZEN_A;
/// let s = SubjectId::parse(CITIZEN_A).unwrap();
/// assert_eq!(format!("{s:?} {s}"), "SubjectId(<redacted>) <redacted>");
/// assert_eq!(s.expose(), CITIZEN_A);
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SubjectId(String);

/// Why a string cannot identify a subject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubjectIdError {
    /// Empty or only whitespace.
    #[error("must not be empty")]
    Empty,
    /// Longer than [`MAX_SUBJECT_LEN`] bytes.
    #[error("must be at most {MAX_SUBJECT_LEN} characters")]
    TooLong,
    /// Contains whitespace or control characters.
    #[error("must not contain whitespace or control characters")]
    BadCharacter,
}

impl SubjectId {
    /// Accepts any non-empty identifier of visible characters.
    pub fn parse(raw: &str) -> Result<Self, SubjectIdError> {
        if raw.is_empty() {
            return Err(SubjectIdError::Empty);
        }
        if raw.len() > MAX_SUBJECT_LEN {
            return Err(SubjectIdError::TooLong);
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(SubjectIdError::BadCharacter);
        }
        Ok(Self(raw.to_owned()))
    }

    /// A checked national identity number (eleven digits, so within every
    /// rule of [`Self::parse`]).
    pub(crate) fn from_identity_number(digits: String) -> Self {
        Self(digits)
    }

    /// The identifier itself. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SubjectId {
    type Error = SubjectIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<SubjectId> for String {
    fn from(value: SubjectId) -> Self {
        value.0
    }
}

impl fmt::Debug for SubjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubjectId(<redacted>)")
    }
}

impl fmt::Display for SubjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn refuses_bad_identifiers() {
        assert_eq!(SubjectId::parse(""), Err(SubjectIdError::Empty));
        assert_eq!(
            SubjectId::parse("123 456"),
            Err(SubjectIdError::BadCharacter)
        );
        assert_eq!(
            SubjectId::parse("12\u{0}3"),
            Err(SubjectIdError::BadCharacter)
        );
        assert_eq!(
            SubjectId::parse(&"1".repeat(256)),
            Err(SubjectIdError::TooLong)
        );
        assert!(SubjectId::parse(&"1".repeat(255)).is_ok());
    }

    proptest! {
        #[test]
        fn never_formats_the_value(raw in "[0-9]{11}") {
            let s = SubjectId::parse(&raw).unwrap();
            let printed = [format!("{s:?}"), format!("{s}"), format!("{:?}", Some(&s))];
            prop_assert!(printed.iter().all(|p| !p.contains(&raw)));
        }
    }
}
