//! Login history: seed 1 (one organisation's newest events), the
//! citizen's own view, idempotency and the fields shown.

use innsyn_domain::{ClientEntry, LoginHistoryQuery, TimeWindow};
use innsyn_ports::HistoryStore;

use super::outcome;
use crate::fixtures::{ORG_A, ORG_B, ago, citizen_query, login, login_query, org, subject};

/// Seed 1: newest first, only the caller organisation's services, at most `maxhits`.
pub fn login_history_newest_first_by_org_and_limited<S: HistoryStore + ?Sized>(store: &S) {
    let (alice, bob) = (subject(1), subject(2));
    let events = [
        login(&alice, 50, "svc-a", Some(ORG_A)),
        login(&alice, 40, "svc-b", Some(ORG_B)),
        login(&alice, 30, "svc-a", Some(ORG_A)),
        login(&alice, 20, "svc-a2", Some(ORG_A)),
        login(&bob, 10, "svc-a", Some(ORG_A)),
    ];
    assert_eq!(store.append_login_events(&events).unwrap(), outcome(5, 0));
    let times = |max: u16, orgno: &str, who| -> Vec<time::OffsetDateTime> {
        store
            .login_history(&login_query(who, orgno, max))
            .unwrap()
            .iter()
            .map(|e| e.occurred_at)
            .collect()
    };
    assert_eq!(times(100, ORG_A, &alice), [ago(20), ago(30), ago(50)]);
    assert_eq!(times(2, ORG_A, &alice), [ago(20), ago(30)]);
    assert_eq!(times(100, ORG_B, &alice), [ago(40)]);
    assert_eq!(times(100, ORG_A, &bob), [ago(10)]);
    assert!(times(100, ORG_B, &bob).is_empty());
}

/// An event that names no organisation takes its client's from the catalog.
pub fn login_orgno_falls_back_to_the_catalog<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    store
        .put_client(&ClientEntry {
            client_id: "svc-known".into(),
            application: "Kjent".into(),
            orgno: Some(org(ORG_B)),
        })
        .unwrap();
    store
        .append_login_events(&[
            login(&alice, 10, "svc-known", None),
            login(&alice, 5, "svc-unknown", None),
        ])
        .unwrap();
    let found = store
        .login_history(&login_query(&alice, ORG_B, 100))
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].client_id.as_deref(), Some("svc-known"));
    assert_eq!(found[0].orgno, Some(org(ORG_B)));
    assert!(
        store
            .login_history(&login_query(&alice, ORG_A, 100))
            .unwrap()
            .is_empty()
    );
    // The citizen sees every event, including the one no organisation claims.
    let own = store.login_history(&citizen_query(&alice)).unwrap();
    let clients: Vec<_> = own.iter().map(|e| e.client_id.as_deref()).collect();
    assert_eq!(clients, [Some("svc-unknown"), Some("svc-known")]);
    assert_eq!(own[0].orgno, None);
}

/// The citizen's own view filters by period and service and pages newest first.
pub fn citizen_login_history_filters_and_pages<S: HistoryStore + ?Sized>(store: &S) {
    let (alice, bob) = (subject(1), subject(2));
    let events: Vec<_> = (1..=6)
        .map(|i| {
            let client = if i % 2 == 0 { "svc-even" } else { "svc-odd" };
            login(
                &alice,
                i * 60,
                client,
                Some(if i <= 3 { ORG_A } else { ORG_B }),
            )
        })
        .chain([login(&bob, 30, "svc-even", Some(ORG_A))])
        .collect();
    store.append_login_events(&events).unwrap();
    let times = |q: LoginHistoryQuery| -> Vec<time::OffsetDateTime> {
        store
            .login_history(&q)
            .unwrap()
            .iter()
            .map(|e| e.occurred_at)
            .collect()
    };
    let all = citizen_query(&alice);
    assert_eq!(
        times(all.clone()),
        (1..=6).map(|i| ago(i * 60)).collect::<Vec<_>>()
    );
    let paged = LoginHistoryQuery {
        start_index: 2,
        max_hits: 3,
        ..all.clone()
    };
    assert_eq!(times(paged), [ago(180), ago(240), ago(300)]);
    assert!(
        times(LoginHistoryQuery {
            start_index: 6,
            ..all.clone()
        })
        .is_empty()
    );
    let even = LoginHistoryQuery {
        client_id: Some("svc-even".into()),
        ..all.clone()
    };
    assert_eq!(times(even), [ago(120), ago(240), ago(360)]);
    let window = TimeWindow {
        start: ago(300),
        end: ago(120),
    };
    assert_eq!(
        times(LoginHistoryQuery {
            window: Some(window),
            ..all.clone()
        }),
        [ago(180), ago(240), ago(300)]
    );
    let seed1_paged = LoginHistoryQuery {
        start_index: 1,
        max_hits: 1,
        ..login_query(&alice, ORG_B, 100)
    };
    assert_eq!(times(seed1_paged), [ago(300)]);
}
