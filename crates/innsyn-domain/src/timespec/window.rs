//! The window `[start, end)` the two parameters resolve to.

use time::OffsetDateTime;

use super::spec::{EndSpec, StartSpec, parse_end, parse_start};
use super::{DEFAULT_START, TimeSpecError};
use crate::params::{InvalidParams, given};
use crate::zone::Zone;

/// A half-open interval of time: `start <= t < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    /// Inclusive start.
    pub start: OffsetDateTime,
    /// Exclusive end.
    pub end: OffsetDateTime,
}

impl TimeWindow {
    /// Whether `t` lies in the window.
    pub fn contains(&self, t: OffsetDateTime) -> bool {
        self.start <= t && t < self.end
    }

    /// Resolves the raw `startTime`/`endTime` parameters (absent or empty
    /// means the default) against `now` in `zone`. Every problem is reported
    /// under the parameter's name.
    pub fn resolve(
        start: Option<&str>,
        end: Option<&str>,
        now: OffsetDateTime,
        zone: Zone,
    ) -> Result<Self, InvalidParams> {
        let mut errors = InvalidParams::new();
        let start = errors
            .check("startTime", given(start))
            .map(|raw| raw.unwrap_or(DEFAULT_START))
            .and_then(|raw| errors.check("startTime", parse_start(raw)))
            .and_then(|spec| {
                let resolved = match spec {
                    StartSpec::BeforeNow(span) => span.shift(now, zone, false),
                    StartSpec::At(at) => Some(at.resolve(zone)),
                };
                errors.check("startTime", in_range(resolved))
            });
        // None: absent; Some(None): given but invalid (already reported).
        let end_spec: Option<Option<EndSpec>> = match errors.check("endTime", given(end)) {
            Some(raw) => raw.map(|raw| errors.check("endTime", parse_end(raw))),
            None => Some(None),
        };
        let end = match (end_spec, start) {
            (None, _) => Some(now),
            (Some(None), _) => None,
            (Some(Some(EndSpec::At(at))), _) => Some(at.resolve(zone)),
            (Some(Some(EndSpec::AfterStart(span))), Some(start)) => {
                errors.check("endTime", in_range(span.shift(start, zone, true)))
            }
            (Some(Some(EndSpec::AfterStart(_))), None) => None,
        };
        if let (Some(s), Some(e)) = (start, end)
            && s >= e
        {
            errors.push(
                "endTime",
                "must be later than startTime (the window is start-inclusive, end-exclusive)",
            );
        }
        errors.finish(|| {
            Some(Self {
                start: start?,
                end: end?,
            })
        })
    }
}

fn in_range(t: Option<OffsetDateTime>) -> Result<OffsetDateTime, TimeSpecError> {
    t.filter(|t| (1..=9999).contains(&t.year()))
        .ok_or(TimeSpecError::TooFar)
}
