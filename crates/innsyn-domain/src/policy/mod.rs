//! Who may read and write what, as pure functions of a verified caller.
//!
//! * Login history (seed 1): the subject comes from the token, never from a
//!   parameter, and a client sees only services of its own organisation.
//! * Access history (seed 2): the owner with `history:read`, or anyone with
//!   `history:audit`.
//! * Ingestion needs `history:write`; catalog and retention `history:admin`.
//! * Disputes: a citizen's own cases with `history:read` (the permission
//!   over their own history); an organisation's cases with
//!   `history:disputes`, scoped to the organisation of the client.

use serde::{Deserialize, Serialize};

use crate::disputes::DisputeParty;
use crate::orgno::OrgNumber;
use crate::scope::Scopes;
use crate::subject::SubjectId;

/// A caller whose token has been verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The person the token is about; absent for client-only tokens.
    pub subject: Option<SubjectId>,
    /// The OAuth client that holds the token.
    pub client_id: Option<String>,
    /// The client's organisation.
    pub orgno: Option<OrgNumber>,
    /// Granted scopes.
    pub scopes: Scopes,
    /// Authentication context class (`idporten-loa-high`…), when given.
    pub acr: Option<String>,
}

/// The scope names each permission needs; configurable because issuers name
/// scopes differently.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScopeNames {
    /// Read one's own login history (seed 1).
    pub login_read: String,
    /// Read one's own access history.
    pub history_read: String,
    /// Read anyone's access history.
    pub history_audit: String,
    /// Ingest events and records.
    pub history_write: String,
    /// Administer the catalog and retention.
    pub history_admin: String,
    /// Read and answer the cases citizens route to the caller's organisation.
    pub disputes: String,
}

impl Default for ScopeNames {
    fn default() -> Self {
        Self {
            login_read: "idporten:user.log.read".into(),
            history_read: "history:read".into(),
            history_audit: "history:audit".into(),
            history_write: "history:write".into(),
            history_admin: "history:admin".into(),
            disputes: "history:disputes".into(),
        }
    }
}

/// Why a verified caller is refused (HTTP 403).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The token lacks the scope; RFC 6750 `insufficient_scope`.
    #[error("the access token lacks the scope {scope}")]
    MissingScope {
        /// The scope that would grant the request.
        scope: String,
    },
    /// A client-only token asked for a person's own history.
    #[error("this endpoint needs a token issued to a person")]
    NoSubject,
    /// The client's organisation is unknown, so no service can be shown.
    #[error("the client's organisation number is unknown")]
    NoOrganisation,
    /// Someone else's history without the audit scope.
    #[error("only the owner, or a caller with the scope {audit_scope}, may read this history")]
    NotOwner {
        /// The scope that would grant the request.
        audit_scope: String,
    },
}

impl Denied {
    /// The scope to name in `WWW-Authenticate: … error="insufficient_scope"`.
    pub fn required_scope(&self) -> Option<&str> {
        match self {
            Denied::MissingScope { scope } => Some(scope),
            Denied::NotOwner { audit_scope } => Some(audit_scope),
            Denied::NoSubject | Denied::NoOrganisation => None,
        }
    }
}

/// What a seed-1 read is limited to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginHistoryAccess {
    /// The token's subject.
    pub subject: SubjectId,
    /// The caller's organisation.
    pub orgno: OrgNumber,
}

/// On what grounds an access-history read is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessHistoryGrant {
    /// The owner reads their own history.
    Owner,
    /// An auditor reads someone's history.
    Audit,
}

fn require(caller: &Caller, scope: &str) -> Result<(), Denied> {
    if caller.scopes.contains(scope) {
        Ok(())
    } else {
        Err(Denied::MissingScope {
            scope: scope.to_owned(),
        })
    }
}

/// Seed 1: the caller's own login history, limited to its organisation.
pub fn authorize_login_history(
    caller: &Caller,
    names: &ScopeNames,
) -> Result<LoginHistoryAccess, Denied> {
    require(caller, &names.login_read)?;
    let subject = caller.subject.clone().ok_or(Denied::NoSubject)?;
    let orgno = caller.orgno.clone().ok_or(Denied::NoOrganisation)?;
    Ok(LoginHistoryAccess { subject, orgno })
}

/// Seed 2: `owner`'s access history.
pub fn authorize_access_history(
    caller: &Caller,
    names: &ScopeNames,
    owner: &SubjectId,
) -> Result<AccessHistoryGrant, Denied> {
    let is_owner = caller.subject.as_ref() == Some(owner);
    if is_owner && caller.scopes.contains(&names.history_read) {
        return Ok(AccessHistoryGrant::Owner);
    }
    if caller.scopes.contains(&names.history_audit) {
        return Ok(AccessHistoryGrant::Audit);
    }
    if is_owner {
        return Err(Denied::MissingScope {
            scope: names.history_read.clone(),
        });
    }
    if caller.scopes.contains(&names.history_read) {
        return Err(Denied::NotOwner {
            audit_scope: names.history_audit.clone(),
        });
    }
    Err(Denied::MissingScope {
        scope: names.history_audit.clone(),
    })
}

/// Ingestion of login events and access records.
pub fn authorize_write(caller: &Caller, names: &ScopeNames) -> Result<(), Denied> {
    require(caller, &names.history_write)
}

/// Catalog administration and retention runs.
pub fn authorize_admin(caller: &Caller, names: &ScopeNames) -> Result<(), Denied> {
    require(caller, &names.history_admin)
}

/// The cases routed to the caller's organisation.
pub fn authorize_organisation_disputes(
    caller: &Caller,
    names: &ScopeNames,
) -> Result<DisputeParty, Denied> {
    require(caller, &names.disputes)?;
    let orgno = caller.orgno.clone().ok_or(Denied::NoOrganisation)?;
    Ok(DisputeParty::Organisation(orgno))
}

/// The caller's own cases: opening them and reading them.
pub fn authorize_own_disputes(caller: &Caller, names: &ScopeNames) -> Result<DisputeParty, Denied> {
    authorize_own_history(caller, names).map(DisputeParty::Citizen)
}

/// The person whose own history a token may read as a whole (the
/// verifiable download, the own cases): `history:read` and a subject.
///
/// # Errors
/// [`Denied`] for a missing scope or a token issued to no person.
pub fn authorize_own_history(caller: &Caller, names: &ScopeNames) -> Result<SubjectId, Denied> {
    require(caller, &names.history_read)?;
    caller.subject.clone().ok_or(Denied::NoSubject)
}

#[cfg(test)]
mod tests;
