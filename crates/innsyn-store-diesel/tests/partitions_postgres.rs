//! Monthly partitions without a default partition: ingestion creates the
//! months it needs on demand (also from concurrent batches), and a store
//! whose cache still lists a partition that retention dropped elsewhere
//! recreates it and retries instead of failing.

// Helpers outside #[test] fns fail the test by panicking too.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use innsyn_domain::records::Party;
use innsyn_domain::{LoginEvent, LoginHistoryQuery, SubjectId};
use innsyn_ports::HistoryStore;
use innsyn_store_diesel::Store;
use innsyn_store_diesel::test_support::{fresh_postgres_url, test_settings};
use time::OffsetDateTime;
use time::macros::datetime;

fn event(subject: &SubjectId, at: OffsetDateTime, n: u32) -> LoginEvent {
    LoginEvent {
        occurred_at: at,
        subject: subject.clone(),
        event_name: "Innlogget".into(),
        description: None,
        service_provider: Party {
            id: Some("client".into()),
            orgno: Some("991825827".parse().unwrap()),
            name: Some("Tjeneste".into()),
        },
        service_owner: Party::default(),
        eid: Some("MinID".into()),
        method: Some("PIN".into()),
        correlation_id: Some(format!("c-{n}")),
        application: None,
        event_id: Some(format!("e-{n}")),
    }
}

fn history(store: &Store, subject: &SubjectId) -> usize {
    store
        .login_history(&LoginHistoryQuery {
            subject: subject.clone(),
            orgno: None,
            window: None,
            client_id: None,
            start_index: 0,
            max_hits: 1000,
        })
        .unwrap()
        .len()
}

#[test]
fn months_are_created_on_demand_and_recreated_after_retention_elsewhere() {
    let db = fresh_postgres_url();
    let a = Store::connect(&test_settings(db.url())).unwrap();
    let b = Store::connect(&test_settings(db.url())).unwrap();
    let who = SubjectId::parse("01010000001").unwrap();
    let old = datetime!(2019-03-10 12:00 UTC);
    assert_eq!(
        a.append_login_events(&[event(&who, old, 1)])
            .unwrap()
            .accepted,
        1
    );
    // b learns that March 2019 exists.
    assert_eq!(
        b.append_login_events(&[event(&who, old, 2)])
            .unwrap()
            .accepted,
        1
    );
    assert_eq!(history(&b, &who), 2);

    // a drops the month; b's cache still lists it.
    let removed = a.apply_retention(datetime!(2020-01-01 00:00 UTC)).unwrap();
    assert_eq!(removed.login_events, 2);
    assert_eq!(history(&b, &who), 0);
    let again = b
        .append_login_events(&[event(&who, old, 3), event(&who, old, 1)])
        .unwrap();
    assert_eq!((again.accepted, again.duplicates), (2, 0));
    assert_eq!(history(&a, &who), 2);
    // Idempotent as ever.
    let resent = a.append_login_events(&[event(&who, old, 3)]).unwrap();
    assert_eq!((resent.accepted, resent.duplicates), (0, 1));
}

#[test]
fn concurrent_batches_create_the_same_new_months_without_deadlock() {
    let db = fresh_postgres_url();
    let store = Arc::new(Store::connect(&test_settings(db.url())).unwrap());
    let who = SubjectId::parse("01010000002").unwrap();
    let threads: Vec<_> = (0..4u32)
        .map(|t| {
            let (store, who) = (store.clone(), who.clone());
            std::thread::spawn(move || {
                // Every thread writes the same six months of 2018, each its own events.
                let batch: Vec<LoginEvent> = (0..60u32)
                    .map(|i| {
                        let month =
                            time::Month::try_from(u8::try_from(1 + i % 6).unwrap()).unwrap();
                        let at = time::Date::from_calendar_date(2018, month, 1 + (i % 27) as u8)
                            .unwrap()
                            .midnight()
                            .assume_utc();
                        event(&who, at, t * 1000 + i)
                    })
                    .collect();
                store.append_login_events(&batch).unwrap().accepted
            })
        })
        .collect();
    let accepted: u64 = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(accepted, 240);
    assert_eq!(history(&store, &who), 240);
}
