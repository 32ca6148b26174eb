//! How ingestion reads one text or organisation field: blank is absent,
//! and a bad value is reported under the field's name, never quoted.

use super::MAX_TEXT_LEN;
use crate::orgno::OrgNumber;
use crate::params::InvalidParams;

pub(super) fn text(
    errors: &mut InvalidParams,
    field: &str,
    value: Option<String>,
) -> Option<String> {
    let value = value.filter(|v| !v.trim().is_empty())?;
    if value.len() > MAX_TEXT_LEN {
        errors.push(field, format!("must be at most {MAX_TEXT_LEN} bytes"));
        return None;
    }
    if value.chars().any(char::is_control) {
        errors.push(field, "must not contain control characters");
        return None;
    }
    Some(value)
}

pub(super) fn orgno(
    errors: &mut InvalidParams,
    field: &str,
    value: Option<String>,
) -> Option<OrgNumber> {
    let value = value.filter(|v| !v.trim().is_empty())?;
    errors.check(field, OrgNumber::parse(&value))
}

pub(super) fn required_text(
    errors: &mut InvalidParams,
    field: &str,
    value: String,
) -> Option<String> {
    let kept = text(errors, field, Some(value.clone()));
    if kept.is_none() && value.trim().is_empty() {
        errors.push(field, "is required");
    }
    kept
}
