//! The values a query's `validate` looks up in the catalog.

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
