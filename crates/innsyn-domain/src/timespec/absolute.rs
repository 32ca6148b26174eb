//! The absolute form: partial ISO 8601 with an optional zone.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::TimeSpecError;
use crate::zone::Zone;

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

pub(super) fn parse_absolute(
    raw: &str,
    relative: &'static str,
) -> Result<AbsoluteTime, TimeSpecError> {
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
