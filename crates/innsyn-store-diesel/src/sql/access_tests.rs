use super::*;
use innsyn_domain::{AccessHistoryParams, Cursor, SubjectId, Zone};
use time::macros::datetime;

fn query(p: AccessHistoryParams) -> AccessHistoryQuery {
    AccessHistoryQuery::build(
        SubjectId::parse(innsyn_domain::identity::CITIZEN_A).unwrap(),
        &p,
        datetime!(2024-05-15 12:00 UTC),
        Zone::oslo(),
    )
    .unwrap()
}

/// The page alone, numbered from `$1`.
fn access_history(d: Dialect, owner_key: Vec<u8>, q: &AccessHistoryQuery) -> Query {
    let mut s = Query::new(d, "");
    push_access_page(&mut s, owner_key, q);
    s
}

#[test]
fn one_statement_checks_owner_and_catalog_then_pages() {
    let q = query(AccessHistoryParams {
        action: Some("read".into()),
        purpose: Some("p".into()),
        validate: Some("true".into()),
        ..Default::default()
    });
    let refs = q.catalog_refs();
    let s = access_answer(Dialect::Postgres, vec![1], &refs, &q);
    assert!(
        s.sql.contains(
            "(SELECT 1 FROM subjects WHERE subject_key = $1) AS owner_known, CAST('' || \
                 CASE WHEN EXISTS (SELECT 1 FROM actions WHERE name = $2) THEN '1' ELSE '0' END \
                 || CASE WHEN EXISTS (SELECT 1 FROM purposes WHERE name = $3)"
        ),
        "{}",
        s.sql
    );
    assert!(s.sql.contains("LEFT JOIN (SELECT id, "), "{}", s.sql);
    assert!(s.sql.contains("WHERE owner_key = $4 AND occurred_at >= $5"));
    assert!(
        s.sql
            .ends_with(") AS p ON 1 = 1 ORDER BY p.occurred_us DESC, p.id DESC"),
        "{}",
        s.sql
    );
    assert!(s.prepared);
    // Without validate only the application and the resource are checked.
    let unvalidated = query(AccessHistoryParams {
        action: Some("read".into()),
        ..Default::default()
    });
    assert!(unvalidated.catalog_refs().is_empty());
}

#[test]
fn default_access_query_is_a_keyed_range_without_offset() {
    let q = access_history(
        Dialect::Postgres,
        vec![1],
        &query(AccessHistoryParams::default()),
    );
    assert!(
        q.sql
            .contains("WHERE owner_key = $1 AND occurred_at >= $2 AND occurred_at < $3")
    );
    assert!(
        q.sql
            .ends_with("ORDER BY occurred_at DESC, id DESC LIMIT $4"),
        "{}",
        q.sql
    );
    assert_eq!(q.values[3], Value::Int(101));
    assert!(!q.sql.contains("OFFSET"));
}

#[test]
fn filters_sort_and_offset() {
    let q = access_history(
        Dialect::Sqlite,
        vec![1],
        &query(AccessHistoryParams {
            client_id: Some("c".into()),
            resource: Some("urn:x".into()),
            decision: Some("deny".into()),
            sort_by: Some("action".into()),
            start_index: Some("20".into()),
            ..Default::default()
        }),
    );
    assert!(
        q.sql
            .contains("AND client_id = ?4 AND resource_urn = ?5 AND decision = ?6")
    );
    assert!(
        q.sql
            .contains("ORDER BY action ASC, occurred_at ASC, id ASC LIMIT ?7 OFFSET ?8")
    );
    assert_eq!(q.values[5], Value::Text("Deny".into()));
    assert_eq!(q.values[7], Value::Int(20));
}

#[test]
fn cursor_is_a_row_value_seek_and_replaces_offset() {
    let base = query(AccessHistoryParams {
        sort_by: Some("purpose".into()),
        sort_order: Some("desc".into()),
        ..Default::default()
    });
    let cursor = Cursor {
        sort: base.sort,
        key_value: Some("p".into()),
        timestamp: datetime!(2024-05-15 10:00 UTC),
        id: uuid::Uuid::from_u128(7),
    };
    let mut q = base;
    q.page.start_index = 100;
    q.page.after = Some(cursor);
    let s = access_history(Dialect::Postgres, vec![1], &q);
    assert!(
        s.sql
            .contains("AND (purpose, occurred_at, id) < ($4, $5, $6)"),
        "{}",
        s.sql
    );
    assert!(!s.sql.contains("OFFSET"));
    assert_eq!(s.values[3], Value::Text("p".into()));
}
