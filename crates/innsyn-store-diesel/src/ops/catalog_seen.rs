//! The catalog values a batch brings, merged as the catalog merges them.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use innsyn_domain::ClientEntry;

use crate::conn::{Db, Failure};
use crate::sql::{UPSERT_CLIENTS, UPSERT_RESOURCES, Value};

use super::insert_all;

/// What one batch adds to the catalog, merged within the batch as the
/// catalog would merge it; sorted, so concurrent batches lock in one order.
#[derive(Debug, Default)]
pub(super) struct CatalogSeen {
    applications: BTreeSet<String>,
    clients: BTreeMap<String, ClientEntry>,
    resources: BTreeMap<String, Option<String>>,
    actions: BTreeSet<String>,
    purposes: BTreeSet<String>,
}

impl CatalogSeen {
    /// Merges a client seen at ingestion by [`ClientEntry::learn`]: a new
    /// client is added as seen; a known one only gains an organisation it
    /// lacks (the upsert is the same rule in SQL), because administrators
    /// own the catalog and ingestion must not rename anything. Its
    /// application is registered too, so it is valid for `validate` before
    /// an administrator names it.
    pub(super) fn client(&mut self, seen: ClientEntry) {
        self.applications.insert(seen.application.clone());
        match self.clients.entry(seen.client_id.clone()) {
            Entry::Occupied(mut known) => known.get_mut().learn(&seen),
            Entry::Vacant(new) => {
                new.insert(seen);
            }
        }
    }

    /// An access record's values: its client, resource, action and purpose.
    /// Its application is registered by name as well as through its client,
    /// so it is valid even when the client was first seen elsewhere.
    pub(super) fn access(&mut self, r: &innsyn_domain::AccessRecord) {
        self.client(r.catalog_client());
        let urn = self.resources.entry(r.resource.clone()).or_default();
        if urn.is_none() {
            urn.clone_from(&r.resource_urn);
        }
        self.actions.insert(r.action.clone());
        self.purposes.insert(r.purpose.clone());
    }
}

/// Registers `seen`: one multi-row insert per table that has values, in
/// one table order. On PostgreSQL only login ingestion comes here (its
/// clients and their applications, once per batch); access records register
/// their catalog inside their own statement (`sql::append_access`).
pub(super) fn register_catalog<C: Db>(c: &mut C, seen: CatalogSeen) -> Result<(), Failure> {
    let names = |set: BTreeSet<String>| set.into_iter().map(|n| vec![Value::Text(n)]).collect();
    insert_all(
        c,
        "INSERT INTO applications (name)",
        "ON CONFLICT DO NOTHING",
        names(seen.applications),
    )?;
    let clients = seen
        .clients
        .into_values()
        .map(|e| {
            vec![
                Value::Text(e.client_id),
                Value::Text(e.application),
                Value::OptText(e.orgno.map(|o| o.as_str().to_owned())),
            ]
        })
        .collect();
    insert_all(
        c,
        "INSERT INTO clients (client_id, application, orgno)",
        UPSERT_CLIENTS,
        clients,
    )?;
    let resources = seen
        .resources
        .into_iter()
        .map(|(name, urn)| vec![Value::Text(name), Value::OptText(urn)])
        .collect();
    insert_all(
        c,
        "INSERT INTO resources (name, urn)",
        UPSERT_RESOURCES,
        resources,
    )?;
    for (table, set) in [("actions", seen.actions), ("purposes", seen.purposes)] {
        insert_all(
            c,
            &format!("INSERT INTO {table} (name)"),
            "ON CONFLICT DO NOTHING",
            names(set),
        )?;
    }
    Ok(())
}
