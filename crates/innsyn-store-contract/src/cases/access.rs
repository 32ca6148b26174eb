//! What is stored comes back: fields, idempotency, filters, windows and
//! isolation between owners.

use innsyn_domain::{AccessHistoryEntry, AccessHistoryParams, AccessRecord, Decision};
use innsyn_ports::{AccessHistoryAnswer, HistoryStore};
use time::Duration;

use super::{ids, outcome, page, read};
use crate::fixtures::{access, access_query, subject, varied, wide};

/// What goes in comes out, field by field, newest first by default.
pub fn access_records_round_trip<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let mut no_urn = access(&alice, 2, 30);
    no_urn.resource_urn = None;
    no_urn.decision = Decision::Indeterminate;
    let batch = [access(&alice, 1, 60), no_urn, access(&alice, 3, 5)];
    assert_eq!(store.append_access_records(&batch).unwrap(), outcome(3, 0));
    let page = page(store, &access_query(&alice, AccessHistoryParams::default()));
    assert!(!page.has_more);
    let want: Vec<AccessHistoryEntry> = [&batch[2], &batch[1], &batch[0]]
        .into_iter()
        .map(AccessHistoryEntry::from)
        .collect();
    assert_eq!(page.entries, want);
}

/// Re-sending records stores them once; repeats inside a batch count as duplicates.
pub fn access_records_are_idempotent_by_id<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let batch = [access(&alice, 1, 60), access(&alice, 2, 30)];
    assert_eq!(store.append_access_records(&batch).unwrap(), outcome(2, 0));
    assert_eq!(store.append_access_records(&batch).unwrap(), outcome(0, 2));
    let mut changed = access(&alice, 2, 30);
    changed.action = "delete".into();
    assert_eq!(
        store
            .append_access_records(&[changed, access(&alice, 3, 1), access(&alice, 3, 1)])
            .unwrap(),
        outcome(1, 2)
    );
    let entries = page(store, &access_query(&alice, wide())).entries;
    assert_eq!(ids(&entries), [3, 2, 1]);
    assert_eq!(entries[1].action, "read", "the first write of an id wins");
}

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
    assert_eq!(
        read(store, &alice, p(|q| q.application = Some("NAV".into()))),
        expect(&|r| r.application == "NAV")
    );
    assert_eq!(
        read(
            store,
            &alice,
            p(|q| q.client_id = Some("lanekassen".into()))
        ),
        expect(&|r| r.client_id == "lanekassen")
    );
    assert_eq!(
        read(store, &alice, p(|q| q.resource = Some("a-melding".into()))),
        expect(&|r| r.resource == "a-melding")
    );
    assert_eq!(
        read(store, &alice, p(|q| q.action = Some("write".into()))),
        expect(&|r| r.action == "write")
    );
    assert_eq!(
        read(store, &alice, p(|q| q.purpose = Some("statistics".into()))),
        expect(&|r| r.purpose == "statistics")
    );
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
    assert!(
        read(store, &alice, p(|q| q.application = Some("nav".into()))).is_empty(),
        "filters are exact"
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
    assert!(
        read(
            store,
            &alice,
            AccessHistoryParams {
                resource: Some("urn:altinn:resource:none".into()),
                ..wide()
            }
        )
        .is_empty()
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

/// One owner never sees another's records.
pub fn owners_are_isolated<S: HistoryStore + ?Sized>(store: &S) {
    let (alice, bob, carol) = (subject(1), subject(2), subject(3));
    store
        .append_access_records(&[access(&alice, 1, 5), access(&bob, 2, 5), access(&bob, 3, 6)])
        .unwrap();
    assert_eq!(read(store, &alice, wide()), [1]);
    assert_eq!(read(store, &bob, wide()), [2, 3]);
    assert_eq!(
        store.access_history(&access_query(&carol, wide())).unwrap(),
        AccessHistoryAnswer::UnknownOwner
    );
}

/// Non-ASCII text is stored, filtered and returned unchanged.
pub fn unicode_values_round_trip<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let record = AccessRecord {
        application: "Lånekassen – støtte 🎓".into(),
        client_id: "lånekassen-ç".into(),
        resource: "søknad/æøå".into(),
        resource_urn: Some("urn:altinn:resource:søknad-æøå".into()),
        action: "lese".into(),
        purpose: "saksbehandling «stipend»".into(),
        ..access(&alice, 1, 5)
    };
    store
        .append_access_records(std::slice::from_ref(&record))
        .unwrap();
    let params = AccessHistoryParams {
        application: Some(record.application.clone()),
        resource: Some(record.resource_urn.clone().unwrap()),
        purpose: Some(record.purpose.clone()),
        ..wide()
    };
    let page = page(store, &access_query(&alice, params));
    assert_eq!(page.entries, [AccessHistoryEntry::from(&record)]);
}
