//! Empty stores, retention and the readiness probe.

use innsyn_domain::AccessHistoryParams;
use innsyn_ports::HistoryStore;
use time::Duration;

use super::{outcome, read};
use crate::fixtures::{NOW, ORG_A, access, login, login_query, subject};

/// Appending nothing stores nothing and succeeds.
pub fn empty_batches_are_no_ops<S: HistoryStore + ?Sized>(store: &S) {
    assert_eq!(store.append_access_records(&[]).unwrap(), outcome(0, 0));
    assert_eq!(store.append_login_events(&[]).unwrap(), outcome(0, 0));
}

/// Retention removes what happened before the cutoff and nothing after.
pub fn retention_removes_old_history<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let days = |d: i64| d * 24 * 60;
    store
        .append_access_records(&[
            access(&alice, 1, days(400)),
            access(&alice, 2, days(40)),
            access(&alice, 3, days(1)),
        ])
        .unwrap();
    store
        .append_login_events(&[
            login(&alice, days(400), "svc", Some(ORG_A)),
            login(&alice, days(1), "svc", Some(ORG_A)),
        ])
        .unwrap();
    let removed = store
        .apply_retention(NOW - Duration::days(90), 1_000)
        .unwrap();
    assert_eq!((removed.access_records, removed.login_events), (1, 1));
    let all = AccessHistoryParams {
        start_time: Some("-2y".into()),
        ..Default::default()
    };
    assert_eq!(read(store, &alice, all), [3, 2]);
    assert_eq!(
        store
            .login_history(&login_query(&alice, ORG_A, 100))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store
            .apply_retention(NOW - Duration::days(90), 1_000)
            .unwrap(),
        Default::default()
    );
}

/// Retention in batches of at most `max_rows` per table removes exactly the
/// rows before the cutoff, over several calls, and keeps the rest (also an
/// id that expired can be stored again).
pub fn retention_in_batches_removes_exactly_the_old_rows<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let days = |d: i64| d * 24 * 60;
    // Seven old records and login events of each kind, three recent ones.
    let mut records: Vec<_> = (1..=7)
        .map(|i| access(&alice, i, days(100 + i as i64)))
        .collect();
    records.extend((8..=10).map(|i| access(&alice, i, days(i as i64))));
    store.append_access_records(&records).unwrap();
    let logins: Vec<_> = (0..10)
        .map(|i| {
            let at = if i < 7 { days(100 + i) } else { days(i) };
            login(&alice, at, &format!("svc-{i}"), Some(ORG_A))
        })
        .collect();
    store.append_login_events(&logins).unwrap();
    let cutoff = NOW - Duration::days(90);
    let mut seen = Vec::new();
    loop {
        let batch = store.apply_retention(cutoff, 3).unwrap();
        assert!(
            batch.login_events <= 3 && batch.access_records <= 3,
            "{batch:?}"
        );
        seen.push((batch.login_events, batch.access_records));
        if batch.login_events < 3 && batch.access_records < 3 {
            break;
        }
    }
    assert_eq!(seen, [(3, 3), (3, 3), (1, 1)]);
    let all = AccessHistoryParams {
        start_time: Some("-2y".into()),
        ..Default::default()
    };
    assert_eq!(read(store, &alice, all.clone()), [8, 9, 10]);
    assert_eq!(
        store
            .login_history(&login_query(&alice, ORG_A, 100))
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        store.apply_retention(cutoff, 3).unwrap(),
        Default::default()
    );
    // The expired id is gone with its record: a late re-send stores it again.
    assert_eq!(
        store
            .append_access_records(&[access(&alice, 1, days(101))])
            .unwrap(),
        outcome(1, 0)
    );
}

/// Batches of one run remove every old row however old and recent rows are
/// interleaved in storage (one append at a time, ages alternating), and a
/// later run with a later cutoff starts over: it finds the rows the first
/// run's batches had passed because they were recent then.
pub fn each_retention_run_finds_every_old_row<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let days = |d: i64| d * 24 * 60;
    // Ages 200, 10, 199, 60, 198, 10, ...: old, recent, old, middle, ...
    for i in 0..12u128 {
        let age = match i % 4 {
            0 | 2 => days(200 - i as i64),
            1 => days(10),
            _ => days(60),
        };
        store
            .append_access_records(&[access(&alice, 100 + i, age)])
            .unwrap();
    }
    let run = |cutoff_days: i64| {
        let cutoff = NOW - Duration::days(cutoff_days);
        let mut removed = 0;
        loop {
            let batch = store.apply_retention(cutoff, 2).unwrap();
            removed += batch.access_records;
            if batch.access_records < 2 {
                return removed;
            }
        }
    };
    assert_eq!(run(90), 6, "the six rows older than 90 days");
    assert_eq!(run(30), 3, "then the three older than 30 days");
    let all = AccessHistoryParams {
        start_time: Some("-2y".into()),
        ..Default::default()
    };
    let mut left = read(store, &alice, all);
    left.sort_unstable();
    assert_eq!(left, [101, 105, 109]);
}

/// The readiness probe works on an empty store.
pub fn ping_answers<S: HistoryStore + ?Sized>(store: &S) {
    store.ping().unwrap();
}
