//! The catalog (the seed's "broker data"): what applications, resources,
//! actions and purposes exist, and which organisation owns each client.

use serde::{Deserialize, Serialize};

use crate::orgno::OrgNumber;

/// A kind of catalog entry that a filter value can be checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CatalogKind {
    /// An application name.
    Application,
    /// An OAuth client id.
    ClientId,
    /// A resource name.
    Resource,
    /// A resource URN.
    ResourceUrn,
    /// An action name.
    Action,
    /// A purpose name.
    Purpose,
}

impl CatalogKind {
    /// The query parameter values of this kind arrive in.
    pub fn param_name(self) -> &'static str {
        match self {
            CatalogKind::Application => "application",
            CatalogKind::ClientId => "clientId",
            CatalogKind::Resource | CatalogKind::ResourceUrn => "resource",
            CatalogKind::Action => "action",
            CatalogKind::Purpose => "purpose",
        }
    }

    /// A word for error messages.
    pub fn noun(self) -> &'static str {
        match self {
            CatalogKind::Application => "application",
            CatalogKind::ClientId => "client",
            CatalogKind::Resource => "resource",
            CatalogKind::ResourceUrn => "resource URN",
            CatalogKind::Action => "action",
            CatalogKind::Purpose => "purpose",
        }
    }
}

/// One value to look up in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CatalogRef {
    /// Which list.
    pub kind: CatalogKind,
    /// The value, exactly as given.
    pub value: String,
}

impl CatalogRef {
    /// A reference to `value` in the `kind` list.
    pub fn new(kind: CatalogKind, value: &str) -> Self {
        Self {
            kind,
            value: value.to_owned(),
        }
    }
}

/// An OAuth client and the application and organisation it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientEntry {
    /// The OAuth client id (ID-porten "integrasjon_id").
    pub client_id: String,
    /// The application (service) name shown to citizens.
    pub application: String,
    /// The organisation that owns the service, when known.
    pub orgno: Option<OrgNumber>,
}

/// A resource and its URN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceEntry {
    /// The resource name.
    pub name: String,
    /// Its URN, when known.
    pub urn: Option<String>,
}

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
}
