//! The catalog (the seed's "broker data"): what applications, resources,
//! actions and purposes exist, and which organisation owns each client.

use serde::{Deserialize, Serialize};

mod client;
mod names;
mod plain;
mod refs;
mod resource;

#[cfg(test)]
mod client_tests;
#[cfg(test)]
mod plain_tests;
#[cfg(test)]
mod tests;

pub use client::ClientEntry;
pub use plain::{LabelEntry, LabelKind, NamesWanted, OrganisationEntry, PlainNames};
pub use refs::{CatalogKind, CatalogRef};
pub use resource::ResourceEntry;

/// Longest catalog name (client id, application, resource name, URN)
/// accepted, in bytes.
pub const MAX_NAME_LEN: usize = 1024;

/// The whole catalog, as administrators see it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    /// Clients with their applications.
    pub clients: Vec<ClientEntry>,
    /// Resources.
    pub resources: Vec<ResourceEntry>,
    /// Action names.
    pub actions: Vec<String>,
    /// Purpose names.
    pub purposes: Vec<String>,
    /// Organisations by the names citizens know them by.
    #[serde(default)]
    pub organisations: Vec<OrganisationEntry>,
    /// Display names of resources, actions and purposes.
    #[serde(default)]
    pub labels: Vec<LabelEntry>,
}
