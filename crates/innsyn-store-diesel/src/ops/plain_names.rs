//! Plain words for the catalog's codes: organisations and display names.

use diesel::QueryableByName;
use diesel::sql_types::{Nullable, Text};
use innsyn_domain::{
    ClientEntry, LabelEntry, LabelKind, NamesWanted, OrgNumber, OrganisationEntry, PlainNames,
};

use crate::conn::{Db, Failure};
use crate::sql::{self, Query, Value};

use super::catalog::ClientOut;

#[derive(QueryableByName)]
pub(crate) struct OrganisationOut {
    #[diesel(sql_type = Text)]
    orgno: String,
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
pub(crate) struct LabelOut {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    nb: String,
    #[diesel(sql_type = Nullable<Text>)]
    en: Option<String>,
}

impl OrganisationOut {
    // A row the domain would refuse (edited by hand) is left out, not
    // fatal: the page then shows the number.
    fn entry(self) -> Option<OrganisationEntry> {
        Some(OrganisationEntry {
            orgno: OrgNumber::parse(&self.orgno).ok()?,
            name: self.name,
        })
    }
}

impl LabelOut {
    fn entry(self) -> Option<LabelEntry> {
        Some(LabelEntry {
            kind: LabelKind::parse(&self.kind)?,
            name: self.name,
            nb: self.nb,
            en: self.en,
        })
    }
}

const ORGANISATIONS: &str = "SELECT orgno, name FROM organisations";
const LABELS: &str = "SELECT kind, name, nb, en FROM catalog_labels";

pub(crate) fn all_organisations<C: Db>(c: &mut C) -> Result<Vec<OrganisationEntry>, Failure>
where
    OrganisationOut: QueryableByName<C::Backend>,
{
    let q = Query::new(C::DIALECT, &format!("{ORGANISATIONS} ORDER BY orgno"));
    let rows: Vec<OrganisationOut> = c.load_rows(q)?;
    Ok(rows
        .into_iter()
        .filter_map(OrganisationOut::entry)
        .collect())
}

pub(crate) fn all_labels<C: Db>(c: &mut C) -> Result<Vec<LabelEntry>, Failure>
where
    LabelOut: QueryableByName<C::Backend>,
{
    let q = Query::new(C::DIALECT, &format!("{LABELS} ORDER BY kind, name"));
    let rows: Vec<LabelOut> = c.load_rows(q)?;
    Ok(rows.into_iter().filter_map(LabelOut::entry).collect())
}

pub(crate) fn put_organisation<C: Db>(c: &mut C, o: &OrganisationEntry) -> Result<(), Failure> {
    let mut q = Query::new(
        C::DIALECT,
        "INSERT INTO organisations (orgno, name) VALUES (",
    );
    q.bind(Value::Text(o.orgno.as_str().to_owned()))
        .push(", ")
        .bind(Value::Text(o.name.clone()))
        .push(") ON CONFLICT (orgno) DO UPDATE SET name = excluded.name");
    c.exec(q)?;
    Ok(())
}

pub(crate) fn put_label<C: Db>(c: &mut C, l: &LabelEntry) -> Result<(), Failure> {
    let mut q = Query::new(
        C::DIALECT,
        "INSERT INTO catalog_labels (kind, name, nb, en) VALUES (",
    );
    q.bind(Value::Text(l.kind.as_str().to_owned()))
        .push(", ")
        .bind(Value::Text(l.name.clone()))
        .push(", ")
        .bind(Value::Text(l.nb.clone()))
        .push(", ")
        .bind(Value::OptText(l.en.clone()))
        .push(") ON CONFLICT (kind, name) DO UPDATE SET nb = excluded.nb, en = excluded.en");
    c.exec(q)?;
    Ok(())
}

/// Primary-key lookups of exactly what is asked: the clients, then the
/// organisations asked for and those of the clients found, then the labels
/// (by name, the kind checked here).
pub(crate) fn plain_names<C: Db>(c: &mut C, wanted: &NamesWanted) -> Result<PlainNames, Failure>
where
    ClientOut: QueryableByName<C::Backend>,
    OrganisationOut: QueryableByName<C::Backend>,
    LabelOut: QueryableByName<C::Backend>,
{
    let d = C::DIALECT;
    let mut out = PlainNames::default();
    let ids: Vec<String> = wanted.client_ids.iter().cloned().collect();
    for q in sql::select_in(
        d,
        "SELECT client_id, application, orgno FROM clients WHERE client_id",
        ids,
    ) {
        let rows: Vec<ClientOut> = c.load_rows(q)?;
        for r in rows {
            let entry = ClientEntry {
                orgno: r.orgno.and_then(|o| OrgNumber::parse(&o).ok()),
                client_id: r.client_id,
                application: r.application,
            };
            out.clients.insert(entry.client_id.clone(), entry);
        }
    }
    let orgnos: std::collections::BTreeSet<String> = wanted
        .orgnos
        .iter()
        .chain(out.clients.values().filter_map(|c| c.orgno.as_ref()))
        .map(|o| o.as_str().to_owned())
        .collect();
    let head = format!("{ORGANISATIONS} WHERE orgno");
    for q in sql::select_in(d, &head, orgnos.into_iter().collect()) {
        let rows: Vec<OrganisationOut> = c.load_rows(q)?;
        out.organisations.extend(
            rows.into_iter()
                .filter_map(OrganisationOut::entry)
                .map(|o| (o.orgno, o.name)),
        );
    }
    let names: std::collections::BTreeSet<String> =
        wanted.labels.iter().map(|(_, name)| name.clone()).collect();
    let head = format!("{LABELS} WHERE name");
    for q in sql::select_in(d, &head, names.into_iter().collect()) {
        let rows: Vec<LabelOut> = c.load_rows(q)?;
        for l in rows.into_iter().filter_map(LabelOut::entry) {
            let key = (l.kind, l.name.clone());
            if wanted.labels.contains(&key) {
                out.labels.insert(key, l);
            }
        }
    }
    Ok(out)
}
