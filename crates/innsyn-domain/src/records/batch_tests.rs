use super::test_support::activity;
use super::*;

#[test]
fn batches_report_every_bad_item_by_index() {
    let items = vec![
        activity(),
        ActivityRecord {
            event_subject_pid: None,
            ..activity()
        },
        activity(),
        ActivityRecord {
            event_created: -1,
            event_subject_pid: Some("12345678901".into()),
            ..activity()
        },
    ];
    let err = validate_batch(items, LoginEvent::from_activity).unwrap_err();
    let names: Vec<_> = err.params().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "[1].event_subject_pid",
            "[3].event_created",
            "[3].event_subject_pid"
        ]
    );
    assert!(
        err.to_string()
            .contains("[3].event_subject_pid: not a valid national identity number"),
        "{err}"
    );
    assert!(!err.to_string().contains("12345678901"));
    assert_eq!(
        validate_batch(vec![activity(); 3], LoginEvent::from_activity)
            .unwrap()
            .len(),
        3
    );
    assert!(validate_batch(vec![activity(); MAX_BATCH + 1], LoginEvent::from_activity).is_err());
}
