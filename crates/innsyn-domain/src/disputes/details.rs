//! What a case shows of its item: what the organisation already knows.

use time::OffsetDateTime;

use super::item::ItemRef;
use crate::decision::Decision;
use crate::orgno::OrgNumber;

/// The disputed item as the responsible organisation already knows it:
/// never the citizen's identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputedItem {
    /// Which item.
    pub reference: ItemRef,
    /// When it happened.
    pub occurred_at: OffsetDateTime,
    /// The organisation's client that logged in or looked up.
    pub client_id: Option<String>,
    /// Who answers for it, when known: for a login the service owner's,
    /// else the client's organisation; for a look-up the accessing
    /// client's.
    pub organisation: Option<OrgNumber>,
    /// What happened.
    pub details: ItemDetails,
}

/// What happened, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemDetails {
    /// A login.
    Login {
        /// The service logged in to.
        service_name: Option<String>,
        /// The eID (`BankID`, `MinID`…).
        eid: Option<String>,
        /// The eID's method (`PIN`, `OTC`…).
        method: Option<String>,
    },
    /// A look-up.
    Access {
        /// The application that looked.
        application: String,
        /// What it looked at.
        resource: String,
        /// What it did.
        action: String,
        /// Why.
        purpose: String,
        /// Whether it was let through.
        decision: Decision,
    },
}

/// [`ItemDetails`] as one flat set of optional fields, the other kind's
/// empty: how tables and documents with a column per field hold either.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct FlatDetails<'a> {
    pub service_name: Option<&'a str>,
    pub eid: Option<&'a str>,
    pub method: Option<&'a str>,
    pub application: Option<&'a str>,
    pub resource: Option<&'a str>,
    pub action: Option<&'a str>,
    pub purpose: Option<&'a str>,
    pub decision: Option<&'static str>,
}

impl ItemDetails {
    /// The flat view.
    pub fn flat(&self) -> FlatDetails<'_> {
        match self {
            Self::Login {
                service_name,
                eid,
                method,
            } => FlatDetails {
                service_name: service_name.as_deref(),
                eid: eid.as_deref(),
                method: method.as_deref(),
                ..FlatDetails::default()
            },
            Self::Access {
                application,
                resource,
                action,
                purpose,
                decision,
            } => FlatDetails {
                application: Some(application),
                resource: Some(resource),
                action: Some(action),
                purpose: Some(purpose),
                decision: Some(decision.as_str()),
                ..FlatDetails::default()
            },
        }
    }
}
