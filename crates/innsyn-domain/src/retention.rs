//! How far back history is kept: the instant before which a retention run
//! removes login events and access records.
//!
//! Retention is configured in calendar months, because that is how a
//! retention policy is written ("keep 24 months"), so the cutoff is a
//! calendar computation, not a fixed number of days. It is done in UTC so
//! every store and every server, whatever its zone, removes the same rows.

use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::timespec::add_months;

/// The instant before which history is removed when `months` months are
/// kept: the same UTC wall-clock time and day `months` calendar months
/// before `now`, the day clamped to the target month's last day (31 March
/// minus one month is the last day of February). `months = 0` gives `now`.
/// `None` only when the result leaves the representable range.
pub fn cutoff(now: OffsetDateTime, months: u32) -> Option<OffsetDateTime> {
    let now = now.checked_to_offset(UtcOffset::UTC)?;
    let date = add_months(now.date(), -i64::from(months))?;
    Some(PrimitiveDateTime::new(date, now.time()).assume_utc())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::cutoff;

    #[test]
    fn month_ends_clamp_to_the_shorter_month() {
        for (now, months, want) in [
            (
                datetime!(2024-03-31 10:15 UTC),
                1,
                datetime!(2024-02-29 10:15 UTC),
            ),
            (
                datetime!(2023-03-31 10:15 UTC),
                1,
                datetime!(2023-02-28 10:15 UTC),
            ),
            (
                datetime!(2024-05-31 00:00 UTC),
                1,
                datetime!(2024-04-30 00:00 UTC),
            ),
            (
                datetime!(2024-02-29 23:59:59.5 UTC),
                12,
                datetime!(2023-02-28 23:59:59.5 UTC),
            ),
            (
                datetime!(2024-02-29 08:00 UTC),
                48,
                datetime!(2020-02-29 08:00 UTC),
            ),
            (
                datetime!(2024-05-15 12:00 UTC),
                3,
                datetime!(2024-02-15 12:00 UTC),
            ),
        ] {
            assert_eq!(cutoff(now, months), Some(want), "{now} - {months}");
        }
    }

    #[test]
    fn january_minus_one_is_last_december() {
        assert_eq!(
            cutoff(datetime!(2024-01-31 06:00 UTC), 1),
            Some(datetime!(2023-12-31 06:00 UTC))
        );
        assert_eq!(
            cutoff(datetime!(2024-01-15 06:00 UTC), 25),
            Some(datetime!(2021-12-15 06:00 UTC))
        );
    }

    #[test]
    fn zero_months_is_now() {
        let now = datetime!(2024-05-15 12:34:56.789 UTC);
        assert_eq!(cutoff(now, 0), Some(now));
    }

    #[test]
    fn the_computation_is_in_utc() {
        // 00:30 on 1 March in Oslo is still 29 February in UTC.
        let now = datetime!(2024-03-01 00:30 +1);
        assert_eq!(cutoff(now, 1), Some(datetime!(2024-01-29 23:30 UTC)));
        assert_eq!(cutoff(now, 0), Some(now));
        assert_eq!(
            cutoff(now, 0).map(|t| t.offset()),
            Some(time::UtcOffset::UTC)
        );
    }

    #[test]
    fn large_values_reach_the_range_end_without_panicking() {
        let now = datetime!(2024-05-15 12:00 UTC);
        assert_eq!(
            cutoff(now, 12 * 2000),
            Some(datetime!(0024-05-15 12:00 UTC))
        );
        assert_eq!(cutoff(now, u32::MAX), None);
    }
}
