//! SQL text and bind values, built once for both dialects.
//!
//! Every statement is plain SQL with numbered placeholders; the few places
//! where the dialects differ (time representation, bulk insert) are chosen
//! here, so the store logic above is one code path.

use std::fmt::Write as _;

use innsyn_domain::{
    AccessHistoryQuery, ApplicationFilter, CatalogKind, CatalogRef, LoginHistoryQuery,
    ResourceFilter, SortKey, SortOrder,
};
use time::OffsetDateTime;

/// Which SQL the statement is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Postgres,
    Sqlite,
}

/// Most bind parameters in one statement: PostgreSQL's wire protocol allows
/// 65,535, SQLite (bundled, ≥ 3.32) 32,766.
const MAX_PARAMS: usize = 30_000;

/// A bind value. The array variants exist only for PostgreSQL's `unnest`
/// bulk insert.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Bytes(Vec<u8>),
    Text(String),
    OptText(Option<String>),
    Int(i64),
    /// `timestamptz` on PostgreSQL, integer microseconds on SQLite.
    Time(OffsetDateTime),
    BytesArray(Vec<Vec<u8>>),
    TimeArray(Vec<OffsetDateTime>),
    OptTextArray(Vec<Option<String>>),
}

/// SQL text with its bind values, in placeholder order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Query {
    pub(crate) dialect: Dialect,
    pub(crate) sql: String,
    pub(crate) values: Vec<Value>,
    /// Byte ranges of the placeholders in `sql`, one per value: the
    /// connection re-emits them through Diesel's bind API.
    pub(crate) marks: Vec<(usize, usize)>,
    /// Whether the connection keeps a prepared statement for this SQL text
    /// (see [`Query::prepared`]).
    pub(crate) prepared: bool,
}

impl Query {
    pub(crate) fn new(dialect: Dialect, sql: &str) -> Self {
        Self {
            dialect,
            sql: sql.to_owned(),
            values: Vec::new(),
            marks: Vec::new(),
            prepared: false,
        }
    }

    /// Marks a statement whose text comes from a small, fixed set (the hot
    /// reads, the bulk insert): the connection prepares it once and reuses
    /// it, so PostgreSQL skips parsing and, once it settles on a generic
    /// plan, planning too; with ~27 monthly partitions, planning costs more
    /// than executing a point read. Never for statements whose text varies
    /// with the data (`VALUES` lists): each text would stay cached.
    pub(crate) fn prepared(mut self) -> Self {
        self.prepared = true;
        self
    }

    /// Puts SQL text before the statement (`EXPLAIN …`, for the plan tests).
    #[cfg(feature = "test-support")]
    pub(crate) fn prepend(&mut self, sql: &str) -> &mut Self {
        self.sql.insert_str(0, sql);
        for m in &mut self.marks {
            *m = (m.0 + sql.len(), m.1 + sql.len());
        }
        self
    }

    /// Appends SQL text.
    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends a placeholder for `value`.
    pub(crate) fn bind(&mut self, value: Value) -> &mut Self {
        self.values.push(value);
        let n = self.values.len();
        let start = self.sql.len();
        let _ = match self.dialect {
            Dialect::Postgres => write!(self.sql, "${n}"),
            Dialect::Sqlite => write!(self.sql, "?{n}"),
        };
        self.marks.push((start, self.sql.len()));
        self
    }
}

/// Microseconds since the epoch: SQLite's time column, and the precision
/// PostgreSQL keeps.
pub(crate) fn micros(t: OffsetDateTime) -> i64 {
    let us = t.unix_timestamp_nanos().div_euclid(1000);
    i64::try_from(us).unwrap_or(if us < 0 { i64::MIN } else { i64::MAX })
}

/// The inverse of [`micros`].
pub(crate) fn from_micros(us: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(us) * 1000).ok()
}

/// A time column read back as integer microseconds on either backend.
fn time_out(d: Dialect, column: &str) -> String {
    match d {
        Dialect::Postgres => format!("(EXTRACT(EPOCH FROM {column}) * 1000000)::int8"),
        Dialect::Sqlite => column.to_owned(),
    }
}

fn dir(order: SortOrder) -> &'static str {
    match order {
        SortOrder::Asc => "ASC",
        SortOrder::Desc => "DESC",
    }
}

/// The column behind a non-timestamp sort key.
pub(crate) fn sort_column(key: SortKey) -> Option<&'static str> {
    match key {
        SortKey::Timestamp => None,
        SortKey::Application => Some("application"),
        SortKey::ClientId => Some("client_id"),
        SortKey::Resource => Some("resource"),
        SortKey::Action => Some("action"),
        SortKey::Purpose => Some("purpose"),
        SortKey::Decision => Some("decision"),
    }
}

/// Seed 1 and the citizen's own page: one subject's events, newest first,
/// read backwards from `(subject_key, orgno, occurred_at, dedup_key)` when
/// an organisation is given, else from the primary key `(subject_key,
/// occurred_at, dedup_key)`. Either index yields exactly this ORDER BY, and
/// the monthly partitions are disjoint and ordered (no default partition),
/// so PostgreSQL reads the newest month first and stops at the LIMIT (an
/// ordered Append, no Sort). The LIMIT is a bind value: a generic plan of
/// the prepared statement then costs the early stop in.
pub(crate) fn login_history(d: Dialect, subject_key: Vec<u8>, q: &LoginHistoryQuery) -> Query {
    let mut s = Query::new(d, "SELECT ");
    s.push(&time_out(d, "occurred_at"))
        .push(
            " AS occurred_us, service_name, eid, method, client_id, orgno \
             FROM login_events WHERE subject_key = ",
        )
        .bind(Value::Bytes(subject_key));
    if let Some(orgno) = &q.orgno {
        s.push(" AND orgno = ")
            .bind(Value::Text(orgno.as_str().to_owned()));
    }
    if let Some(w) = &q.window {
        s.push(" AND occurred_at >= ")
            .bind(Value::Time(w.start))
            .push(" AND occurred_at < ")
            .bind(Value::Time(w.end));
    }
    if let Some(client) = &q.client_id {
        s.push(" AND client_id = ")
            .bind(Value::Text(client.clone()));
    }
    s.push(" ORDER BY occurred_at DESC, dedup_key DESC LIMIT ")
        .bind(Value::Int(i64::from(q.max_hits)));
    if q.start_index > 0 {
        s.push(" OFFSET ")
            .bind(Value::Int(i64::try_from(q.start_index).unwrap_or(i64::MAX)));
    }
    s.prepared()
}

/// The table and column that hold a catalog reference's kind.
fn catalog_column(kind: CatalogKind) -> (&'static str, &'static str) {
    match kind {
        CatalogKind::Application => ("applications", "name"),
        CatalogKind::ClientId => ("clients", "client_id"),
        CatalogKind::Resource => ("resources", "name"),
        CatalogKind::ResourceUrn => ("resources", "urn"),
        CatalogKind::Action => ("actions", "name"),
        CatalogKind::Purpose => ("purposes", "name"),
    }
}

/// The catalog references seed 2 checks: those of the filters, only when
/// the query validates (otherwise an unknown value is just an empty page).
pub(crate) fn refs_to_check(q: &AccessHistoryQuery) -> Vec<CatalogRef> {
    if q.validate {
        q.catalog_refs()
    } else {
        Vec::new()
    }
}

/// Seed 2 in one statement, so a request costs one round trip: a status
/// row (`owner_known`; `known`, one character per reference of `refs`,
/// `'1'` when the catalog holds it) left-joined to the page, so an empty
/// page still yields the status. Each check is one index probe. The outer
/// ORDER BY repeats the page's because a join does not promise to keep its
/// input's order; it sorts at most `count + 1` rows, while the page itself
/// is read in index order. `refs` is empty unless the query validates.
pub(crate) fn access_answer(
    d: Dialect,
    owner_key: Vec<u8>,
    refs: &[CatalogRef],
    q: &AccessHistoryQuery,
) -> Query {
    let mut s = Query::new(
        d,
        "SELECT s.owner_known, s.known, p.id, p.occurred_us, p.application, p.client_id, \
         p.resource, p.resource_urn, p.action, p.purpose, p.decision FROM (SELECT EXISTS \
         (SELECT 1 FROM subjects WHERE subject_key = ",
    );
    s.bind(Value::Bytes(owner_key.clone()))
        .push(") AS owner_known, CAST(''");
    for r in refs {
        let (table, column) = catalog_column(r.kind);
        s.push(&format!(
            " || CASE WHEN EXISTS (SELECT 1 FROM {table} WHERE {column} = "
        ))
        .bind(Value::Text(r.value.clone()))
        .push(") THEN '1' ELSE '0' END");
    }
    s.push(" AS TEXT) AS known) AS s LEFT JOIN (");
    push_access_page(&mut s, owner_key, q);
    s.push(") AS p ON 1 = 1 ORDER BY ");
    let dir = dir(q.sort.order);
    if let Some(col) = sort_column(q.sort.key) {
        s.push("p.").push(col).push(" ").push(dir).push(", ");
    }
    s.push("p.occurred_us ").push(dir).push(", p.id ").push(dir);
    s.prepared()
}

/// Seed 2's page: one owner's records in a window, filtered, in the total
/// order `(key, occurred_at, id)`, one more than the page to learn
/// `has_more`. A cursor becomes a row-value comparison, which both
/// databases turn into an index seek; `startIndex` without a cursor is an
/// OFFSET (the seed's).
fn push_access_page(s: &mut Query, owner_key: Vec<u8>, q: &AccessHistoryQuery) {
    let d = s.dialect;
    s.push("SELECT id, ");
    s.push(&time_out(d, "occurred_at")).push(
        " AS occurred_us, application, client_id, resource, resource_urn, action, purpose, \
         decision FROM access_records WHERE owner_key = ",
    );
    s.bind(Value::Bytes(owner_key))
        .push(" AND occurred_at >= ")
        .bind(Value::Time(q.window.start))
        .push(" AND occurred_at < ")
        .bind(Value::Time(q.window.end));
    let f = &q.filter;
    let mut eq = |column: &str, value: &str| {
        s.push(" AND ")
            .push(column)
            .push(" = ")
            .bind(Value::Text(value.to_owned()));
    };
    match &f.application {
        Some(ApplicationFilter::Name(v)) => eq("application", v),
        Some(ApplicationFilter::ClientId(v)) => eq("client_id", v),
        None => {}
    }
    match &f.resource {
        Some(ResourceFilter::Name(v)) => eq("resource", v),
        Some(ResourceFilter::Urn(v)) => eq("resource_urn", v),
        None => {}
    }
    if let Some(v) = &f.action {
        eq("action", v);
    }
    if let Some(v) = &f.purpose {
        eq("purpose", v);
    }
    if let Some(v) = f.decision {
        eq("decision", v.as_str());
    }
    let key = sort_column(q.sort.key);
    if let Some(c) = &q.page.after {
        let op = match q.sort.order {
            SortOrder::Asc => ">",
            SortOrder::Desc => "<",
        };
        s.push(" AND (");
        if let Some(col) = key {
            s.push(col).push(", ");
        }
        s.push("occurred_at, id) ").push(op).push(" (");
        if key.is_some() {
            s.bind(Value::Text(c.key_value.clone().unwrap_or_default()))
                .push(", ");
        }
        s.bind(Value::Time(c.timestamp))
            .push(", ")
            .bind(Value::Bytes(c.id.as_bytes().to_vec()))
            .push(")");
    }
    let dir = dir(q.sort.order);
    s.push(" ORDER BY ");
    if let Some(col) = key {
        s.push(col).push(" ").push(dir).push(", ");
    }
    s.push("occurred_at ")
        .push(dir)
        .push(", id ")
        .push(dir)
        .push(" LIMIT ")
        .bind(Value::Int(i64::from(q.page.count) + 1));
    if q.page.after.is_none() && q.page.start_index > 0 {
        s.push(" OFFSET ").bind(Value::Int(
            i64::try_from(q.page.start_index).unwrap_or(i64::MAX),
        ));
    }
}

/// Multi-row `INSERT … VALUES (…), (…) <tail>`, split so no statement
/// exceeds the bind-parameter limit.
pub(crate) fn insert_rows(d: Dialect, head: &str, tail: &str, rows: Vec<Vec<Value>>) -> Vec<Query> {
    let width = rows.first().map_or(1, Vec::len).max(1);
    let per_statement = (MAX_PARAMS / width).max(1);
    let mut out = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut q = Query::new(d, head);
        q.push(" VALUES ");
        for (i, row) in rows.by_ref().take(per_statement).enumerate() {
            q.push(if i == 0 { "(" } else { ", (" });
            for (j, v) in row.into_iter().enumerate() {
                if j > 0 {
                    q.push(", ");
                }
                q.bind(v);
            }
            q.push(")");
        }
        q.push(" ").push(tail);
        out.push(q);
    }
    out
}

/// `column IN (…)` lookups, split like [`insert_rows`].
pub(crate) fn select_in(d: Dialect, head: &str, values: Vec<String>) -> Vec<Query> {
    let mut out = Vec::new();
    for chunk in values.chunks(MAX_PARAMS) {
        let mut q = Query::new(d, head);
        q.push(" IN (");
        for (i, v) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(Value::Text(v.clone()));
        }
        q.push(")");
        out.push(q);
    }
    out
}

/// One login event as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LoginRow {
    pub(crate) subject_key: Vec<u8>,
    pub(crate) occurred_at: OffsetDateTime,
    pub(crate) dedup_key: Vec<u8>,
    pub(crate) orgno: Option<String>,
    pub(crate) client_id: Option<String>,
    pub(crate) service_name: Option<String>,
    pub(crate) eid: Option<String>,
    pub(crate) method: Option<String>,
    pub(crate) event_name: String,
    pub(crate) correlation_id: Option<String>,
}

const LOGIN_COLUMNS: &str = "subject_key, occurred_at, dedup_key, key_id, orgno, client_id, \
                             service_name, eid, method, event_name, correlation_id";

/// Rows per `unnest` statement: bounds the memory of one statement while
/// keeping per-statement overhead negligible.
const UNNEST_ROWS: usize = 20_000;

/// The bulk insert of login events. PostgreSQL gets one `INSERT … SELECT
/// FROM unnest(arrays)` per 20,000 rows (11 parameters regardless of size,
/// no per-row parse cost); SQLite gets multi-row VALUES. Both skip rows
/// whose key exists, also within the batch, so affected rows = accepted.
pub(crate) fn insert_login_events(d: Dialect, key_id: &str, rows: Vec<LoginRow>) -> Vec<Query> {
    match d {
        Dialect::Postgres => {
            let mut out = Vec::new();
            let mut rows = rows.into_iter().peekable();
            while rows.peek().is_some() {
                // Columns built by moving each row's values: no copies.
                let n = rows.len().min(UNNEST_ROWS);
                let (mut s, mut t, mut dk) = (
                    Vec::with_capacity(n),
                    Vec::with_capacity(n),
                    Vec::with_capacity(n),
                );
                let mut texts: [Vec<Option<String>>; 7] =
                    std::array::from_fn(|_| Vec::with_capacity(n));
                for r in rows.by_ref().take(UNNEST_ROWS) {
                    s.push(r.subject_key);
                    t.push(r.occurred_at);
                    dk.push(r.dedup_key);
                    for (column, v) in texts.iter_mut().zip([
                        r.orgno,
                        r.client_id,
                        r.service_name,
                        r.eid,
                        r.method,
                        Some(r.event_name),
                        r.correlation_id,
                    ]) {
                        column.push(v);
                    }
                }
                let mut q = Query::new(d, "INSERT INTO login_events (");
                q.push(LOGIN_COLUMNS)
                    .push(") SELECT s, t, dk, ")
                    .bind(Value::Text(key_id.to_owned()))
                    .push(", o, c, n, e, m, en, ci FROM unnest(")
                    .bind(Value::BytesArray(s))
                    .push("::bytea[], ")
                    .bind(Value::TimeArray(t))
                    .push("::timestamptz[], ")
                    .bind(Value::BytesArray(dk))
                    .push("::bytea[]");
                for column in texts {
                    q.push(", ")
                        .bind(Value::OptTextArray(column))
                        .push("::text[]");
                }
                q.push(") AS u(s, t, dk, o, c, n, e, m, en, ci) ON CONFLICT DO NOTHING");
                out.push(q.prepared());
            }
            out
        }
        Dialect::Sqlite => insert_rows(
            d,
            &format!("INSERT INTO login_events ({LOGIN_COLUMNS})"),
            "ON CONFLICT DO NOTHING",
            rows.into_iter()
                .map(|r| {
                    vec![
                        Value::Bytes(r.subject_key),
                        Value::Time(r.occurred_at),
                        Value::Bytes(r.dedup_key),
                        Value::Text(key_id.to_owned()),
                        Value::OptText(r.orgno),
                        Value::OptText(r.client_id),
                        Value::OptText(r.service_name),
                        Value::OptText(r.eid),
                        Value::OptText(r.method),
                        Value::Text(r.event_name),
                        Value::OptText(r.correlation_id),
                    ]
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use innsyn_domain::{AccessHistoryParams, Cursor, SubjectId, Zone};
    use time::macros::datetime;

    fn query(p: AccessHistoryParams) -> AccessHistoryQuery {
        AccessHistoryQuery::build(
            SubjectId::parse("12345678901").unwrap(),
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
        let refs = refs_to_check(&q);
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
        let unvalidated = query(AccessHistoryParams {
            action: Some("read".into()),
            ..Default::default()
        });
        assert!(refs_to_check(&unvalidated).is_empty());
    }

    #[test]
    fn placeholders_per_dialect() {
        let mut q = Query::new(Dialect::Postgres, "SELECT ");
        q.bind(Value::Int(1)).push(", ").bind(Value::Int(2));
        assert_eq!(q.sql, "SELECT $1, $2");
        let mut q = Query::new(Dialect::Sqlite, "SELECT ");
        q.bind(Value::Int(1)).push(", ").bind(Value::Int(2));
        assert_eq!(q.sql, "SELECT ?1, ?2");
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

    #[test]
    fn login_history_uses_org_when_given() {
        let q = LoginHistoryQuery {
            subject: SubjectId::parse("12345678901").unwrap(),
            orgno: Some("991825827".parse().unwrap()),
            window: None,
            client_id: None,
            start_index: 0,
            max_hits: 5,
        };
        let s = login_history(Dialect::Postgres, vec![1], &q);
        assert!(
            s.sql
                .contains("WHERE subject_key = $1 AND orgno = $2 ORDER BY occurred_at DESC")
        );
        assert!(
            s.sql
                .starts_with("SELECT (EXTRACT(EPOCH FROM occurred_at) * 1000000)::int8")
        );
    }

    #[test]
    fn insert_rows_respects_the_parameter_limit() {
        let rows = vec![vec![Value::Int(1), Value::Int(2), Value::Int(3)]; 25_000];
        let qs = insert_rows(
            Dialect::Postgres,
            "INSERT INTO t (a, b, c)",
            "ON CONFLICT DO NOTHING",
            rows,
        );
        assert_eq!(qs.len(), 3);
        assert!(qs.iter().all(|q| q.values.len() <= MAX_PARAMS));
        assert_eq!(qs.iter().map(|q| q.values.len()).sum::<usize>(), 75_000);
        assert!(
            qs[0]
                .sql
                .starts_with("INSERT INTO t (a, b, c) VALUES ($1, $2, $3), ($4")
        );
        assert!(qs[2].sql.ends_with(") ON CONFLICT DO NOTHING"));
    }

    #[test]
    fn micros_round_trip_and_floor() {
        let t = datetime!(2024-05-15 12:00:00.123456789 UTC);
        assert_eq!(
            from_micros(micros(t)),
            Some(datetime!(2024-05-15 12:00:00.123456 UTC))
        );
        assert_eq!(micros(datetime!(1970-01-01 00:00:00.000001 UTC)), 1);
    }
}
