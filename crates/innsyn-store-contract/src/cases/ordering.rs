//! The total order of access records, offset pages and keyset cursors.

use innsyn_domain::{
    AccessHistoryEntry, AccessHistoryParams, AccessRecord, Sort, SortKey, SortOrder,
};
use innsyn_ports::HistoryStore;

use super::{ids, page, read};
use crate::fixtures::{access, access_query, subject, varied, wide};

/// Every sort key in both directions.
fn every_sort() -> impl Iterator<Item = Sort> {
    SortKey::ALL.into_iter().flat_map(|key| {
        [SortOrder::Asc, SortOrder::Desc]
            .into_iter()
            .map(move |order| Sort { key, order })
    })
}

/// [`wide`] sorted by `sort`, as a client asks for it.
fn sorted_by(sort: Sort) -> AccessHistoryParams {
    AccessHistoryParams {
        sort_by: Some(sort.key.as_str().into()),
        sort_order: Some(sort.order.as_str().into()),
        ..wide()
    }
}

/// Every sort key in both directions follows the domain's total order.
pub fn every_sort_key_and_order<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let mut records = varied(&alice);
    // Ties on every key, and byte-order traps: case and non-ASCII.
    records.push(AccessRecord {
        application: "nav".into(),
        ..access(&alice, 200, 10)
    });
    records.push(AccessRecord {
        application: "Ærlig".into(),
        ..access(&alice, 201, 10)
    });
    store.append_access_records(&records).unwrap();
    for sort in every_sort() {
        let mut want: Vec<AccessHistoryEntry> =
            records.iter().map(AccessHistoryEntry::from).collect();
        want.sort_by(|a, b| sort.compare(a, b));
        assert_eq!(read(store, &alice, sorted_by(sort)), ids(&want), "{sort:?}");
    }
}

/// Pages: empty, exact multiple, short last page, past the end.
pub fn paging_edges<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let records: Vec<_> = (1..=10).map(|i| access(&alice, i, i as i64)).collect();
    store.append_access_records(&records).unwrap();
    let paged = |start: u32, count: u32| {
        let p = page(
            store,
            &access_query(
                &alice,
                AccessHistoryParams {
                    start_index: Some(start.to_string()),
                    count: Some(count.to_string()),
                    ..wide()
                },
            ),
        );
        (ids(&p.entries), p.has_more)
    };
    assert_eq!(paged(0, 5), (vec![1, 2, 3, 4, 5], true));
    assert_eq!(
        paged(5, 5),
        (vec![6, 7, 8, 9, 10], false),
        "an exact multiple has no more"
    );
    assert_eq!(paged(9, 3), (vec![10], false));
    assert_eq!(paged(10, 5), (vec![], false));
    assert_eq!(paged(50, 1), (vec![], false));
    assert_eq!(paged(0, 10), ((1..=10).collect(), false));
    assert_eq!(paged(0, 9), ((1..=9).collect(), true));
    assert_eq!(paged(3, 1), (vec![4], true));
}

/// Following cursors visits exactly the records offset paging visits, for every sort.
pub fn cursor_pages_equal_offset_pages<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let mut records = varied(&alice);
    records.extend((0..7).map(|i| access(&alice, 300 + i, 7)));
    store.append_access_records(&records).unwrap();
    for sort in every_sort() {
        let base = AccessHistoryParams {
            count: Some("4".into()),
            ..sorted_by(sort)
        };
        let all = read(
            store,
            &alice,
            AccessHistoryParams {
                count: Some("1000".into()),
                ..base.clone()
            },
        );
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..10 {
            let q = access_query(
                &alice,
                AccessHistoryParams {
                    cursor: cursor.clone(),
                    ..base.clone()
                },
            );
            let page = page(store, &q);
            seen.extend(ids(&page.entries));
            if !page.has_more {
                break;
            }
            cursor = Some(q.sort.cursor_after(page.entries.last().unwrap()).encode());
        }
        assert_eq!(seen, all, "{sort:?}");
    }
}
