//! The relative forms: N minutes, hours, days, weeks, months or years.

use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime};

use super::{MAX_RELATIVE_AMOUNT, TimeSpecError};
use crate::zone::Zone;

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
    pub(super) fn from_char(c: char) -> Option<Self> {
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
pub(crate) fn add_months(date: Date, months: i64) -> Option<Date> {
    let index = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + months;
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).ok()?).ok()?;
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).ok()
}

/// `Some(Ok)` for a span, `Some(Err)` for a too-large amount, `None` for no span at all.
pub(super) fn parse_span(raw: &str) -> Option<Result<Span, TimeSpecError>> {
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
