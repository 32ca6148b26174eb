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
    let removed = store.apply_retention(NOW - Duration::days(90)).unwrap();
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
        store.apply_retention(NOW - Duration::days(90)).unwrap(),
        Default::default()
    );
}

/// The readiness probe works on an empty store.
pub fn ping_answers<S: HistoryStore + ?Sized>(store: &S) {
    store.ping().unwrap();
}
