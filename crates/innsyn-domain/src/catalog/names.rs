//! What a catalog name may be.

use super::MAX_NAME_LEN;
use crate::params::InvalidParams;

/// A catalog name: trimmed, non-empty, at most [`MAX_NAME_LEN`] bytes, no
/// control characters. Errors are recorded under `field`, never quoting
/// the value.
pub(super) fn name(errors: &mut InvalidParams, field: &str, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        errors.push(field, "is required");
        None
    } else if v.len() > MAX_NAME_LEN || v.chars().any(char::is_control) {
        errors.push(
            field,
            format!("must be at most {MAX_NAME_LEN} bytes without control characters"),
        );
        None
    } else {
        Some(v.to_owned())
    }
}

/// An optional value: absent or blank is `None`.
pub(super) fn optional(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}
