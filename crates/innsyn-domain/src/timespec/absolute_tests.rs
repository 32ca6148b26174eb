use proptest::prelude::*;
use time::Month;
use time::macros::{datetime, offset};

use super::TimeWindow;
use super::test_support::{LATER, oslo, resolve_start, start};
use crate::zone::Zone;

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
        assert_eq!(start(raw, LATER), want, "{raw}");
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
        let err = resolve_start(raw).unwrap_err();
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
        let err = resolve_start(raw).unwrap_err();
        assert!(err.params()[0].reason.contains(part), "{raw}: {err}");
    }
    for out_of_range in ["0000", "-99999999d", "-9999999y"] {
        assert!(resolve_start(out_of_range).is_err(), "{out_of_range}");
    }
}

#[test]
fn other_zones_are_honoured() {
    let utc = Zone::named("UTC").unwrap();
    let w = TimeWindow::resolve(Some("2024-01-01"), Some("1d"), LATER, utc).unwrap();
    assert_eq!(w.start, datetime!(2024-01-01 00:00 UTC));
    assert_eq!(w.start.offset(), offset!(UTC));
}

proptest! {
    #[test]
    fn valid_dates_parse_and_keep_their_fields(y in 1i32..=9999, m in 1u8..=12, d in 1u8..=31, h in 0u8..24, mi in 0u8..60) {
        let raw = format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}Z");
        let month = Month::try_from(m).unwrap();
        match TimeWindow::resolve(Some(&raw), Some("1m"), LATER, oslo()) {
            Ok(w) => {
                prop_assert!(d <= month.length(y));
                prop_assert_eq!((w.start.year(), w.start.month(), w.start.day(), w.start.hour(), w.start.minute()), (y, month, d, h, mi));
            }
            Err(_) => prop_assert!(d > month.length(y) || (y == 9999 && m == 12 && d == 31 && h == 23 && mi == 59)),
        }
    }

    #[test]
    fn never_panics(raw in "\\PC{0,40}") {
        let _ = TimeWindow::resolve(Some(&raw), Some(&raw), LATER, oslo());
    }
}
