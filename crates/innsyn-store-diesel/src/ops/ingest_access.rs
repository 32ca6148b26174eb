//! Access-record ingestion.

use std::collections::{BTreeMap, BTreeSet};

use innsyn_domain::{AccessRecord, AppendOutcome};

use crate::conn::{Db, Failure};
use crate::keys::Keyer;
use crate::sql::Value;

use super::insert_all;
use super::register::{merge_client, register_clients, register_names, register_subjects};

pub(crate) fn append_access_records<C: Db>(
    c: &mut C,
    keyer: &Keyer,
    records: &[AccessRecord],
) -> Result<AppendOutcome, Failure> {
    if records.is_empty() {
        return Ok(AppendOutcome::default());
    }
    let mut subjects = BTreeSet::new();
    let mut clients = BTreeMap::new();
    let mut resources: BTreeMap<String, Option<String>> = BTreeMap::new();
    let (mut actions, mut purposes) = (BTreeSet::new(), BTreeSet::new());
    let mut rows = Vec::with_capacity(records.len());
    for r in records {
        let owner_key = keyer.subject_key(&r.owner);
        subjects.insert(owner_key.clone());
        merge_client(&mut clients, r.catalog_client());
        let urn = resources.entry(r.resource.clone()).or_default();
        if urn.is_none() {
            urn.clone_from(&r.resource_urn);
        }
        actions.insert(r.action.clone());
        purposes.insert(r.purpose.clone());
        rows.push(vec![
            Value::Bytes(owner_key),
            Value::Time(r.occurred_at),
            Value::Bytes(r.id.as_bytes().to_vec()),
            Value::Text(keyer.key_id().to_owned()),
            Value::Text(r.application.clone()),
            Value::Text(r.client_id.clone()),
            Value::Text(r.resource.clone()),
            Value::OptText(r.resource_urn.clone()),
            Value::Text(r.action.clone()),
            Value::Text(r.purpose.clone()),
            Value::Text(r.decision.as_str().to_owned()),
            Value::OptText(r.orgno.as_ref().map(|o| o.as_str().to_owned())),
        ]);
    }
    // Applications are registered by name too: a record's application is
    // valid for `validate` even when its client was first seen elsewhere.
    let apps: BTreeSet<String> = records.iter().map(|r| r.application.clone()).collect();
    c.write_txn(|c| {
        register_names(c, "applications", apps)?;
        register_clients(c, clients)?;
        let rows_res = resources
            .into_iter()
            .map(|(name, urn)| vec![Value::Text(name), Value::OptText(urn)])
            .collect();
        insert_all(
            c,
            "INSERT INTO resources (name, urn)",
            "ON CONFLICT (name) DO UPDATE SET urn = excluded.urn \
             WHERE resources.urn IS NULL AND excluded.urn IS NOT NULL",
            rows_res,
        )?;
        register_names(c, "actions", actions)?;
        register_names(c, "purposes", purposes)?;
        register_subjects(c, keyer, subjects)?;
        let accepted = insert_all(
            c,
            "INSERT INTO access_records (owner_key, occurred_at, id, key_id, application, \
             client_id, resource, resource_urn, action, purpose, decision, orgno)",
            "ON CONFLICT DO NOTHING",
            rows,
        )?;
        Ok(AppendOutcome {
            accepted,
            duplicates: records.len() as u64 - accepted,
        })
    })
}
