//! The catalog as administrators read and write it.

use std::collections::BTreeSet;

use diesel::QueryableByName;
use diesel::sql_types::{Nullable, Text};
use innsyn_domain::{Catalog, ClientEntry, OrgNumber, ResourceEntry};

use crate::conn::{Db, Failure};
use crate::sql::{Query, Value};

use super::plain_names::{LabelOut, OrganisationOut, all_labels, all_organisations};
use super::register::register_names;

#[derive(QueryableByName)]
pub(crate) struct ClientOut {
    #[diesel(sql_type = Text)]
    pub(super) client_id: String,
    #[diesel(sql_type = Text)]
    pub(super) application: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) orgno: Option<String>,
}

#[derive(QueryableByName)]
pub(crate) struct ResourceOut {
    #[diesel(sql_type = Text)]
    pub(super) name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub(super) urn: Option<String>,
}

#[derive(QueryableByName)]
pub(crate) struct NameOut {
    #[diesel(sql_type = Text)]
    pub(super) name: String,
}

pub(crate) fn catalog<C: Db>(c: &mut C) -> Result<Catalog, Failure>
where
    ClientOut: QueryableByName<C::Backend>,
    ResourceOut: QueryableByName<C::Backend>,
    NameOut: QueryableByName<C::Backend>,
    OrganisationOut: QueryableByName<C::Backend>,
    LabelOut: QueryableByName<C::Backend>,
{
    let d = C::DIALECT;
    let clients: Vec<ClientOut> = c.load_rows(Query::new(
        d,
        "SELECT client_id, application, orgno FROM clients ORDER BY client_id",
    ))?;
    let resources: Vec<ResourceOut> = c.load_rows(Query::new(
        d,
        "SELECT name, urn FROM resources ORDER BY name",
    ))?;
    let actions: Vec<NameOut> =
        c.load_rows(Query::new(d, "SELECT name FROM actions ORDER BY name"))?;
    let purposes: Vec<NameOut> =
        c.load_rows(Query::new(d, "SELECT name FROM purposes ORDER BY name"))?;
    Ok(Catalog {
        clients: clients
            .into_iter()
            .map(|r| ClientEntry {
                client_id: r.client_id,
                application: r.application,
                orgno: r.orgno.and_then(|o| OrgNumber::parse(&o).ok()),
            })
            .collect(),
        resources: resources
            .into_iter()
            .map(|r| ResourceEntry {
                name: r.name,
                urn: r.urn,
            })
            .collect(),
        actions: actions.into_iter().map(|r| r.name).collect(),
        purposes: purposes.into_iter().map(|r| r.name).collect(),
        organisations: all_organisations(c)?,
        labels: all_labels(c)?,
    })
}

pub(crate) fn put_client<C: Db>(c: &mut C, client: &ClientEntry) -> Result<(), Failure> {
    c.write_txn(|c| {
        register_names(
            c,
            "applications",
            BTreeSet::from([client.application.clone()]),
        )?;
        let mut q = Query::new(
            C::DIALECT,
            "INSERT INTO clients (client_id, application, orgno) VALUES (",
        );
        q.bind(Value::Text(client.client_id.clone()))
            .push(", ")
            .bind(Value::Text(client.application.clone()))
            .push(", ")
            .bind(Value::OptText(
                client.orgno.as_ref().map(|o| o.as_str().to_owned()),
            ))
            .push(
                ") ON CONFLICT (client_id) DO UPDATE SET application = excluded.application, \
                 orgno = excluded.orgno",
            );
        c.exec(q)?;
        Ok(())
    })
}

pub(crate) fn put_resource<C: Db>(c: &mut C, resource: &ResourceEntry) -> Result<(), Failure> {
    let mut q = Query::new(C::DIALECT, "INSERT INTO resources (name, urn) VALUES (");
    q.bind(Value::Text(resource.name.clone()))
        .push(", ")
        .bind(Value::OptText(resource.urn.clone()))
        .push(") ON CONFLICT (name) DO UPDATE SET urn = excluded.urn");
    c.exec(q)?;
    Ok(())
}
