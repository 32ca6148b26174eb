//! The catalog (the seed's "broker data"): what applications, resources,
//! actions and purposes exist, and which organisation owns each client.

use serde::{Deserialize, Serialize};

use crate::orgno::OrgNumber;
use crate::params::InvalidParams;

/// Longest catalog name (client id, application, resource name, URN)
/// accepted, in bytes.
pub const MAX_NAME_LEN: usize = 1024;

/// A catalog name: trimmed, non-empty, at most [`MAX_NAME_LEN`] bytes, no
/// control characters. Errors are recorded under `field`, never quoting
/// the value.
fn name(errors: &mut InvalidParams, field: &str, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        errors.push(field, "is required");
        None
    } else if v.len() > MAX_NAME_LEN || v.chars().any(char::is_control) {
        errors.push(
            field,
            format!("must be at most {MAX_NAME_LEN} bytes without control characters"),
        );
        None
    } else {
        Some(v.to_owned())
    }
}

/// An optional value: absent or blank is `None`.
fn optional(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

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

impl ClientEntry {
    /// A client entry from an administrator's input: `clientId` and
    /// `application` are catalog names (trimmed, non-empty, at most
    /// [`MAX_NAME_LEN`] bytes, no control characters); `orgno` is an
    /// organisation number (blank = none). Every bad field is reported.
    pub fn validate(
        client_id: &str,
        application: &str,
        orgno: Option<&str>,
    ) -> Result<Self, InvalidParams> {
        let mut errors = InvalidParams::new();
        let client_id = name(&mut errors, "clientId", client_id);
        let application = name(&mut errors, "application", application);
        let orgno = match optional(orgno) {
            None => Some(None),
            Some(o) => errors.check("orgno", OrgNumber::parse(o)).map(Some),
        };
        errors.finish(|| {
            Some(Self {
                client_id: client_id?,
                application: application?,
                orgno: orgno?,
            })
        })
    }
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

impl ResourceEntry {
    /// A resource entry from an administrator's input: `name` and, when
    /// given (blank = none), `urn` are catalog names (trimmed, non-empty, at
    /// most [`MAX_NAME_LEN`] bytes, no control characters). Every bad field
    /// is reported.
    pub fn validate(resource: &str, urn: Option<&str>) -> Result<Self, InvalidParams> {
        let mut errors = InvalidParams::new();
        let resource = name(&mut errors, "name", resource);
        let urn = match optional(urn) {
            None => Some(None),
            Some(u) => name(&mut errors, "urn", u).map(Some),
        };
        errors.finish(|| {
            Some(Self {
                name: resource?,
                urn: urn?,
            })
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: &InvalidParams) -> Vec<&str> {
        e.params().iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn client_entries_are_trimmed_and_checked() {
        let c = ClientEntry::validate(" nav-minside ", "NAV Min side\t", Some("0192:889640782"))
            .unwrap();
        assert_eq!(c.client_id, "nav-minside");
        assert_eq!(c.application, "NAV Min side");
        assert_eq!(c.orgno.unwrap().as_str(), "889640782");
        for blank in [None, Some(""), Some("  ")] {
            assert_eq!(ClientEntry::validate("a", "b", blank).unwrap().orgno, None);
        }
    }

    #[test]
    fn client_entries_report_every_bad_field() {
        let e = ClientEntry::validate("  ", "x\u{7}y", Some("123456789")).unwrap_err();
        assert_eq!(fields(&e), ["clientId", "application", "orgno"]);
        assert_eq!(e.params()[0].reason, "is required");
        assert!(e.params()[1].reason.contains("control characters"));
    }

    #[test]
    fn names_are_at_most_one_kib() {
        let exactly = "a".repeat(MAX_NAME_LEN);
        assert!(ClientEntry::validate(&exactly, "b", None).is_ok());
        let over = "a".repeat(MAX_NAME_LEN + 1);
        let e = ClientEntry::validate(&over, "b", None).unwrap_err();
        assert_eq!(fields(&e), ["clientId"]);
        assert!(!e.params()[0].reason.contains(&over), "no value echoed");
        // Bytes, not characters: 513 two-byte characters are too long.
        let wide = "ø".repeat(MAX_NAME_LEN / 2 + 1);
        assert!(ResourceEntry::validate(&wide, None).is_err());
    }

    #[test]
    fn resource_entries_are_trimmed_and_checked() {
        let r = ResourceEntry::validate(
            " skattemelding ",
            Some(" urn:altinn:resource:skattemelding "),
        )
        .unwrap();
        assert_eq!(r.name, "skattemelding");
        assert_eq!(r.urn.as_deref(), Some("urn:altinn:resource:skattemelding"));
        assert_eq!(ResourceEntry::validate("r", Some(" ")).unwrap().urn, None);
        let e = ResourceEntry::validate("", Some("urn:\u{1b}x")).unwrap_err();
        assert_eq!(fields(&e), ["name", "urn"]);
    }
}
