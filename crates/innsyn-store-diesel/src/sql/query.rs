//! A statement as text with numbered placeholders and its bind values.

use std::fmt::Write as _;

use time::OffsetDateTime;

use super::Dialect;

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
    IntArray(Vec<i64>),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_per_dialect() {
        let mut q = Query::new(Dialect::Postgres, "SELECT ");
        q.bind(Value::Int(1)).push(", ").bind(Value::Int(2));
        assert_eq!(q.sql, "SELECT $1, $2");
        let mut q = Query::new(Dialect::Sqlite, "SELECT ");
        q.bind(Value::Int(1)).push(", ").bind(Value::Int(2));
        assert_eq!(q.sql, "SELECT ?1, ?2");
    }
}
