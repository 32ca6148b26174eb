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

use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::params::InvalidParams;
use crate::zone::Zone;

/// The default `startTime`: one day before now.
pub const DEFAULT_START: &str = "-1d";

/// Largest N accepted in a relative time.
pub const MAX_RELATIVE_AMOUNT: u32 = 9_999_999;

/// A unit of the relative grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// `m`
    Minute,
    /// `h`
    Hour,
    /// `d`
    Day,
    /// `w`
    Week,
    /// `M`
    Month,
    /// `y`
    Year,
}

impl TimeUnit {
    fn from_char(c: char) -> Option<Self> {
        Some(match c {
            'm' => Self::Minute,
            'h' => Self::Hour,
            'd' => Self::Day,
            'w' => Self::Week,
            'M' => Self::Month,
            'y' => Self::Year,
            _ => return None,
        })
    }
}

/// N units of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// How many units.
    pub amount: u32,
    /// Which unit.
    pub unit: TimeUnit,
}

impl Span {
    /// `from` moved by this span, forwards or backwards, in `zone`'s calendar.
    /// `None` when the result leaves the representable range.
    pub fn shift(self, from: OffsetDateTime, zone: Zone, forward: bool) -> Option<OffsetDateTime> {
        let n = i64::from(self.amount);
        let signed = if forward { n } else { -n };
        match self.unit {
            TimeUnit::Minute => from.checked_add(Duration::minutes(signed)),
            TimeUnit::Hour => from.checked_add(Duration::hours(signed)),
            TimeUnit::Day | TimeUnit::Week => {
                let days = if self.unit == TimeUnit::Week {
                    signed.checked_mul(7)?
                } else {
                    signed
                };
                let local = zone.to_local(from);
                let date = local.date().checked_add(Duration::days(days))?;
                Some(zone.resolve_local(PrimitiveDateTime::new(date, local.time())))
            }
            TimeUnit::Month | TimeUnit::Year => {
                let months = if self.unit == TimeUnit::Year {
                    signed.checked_mul(12)?
                } else {
                    signed
                };
                let local = zone.to_local(from);
                let date = add_months(local.date(), months)?;
                Some(zone.resolve_local(PrimitiveDateTime::new(date, local.time())))
            }
        }
    }
}

/// Calendar month arithmetic, clamping the day to the target month's length.
fn add_months(date: Date, months: i64) -> Option<Date> {
    let index = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + months;
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).ok()
}

/// A parsed absolute time, before the zone is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AbsoluteTime {
    /// The wall-clock time written.
    pub local: PrimitiveDateTime,
    /// The offset written, if any.
    pub offset: Option<UtcOffset>,
}

impl AbsoluteTime {
    /// The instant: the written offset, else the configured zone.
    pub fn resolve(self, zone: Zone) -> OffsetDateTime {
        match self.offset {
            Some(offset) => self.local.assume_offset(offset),
            None => zone.resolve_local(self.local),
        }
    }
}

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

/// `Some(Ok)` for a span, `Some(Err)` for a too-large amount, `None` for no span at all.
fn parse_span(raw: &str) -> Option<Result<Span, TimeSpecError>> {
    let unit = TimeUnit::from_char(raw.chars().last()?)?;
    let digits = &raw[..raw.len() - 1];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match digits.parse::<u32>() {
        Ok(amount) if amount <= MAX_RELATIVE_AMOUNT => Ok(Span { amount, unit }),
        _ => Err(TimeSpecError::TooFar),
    })
}

/// A tiny cursor over ASCII input for the ISO parser.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl Cursor<'_> {
    fn eat(&mut self, byte: u8) -> bool {
        if self.rest.first() == Some(&byte) {
            self.rest = &self.rest[1..];
            true
        } else {
            false
        }
    }

    fn digits(&mut self, n: usize) -> Option<u32> {
        let head = self.rest.get(..n)?;
        if !head.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.rest = &self.rest[n..];
        Some(head.iter().fold(0, |acc, b| acc * 10 + u32::from(b - b'0')))
    }

    fn done(&self) -> bool {
        self.rest.is_empty()
    }
}

fn parse_absolute(raw: &str, relative: &'static str) -> Result<AbsoluteTime, TimeSpecError> {
    let syntax = TimeSpecError::Syntax { relative };
    let mut c = Cursor {
        rest: raw.as_bytes(),
    };
    let year = c.digits(4).ok_or(syntax.clone())?;
    let (mut month, mut day, mut hour, mut minute, mut second, mut nanos) = (1, 1, 0, 0, 0, 0);
    let mut offset = None;
    if c.eat(b'-') {
        month = c.digits(2).ok_or(syntax.clone())?;
        if c.eat(b'-') {
            day = c.digits(2).ok_or(syntax.clone())?;
            if c.eat(b'T') {
                hour = c.digits(2).ok_or(syntax.clone())?;
                if c.eat(b':') {
                    minute = c.digits(2).ok_or(syntax.clone())?;
                    if c.eat(b':') {
                        second = c.digits(2).ok_or(syntax.clone())?;
                        if c.eat(b'.') || c.eat(b',') {
                            nanos = parse_fraction(&mut c).ok_or(syntax.clone())?;
                        }
                    }
                }
                offset = parse_zone(&mut c, &syntax)?;
            }
        }
    }
    if !c.done() {
        return Err(syntax);
    }
    if year == 0 {
        return Err(TimeSpecError::TooFar);
    }
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(TimeSpecError::OutOfRange("month must be 01 to 12"))?;
    let year = i32::try_from(year).map_err(|_| TimeSpecError::TooFar)?;
    let day =
        u8::try_from(day).map_err(|_| TimeSpecError::OutOfRange("no such day in that month"))?;
    let date = Date::from_calendar_date(year, month, day)
        .map_err(|_| TimeSpecError::OutOfRange("no such day in that month"))?;
    let time = u8::try_from(hour)
        .ok()
        .zip(u8::try_from(minute).ok())
        .zip(u8::try_from(second).ok())
        .and_then(|((h, m), s)| Time::from_hms_nano(h, m, s, nanos).ok())
        .ok_or(TimeSpecError::OutOfRange(
            "hours 00-23, minutes and seconds 00-59",
        ))?;
    Ok(AbsoluteTime {
        local: PrimitiveDateTime::new(date, time),
        offset,
    })
}

fn parse_fraction(c: &mut Cursor<'_>) -> Option<u32> {
    let len = c.rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if len == 0 || len > 9 {
        return None;
    }
    let value = c.digits(len)?;
    Some(value * 10u32.pow(u32::try_from(9 - len).ok()?))
}

fn parse_zone(
    c: &mut Cursor<'_>,
    syntax: &TimeSpecError,
) -> Result<Option<UtcOffset>, TimeSpecError> {
    if c.eat(b'Z') {
        return Ok(Some(UtcOffset::UTC));
    }
    let sign = if c.eat(b'+') {
        1
    } else if c.eat(b'-') {
        -1
    } else {
        return Ok(None);
    };
    let hours = c.digits(2).ok_or(syntax.clone())?;
    let minutes = if c.done() {
        0
    } else {
        c.eat(b':');
        c.digits(2).ok_or(syntax.clone())?
    };
    let out_of_range = TimeSpecError::OutOfRange("zone offsets are -23:59 to +23:59");
    let (h, m) = (
        i8::try_from(hours).map_err(|_| out_of_range.clone())?,
        i8::try_from(minutes).map_err(|_| out_of_range.clone())?,
    );
    if h > 23 || m > 59 {
        return Err(out_of_range);
    }
    UtcOffset::from_hms(sign * h, sign * m, 0)
        .map(Some)
        .map_err(|_| out_of_range)
}

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
        let start_raw = start.filter(|s| !s.is_empty()).unwrap_or(DEFAULT_START);
        let start = errors
            .check("startTime", parse_start(start_raw))
            .and_then(|spec| {
                let resolved = match spec {
                    StartSpec::BeforeNow(span) => span.shift(now, zone, false),
                    StartSpec::At(at) => Some(at.resolve(zone)),
                };
                errors.check("startTime", in_range(resolved))
            });
        // None: absent; Some(None): given but invalid (already reported).
        let end_spec: Option<Option<EndSpec>> = end
            .filter(|s| !s.is_empty())
            .map(|raw| errors.check("endTime", parse_end(raw)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{datetime, offset};

    fn oslo() -> Zone {
        Zone::oslo()
    }

    fn start(raw: &str, now: OffsetDateTime) -> OffsetDateTime {
        TimeWindow::resolve(Some(raw), Some("2100-01-01"), now, oslo())
            .unwrap()
            .start
    }

    fn end(start: &str, raw: &str) -> OffsetDateTime {
        TimeWindow::resolve(
            Some(start),
            Some(raw),
            datetime!(2030-01-01 0:00 UTC),
            oslo(),
        )
        .unwrap()
        .end
    }

    #[test]
    fn each_relative_unit_before_now() {
        let now = datetime!(2024-05-15 12:00 +2);
        for (raw, want) in [
            ("-1m", datetime!(2024-05-15 11:59 +2)),
            ("-90m", datetime!(2024-05-15 10:30 +2)),
            ("-1h", datetime!(2024-05-15 11:00 +2)),
            ("-1d", datetime!(2024-05-14 12:00 +2)),
            ("-2w", datetime!(2024-05-01 12:00 +2)),
            ("-1M", datetime!(2024-04-15 12:00 +2)),
            ("-1y", datetime!(2023-05-15 12:00 +2)),
            ("-0m", now),
        ] {
            assert_eq!(start(raw, now), want, "{raw}");
        }
    }

    #[test]
    fn each_relative_unit_after_start() {
        for (raw, want) in [
            ("30m", datetime!(2024-05-15 00:30 +2)),
            ("+2h", datetime!(2024-05-15 02:00 +2)),
            ("1d", datetime!(2024-05-16 00:00 +2)),
            ("1w", datetime!(2024-05-22 00:00 +2)),
            ("1M", datetime!(2024-06-15 00:00 +2)),
            ("1y", datetime!(2025-05-15 00:00 +2)),
        ] {
            assert_eq!(end("2024-05-15", raw), want, "{raw}");
        }
    }

    #[test]
    fn months_clamp_to_the_last_day() {
        assert_eq!(end("2023-01-31", "1M"), datetime!(2023-02-28 00:00 +1));
        assert_eq!(end("2024-01-31", "1M"), datetime!(2024-02-29 00:00 +1));
        assert_eq!(end("2024-02-29", "1y"), datetime!(2025-02-28 00:00 +1));
        assert_eq!(end("2024-02-29", "4y"), datetime!(2028-02-29 00:00 +1));
        assert_eq!(end("2023-03-31", "1M"), datetime!(2023-04-30 00:00 +2));
        let now = datetime!(2024-03-31 12:00 +2);
        assert_eq!(start("-1M", now), datetime!(2024-02-29 12:00 +1));
    }

    #[test]
    fn each_partial_iso_form() {
        for (raw, want) in [
            ("2013", datetime!(2013-01-01 00:00 +1)),
            ("2013-07", datetime!(2013-07-01 00:00 +2)),
            ("2013-01-01", datetime!(2013-01-01 00:00 +1)),
            ("2013-01-01T09", datetime!(2013-01-01 09:00 +1)),
            ("2013-01-01T09:15", datetime!(2013-01-01 09:15 +1)),
            ("2013-01-01T09:15:30", datetime!(2013-01-01 09:15:30 +1)),
            (
                "2013-01-01T09:15:30.25",
                datetime!(2013-01-01 09:15:30.25 +1),
            ),
            (
                "2013-01-01T09:15:30,123456789",
                datetime!(2013-01-01 09:15:30.123456789 +1),
            ),
            ("2013-01-01T09:15:30Z", datetime!(2013-01-01 09:15:30 UTC)),
            ("2013-01-01T09Z", datetime!(2013-01-01 09:00 UTC)),
            ("2013-01-01T09:15-05:00", datetime!(2013-01-01 09:15 -5)),
            ("2013-01-01T09:15+0530", datetime!(2013-01-01 09:15 +5:30)),
            (
                "2013-01-01T09:15:30.5+01",
                datetime!(2013-01-01 09:15:30.5 +1),
            ),
        ] {
            assert_eq!(start(raw, datetime!(2030-01-01 0:00 UTC)), want, "{raw}");
        }
    }

    #[test]
    fn malformed_times_are_refused_with_a_reason() {
        for raw in [
            "yesterday",
            "-1",
            "-d",
            "-1D",
            "-1s",
            "1d",
            "13",
            "2013-1-01",
            "2013-01-01 09:00",
            "2013-01-01T9",
            "2013-01-01T09:15:30.",
            "2013-01-01T09:15:30.1234567890",
            "2013Z",
            "2013-01Z",
            "2013-01-01Z",
            "2013-01-01T09+1",
            "2013-01-01T09:15:30+01:00x",
            "20130101",
            "-1d ",
            "- 1d",
        ] {
            let err = TimeWindow::resolve(Some(raw), None, datetime!(2030-01-01 0:00 UTC), oslo())
                .unwrap_err();
            assert_eq!(err.params()[0].name, "startTime", "{raw}");
        }
        for (raw, part) in [
            ("2013-13", "month"),
            ("2013-02-29", "day"),
            ("2013-04-31", "day"),
            ("2013-01-01T24", "hours"),
            ("2013-01-01T23:60", "minutes"),
            ("2013-01-01T23:59:60", "seconds"),
            ("2013-01-01T10+24:00", "offsets"),
        ] {
            let err = TimeWindow::resolve(Some(raw), None, datetime!(2030-01-01 0:00 UTC), oslo())
                .unwrap_err();
            assert!(err.params()[0].reason.contains(part), "{raw}: {err}");
        }
        assert!(
            TimeWindow::resolve(Some("0000"), None, datetime!(2030-01-01 0:00 UTC), oslo())
                .is_err()
        );
        assert!(
            TimeWindow::resolve(
                Some("-99999999d"),
                None,
                datetime!(2030-01-01 0:00 UTC),
                oslo()
            )
            .is_err()
        );
        assert!(
            TimeWindow::resolve(
                Some("-9999999y"),
                None,
                datetime!(2030-01-01 0:00 UTC),
                oslo()
            )
            .is_err()
        );
    }

    #[test]
    fn defaults_are_the_last_day_until_now() {
        let now = datetime!(2024-05-15 12:00 UTC);
        let w = TimeWindow::resolve(None, None, now, oslo()).unwrap();
        assert_eq!(
            w,
            TimeWindow {
                start: datetime!(2024-05-14 12:00 UTC),
                end: now
            }
        );
        assert_eq!(
            TimeWindow::resolve(Some(""), Some(""), now, oslo()).unwrap(),
            w
        );
    }

    #[test]
    fn start_must_precede_end() {
        let now = datetime!(2024-05-15 12:00 UTC);
        let err =
            TimeWindow::resolve(Some("2024-05-15"), Some("2024-05-15"), now, oslo()).unwrap_err();
        assert_eq!(err.params()[0].name, "endTime");
        assert!(TimeWindow::resolve(Some("-0d"), None, now, oslo()).is_err());
        assert!(TimeWindow::resolve(Some("2024-05-15"), Some("0d"), now, oslo()).is_err());
    }

    #[test]
    fn both_bad_parameters_are_reported() {
        let err = TimeWindow::resolve(
            Some("x"),
            Some("y"),
            datetime!(2024-05-15 12:00 UTC),
            oslo(),
        )
        .unwrap_err();
        let names: Vec<_> = err.params().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["startTime", "endTime"]);
    }

    #[test]
    fn dst_transitions_in_oslo() {
        // Spring forward: 02:00 → 03:00 on 2024-03-31.
        assert_eq!(
            start("2024-03-31T02:30", datetime!(2030-01-01 0:00 UTC)),
            datetime!(2024-03-31 03:30 +2)
        );
        assert_eq!(
            end("2024-03-31T01:00", "1h"),
            datetime!(2024-03-31 03:00 +2)
        );
        assert_eq!(
            end("2024-03-30T12:00", "1d"),
            datetime!(2024-03-31 12:00 +2)
        );
        assert_eq!(
            end("2024-03-30T12:00", "1d") - datetime!(2024-03-30 12:00 +1),
            Duration::hours(23)
        );
        // Fall back: 03:00 → 02:00 on 2024-10-27.
        assert_eq!(
            start("2024-10-27T02:30", datetime!(2030-01-01 0:00 UTC)),
            datetime!(2024-10-27 02:30 +2)
        );
        assert_eq!(
            end("2024-10-26T12:00", "1d") - datetime!(2024-10-26 12:00 +2),
            Duration::hours(25)
        );
        let now = datetime!(2024-10-27 12:00 +1);
        assert_eq!(start("-1d", now), datetime!(2024-10-26 12:00 +2));
        assert_eq!(start("-24h", now), datetime!(2024-10-26 13:00 +2));
    }

    #[test]
    fn leap_days() {
        assert_eq!(end("2024-02-28", "1d"), datetime!(2024-02-29 00:00 +1));
        assert_eq!(end("2023-02-28", "1d"), datetime!(2023-03-01 00:00 +1));
        assert!(
            TimeWindow::resolve(
                Some("2024-02-29"),
                None,
                datetime!(2030-01-01 0:00 UTC),
                oslo()
            )
            .is_ok()
        );
        assert!(
            TimeWindow::resolve(
                Some("1900-02-29"),
                None,
                datetime!(2030-01-01 0:00 UTC),
                oslo()
            )
            .is_err()
        );
        assert!(
            TimeWindow::resolve(
                Some("2000-02-29"),
                None,
                datetime!(2030-01-01 0:00 UTC),
                oslo()
            )
            .is_ok()
        );
    }

    #[test]
    fn other_zones_are_honoured() {
        let utc = Zone::named("UTC").unwrap();
        let w = TimeWindow::resolve(
            Some("2024-01-01"),
            Some("1d"),
            datetime!(2030-01-01 0:00 UTC),
            utc,
        )
        .unwrap();
        assert_eq!(w.start, datetime!(2024-01-01 00:00 UTC));
        assert_eq!(w.start.offset(), offset!(UTC));
    }

    proptest! {
        #[test]
        fn relative_start_then_relative_end_round_trips_for_exact_units(n in 1u32..100_000, unit in prop::sample::select(vec!['m', 'h'])) {
            let now = datetime!(2024-05-15 12:00 UTC);
            let w = TimeWindow::resolve(Some(&format!("-{n}{unit}")), Some(&format!("{n}{unit}")), now, oslo()).unwrap();
            prop_assert_eq!(w.end, now);
        }

        #[test]
        fn calendar_units_keep_the_wall_clock(days in 1u32..3000, hour in 0u8..24) {
            let now = Zone::oslo().resolve_local(PrimitiveDateTime::new(time::macros::date!(2030-06-15), Time::from_hms(hour, 17, 0).unwrap()));
            let s = Zone::oslo().to_local(start(&format!("-{days}d"), now));
            // The wall clock stays unless that local time did not exist that day.
            prop_assert!(s.minute() == 17);
            prop_assert!(s.hour() == hour || (hour == 2 && s.hour() == 3));
        }

        #[test]
        fn valid_dates_parse_and_keep_their_fields(y in 1i32..=9999, m in 1u8..=12, d in 1u8..=31, h in 0u8..24, mi in 0u8..60) {
            let raw = format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}Z");
            let month = Month::try_from(m).unwrap();
            match TimeWindow::resolve(Some(&raw), Some("1m"), datetime!(2030-01-01 0:00 UTC), oslo()) {
                Ok(w) => {
                    prop_assert!(d <= month.length(y));
                    prop_assert_eq!((w.start.year(), w.start.month(), w.start.day(), w.start.hour(), w.start.minute()), (y, month, d, h, mi));
                }
                Err(_) => prop_assert!(d > month.length(y) || (y == 9999 && m == 12 && d == 31 && h == 23 && mi == 59)),
            }
        }

        #[test]
        fn never_panics(raw in "\\PC{0,40}") {
            let _ = TimeWindow::resolve(Some(&raw), Some(&raw), datetime!(2030-01-01 0:00 UTC), oslo());
        }
    }
}
