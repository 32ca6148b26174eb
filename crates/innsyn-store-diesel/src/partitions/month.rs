//! The calendar month, the unit of partitioning, and partition names.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// A calendar month, the unit of partitioning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct YearMonth {
    pub(crate) year: i32,
    pub(crate) month: u8,
}

impl YearMonth {
    pub(crate) fn of(t: OffsetDateTime) -> Self {
        let t = t.to_offset(time::UtcOffset::UTC);
        Self {
            year: t.year(),
            month: u8::from(t.month()),
        }
    }

    /// This month plus `n` (negative goes back).
    pub(crate) fn plus(self, n: i32) -> Self {
        let index = self.year * 12 + i32::from(self.month) - 1 + n;
        Self {
            year: index.div_euclid(12),
            month: u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1),
        }
    }

    /// Midnight UTC on the first of the month.
    pub(crate) fn start(self) -> Option<OffsetDateTime> {
        let month = Month::try_from(self.month).ok()?;
        let date = Date::from_calendar_date(self.year, month, 1).ok()?;
        Some(PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc())
    }

    pub(crate) fn partition_name(self, table: &str) -> String {
        format!("{table}_p{:04}_{:02}", self.year, self.month)
    }

    /// Reads [`Self::partition_name`] back; `None` for other tables.
    pub(crate) fn from_partition_name(table: &str, name: &str) -> Option<Self> {
        let rest = name.strip_prefix(table)?.strip_prefix("_p")?;
        let (y, m) = rest.split_once('_')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let ym = Self {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        (1..=12).contains(&ym.month).then_some(ym)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn ym(year: i32, month: u8) -> YearMonth {
        YearMonth { year, month }
    }

    #[test]
    fn months_and_names() {
        let jan = YearMonth::of(datetime!(2024-12-31 23:30 -01:00));
        assert_eq!(jan, ym(2025, 1));
        for (n, want) in [
            (-1, ym(2024, 12)),
            (11, ym(2025, 12)),
            (12, ym(2026, 1)),
            (-13, ym(2023, 12)),
        ] {
            assert_eq!(jan.plus(n), want, "{n}");
        }
        assert_eq!(jan.partition_name("login_events"), "login_events_p2025_01");
        assert_eq!(
            YearMonth::from_partition_name("login_events", "login_events_p2025_01"),
            Some(jan)
        );
        for other in [
            "login_events_default",
            "access_records_p2025_01",
            "login_events_p2025_13",
        ] {
            assert_eq!(YearMonth::from_partition_name("login_events", other), None);
        }
    }

    #[test]
    fn bounds_are_utc_month_starts() {
        let feb = ym(2024, 2);
        assert_eq!(feb.start(), Some(datetime!(2024-02-01 00:00 UTC)));
        assert_eq!(feb.plus(1).start(), Some(datetime!(2024-03-01 00:00 UTC)));
    }
}
