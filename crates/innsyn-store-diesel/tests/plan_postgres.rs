//! With 200,000+ rows loaded, every read query is an index scan, never a
//! sequential scan of the event tables, including cursor continuation.

// Helpers outside #[test] fns fail the test by panicking too.
#![allow(clippy::unwrap_used)]

use innsyn_domain::{
    AccessHistoryParams, AccessHistoryQuery, Cursor, LoginHistoryQuery, SubjectId, Zone,
};
use innsyn_store_diesel::test_support::{TestStore, fresh_postgres_store};
use time::OffsetDateTime;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn seq_scanned(node: &serde_json::Value, out: &mut Vec<String>) {
    if node["Node Type"] == "Seq Scan" {
        out.push(node["Relation Name"].as_str().unwrap_or("?").to_owned());
    }
    if let Some(children) = node["Plans"].as_array() {
        for child in children {
            seq_scanned(child, out);
        }
    }
}

/// Index scans only; a sequential scan is tolerated on an empty partition
/// (months ahead), where the planner rightly prefers it and it costs nothing.
fn assert_index_only(store: &TestStore, what: &str, plan: &str) {
    println!("{what}: {plan}");
    let json: serde_json::Value = serde_json::from_str(plan).unwrap();
    let mut seq = Vec::new();
    seq_scanned(&json[0]["Plan"], &mut seq);
    for relation in seq {
        assert_eq!(
            store.count_rows(&relation).unwrap(),
            0,
            "{what} scans {relation} sequentially: {plan}"
        );
    }
    assert!(plan.contains("Index"), "{what} uses no index: {plan}");
}

#[test]
fn reads_are_index_scans_on_a_loaded_database() {
    let store = fresh_postgres_store();
    let now = OffsetDateTime::now_utc();
    let me = SubjectId::parse("01010000001").unwrap();
    let key = hex(&store.subject_key_of(&me));
    // 200,000 rows each, over 20,000 subjects and the last ~120 days; one
    // subject in 2,000 is ours so its history is realistic, not empty.
    store
        .execute_raw(&format!(
            "INSERT INTO login_events (subject_key, occurred_at, dedup_key, key_id, orgno, client_id, \
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
    // Rows older than last month went to the default partitions: give them
    // their months, as the monthly maintenance job would.
    let created = store.ensure_partitions(now, 3).unwrap();
    assert!(
        created.iter().any(|p| p.starts_with("login_events_p")),
        "{created:?}"
    );
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

    let build = |p: AccessHistoryParams| {
        AccessHistoryQuery::build(me.expose(), &p, now, Zone::oslo()).unwrap()
    };
    let default = build(AccessHistoryParams::default());
    assert_index_only(
        &store,
        "seed 2 default",
        &store.explain_access_history(&default).unwrap(),
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
}
