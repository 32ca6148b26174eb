//! EXPLAIN and raw SQL on a test store, for the plan tests.

use diesel::QueryableByName;
use diesel::connection::SimpleConnection;
use innsyn_domain::{AccessHistoryQuery, LoginHistoryQuery, SubjectId};
use innsyn_ports::StoreError;
use time::OffsetDateTime;

use crate::Store;
use crate::conn::Db;
use crate::pool::Manager;
use crate::sql::{Dialect, Query, Value};

type PgConn = diesel::r2d2::PooledConnection<Manager<diesel::pg::PgConnection>>;

#[derive(QueryableByName)]
struct ExplainRow {
    // EXPLAIN's json column reads as text: its binary form is the text.
    #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
    plan: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn err(e: diesel::result::Error) -> StoreError {
    crate::conn::db_error(&e)
}

impl Store {
    /// `EXPLAIN (FORMAT JSON)` of the seed-1 / own-page login query, for
    /// plan tests (PostgreSQL only).
    pub fn explain_login_history(&self, q: &LoginHistoryQuery) -> Result<String, StoreError> {
        let sql =
            crate::sql::login_history(Dialect::Postgres, self.keyer.subject_key(&q.subject), q);
        self.explain(sql)
    }

    /// `EXPLAIN (FORMAT JSON)` of the access-history query.
    pub fn explain_access_history(&self, q: &AccessHistoryQuery) -> Result<String, StoreError> {
        self.explain(self.access_answer_sql(q))
    }

    /// `EXPLAIN (FORMAT JSON[, ANALYZE, BUFFERS])` of the login query as
    /// the store runs it: a prepared statement, executed a few times first
    /// so PostgreSQL's plan cache settles (on a generic plan, when that is
    /// cheaper) exactly as it does on a pooled connection.
    pub fn explain_prepared_login_history(
        &self,
        q: &LoginHistoryQuery,
        analyze: bool,
    ) -> Result<String, StoreError> {
        let sql =
            crate::sql::login_history(Dialect::Postgres, self.keyer.subject_key(&q.subject), q);
        self.explain_prepared(&sql, analyze)
    }

    /// [`Store::explain_prepared_login_history`] for the access-history query.
    pub fn explain_prepared_access_history(
        &self,
        q: &AccessHistoryQuery,
        analyze: bool,
    ) -> Result<String, StoreError> {
        self.explain_prepared(&self.access_answer_sql(q), analyze)
    }

    /// The statement `access_history` runs for `q`.
    fn access_answer_sql(&self, q: &AccessHistoryQuery) -> Query {
        let refs = q.catalog_refs();
        crate::sql::access_answer(
            Dialect::Postgres,
            self.keyer.subject_key(&q.owner),
            &refs,
            q,
        )
    }

    /// A pooled PostgreSQL connection; these helpers are PostgreSQL only.
    fn pg(&self) -> Result<PgConn, StoreError> {
        match &self.backend {
            crate::Backend::Postgres(p) => crate::pool::checkout(p),
            crate::Backend::Sqlite(_) => Err(StoreError::Internal("PostgreSQL only".into())),
        }
    }

    fn explain_prepared(&self, q: &Query, analyze: bool) -> Result<String, StoreError> {
        let types: Vec<&str> = q
            .values
            .iter()
            .map(|v| match v {
                Value::Bytes(_) => "bytea",
                Value::Text(_) | Value::OptText(_) => "text",
                Value::Int(_) => "int8",
                Value::Time(_) => "timestamptz",
                Value::BytesArray(_) => "bytea[]",
                Value::IntArray(_) => "int8[]",
                Value::TimeArray(_) => "timestamptz[]",
                Value::OptTextArray(_) => "text[]",
            })
            .collect();
        let args: Vec<String> = q.values.iter().map(literal).collect();
        let name = format!("explained_{}", uuid::Uuid::new_v4().simple());
        let mut c = self.pg()?;
        c.batch_execute(&format!(
            "PREPARE {name} ({}) AS {}",
            types.join(", "),
            q.sql
        ))
        .map_err(err)?;
        let execute = format!("EXECUTE {name} ({})", args.join(", "));
        for _ in 0..6 {
            c.batch_execute(&execute).map_err(err)?;
        }
        let options = if analyze {
            "FORMAT JSON, ANALYZE, BUFFERS"
        } else {
            "FORMAT JSON"
        };
        let rows: Vec<ExplainRow> = c
            .load_rows(Query::new(
                Dialect::Postgres,
                &format!("EXPLAIN ({options}) {execute}"),
            ))
            .map_err(err)?;
        c.batch_execute(&format!("DEALLOCATE {name}"))
            .map_err(err)?;
        Ok(rows.into_iter().map(|r| r.plan).collect())
    }

    /// Runs SQL as is (PostgreSQL only): test data generation.
    pub fn execute_raw(&self, sql: &str) -> Result<(), StoreError> {
        self.pg()?.batch_execute(sql).map_err(err)
    }

    /// `SELECT count(*)` of a table (PostgreSQL only), for plan tests.
    pub fn count_rows(&self, table: &str) -> Result<i64, StoreError> {
        let rows: Vec<Count> = self
            .pg()?
            .load_rows(Query::new(
                Dialect::Postgres,
                &format!("SELECT count(*) AS n FROM {table}"),
            ))
            .map_err(err)?;
        Ok(rows.first().map_or(0, |r| r.n))
    }

    /// The stored key of `subject`, for generating matching test rows.
    pub fn subject_key_of(&self, subject: &SubjectId) -> Vec<u8> {
        self.keyer.subject_key(subject)
    }

    fn explain(&self, mut q: Query) -> Result<String, StoreError> {
        q.prepend("EXPLAIN (FORMAT JSON) ");
        let rows: Vec<ExplainRow> = self.pg()?.load_rows(q).map_err(err)?;
        Ok(rows.into_iter().map(|r| r.plan).collect())
    }
}

/// A bind value as an SQL literal (test plans only).
fn literal(v: &Value) -> String {
    fn text(s: &str) -> String {
        format!("'{}'", s.replace('\'', "''"))
    }
    fn bytes(b: &[u8]) -> String {
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!("'\\x{hex}'::bytea")
    }
    let time = |t: &OffsetDateTime| {
        format!(
            "(timestamptz 'epoch' + {} * interval '1 microsecond')",
            crate::sql::micros(*t)
        )
    };
    match v {
        Value::Bytes(b) => bytes(b),
        Value::Text(s) => text(s),
        Value::OptText(s) => s.as_deref().map_or_else(|| "NULL".into(), text),
        Value::Int(n) => n.to_string(),
        Value::Time(t) => time(t),
        Value::BytesArray(a) => format!(
            "ARRAY[{}]::bytea[]",
            a.iter().map(|b| bytes(b)).collect::<Vec<_>>().join(", ")
        ),
        Value::IntArray(a) => format!(
            "ARRAY[{}]::int8[]",
            a.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
        ),
        Value::TimeArray(a) => format!(
            "ARRAY[{}]::timestamptz[]",
            a.iter().map(time).collect::<Vec<_>>().join(", ")
        ),
        Value::OptTextArray(a) => format!(
            "ARRAY[{}]::text[]",
            a.iter()
                .map(|s| s.as_deref().map_or_else(|| "NULL".into(), text))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
