use time::macros::datetime;
use uuid::Uuid;

use super::*;
use crate::decision::Decision;
use crate::params::InvalidParams;
use crate::records::AccessHistoryEntry;
use crate::subject::SubjectId;
use crate::zone::Zone;

fn build(p: AccessHistoryParams) -> Result<AccessHistoryQuery, InvalidParams> {
    let owner = SubjectId::parse(crate::identity::CITIZEN_A).unwrap();
    AccessHistoryQuery::build(owner, &p, datetime!(2024-05-15 12:00 UTC), Zone::oslo())
}

fn names(e: &InvalidParams) -> Vec<&str> {
    e.params().iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn cursor_round_trips_and_must_match_the_sort() {
    let c = Cursor {
        sort: Sort {
            key: SortKey::Resource,
            order: SortOrder::Asc,
        },
        key_value: Some("skattemelding/æøå.x".into()),
        timestamp: datetime!(2024-05-01 10:00:00.123456789 UTC),
        id: Uuid::from_u128(42),
    };
    let encoded = c.encode();
    assert!(
        encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.')
    );
    assert_eq!(Cursor::decode(&encoded), Ok(c.clone()));
    let q = build(AccessHistoryParams {
        sort_by: Some("resource".into()),
        cursor: Some(encoded.clone()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(q.page.after, Some(c));
    let err = build(AccessHistoryParams {
        cursor: Some(encoded),
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(names(&err), ["cursor"]);
    for bad in [
        "",
        "c1",
        "c2.timestamp.desc.0.00000000000000000000000000000000.",
        "c1.timestamp.desc.x.0.",
        "c1.timestamp.desc.0.00000000000000000000000000000000.f",
    ] {
        assert!(Cursor::decode(bad).is_err(), "{bad}");
    }
}

#[test]
fn sort_order_is_total_and_cursors_continue_it() {
    let entry = |id: u128, app: &str, minute: u8| AccessHistoryEntry {
        id: Uuid::from_u128(id),
        occurred_at: datetime!(2024-05-01 10:00 UTC)
            .replace_minute(minute)
            .unwrap(),
        application: app.into(),
        client_id: "c".into(),
        resource: "r".into(),
        resource_urn: None,
        action: "read".into(),
        purpose: "p".into(),
        decision: Decision::Permit,
        orgno: None,
    };
    let entries = [
        entry(1, "b", 1),
        entry(2, "a", 2),
        entry(3, "a", 1),
        entry(4, "Å", 0),
        entry(5, "a", 1),
    ];
    for key in SortKey::ALL {
        for order in [SortOrder::Asc, SortOrder::Desc] {
            let sort = Sort { key, order };
            let mut sorted = entries.to_vec();
            sorted.sort_by(|a, b| sort.compare(a, b));
            for (i, e) in sorted.iter().enumerate() {
                let cursor = sort.cursor_after(e);
                let rest: Vec<_> = sorted
                    .iter()
                    .filter(|x| sort.is_after(&cursor, x))
                    .cloned()
                    .collect();
                assert_eq!(rest, sorted[i + 1..], "{key:?} {order:?} {i}");
            }
        }
    }
    let by_app = Sort {
        key: SortKey::Application,
        order: SortOrder::Asc,
    };
    let mut sorted = entries.to_vec();
    sorted.sort_by(|a, b| by_app.compare(a, b));
    let ids: Vec<u128> = sorted.iter().map(|e| e.id.as_u128()).collect();
    assert_eq!(ids, [3, 5, 2, 1, 4]);
}
