//! What ingestion registers beside the rows and the catalog: subjects, and
//! the names and organisations it looks up.

use std::collections::{BTreeSet, HashMap};

use diesel::QueryableByName;

use crate::conn::{Db, Failure};
use crate::keys::Keyer;
use crate::sql::{self, Query, Value};

use super::catalog::ClientOut;
use super::insert_all;

/// Registers subjects; sorted so concurrent batches lock in one order.
pub(super) fn register_subjects<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    keys: BTreeSet<Vec<u8>>,
) -> Result<(), Failure> {
    if C::DIALECT == sql::Dialect::Postgres {
        // One array parameter instead of a VALUES list: no parse cost per row.
        let mut q = Query::new(
            C::DIALECT,
            "INSERT INTO subjects (subject_key, key_id) SELECT k, ",
        );
        q.bind(Value::Text(keyer.key_id().to_owned()))
            .push(" FROM unnest(")
            .bind(Value::BytesArray(keys.into_iter().collect()))
            .push("::bytea[]) AS u(k) ON CONFLICT DO NOTHING");
        c.exec(q.prepared())?;
        return Ok(());
    }
    let rows = keys
        .into_iter()
        .map(|k| vec![Value::Bytes(k), Value::Text(keyer.key_id().to_owned())])
        .collect();
    insert_all(
        c,
        "INSERT INTO subjects (subject_key, key_id)",
        "ON CONFLICT DO NOTHING",
        rows,
    )?;
    Ok(())
}

pub(super) fn register_names<C: Db>(
    c: &mut C,
    table: &str,
    names: BTreeSet<String>,
) -> Result<(), Failure> {
    let rows = names.into_iter().map(|n| vec![Value::Text(n)]).collect();
    insert_all(
        c,
        &format!("INSERT INTO {table} (name)"),
        "ON CONFLICT DO NOTHING",
        rows,
    )?;
    Ok(())
}

/// The catalog's organisation of each client that has one.
pub(super) fn catalog_orgnos<C: Db>(
    c: &mut C,
    clients: BTreeSet<String>,
) -> Result<HashMap<String, String>, Failure>
where
    ClientOut: QueryableByName<C::Backend>,
{
    let mut out = HashMap::new();
    for q in sql::select_in(
        C::DIALECT,
        "SELECT client_id, application, orgno FROM clients WHERE orgno IS NOT NULL AND client_id",
        clients.into_iter().collect(),
    ) {
        let rows: Vec<ClientOut> = c.load_rows(q)?;
        out.extend(
            rows.into_iter()
                .filter_map(|r| Some((r.client_id, r.orgno?))),
        );
    }
    Ok(out)
}
