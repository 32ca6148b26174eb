//! Helpers shared by the time grammar's tests.

use time::OffsetDateTime;
use time::macros::datetime;

use super::TimeWindow;
use crate::params::InvalidParams;
use crate::zone::Zone;

/// A "now" far after every absolute time the tests write.
pub(super) const LATER: OffsetDateTime = datetime!(2030-01-01 0:00 UTC);

pub(super) fn oslo() -> Zone {
    Zone::oslo()
}

/// The window of `startTime=raw` alone, at [`LATER`] in Oslo.
pub(super) fn resolve_start(raw: &str) -> Result<TimeWindow, InvalidParams> {
    TimeWindow::resolve(Some(raw), None, LATER, oslo())
}

/// The start `raw` resolves to at `now`, with an end far enough away.
pub(super) fn start(raw: &str, now: OffsetDateTime) -> OffsetDateTime {
    TimeWindow::resolve(Some(raw), Some("2100-01-01"), now, oslo())
        .unwrap()
        .start
}

/// The end `raw` resolves to after `start`, at [`LATER`].
pub(super) fn end(start: &str, raw: &str) -> OffsetDateTime {
    TimeWindow::resolve(Some(start), Some(raw), LATER, oslo())
        .unwrap()
        .end
}
