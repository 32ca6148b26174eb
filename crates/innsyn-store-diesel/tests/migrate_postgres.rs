//! The migration from monthly partitions to flat tables
//! (`2026-12-02-000000_flat_tables`) keeps every row: a database migrated
//! only as far as the previous release went, filled the way that release
//! wrote (rows in monthly partitions, subjects, catalog), is migrated, and
//! every table is counted before and after and read back through the store.

// Helpers outside #[test] fns fail the test by panicking too.
#![allow(clippy::unwrap_used, clippy::panic)]

use innsyn_domain::{
    AccessHistoryQuery, AccessRecord, AppendOutcome, Decision, LoginHistoryQuery, SubjectId,
    TimeWindow,
};
use innsyn_ports::{AccessHistoryAnswer, HistoryStore};
use innsyn_store_diesel::test_support::{
    TestStore, empty_postgres_url, migrate_postgres_prefix, postgres_store_over,
};
use time::macros::datetime;
use uuid::Uuid;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const TABLES: [&str; 8] = [
    "login_events",
    "access_records",
    "subjects",
    "clients",
    "applications",
    "resources",
    "actions",
    "purposes",
];

fn counts(store: &TestStore) -> Vec<(&'static str, i64)> {
    TABLES
        .iter()
        .map(|t| (*t, store.count_rows(t).unwrap()))
        .collect()
}

/// The record the previous release stored as row 1 of Alice's (by SQL
/// below), as a producer would re-send it.
fn first_record(owner: &SubjectId) -> AccessRecord {
    AccessRecord {
        id: Uuid::from_u128(1),
        occurred_at: datetime!(2026-09-02 10:00 UTC),
        owner: owner.clone(),
        application: "Skatteetaten".into(),
        client_id: "ske-client".into(),
        resource: "skattemelding".into(),
        resource_urn: None,
        action: "read".into(),
        purpose: "tax-assessment".into(),
        decision: Decision::Permit,
        orgno: Some("974761076".parse().unwrap()),
    }
}

#[test]
fn flat_tables_migration_keeps_every_row_of_the_partitioned_release() {
    let db = empty_postgres_url();
    let before = migrate_postgres_prefix(db.url(), 2);
    assert_eq!(
        before,
        [
            "2024-01-01-000000_init",
            "2026-11-20-000000_ordered_partitions"
        ]
    );
    let store = postgres_store_over(db);
    let (alice, bob) = (
        SubjectId::parse(innsyn_domain::identity::CITIZEN_A).unwrap(),
        SubjectId::parse(innsyn_domain::identity::CITIZEN_B).unwrap(),
    );
    let (ka, kb) = (
        hex(&store.subject_key_of(&alice)),
        hex(&store.subject_key_of(&bob)),
    );
    // Three months of partitions, as the previous release's ingestion
    // created them, and rows in each: 90 login events per subject (every
    // third without an organisation), 40 access records of Alice and 20 of
    // Bob, and one id stored twice (the old key allowed it: another time).
    let mut sql = String::new();
    for (from, to) in [
        ("2026-09-01", "2026-10-01"),
        ("2026-10-01", "2026-11-01"),
        ("2026-11-01", "2026-12-01"),
    ] {
        let month = from[..7].replace('-', "_");
        for table in ["login_events", "access_records"] {
            sql.push_str(&format!(
                "CREATE TABLE {table}_p{month} PARTITION OF {table} \
                 FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00');\n"
            ));
        }
    }
    sql.push_str(&format!(
        "INSERT INTO login_events (subject_key, occurred_at, dedup_key, key_id, orgno, client_id, \
           service_name, eid, method, event_name, correlation_id)
         SELECT k, timestamptz '2026-09-01 00:00+00' + make_interval(hours => n * 21),
                sha256(k || int4send(n)), 'k1',
                CASE WHEN n % 3 = 0 THEN NULL ELSE '991825827' END, 'client-' || (n % 4),
                'Tjeneste', 'MinID', 'PIN', 'Innlogget', 'c-' || n
         FROM (VALUES ('\\x{ka}'::bytea), ('\\x{kb}'::bytea)) AS s(k), generate_series(1, 90) AS n;
         INSERT INTO access_records (owner_key, occurred_at, id, key_id, application, client_id, \
           resource, resource_urn, action, purpose, decision, orgno)
         SELECT '\\x{ka}'::bytea, timestamptz '2026-09-02 10:00+00' + make_interval(hours => (n - 1) * 50),
                uuid_send(('00000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid), 'k1',
                'Skatteetaten', 'ske-client', 'skattemelding', NULL, 'read', 'tax-assessment',
                'Permit', '974761076'
         FROM generate_series(1, 40) AS n;
         INSERT INTO access_records (owner_key, occurred_at, id, key_id, application, client_id, \
           resource, resource_urn, action, purpose, decision, orgno)
         SELECT '\\x{kb}'::bytea, timestamptz '2026-09-03 10:00+00' + make_interval(hours => n * 100),
                uuid_send(gen_random_uuid()), 'k1', 'NAV', 'nav-client', 'a-melding',
                'urn:altinn:resource:a-melding', 'write', 'case handling', 'Deny', NULL
         FROM generate_series(1, 20) AS n;
         INSERT INTO access_records (owner_key, occurred_at, id, key_id, application, client_id, \
           resource, resource_urn, action, purpose, decision, orgno)
         VALUES ('\\x{ka}'::bytea, '2026-11-20 08:00+00',
                 uuid_send('00000000-0000-0000-0000-000000000002'), 'k1', 'Skatteetaten',
                 'ske-client', 'skattemelding', NULL, 'read', 'tax-assessment', 'Permit', NULL);
         INSERT INTO subjects (subject_key, key_id) VALUES ('\\x{ka}', 'k1'), ('\\x{kb}', 'k1');
         INSERT INTO applications (name) VALUES ('Skatteetaten'), ('NAV'), ('Tjeneste client-0');
         INSERT INTO clients (client_id, application, orgno) VALUES
             ('ske-client', 'Skatteetaten', '974761076'), ('nav-client', 'NAV', NULL),
             ('client-0', 'Tjeneste client-0', '991825827');
         INSERT INTO resources (name, urn) VALUES ('skattemelding', NULL),
             ('a-melding', 'urn:altinn:resource:a-melding');
         INSERT INTO actions (name) VALUES ('read'), ('write');
         INSERT INTO purposes (name) VALUES ('tax-assessment'), ('case handling');"
    ));
    store.execute_raw(&sql).unwrap();
    let counted = counts(&store);
    assert_eq!(
        counted[..3],
        [
            ("login_events", 180),
            ("access_records", 61),
            ("subjects", 2)
        ]
    );

    let report = store.migrate().unwrap();
    assert_eq!(
        report.applied.first().map(String::as_str),
        Some("20261202000000"),
        "{report:?}"
    );
    assert_eq!(counts(&store), counted, "every row is kept");
    // Flat now, and the old tables are gone.
    assert_eq!(store.count_rows("pg_inherits").unwrap(), 0);
    assert_eq!(
        store
            .count_rows(
                "pg_class WHERE relname LIKE '%monthly%' OR relname LIKE 'login_events_p2%'"
            )
            .unwrap(),
        0
    );
    // One id per distinct id; the id stored twice keeps both rows.
    assert_eq!(store.count_rows("access_record_ids").unwrap(), 60);

    // Seed 1 and the own page return every row of the subject.
    let seed1 = LoginHistoryQuery {
        subject: alice.clone(),
        orgno: Some("991825827".parse().unwrap()),
        window: None,
        client_id: None,
        start_index: 0,
        max_hits: 1000,
    };
    let found = store.login_history(&seed1).unwrap();
    assert_eq!(found.len(), 60);
    assert!(
        found
            .windows(2)
            .all(|w| w[0].occurred_at >= w[1].occurred_at)
    );
    let own = LoginHistoryQuery {
        orgno: None,
        ..seed1
    };
    assert_eq!(store.login_history(&own).unwrap().len(), 90);
    // Seed 2 returns every record of the owner in the window.
    let window = TimeWindow {
        start: datetime!(2026-09-01 00:00 UTC),
        end: datetime!(2026-12-01 00:00 UTC),
    };
    let page = |who: &SubjectId| match store
        .access_history(&AccessHistoryQuery::new(who.clone(), window))
        .unwrap()
    {
        AccessHistoryAnswer::Page(p) => p.entries,
        other => panic!("{other:?}"),
    };
    assert_eq!(page(&alice).len(), 41);
    assert_eq!(page(&bob).len(), 20);

    // The content hashes computed in SQL match the store's: a record the
    // old release stored, re-sent as is, is a duplicate; changed, a conflict.
    let resent = first_record(&alice);
    assert_eq!(
        store
            .append_access_records(std::slice::from_ref(&resent))
            .unwrap(),
        AppendOutcome {
            accepted: 0,
            duplicates: 1,
            conflicts: 0
        }
    );
    let moved = AccessRecord {
        occurred_at: datetime!(2026-11-02 10:00 UTC),
        ..resent.clone()
    };
    assert_eq!(
        store.append_access_records(&[moved]).unwrap(),
        AppendOutcome {
            accepted: 0,
            duplicates: 0,
            conflicts: 1
        }
    );
    let new = AccessRecord {
        id: Uuid::from_u128(999),
        ..resent
    };
    assert_eq!(store.append_access_records(&[new]).unwrap().accepted, 1);
    assert_eq!(page(&alice).len(), 42);
}
