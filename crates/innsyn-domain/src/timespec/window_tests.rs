use time::macros::datetime;

use super::TimeWindow;
use super::test_support::oslo;

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
    // Given without a value is a mistake, named, not the default.
    let err = TimeWindow::resolve(Some(""), Some(""), now, oslo()).unwrap_err();
    let names: Vec<_> = err.params().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["startTime", "endTime"]);
}

#[test]
fn start_must_precede_end() {
    let now = datetime!(2024-05-15 12:00 UTC);
    let err = TimeWindow::resolve(Some("2024-05-15"), Some("2024-05-15"), now, oslo()).unwrap_err();
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
