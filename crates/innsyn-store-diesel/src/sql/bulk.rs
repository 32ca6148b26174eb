//! Multi-row statements split under the bind-parameter limit.

use super::{Dialect, MAX_PARAMS, Query, Value};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
