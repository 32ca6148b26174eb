//! "Dette var meg": the items a citizen recognised.

use diesel::QueryableByName;
use diesel::sql_types::{Binary, Text};
use innsyn_domain::SubjectId;
use innsyn_domain::disputes::{DisputedItem, ItemKind, ItemRef};
use time::OffsetDateTime;

use crate::conn::{Db, Failure};
use crate::keys::Keyer;
use crate::sql::{Query, Value};

use super::super::{Count, corrupt, returned};
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
) -> Result<Vec<ItemRef>, Failure>
where
    ConfirmedRow: QueryableByName<C::Backend>,
{
    let mut q = Query::new(
        C::DIALECT,
        "SELECT item_kind, item_key FROM confirmed_items WHERE subject_key = ",
    );
    q.bind(Value::Bytes(keyer.subject_key(subject)));
    let rows: Vec<ConfirmedRow> = c.load_rows(q)?;
    rows.into_iter()
        .map(|r| {
            ItemKind::parse(&r.item_kind)
                .and_then(|k| ItemRef::from_parts(k, r.item_key))
                .ok_or_else(|| corrupt("confirmed item"))
        })
        .collect()
}

pub(crate) fn disputable_item<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    subject: &SubjectId,
    item: &ItemRef,
) -> Result<Option<DisputedItem>, Failure>
where
    ItemRow: QueryableByName<C::Backend>,
{
    let rows: Vec<ItemRow> =
        c.load_rows(item_query(C::DIALECT, keyer.subject_key(subject), item))?;
    rows.into_iter()
        .next()
        .map(|r| r.item(item.clone()))
        .transpose()
}
