//! The configured time zone and how local wall-clock times become instants.
//!
//! # Skipped and repeated hours
//!
//! A local time without an offset is resolved in the configured IANA zone.
//! Two cases have no single answer, and innsyn follows `java.time` and
//! RFC 5545 so that clients written against the original API agree:
//!
//! * **Skipped hour** (spring forward, e.g. `2024-03-31T02:30` in Oslo): the
//!   wall-clock time is read with the offset in force *before* the gap, which
//!   moves it forward by the length of the gap (`02:30` → `03:30+02:00`).
//! * **Repeated hour** (fall back, e.g. `2024-10-27T02:30` in Oslo): the
//!   *earlier* of the two instants is used (`02:30+02:00`).

use std::fmt;

use time::{Duration, OffsetDateTime, PrimitiveDateTime};
use time_tz::{Offset, OffsetResult, PrimitiveDateTimeExt, TimeZone, Tz};

/// The default zone of the seed's server: Norway.
pub const DEFAULT_ZONE: &str = "Europe/Oslo";

/// An IANA time zone from the compiled-in tz database.
#[derive(Clone, Copy)]
pub struct Zone(&'static Tz);

/// The name is not an IANA zone in the compiled-in database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown IANA time zone {0:?}")]
pub struct UnknownZone(pub String);

impl Zone {
    /// Looks up an IANA zone name such as `Europe/Oslo` or `UTC`.
    pub fn named(name: &str) -> Result<Self, UnknownZone> {
        time_tz::timezones::get_by_name(name)
            .map(Self)
            .ok_or_else(|| UnknownZone(name.to_owned()))
    }

    /// Europe/Oslo, the default.
    pub fn oslo() -> Self {
        Self(time_tz::timezones::db::europe::OSLO)
    }

    /// The IANA name.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The same instant expressed in this zone's local offset.
    pub fn to_local(&self, instant: OffsetDateTime) -> OffsetDateTime {
        instant.to_offset(self.0.get_offset_utc(&instant).to_utc())
    }

    /// The instant a wall-clock time in this zone denotes, with the module's
    /// rule for skipped and repeated hours.
    pub fn resolve_local(&self, local: PrimitiveDateTime) -> OffsetDateTime {
        match local.assume_timezone(self.0) {
            OffsetResult::Some(t) => t,
            OffsetResult::Ambiguous(a, b) => a.min(b),
            OffsetResult::None => {
                // Inside a gap: use the offset in force before it. Gaps are
                // at most a day long in the tz database, so a day earlier is
                // safely before the transition.
                let before = local.assume_utc() - Duration::days(1);
                let offset = self.0.get_offset_utc(&before).to_utc();
                local.assume_offset(offset)
            }
        }
    }
}

impl Default for Zone {
    fn default() -> Self {
        Self::oslo()
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Zone {}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zone({})", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn ordinary_times_resolve_with_the_seasonal_offset() {
        let z = Zone::oslo();
        assert_eq!(
            z.resolve_local(datetime!(2019-03-07 09:26:36)),
            datetime!(2019-03-07 09:26:36 +1)
        );
        assert_eq!(
            z.resolve_local(datetime!(2019-07-07 09:26:36)),
            datetime!(2019-07-07 09:26:36 +2)
        );
    }

    #[test]
    fn skipped_hour_moves_forward_by_the_gap() {
        let z = Zone::oslo();
        let t = z.resolve_local(datetime!(2024-03-31 02:30));
        assert_eq!(t, datetime!(2024-03-31 03:30 +2));
        assert_eq!(z.to_local(t).offset(), time::macros::offset!(+2));
    }

    #[test]
    fn repeated_hour_takes_the_earlier_instant() {
        let z = Zone::oslo();
        assert_eq!(
            z.resolve_local(datetime!(2024-10-27 02:30)),
            datetime!(2024-10-27 02:30 +2)
        );
        assert_eq!(
            z.resolve_local(datetime!(2024-10-27 03:00)),
            datetime!(2024-10-27 03:00 +1)
        );
    }

    #[test]
    fn to_local_uses_the_zone_offset() {
        let z = Zone::oslo();
        let local = z.to_local(datetime!(2019-03-07 08:26:36 UTC));
        assert_eq!((local.hour(), local.minute()), (9, 26));
    }

    #[test]
    fn names_are_looked_up() {
        assert_eq!(Zone::named("Europe/Oslo").unwrap(), Zone::oslo());
        assert!(Zone::named("UTC").unwrap().name().ends_with("UTC"));
        assert!(Zone::named("Mars/Olympus").is_err());
    }
}
