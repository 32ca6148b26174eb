//! The two reads: login history and seed 2's one-statement answer.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Binary, Bool, Nullable, Text};
use innsyn_domain::disputes::LoginKey;
use innsyn_domain::{
    AccessHistoryEntry, AccessHistoryQuery, AccessPage, CatalogRef, Decision, LoginHistoryEntry,
    LoginHistoryQuery, OrgNumber,
};
use innsyn_ports::AccessHistoryAnswer;
use uuid::Uuid;

use crate::conn::{Db, Failure};
use crate::keys::Keyer;
use crate::sql::{self};

use super::{corrupt, time_of};

#[derive(QueryableByName)]
pub(crate) struct LoginOut {
    #[diesel(sql_type = Binary)]
    dedup_key: Vec<u8>,
    #[diesel(sql_type = BigInt)]
    occurred_us: i64,
    #[diesel(sql_type = Nullable<Text>)]
    service_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    eid: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    method: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    client_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    orgno: Option<String>,
}

/// One row of [`sql::access_answer`]: the status, and a record unless
/// the page is empty.
#[derive(QueryableByName)]
pub(crate) struct AnswerRow {
    #[diesel(sql_type = Bool)]
    owner_known: bool,
    #[diesel(sql_type = Text)]
    known: String,
    #[diesel(sql_type = Nullable<Binary>)]
    id: Option<Vec<u8>>,
    #[diesel(sql_type = Nullable<BigInt>)]
    occurred_us: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    application: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    client_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    resource: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    resource_urn: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    action: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    purpose: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    decision: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    orgno: Option<String>,
}

impl AnswerRow {
    /// The record of a row that has one.
    fn entry(self) -> Result<Option<AccessHistoryEntry>, Failure> {
        let Some(id) = self.id else {
            return Ok(None);
        };
        let text = |v: Option<String>| v.ok_or_else(|| corrupt("access record"));
        Ok(Some(AccessHistoryEntry {
            id: Uuid::from_slice(&id).map_err(|_| corrupt("record id"))?,
            occurred_at: time_of(self.occurred_us.ok_or_else(|| corrupt("time"))?)?,
            application: text(self.application)?,
            client_id: text(self.client_id)?,
            resource: text(self.resource)?,
            resource_urn: self.resource_urn,
            action: text(self.action)?,
            purpose: text(self.purpose)?,
            decision: Decision::parse(&text(self.decision)?).map_err(|_| corrupt("decision"))?,
            orgno: self
                .orgno
                .map(|o| OrgNumber::parse(&o).map_err(|_| corrupt("orgno")))
                .transpose()?,
        }))
    }
}

pub(crate) fn login_history<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    q: &LoginHistoryQuery,
) -> Result<Vec<LoginHistoryEntry>, Failure>
where
    LoginOut: QueryableByName<C::Backend>,
{
    let rows: Vec<LoginOut> = c.load_rows(sql::login_history(
        C::DIALECT,
        keyer.subject_key(&q.subject),
        q,
    ))?;
    rows.into_iter()
        .map(|r| {
            Ok(LoginHistoryEntry {
                key: LoginKey::new(r.dedup_key),
                occurred_at: time_of(r.occurred_us)?,
                service_name: r.service_name,
                eid: r.eid,
                method: r.method,
                client_id: r.client_id,
                orgno: r.orgno.and_then(|o| OrgNumber::parse(&o).ok()),
            })
        })
        .collect()
}

pub(crate) fn access_history<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    q: &AccessHistoryQuery,
) -> Result<AccessHistoryAnswer, Failure>
where
    AnswerRow: QueryableByName<C::Backend>,
{
    let refs = q.catalog_refs();
    let rows: Vec<AnswerRow> = c.load_rows(sql::access_answer(
        C::DIALECT,
        keyer.subject_key(&q.owner),
        &refs,
        q,
    ))?;
    let Some(status) = rows.first() else {
        return Err(corrupt("access-history status"));
    };
    let missing: Vec<CatalogRef> = refs
        .into_iter()
        .zip(status.known.chars().chain(std::iter::repeat('0')))
        .filter(|(_, known)| *known != '1')
        .map(|(r, _)| r)
        .collect();
    if !missing.is_empty() {
        return Ok(AccessHistoryAnswer::NotInCatalog(missing));
    }
    if !status.owner_known {
        return Ok(AccessHistoryAnswer::UnknownOwner);
    }
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        entries.extend(row.entry()?);
    }
    let has_more = entries.len() > usize::from(q.page.count);
    entries.truncate(usize::from(q.page.count));
    Ok(AccessHistoryAnswer::Page(AccessPage { entries, has_more }))
}
