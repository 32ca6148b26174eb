//! A client in the catalog: the application and organisation it belongs to.

use serde::{Deserialize, Serialize};

use super::names::{name, optional};
use crate::orgno::OrgNumber;
use crate::params::InvalidParams;

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

    /// Merges what ingestion saw of this client again (`seen`, from
    /// [`crate::LoginEvent::catalog_client`] or
    /// [`crate::AccessRecord::catalog_client`]) into this known entry: the
    /// one rule every store applies. A client without an organisation
    /// learns it, because later events that name none are attributed
    /// through the catalog; nothing else changes, because administrators
    /// own the catalog and ingestion must not rename an application.
    pub fn learn(&mut self, seen: &ClientEntry) {
        if self.orgno.is_none() {
            self.orgno.clone_from(&seen.orgno);
        }
    }
}
