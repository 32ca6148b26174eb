//! Retention by whole partitions.

use diesel::PgConnection;
use time::OffsetDateTime;

use crate::conn::{Db, Failure};
use crate::sql::{Query, Value};

use super::TABLES;
use super::ddl::{Count, PG, lock, partitions_of};

/// Drops every partition entirely before `cutoff` (counting its rows), then
/// deletes the older rows of the boundary month.
/// Returns the rows removed per table, in [`TABLES`] order.
pub(crate) fn apply_retention(
    c: &mut PgConnection,
    cutoff: OffsetDateTime,
) -> Result<[u64; 2], Failure> {
    c.write_txn(|c| {
        lock(c)?;
        let mut removed = [0u64; 2];
        for (slot, table) in removed.iter_mut().zip(TABLES) {
            for ym in partitions_of(c, table)? {
                let Some(end) = ym.plus(1).start() else {
                    continue;
                };
                if end <= cutoff {
                    let name = ym.partition_name(table);
                    let counted: Vec<Count> =
                        c.load_rows(Query::new(PG, &format!("SELECT count(*) AS n FROM {name}")))?;
                    *slot += counted
                        .first()
                        .map_or(0, |n| u64::try_from(n.n).unwrap_or(0));
                    diesel::connection::SimpleConnection::batch_execute(
                        c,
                        &format!("DROP TABLE {name}"),
                    )?;
                }
            }
            let mut q = Query::new(PG, &format!("DELETE FROM {table} WHERE occurred_at < "));
            q.bind(Value::Time(cutoff));
            *slot += c.exec(q)? as u64;
        }
        Ok(removed)
    })
}
