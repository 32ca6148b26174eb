//! The time grammar of the access-history API (seed 2).
//!
//! * `startTime`: relative `-N[mhdwMy]` (N units before now) or absolute.
//! * `endTime`: relative `N[mhdwMy]` (N units after the start) or absolute.
//! * Absolute: partial ISO 8601 `YYYY[-MM[-DD[Thh[:mm[:ss[.fff]]]]]]`, fields
//!   omitted only from the right, with an optional zone (`Z`, `±hh`,
//!   `±hhmm`, `±hh:mm`) after a time of day. A partial value means the start
//!   of that period (`2013-01` is midnight, 1 January 2013). Without a zone
//!   the configured zone applies (see [`crate::zone`] for DST gaps and folds).
//!
//! Units: `m` minutes and `h` hours are exact durations; `d` days and `w`
//! weeks move the local calendar date and keep the wall-clock time, so `-1d`
//! is "this time yesterday" even across a DST change; `M` months and `y`
//! years are calendar months and years, clamped to the month's last day
//! (31 January + `1M` = the last day of February).
//!
//! The clock is an argument: nothing here reads the system time.

mod absolute;
mod relative;
mod spec;
mod window;

#[cfg(test)]
mod absolute_tests;
#[cfg(test)]
mod relative_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod window_tests;

pub use absolute::AbsoluteTime;
pub(crate) use relative::add_months;
pub use relative::{Span, TimeUnit};
pub use spec::{EndSpec, StartSpec, parse_end, parse_start};
pub use window::TimeWindow;

/// The default `startTime`: one day before now.
pub const DEFAULT_START: &str = "-1d";

/// Largest N accepted in a relative time.
pub const MAX_RELATIVE_AMOUNT: u32 = 9_999_999;

/// Why a time value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeSpecError {
    /// Neither form of the grammar.
    #[error(
        "expected {relative} (units m, h, d, w, M, y) or an ISO 8601 time such as 2013-01-01 or 2013-01-01T12:30:00+01:00"
    )]
    Syntax {
        /// The relative form this parameter accepts.
        relative: &'static str,
    },
    /// Well-formed, but a field is out of range (month 13, 30 February, hour 24…).
    #[error("not a valid date or time: {0}")]
    OutOfRange(&'static str),
    /// The amount is larger than [`MAX_RELATIVE_AMOUNT`] or the result leaves years 1–9999.
    #[error("the time is out of the supported range (years 1 to 9999)")]
    TooFar,
}
