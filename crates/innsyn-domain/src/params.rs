//! Errors that name every bad input, for RFC 9457 `invalid-params`.

use std::fmt;

use serde::Serialize;

/// One bad input: which parameter (or field) and what a person should do.
///
/// Reasons never repeat the offending value: values may be personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidParam {
    /// The parameter or field name as the client sent it (`startTime`,
    /// `[3].event_created`).
    pub name: String,
    /// What is wrong and what is accepted.
    pub reason: String,
}

/// Every bad input of one request, collected rather than stopping at the first.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
pub struct InvalidParams(Vec<InvalidParam>);

impl InvalidParams {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one bad input.
    pub fn push(&mut self, name: impl Into<String>, reason: impl fmt::Display) {
        self.0.push(InvalidParam {
            name: name.into(),
            reason: reason.to_string(),
        });
    }

    /// Takes over every error of `other`, with `prefix` in front of its names.
    pub fn extend_prefixed(&mut self, prefix: &str, other: InvalidParams) {
        self.0.extend(other.0.into_iter().map(|p| InvalidParam {
            name: format!("{prefix}{}", p.name),
            reason: p.reason,
        }));
    }

    /// Keeps the `Ok` value of `result`, recording its error under `name`.
    pub fn check<T, E: fmt::Display>(&mut self, name: &str, result: Result<T, E>) -> Option<T> {
        result.map_err(|e| self.push(name, e)).ok()
    }

    /// Whether nothing was wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The collected errors, in the order found.
    pub fn params(&self) -> &[InvalidParam] {
        &self.0
    }

    /// `Ok(value())` when nothing was wrong, else these errors.
    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, Self> {
        if !self.is_empty() {
            return Err(self);
        }
        value().ok_or(self)
    }
}

impl fmt::Display for InvalidParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for p in &self.0 {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{}: {}", p.name, p.reason)?;
        }
        Ok(())
    }
}

impl From<InvalidParam> for InvalidParams {
    fn from(value: InvalidParam) -> Self {
        Self(vec![value])
    }
}

/// The reason an empty value is refused.
pub(crate) const EMPTY: &str = "must not be empty; leave the parameter out for its default";

/// A parameter's value as sent: `None` when absent. An empty value
/// (`maxhits=`, or a bare `maxhits`) is refused rather than taken for the
/// default: the client meant something, and a silent default would hide
/// its mistake.
pub(crate) fn given(raw: Option<&str>) -> Result<Option<&str>, &'static str> {
    match raw {
        Some("") => Err(EMPTY),
        other => Ok(other),
    }
}
