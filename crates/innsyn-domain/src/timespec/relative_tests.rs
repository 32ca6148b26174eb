use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, PrimitiveDateTime, Time};

use super::TimeWindow;
use super::test_support::{LATER, end, oslo, resolve_start, start};
use crate::zone::Zone;

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
fn dst_transitions_in_oslo() {
    // Spring forward: 02:00 → 03:00 on 2024-03-31.
    assert_eq!(
        start("2024-03-31T02:30", LATER),
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
        start("2024-10-27T02:30", LATER),
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
    for (raw, exists) in [
        ("2024-02-29", true),
        ("1900-02-29", false),
        ("2000-02-29", true),
    ] {
        assert_eq!(resolve_start(raw).is_ok(), exists, "{raw}");
    }
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
}
