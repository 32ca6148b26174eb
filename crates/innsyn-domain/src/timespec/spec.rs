//! What `startTime` and `endTime` may say, before they are resolved.

use super::TimeSpecError;
use super::absolute::{AbsoluteTime, parse_absolute};
use super::relative::{Span, TimeUnit, parse_span};

/// A `startTime` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartSpec {
    /// `-N<unit>`: before now.
    BeforeNow(Span),
    /// An absolute time.
    At(AbsoluteTime),
}

/// An `endTime` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndSpec {
    /// `N<unit>`: after the start.
    AfterStart(Span),
    /// An absolute time.
    At(AbsoluteTime),
}

/// Parses a `startTime`.
pub fn parse_start(raw: &str) -> Result<StartSpec, TimeSpecError> {
    const RELATIVE: &str = "a relative time -N<unit> such as -1d";
    if let Some(rest) = raw.strip_prefix('-') {
        let span = parse_span(rest).ok_or(TimeSpecError::Syntax { relative: RELATIVE })??;
        return Ok(StartSpec::BeforeNow(span));
    }
    parse_absolute(raw, RELATIVE).map(StartSpec::At)
}

/// Parses an `endTime`.
pub fn parse_end(raw: &str) -> Result<EndSpec, TimeSpecError> {
    const RELATIVE: &str = "a relative time N<unit> such as 30d";
    let unsigned = raw.strip_prefix('+').unwrap_or(raw);
    if unsigned
        .chars()
        .last()
        .is_some_and(|c| TimeUnit::from_char(c).is_some())
    {
        let span = parse_span(unsigned).ok_or(TimeSpecError::Syntax { relative: RELATIVE })??;
        return Ok(EndSpec::AfterStart(span));
    }
    parse_absolute(raw, RELATIVE).map(EndSpec::At)
}
