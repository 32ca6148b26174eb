//! Filters and the time window of seed 2.

use innsyn_domain::{AccessHistoryParams, AccessRecord, CatalogKind, CatalogRef, Decision};
use innsyn_ports::{AccessHistoryAnswer, HistoryStore};
use time::Duration;

use super::read;
use crate::fixtures::{access, access_query, subject, varied, wide};

/// Each filter alone, and combined, selects exactly the matching records.
pub fn each_access_filter<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let records = varied(&alice);
    store.append_access_records(&records).unwrap();
    let expect = |pred: &dyn Fn(&AccessRecord) -> bool| -> Vec<u128> {
        let mut v: Vec<_> = records.iter().filter(|r| pred(r)).collect();
        v.sort_by_key(|r| std::cmp::Reverse(r.occurred_at));
        v.into_iter().map(|r| r.id.as_u128()).collect()
    };
    let p = |f: fn(&mut AccessHistoryParams)| {
        let mut params = wide();
        f(&mut params);
        params
    };
    assert_eq!(read(store, &alice, wide()), expect(&|_| true));
    type Case = (fn(&mut AccessHistoryParams), fn(&AccessRecord) -> bool);
    let alone: [Case; 5] = [
        (
            |q| q.application = Some("NAV".into()),
            |r| r.application == "NAV",
        ),
        (
            |q| q.client_id = Some("lanekassen".into()),
            |r| r.client_id == "lanekassen",
        ),
        (
            |q| q.resource = Some("a-melding".into()),
            |r| r.resource == "a-melding",
        ),
        (|q| q.action = Some("write".into()), |r| r.action == "write"),
        (
            |q| q.purpose = Some("statistics".into()),
            |r| r.purpose == "statistics",
        ),
    ];
    for (filter, selects) in alone {
        assert_eq!(read(store, &alice, p(filter)), expect(&selects));
    }
    for d in Decision::ALL {
        let mut params = wide();
        params.decision = Some(d.as_str().to_lowercase());
        assert_eq!(
            read(store, &alice, params),
            expect(&|r| r.decision == d),
            "{d}"
        );
    }
    let combined = p(|q| {
        q.application = Some("Skatteetaten".into());
        q.resource = Some("skattemelding".into());
        q.action = Some("read".into());
    });
    assert_eq!(
        read(store, &alice, combined),
        expect(&|r| r.application == "Skatteetaten"
            && r.resource == "skattemelding"
            && r.action == "read")
    );
    // Filters are exact: `nav` is not `NAV`, and seed 2 checks the
    // application against the catalog even without `validate`.
    assert_eq!(
        store
            .access_history(&access_query(
                &alice,
                p(|q| q.application = Some("nav".into()))
            ))
            .unwrap(),
        AccessHistoryAnswer::NotInCatalog(vec![CatalogRef::new(CatalogKind::Application, "nav")])
    );
    assert!(read(store, &alice, p(|q| q.purpose = Some("nope".into()))).is_empty());
}

/// `resource` matches the name, or the URN when the value starts with `urn:`.
pub fn resource_filter_matches_name_or_urn<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let records = varied(&alice);
    store.append_access_records(&records).unwrap();
    let by_name = read(
        store,
        &alice,
        AccessHistoryParams {
            resource: Some("skattemelding".into()),
            ..wide()
        },
    );
    let by_urn = read(
        store,
        &alice,
        AccessHistoryParams {
            resource: Some("urn:altinn:resource:skattemelding".into()),
            ..wide()
        },
    );
    assert_eq!(by_name.len(), 5);
    assert_eq!(by_name, by_urn);
    let unknown = AccessHistoryParams {
        resource: Some("urn:altinn:resource:none".into()),
        ..wide()
    };
    assert_eq!(
        store
            .access_history(&access_query(&alice, unknown))
            .unwrap(),
        AccessHistoryAnswer::NotInCatalog(vec![CatalogRef::new(
            CatalogKind::ResourceUrn,
            "urn:altinn:resource:none"
        )])
    );
}

/// The window includes its start and excludes its end.
pub fn window_is_start_inclusive_end_exclusive<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let start = time::macros::datetime!(2024-05-01 00:00 +2);
    let end = time::macros::datetime!(2024-05-02 00:00 +2);
    let micro = Duration::microseconds(1);
    let at = |id: u128, t| AccessRecord {
        occurred_at: t,
        ..access(&alice, id, 0)
    };
    store
        .append_access_records(&[
            at(1, start - micro),
            at(2, start),
            at(3, end - micro),
            at(4, end),
        ])
        .unwrap();
    let params = AccessHistoryParams {
        start_time: Some("2024-05-01".into()),
        end_time: Some("2024-05-02".into()),
        ..Default::default()
    };
    assert_eq!(read(store, &alice, params), [3, 2]);
    let relative = AccessHistoryParams {
        start_time: Some("2024-05-01".into()),
        end_time: Some("1d".into()),
        ..Default::default()
    };
    assert_eq!(read(store, &alice, relative), [3, 2]);
}
