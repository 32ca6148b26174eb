//! The catalog: lookups, the ingestion rule and administration.

use std::collections::btree_map::Entry;

use innsyn_domain::{
    Catalog, CatalogKind, CatalogRef, ClientEntry, LabelEntry, NamesWanted, OrganisationEntry,
    PlainNames, ResourceEntry,
};

use crate::State;

impl State {
    /// Whether the catalog holds `r` (exact match).
    pub(crate) fn knows(&self, r: &CatalogRef) -> bool {
        match r.kind {
            CatalogKind::Application => self.applications.contains(&r.value),
            CatalogKind::ClientId => self.clients.contains_key(&r.value),
            CatalogKind::Resource => self.resources.contains_key(&r.value),
            CatalogKind::ResourceUrn => self
                .resources
                .values()
                .any(|u| u.as_ref() == Some(&r.value)),
            CatalogKind::Action => self.actions.contains(&r.value),
            CatalogKind::Purpose => self.purposes.contains(&r.value),
        }
    }

    /// Registers a client seen at ingestion: a new one as seen, a known
    /// one by [`ClientEntry::learn`] (administrators own the catalog).
    pub(crate) fn register_client(&mut self, seen: ClientEntry) {
        self.applications.insert(seen.application.clone());
        match self.clients.entry(seen.client_id.clone()) {
            Entry::Occupied(mut known) => known.get_mut().learn(&seen),
            Entry::Vacant(new) => {
                new.insert(seen);
            }
        }
    }

    /// The whole catalog, sorted by name.
    pub(crate) fn catalog(&self) -> Catalog {
        Catalog {
            clients: self.clients.values().cloned().collect(),
            resources: self
                .resources
                .iter()
                .map(|(name, urn)| ResourceEntry {
                    name: name.clone(),
                    urn: urn.clone(),
                })
                .collect(),
            actions: self.actions.iter().cloned().collect(),
            purposes: self.purposes.iter().cloned().collect(),
            organisations: self
                .organisations
                .iter()
                .map(|(orgno, name)| OrganisationEntry {
                    orgno: orgno.clone(),
                    name: name.clone(),
                })
                .collect(),
            labels: self.labels.values().cloned().collect::<Vec<LabelEntry>>(),
        }
    }

    /// What the catalog knows of the codes asked for.
    pub(crate) fn plain_names(&self, wanted: &NamesWanted) -> PlainNames {
        let clients: std::collections::BTreeMap<_, _> = wanted
            .client_ids
            .iter()
            .filter_map(|id| Some((id.clone(), self.clients.get(id)?.clone())))
            .collect();
        let orgnos = wanted
            .orgnos
            .iter()
            .chain(clients.values().filter_map(|c| c.orgno.as_ref()));
        PlainNames {
            organisations: orgnos
                .filter_map(|o| Some((o.clone(), self.organisations.get(o)?.clone())))
                .collect(),
            labels: wanted
                .labels
                .iter()
                .filter_map(|k| Some((k.clone(), self.labels.get(k)?.clone())))
                .collect(),
            clients,
        }
    }

    /// An administrator's client entry replaces whatever was known.
    pub(crate) fn put_client(&mut self, client: &ClientEntry) {
        self.applications.insert(client.application.clone());
        self.clients
            .insert(client.client_id.clone(), client.clone());
    }
}
