//! A case and an item as rows, and back.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Binary, Nullable, Text};
use innsyn_domain::disputes::{
    Dispute, DisputeStatus, DisputedItem, ItemDetails, ItemKind, ItemRef, MAX_ANSWER_CHARS,
    PlainText,
};
use innsyn_domain::{Decision, OrgNumber};
use uuid::Uuid;

use crate::conn::Failure;
use crate::sql::{Dialect, Value, time_out};

use super::super::{corrupt, time_of};

/// The columns of [`DisputeRow`], in the order of [`dispute_values`].
pub(super) const DISPUTE_COLUMNS: &str = "id, subject_key, key_id, item_kind, item_key, \
     occurred_at, client_id, orgno, service_name, eid, method, application, resource, action, \
     purpose, decision, message, status, answer, opened_at, updated_at";

/// What a `SELECT` of a case reads, times as microseconds.
pub(super) fn dispute_select(d: Dialect) -> String {
    format!(
        "SELECT id, item_kind, item_key, {} AS occurred_us, client_id, orgno, service_name, eid, \
         method, application, resource, action, purpose, decision, message, status, answer, \
         {} AS opened_us, {} AS updated_us FROM disputes",
        time_out(d, "occurred_at"),
        time_out(d, "opened_at"),
        time_out(d, "updated_at"),
    )
}

/// The parts of an item shared by logins and look-ups; the other kind's
/// columns are `NULL`.
#[derive(QueryableByName)]
pub(crate) struct ItemRow {
    #[diesel(sql_type = BigInt)]
    occurred_us: i64,
    #[diesel(sql_type = Nullable<Text>)]
    client_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    orgno: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    service_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    eid: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    method: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    application: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    resource: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    action: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    purpose: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    decision: Option<String>,
}

/// A case as stored.
#[derive(QueryableByName)]
pub(crate) struct DisputeRow {
    #[diesel(sql_type = Binary)]
    id: Vec<u8>,
    #[diesel(sql_type = Text)]
    item_kind: String,
    #[diesel(sql_type = Binary)]
    item_key: Vec<u8>,
    #[diesel(embed)]
    item: ItemRow,
    #[diesel(sql_type = Nullable<Text>)]
    message: Option<String>,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<Text>)]
    answer: Option<String>,
    #[diesel(sql_type = BigInt)]
    opened_us: i64,
    #[diesel(sql_type = BigInt)]
    updated_us: i64,
}

impl ItemRow {
    pub(super) fn item(self, reference: ItemRef) -> Result<DisputedItem, Failure> {
        let details = match reference.kind() {
            ItemKind::Login => ItemDetails::Login {
                service_name: self.service_name,
                eid: self.eid,
                method: self.method,
            },
            ItemKind::Access => {
                let text = |v: Option<String>| v.ok_or_else(|| corrupt("disputed look-up"));
                ItemDetails::Access {
                    application: text(self.application)?,
                    resource: text(self.resource)?,
                    action: text(self.action)?,
                    purpose: text(self.purpose)?,
                    decision: Decision::parse(&text(self.decision)?)
                        .map_err(|_| corrupt("decision"))?,
                }
            }
        };
        Ok(DisputedItem {
            reference,
            occurred_at: time_of(self.occurred_us)?,
            client_id: self.client_id,
            // An organisation number the store cannot read back routes
            // nowhere, like a missing one.
            organisation: self.orgno.and_then(|o| OrgNumber::parse(&o).ok()),
            details,
        })
    }
}

fn stored_text(raw: Option<String>) -> Result<Option<PlainText>, Failure> {
    raw.map(|t| PlainText::parse(&t, MAX_ANSWER_CHARS).map_err(|_| corrupt("case text")))
        .transpose()
}

impl DisputeRow {
    pub(super) fn dispute(self) -> Result<Dispute, Failure> {
        let kind = ItemKind::parse(&self.item_kind).ok_or_else(|| corrupt("item kind"))?;
        let reference =
            ItemRef::from_parts(kind, self.item_key).ok_or_else(|| corrupt("item key"))?;
        let item = self.item.item(reference)?;
        let organisation = item
            .organisation
            .clone()
            .ok_or_else(|| corrupt("case organisation"))?;
        Ok(Dispute {
            id: Uuid::from_slice(&self.id).map_err(|_| corrupt("case id"))?,
            item,
            organisation,
            message: stored_text(self.message)?,
            status: DisputeStatus::parse(&self.status).ok_or_else(|| corrupt("case status"))?,
            opened_at: time_of(self.opened_us)?,
            updated_at: time_of(self.updated_us)?,
            answer: stored_text(self.answer)?,
        })
    }
}

fn opt(s: Option<&str>) -> Value {
    Value::OptText(s.map(str::to_owned))
}

/// The values of a new case's row, in [`DISPUTE_COLUMNS`] order.
pub(super) fn dispute_values(d: &Dispute, subject_key: Vec<u8>, key_id: &str) -> Vec<Value> {
    let i = &d.item;
    let f = i.details.flat();
    let mut v = vec![
        Value::Bytes(d.id.as_bytes().to_vec()),
        Value::Bytes(subject_key),
        Value::Text(key_id.to_owned()),
        Value::Text(i.reference.kind().as_str().to_owned()),
        Value::Bytes(i.reference.key_bytes()),
        Value::Time(i.occurred_at),
        opt(i.client_id.as_deref()),
        Value::Text(d.organisation.as_str().to_owned()),
    ];
    v.extend(
        [
            f.service_name,
            f.eid,
            f.method,
            f.application,
            f.resource,
            f.action,
            f.purpose,
            f.decision,
        ]
        .map(opt),
    );
    v.extend([
        opt(d.message.as_ref().map(PlainText::as_str)),
        Value::Text(d.status.as_str().to_owned()),
        opt(d.answer.as_ref().map(PlainText::as_str)),
        Value::Time(d.opened_at),
        Value::Time(d.updated_at),
    ]);
    v
}
