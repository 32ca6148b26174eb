//! Disputes over either backend: opening (item found, routed and stored
//! in one transaction), scoped reads, answers checked against the version
//! read, and "this was me".

mod confirm;
mod rows;

pub(crate) use confirm::{confirm_item, confirmed_items, disputable_item};
pub(crate) use rows::{DisputeRow, ItemRow};

use diesel::QueryableByName;
use innsyn_domain::disputes::{Dispute, DisputeError, DisputeParty, DisputeQuery, ItemRef};
use innsyn_ports::{NewDispute, OpenOutcome, StoreError};
use uuid::Uuid;

use crate::conn::{Db, Failure};
use crate::keys::Keyer;
use crate::sql::{Dialect, Query, Value, from_micros, insert_rows, micros, time_out};

use super::{Count, returned};
use rows::{DISPUTE_COLUMNS, dispute_select, dispute_values};

/// `subject_key`'s item, with what a case copies of it: the login by its
/// key, or the look-up through `access_record_ids` (a primary-key probe,
/// then one of the records' primary key) with the catalog's organisation
/// for a record that names none.
pub(super) fn item_query(d: Dialect, subject_key: Vec<u8>, item: &ItemRef) -> Query {
    let t = time_out(d, "occurred_at");
    let mut q = match item {
        ItemRef::Login(_) => Query::new(
            d,
            &format!(
                "SELECT {t} AS occurred_us, client_id, orgno, service_name, eid, method, \
                 CAST(NULL AS TEXT) AS application, CAST(NULL AS TEXT) AS resource, \
                 CAST(NULL AS TEXT) AS action, CAST(NULL AS TEXT) AS purpose, \
                 CAST(NULL AS TEXT) AS decision FROM login_events WHERE subject_key = "
            ),
        ),
        ItemRef::Access(_) => Query::new(
            d,
            &format!(
                "SELECT {} AS occurred_us, a.client_id, COALESCE(a.orgno, c.orgno) AS orgno, \
                 CAST(NULL AS TEXT) AS service_name, CAST(NULL AS TEXT) AS eid, \
                 CAST(NULL AS TEXT) AS method, a.application, a.resource, a.action, a.purpose, \
                 a.decision FROM access_record_ids i JOIN access_records a \
                 ON a.owner_key = i.owner_key AND a.occurred_at = i.occurred_at AND a.id = i.id \
                 LEFT JOIN clients c ON c.client_id = a.client_id WHERE i.owner_key = ",
                time_out(d, "a.occurred_at")
            ),
        ),
    };
    q.bind(Value::Bytes(subject_key));
    q.push(match item {
        ItemRef::Login(_) => " AND dedup_key = ",
        ItemRef::Access(_) => " AND i.id = ",
    })
    .bind(Value::Bytes(item.key_bytes()))
    .push(" LIMIT 1");
    q
}

fn party_condition(q: &mut Query, keyer: &Keyer, party: &DisputeParty) {
    match party {
        DisputeParty::Citizen(s) => q
            .push(" WHERE subject_key = ")
            .bind(Value::Bytes(keyer.subject_key(s))),
        DisputeParty::Organisation(o) => q
            .push(" WHERE orgno = ")
            .bind(Value::Text(o.as_str().to_owned())),
    };
}

fn existing<C: Db>(
    c: &mut C,
    subject_key: &[u8],
    item: &ItemRef,
) -> Result<Option<Dispute>, Failure>
where
    DisputeRow: QueryableByName<C::Backend>,
{
    let mut q = Query::new(C::DIALECT, &dispute_select(C::DIALECT));
    q.push(" WHERE subject_key = ")
        .bind(Value::Bytes(subject_key.to_vec()))
        .push(" AND item_kind = ")
        .bind(Value::Text(item.kind().as_str().to_owned()))
        .push(" AND item_key = ")
        .bind(Value::Bytes(item.key_bytes()));
    let rows: Vec<DisputeRow> = c.load_rows(q)?;
    rows.into_iter().next().map(DisputeRow::dispute).transpose()
}

pub(crate) fn open_dispute<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    new: &NewDispute,
) -> Result<OpenOutcome, Failure>
where
    DisputeRow: QueryableByName<C::Backend>,
    ItemRow: QueryableByName<C::Backend>,
    Count: QueryableByName<C::Backend>,
{
    let subject_key = keyer.subject_key(&new.subject);
    let at = from_micros(micros(new.at)).unwrap_or(new.at);
    c.write_txn(|c| {
        if let Some(d) = existing(c, &subject_key, &new.item)? {
            return Ok(OpenOutcome::Existing(d));
        }
        let items: Vec<ItemRow> =
            c.load_rows(item_query(C::DIALECT, subject_key.clone(), &new.item))?;
        let Some(row) = items.into_iter().next() else {
            return Ok(OpenOutcome::NoSuchItem);
        };
        let item = row.item(new.item.clone())?;
        let d = match Dispute::open(new.id, item, new.message.clone(), at) {
            Ok(d) => d,
            Err(DisputeError::NoResponsibleOrganisation) => {
                return Ok(OpenOutcome::NoResponsibleOrganisation);
            }
            Err(e) => return Err(StoreError::Internal(e.to_string()).into()),
        };
        let values = dispute_values(&d, subject_key.clone(), keyer.key_id());
        let inserts = insert_rows(
            C::DIALECT,
            &format!("INSERT INTO disputes ({DISPUTE_COLUMNS})"),
            "ON CONFLICT DO NOTHING RETURNING CAST(1 AS BIGINT) AS n",
            vec![values],
        );
        if returned(c, inserts)? == 1 {
            return Ok(OpenOutcome::Opened(d));
        }
        // A concurrent request of the same citizen opened it first.
        existing(c, &subject_key, &new.item)?
            .map(OpenOutcome::Existing)
            .ok_or_else(|| StoreError::Internal("a case conflicted but is not found".into()).into())
    })
}

pub(crate) fn disputes<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    q: &DisputeQuery,
) -> Result<Vec<Dispute>, Failure>
where
    DisputeRow: QueryableByName<C::Backend>,
{
    let mut s = Query::new(C::DIALECT, &dispute_select(C::DIALECT));
    party_condition(&mut s, keyer, &q.party);
    if let Some(status) = q.status {
        s.push(" AND status = ")
            .bind(Value::Text(status.as_str().to_owned()));
    }
    if let Some(after) = &q.after {
        s.push(" AND (opened_at, id) < (")
            .bind(Value::Time(after.opened_at))
            .push(", ")
            .bind(Value::Bytes(after.id.as_bytes().to_vec()))
            .push(")");
    }
    s.push(" ORDER BY opened_at DESC, id DESC LIMIT ")
        .bind(Value::Int(i64::from(q.limit)));
    let rows: Vec<DisputeRow> = c.load_rows(s)?;
    rows.into_iter().map(DisputeRow::dispute).collect()
}

pub(crate) fn dispute<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    party: &DisputeParty,
    id: Uuid,
) -> Result<Option<Dispute>, Failure>
where
    DisputeRow: QueryableByName<C::Backend>,
{
    let mut s = Query::new(C::DIALECT, &dispute_select(C::DIALECT));
    party_condition(&mut s, keyer, party);
    s.push(" AND id = ")
        .bind(Value::Bytes(id.as_bytes().to_vec()));
    let rows: Vec<DisputeRow> = c.load_rows(s)?;
    rows.into_iter().next().map(DisputeRow::dispute).transpose()
}

/// A compare-and-set on `(status, updated_at)`: an answer made from an
/// older version of the case is not written.
pub(crate) fn save_answer<C: Db>(
    c: &mut C,
    previous: &Dispute,
    answered: &Dispute,
) -> Result<bool, Failure>
where
    Count: QueryableByName<C::Backend>,
{
    let mut s = Query::new(C::DIALECT, "UPDATE disputes SET status = ");
    s.bind(Value::Text(answered.status.as_str().to_owned()))
        .push(", answer = ")
        .bind(Value::OptText(
            answered.answer.as_ref().map(|a| a.as_str().to_owned()),
        ))
        .push(", updated_at = ")
        .bind(Value::Time(answered.updated_at))
        .push(" WHERE id = ")
        .bind(Value::Bytes(previous.id.as_bytes().to_vec()))
        .push(" AND orgno = ")
        .bind(Value::Text(previous.organisation.as_str().to_owned()))
        .push(" AND status = ")
        .bind(Value::Text(previous.status.as_str().to_owned()))
        .push(" AND updated_at = ")
        .bind(Value::Time(previous.updated_at))
        .push(" RETURNING CAST(1 AS BIGINT) AS n");
    Ok(returned(c, vec![s])? == 1)
}
