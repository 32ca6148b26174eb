//! Login events: seed 1's read and the bulk insert.

use innsyn_domain::LoginHistoryQuery;
use innsyn_tlog::{Hash, LoginEntry};
use time::OffsetDateTime;

use super::{Dialect, LEAF_INSERT, NEXT_SEQ_PG, Query, Value, insert_rows, micros, time_out};

/// Seed 1 and the citizen's own page: one subject's events, newest first,
/// read backwards from `(subject_key, orgno, occurred_at, dedup_key)` when
/// an organisation is given, else from `(subject_key, occurred_at,
/// dedup_key)`. Either index yields exactly this ORDER BY, so
/// PostgreSQL reads one index backwards and stops at the LIMIT (no Sort).
/// The LIMIT is a bind value: a generic plan of the prepared statement
/// then costs the early stop in.
pub(crate) fn login_history(d: Dialect, subject_key: Vec<u8>, q: &LoginHistoryQuery) -> Query {
    let mut s = Query::new(d, "SELECT ");
    s.push(&time_out(d, "occurred_at"))
        .push(
            " AS occurred_us, dedup_key, service_name, eid, method, client_id, orgno \
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

impl LoginRow {
    /// The hash of the log leaf stored with this row.
    pub(crate) fn leaf_hash(&self) -> Hash {
        LoginEntry {
            subject_key: &self.subject_key,
            key: &self.dedup_key,
            occurred_at_us: micros(self.occurred_at),
            service_name: self.service_name.as_deref(),
            eid: self.eid.as_deref(),
            method: self.method.as_deref(),
            client_id: self.client_id.as_deref(),
            orgno: self.orgno.as_deref(),
        }
        .leaf_hash()
    }
}

const LOGIN_COLUMNS: &str = "subject_key, occurred_at, dedup_key, key_id, orgno, client_id, \
                             service_name, eid, method, event_name, correlation_id, log_seq";

/// Rows per `unnest` statement: bounds the memory of one statement while
/// keeping per-statement overhead negligible.
const UNNEST_ROWS: usize = 20_000;

/// Skips rows whose key exists and returns the key of each row stored:
/// PostgreSQL's statement joins the leaves to them, SQLite's caller writes
/// theirs.
const INSERTED: &str = "ON CONFLICT DO NOTHING RETURNING subject_key, dedup_key";

/// The bulk insert of login events, skipping rows whose key `(subject_key,
/// dedup_key)` exists. PostgreSQL gets one `INSERT … SELECT FROM
/// unnest(arrays)` per 20,000 rows (12 parameters regardless of size, no
/// per-row parse cost) that also writes the stored rows' log leaves and
/// returns a row per row stored (counted rows are right on plain PostgreSQL
/// and on Citus, which reports the rows sent as the command's count).
/// SQLite gets multi-row VALUES returning the key of each row stored, and
/// the caller writes their leaves. `rows` must not repeat a key: a leaf is
/// joined to its row by it.
pub(crate) fn insert_login_events_pg(key_id: &str, rows: Vec<LoginRow>) -> Vec<Query> {
    let mut out = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        // Columns built by moving each row's values: no copies.
        let n = rows.len().min(UNNEST_ROWS);
        let (mut s, mut t, mut dk, mut lh) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let mut texts: [Vec<Option<String>>; 7] = std::array::from_fn(|_| Vec::with_capacity(n));
        for r in rows.by_ref().take(UNNEST_ROWS) {
            lh.push(r.leaf_hash().to_vec());
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
        let mut q = Query::new(Dialect::Postgres, "WITH u AS (SELECT u.*, ");
        q.push(NEXT_SEQ_PG).push(" AS ls FROM unnest(");
        q.bind(Value::BytesArray(s))
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
        q.push(", ")
            .bind(Value::BytesArray(lh))
            .push("::bytea[]) AS u(s, t, dk, o, c, n, e, m, en, ci, lh)), ins AS (")
            .push("INSERT INTO login_events (")
            .push(LOGIN_COLUMNS)
            .push(") SELECT s, t, dk, ")
            .bind(Value::Text(key_id.to_owned()))
            .push(", o, c, n, e, m, en, ci, ls FROM u ")
            .push(INSERTED)
            .push(") ")
            .push(LEAF_INSERT)
            .push(
                " SELECT u.ls, u.lh FROM u JOIN ins \
                 ON ins.subject_key = u.s AND ins.dedup_key = u.dk \
                 RETURNING CAST(1 AS BIGINT) AS n",
            );
        out.push(q.prepared());
    }
    out
}

/// SQLite's multi-row VALUES of [`insert_login_events_pg`]'s rows, the
/// leaves numbered from `first_seq` in row order (`log_seq`).
pub(crate) fn insert_login_events_sqlite(
    key_id: &str,
    rows: Vec<LoginRow>,
    first_seq: i64,
) -> Vec<Query> {
    insert_rows(
        Dialect::Sqlite,
        &format!("INSERT INTO login_events ({LOGIN_COLUMNS})"),
        INSERTED,
        rows.into_iter()
            .zip(first_seq..)
            .map(|(r, seq)| {
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
                    Value::Int(seq),
                ]
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use innsyn_domain::SubjectId;

    #[test]
    fn login_history_uses_org_when_given() {
        let q = LoginHistoryQuery {
            subject: SubjectId::parse(innsyn_domain::identity::CITIZEN_A).unwrap(),
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
}
