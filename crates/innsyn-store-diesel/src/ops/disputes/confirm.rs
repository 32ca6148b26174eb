//! "Dette var meg": the items a citizen recognised.

use diesel::QueryableByName;
use diesel::sql_types::{Binary, Text};
use innsyn_domain::SubjectId;
use innsyn_domain::disputes::{ItemKind, ItemRef};
use time::OffsetDateTime;

use crate::conn::{Db, Failure};
use crate::keys::Keyer;
use crate::sql::{Query, Value};

use super::super::{Count, returned};
use super::{ItemRow, item_query};

#[derive(QueryableByName)]
pub(crate) struct ConfirmedRow {
    #[diesel(sql_type = Text)]
    item_kind: String,
    #[diesel(sql_type = Binary)]
    item_key: Vec<u8>,
}

pub(crate) fn confirm_item<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    subject: &SubjectId,
    item: &ItemRef,
    at: OffsetDateTime,
) -> Result<bool, Failure>
where
    ItemRow: QueryableByName<C::Backend>,
    Count: QueryableByName<C::Backend>,
{
    let subject_key = keyer.subject_key(subject);
    c.write_txn(|c| {
        let rows: Vec<ItemRow> = c.load_rows(item_query(C::DIALECT, subject_key.clone(), item))?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(false);
        };
        let found = row.item(item.clone())?;
        let mut q = Query::new(
            C::DIALECT,
            "INSERT INTO confirmed_items \
             (subject_key, item_kind, item_key, occurred_at, confirmed_at) VALUES (",
        );
        q.bind(Value::Bytes(subject_key.clone()))
            .push(", ")
            .bind(Value::Text(item.kind().as_str().to_owned()))
            .push(", ")
            .bind(Value::Bytes(item.key_bytes()))
            .push(", ")
            .bind(Value::Time(found.occurred_at))
            .push(", ")
            .bind(Value::Time(at))
            .push(") ON CONFLICT DO NOTHING RETURNING CAST(1 AS BIGINT) AS n");
        returned(c, vec![q])?;
        Ok(true)
    })
}

pub(crate) fn confirmed_items<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    subject: &SubjectId,
    items: &[ItemRef],
) -> Result<Vec<ItemRef>, Failure>
where
    ConfirmedRow: QueryableByName<C::Backend>,
{
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(
        C::DIALECT,
        "SELECT item_kind, item_key FROM confirmed_items WHERE subject_key = ",
    );
    q.bind(Value::Bytes(keyer.subject_key(subject)))
        .push(" AND item_key IN (");
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            q.push(", ");
        }
        q.bind(Value::Bytes(item.key_bytes()));
    }
    q.push(")");
    let rows: Vec<ConfirmedRow> = c.load_rows(q)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| ItemRef::from_parts(ItemKind::parse(&r.item_kind)?, r.item_key))
        .filter(|r| items.contains(r))
        .collect())
}
