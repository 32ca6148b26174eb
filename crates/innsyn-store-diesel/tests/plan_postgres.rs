//! With 200,000+ rows loaded, every read query is an index scan, never a
//! sequential scan of the event tables, including cursor continuation;
//! seed 2's one statement probes `subjects` and reads its page in index
//! order (its only Sort re-orders the joined page at the root); and
//! the login queries, as prepared by the store, read one index backwards
//! and stop at the LIMIT (no Sort, no Append: the tables are flat).

// Helpers outside #[test] fns fail the test by panicking too.
#![allow(clippy::unwrap_used, clippy::panic)]

use innsyn_domain::{
    AccessHistoryParams, AccessHistoryQuery, Cursor, LoginHistoryQuery, SubjectId, Zone,
};
use innsyn_store_diesel::test_support::fresh_postgres_store;
use time::OffsetDateTime;

mod plan_support;

use plan_support::{assert_index_only, assert_one_statement_page, assert_ordered_index_scan};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn reads_are_index_scans_on_a_loaded_database() {
    let store = fresh_postgres_store();
    let now = OffsetDateTime::now_utc();
    let me = SubjectId::parse(innsyn_domain::identity::CITIZEN_A).unwrap();
    let key = hex(&store.subject_key_of(&me));
    // 200,000 rows each, over 20,000 subjects and the last ~140 days; one
    // subject in 2,000 is ours so its history is realistic, not empty.
    store
        .execute_raw(&format!(
            "SET statement_timeout = 0;
             INSERT INTO login_events (subject_key, occurred_at, dedup_key, key_id, orgno, client_id, \
               service_name, eid, method, event_name, correlation_id)
             SELECT CASE WHEN n % 2000 = 0 THEN '\\x{key}'::bytea ELSE sha256((n % 20000)::text::bytea) END,
                    now() - make_interval(mins => n),
                    sha256(n::text::bytea), 'k1', (991825827 + (n % 7))::text, 'client-' || (n % 50),
                    'Tjeneste', 'MinID', 'PIN', 'Innlogget', NULL
             FROM generate_series(1, 200000) AS n;
             INSERT INTO access_records (owner_key, occurred_at, id, key_id, application, client_id, \
               resource, resource_urn, action, purpose, decision, orgno)
             SELECT CASE WHEN n % 2000 = 0 THEN '\\x{key}'::bytea ELSE sha256((n % 20000)::text::bytea) END,
                    now() - make_interval(mins => n), substring(sha256(('id' || n)::bytea) from 1 for 16),
                    'k1', 'app-' || (n % 10), 'client-' || (n % 10), 'res-' || (n % 5), NULL,
                    CASE WHEN n % 2 = 0 THEN 'read' ELSE 'write' END, 'purpose', 'Permit', NULL
             FROM generate_series(1, 200000) AS n;"
        ))
        .unwrap();
    // What ingestion registers beside the rows: the subjects (the owner
    // check probes them) and the catalog (validated queries check it).
    store
        .execute_raw(
            "INSERT INTO subjects (subject_key, key_id)
               SELECT subject_key, 'k1' FROM login_events
               UNION SELECT owner_key, 'k1' FROM access_records;
             INSERT INTO applications (name) SELECT DISTINCT application FROM access_records;
             INSERT INTO resources (name) SELECT DISTINCT resource FROM access_records;
             INSERT INTO actions (name) SELECT DISTINCT action FROM access_records;
             INSERT INTO purposes (name) SELECT DISTINCT purpose FROM access_records;",
        )
        .unwrap();
    store.execute_raw("ANALYZE").unwrap();

    let seed1 = LoginHistoryQuery {
        subject: me.clone(),
        orgno: Some("991825827".parse().unwrap()),
        window: None,
        client_id: None,
        start_index: 0,
        max_hits: 100,
    };
    assert_index_only(
        &store,
        "seed 1",
        &store.explain_login_history(&seed1).unwrap(),
    );
    let own_page = LoginHistoryQuery {
        orgno: None,
        ..seed1.clone()
    };
    assert_index_only(
        &store,
        "own login page",
        &store.explain_login_history(&own_page).unwrap(),
    );
    // As the store runs them: prepared, so the plan is the cached one.
    assert_ordered_index_scan(
        "seed 1",
        &store.explain_prepared_login_history(&seed1, false).unwrap(),
        "login_events_subject_org_time",
    );
    assert_ordered_index_scan(
        "own login page",
        &store
            .explain_prepared_login_history(&own_page, false)
            .unwrap(),
        "login_events_subject_time",
    );
    // Our subject has 100 rows: LIMIT 10 reads 10 index entries and stops.
    let few = LoginHistoryQuery {
        max_hits: 10,
        ..own_page.clone()
    };
    let json = assert_ordered_index_scan(
        "own login page, LIMIT 10, analyzed",
        &store.explain_prepared_login_history(&few, true).unwrap(),
        "login_events_subject_time",
    );
    let scan = &json[0]["Plan"]["Plans"][0];
    assert_eq!(
        scan["Actual Rows"].as_u64(),
        Some(10),
        "the scan did not stop at the LIMIT: {json}"
    );

    let build = |p: AccessHistoryParams| {
        AccessHistoryQuery::build(me.clone(), &p, now, Zone::oslo()).unwrap()
    };
    let default = build(AccessHistoryParams::default());
    assert_index_only(
        &store,
        "seed 2 default",
        &store.explain_access_history(&default).unwrap(),
    );
    assert_one_statement_page(
        "seed 2 default (prepared)",
        &store
            .explain_prepared_access_history(&default, false)
            .unwrap(),
    );
    let wide = build(AccessHistoryParams {
        start_time: Some("-90d".into()),
        ..Default::default()
    });
    let mut with_cursor = wide.clone();
    with_cursor.page.after = Some(Cursor {
        sort: wide.sort,
        key_value: None,
        timestamp: now - time::Duration::days(10),
        id: uuid::Uuid::from_u128(42),
    });
    assert_index_only(
        &store,
        "seed 2 cursor",
        &store.explain_access_history(&with_cursor).unwrap(),
    );
    assert_one_statement_page(
        "seed 2 cursor (prepared)",
        &store
            .explain_prepared_access_history(&with_cursor, false)
            .unwrap(),
    );
    let filtered = build(AccessHistoryParams {
        start_time: Some("-90d".into()),
        action: Some("read".into()),
        sort_by: Some("application".into()),
        ..Default::default()
    });
    assert_index_only(
        &store,
        "seed 2 filter + sort by application",
        &store.explain_access_history(&filtered).unwrap(),
    );
    // With validate, the same statement also checks each filter value in
    // the catalog (one probe each, tiny tables); the page is read as before.
    let validated = build(AccessHistoryParams {
        start_time: Some("-90d".into()),
        application: Some("app-1".into()),
        action: Some("read".into()),
        validate: Some("true".into()),
        ..Default::default()
    });
    assert_one_statement_page(
        "seed 2 validated (prepared)",
        &store
            .explain_prepared_access_history(&validated, false)
            .unwrap(),
    );
}
