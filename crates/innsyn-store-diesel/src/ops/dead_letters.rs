//! Dead letters: where a refused stream message is, and why.

use std::collections::BTreeMap;

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use innsyn_ports::{DeadLetter, StreamPosition};

use crate::conn::{Db, Failure};
use crate::sql::{Query, Value, insert_rows, time_out};

use super::{Count, exec_all, returned, time_of};

const COLUMNS: &str = "stream_topic, stream_partition, stream_offset, reason, refused_at";

#[derive(QueryableByName)]
pub(crate) struct DeadLetterRow {
    #[diesel(sql_type = Text)]
    stream_topic: String,
    #[diesel(sql_type = BigInt)]
    stream_partition: i64,
    #[diesel(sql_type = BigInt)]
    stream_offset: i64,
    #[diesel(sql_type = Text)]
    reason: String,
    #[diesel(sql_type = BigInt)]
    refused_us: i64,
}

pub(crate) fn put_dead_letters<C: Db>(c: &mut C, letters: &[DeadLetter]) -> Result<u64, Failure>
where
    Count: QueryableByName<C::Backend>,
{
    // One row per position: an upsert may not touch a row twice in one
    // statement, and the latest refusal is the one worth keeping.
    let latest: BTreeMap<&StreamPosition, &DeadLetter> =
        letters.iter().map(|l| (&l.position, l)).collect();
    let rows: Vec<Vec<Value>> = latest
        .values()
        .map(|l| {
            vec![
                Value::Text(l.position.topic.clone()),
                Value::Int(i64::from(l.position.partition)),
                Value::Int(l.position.offset),
                Value::Text(l.reason.clone()),
                Value::Time(l.at),
            ]
        })
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    let head = format!("INSERT INTO dead_letters ({COLUMNS})");
    c.write_txn(|c| {
        let new = returned(
            c,
            insert_rows(
                C::DIALECT,
                &head,
                "ON CONFLICT DO NOTHING RETURNING CAST(1 AS BIGINT) AS n",
                rows.clone(),
            ),
        )?;
        exec_all(
            c,
            insert_rows(
                C::DIALECT,
                &head,
                "ON CONFLICT (stream_topic, stream_partition, stream_offset) DO UPDATE \
                 SET reason = excluded.reason, refused_at = excluded.refused_at",
                rows,
            ),
        )?;
        Ok(new)
    })
}

pub(crate) fn dead_letters<C: Db>(
    c: &mut C,
    after: Option<&StreamPosition>,
    limit: usize,
) -> Result<Vec<DeadLetter>, Failure>
where
    DeadLetterRow: QueryableByName<C::Backend>,
{
    let mut q = Query::new(
        C::DIALECT,
        &format!(
            "SELECT stream_topic, CAST(stream_partition AS BIGINT) AS stream_partition, \
             stream_offset, reason, {} AS refused_us FROM dead_letters",
            time_out(C::DIALECT, "refused_at")
        ),
    );
    if let Some(p) = after {
        q.push(" WHERE (stream_topic, stream_partition, stream_offset) > (")
            .bind(Value::Text(p.topic.clone()))
            .push(", ")
            .bind(Value::Int(i64::from(p.partition)))
            .push(", ")
            .bind(Value::Int(p.offset))
            .push(")");
    }
    q.push(" ORDER BY stream_topic, stream_partition, stream_offset LIMIT ")
        .bind(Value::Int(i64::try_from(limit).unwrap_or(i64::MAX)));
    let rows: Vec<DeadLetterRow> = c.load_rows(q)?;
    rows.into_iter().map(DeadLetterRow::letter).collect()
}

pub(crate) fn remove_dead_letters<C: Db>(
    c: &mut C,
    positions: &[StreamPosition],
) -> Result<u64, Failure> {
    // Replays come in small pages, so a statement per position keeps the
    // SQL one text on both backends (no row-value IN lists).
    let qs = positions
        .iter()
        .map(|p| {
            let mut q = Query::new(C::DIALECT, "DELETE FROM dead_letters WHERE stream_topic = ");
            q.bind(Value::Text(p.topic.clone()))
                .push(" AND stream_partition = ")
                .bind(Value::Int(i64::from(p.partition)))
                .push(" AND stream_offset = ")
                .bind(Value::Int(p.offset));
            q.prepared()
        })
        .collect();
    c.write_txn(|c| exec_all(c, qs))
}

impl DeadLetterRow {
    fn letter(self) -> Result<DeadLetter, Failure> {
        Ok(DeadLetter {
            position: StreamPosition {
                topic: self.stream_topic,
                partition: i32::try_from(self.stream_partition)
                    .map_err(|_| super::corrupt("dead letter"))?,
                offset: self.stream_offset,
            },
            reason: self.reason,
            at: time_of(self.refused_us)?,
        })
    }
}
