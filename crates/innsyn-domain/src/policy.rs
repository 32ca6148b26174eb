//! Who may read and write what, as pure functions of a verified caller.
//!
//! * Login history (seed 1): the subject comes from the token, never from a
//!   parameter, and a client sees only services of its own organisation.
//! * Access history (seed 2): the owner with `history:read`, or anyone with
//!   `history:audit`.
//! * Ingestion needs `history:write`; catalog and retention `history:admin`.

use serde::Deserialize;

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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
}

impl Default for ScopeNames {
    fn default() -> Self {
        Self {
            login_read: "idporten:user.log.read".into(),
            history_read: "history:read".into(),
            history_audit: "history:audit".into(),
            history_write: "history:write".into(),
            history_admin: "history:admin".into(),
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

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &str = "12345678901";
    const BOB: &str = "10987654321";

    fn caller(subject: Option<&str>, orgno: Option<&str>, scopes: &str) -> Caller {
        Caller {
            subject: subject.map(|s| SubjectId::parse(s).unwrap()),
            client_id: Some("svc-a".into()),
            orgno: orgno.map(|o| o.parse().unwrap()),
            scopes: Scopes::parse(scopes).unwrap(),
            acr: None,
        }
    }

    fn sid(s: &str) -> SubjectId {
        SubjectId::parse(s).unwrap()
    }

    #[test]
    fn login_history_matrix() {
        let n = ScopeNames::default();
        let ok = authorize_login_history(
            &caller(Some(ALICE), Some("991825827"), "idporten:user.log.read"),
            &n,
        )
        .unwrap();
        assert_eq!(
            (ok.subject.expose(), ok.orgno.as_str()),
            (ALICE, "991825827")
        );
        assert_eq!(
            authorize_login_history(&caller(Some(ALICE), Some("991825827"), "history:read"), &n),
            Err(Denied::MissingScope {
                scope: "idporten:user.log.read".into()
            })
        );
        assert_eq!(
            authorize_login_history(
                &caller(None, Some("991825827"), "idporten:user.log.read"),
                &n
            ),
            Err(Denied::NoSubject)
        );
        assert_eq!(
            authorize_login_history(&caller(Some(ALICE), None, "idporten:user.log.read"), &n),
            Err(Denied::NoOrganisation)
        );
        assert_eq!(
            authorize_login_history(&caller(None, None, ""), &n)
                .unwrap_err()
                .required_scope(),
            Some("idporten:user.log.read")
        );
    }

    #[test]
    fn access_history_matrix() {
        let n = ScopeNames::default();
        let cases = [
            // (subject, scopes, owner, expected)
            (
                Some(ALICE),
                "history:read",
                ALICE,
                Ok(AccessHistoryGrant::Owner),
            ),
            (
                Some(ALICE),
                "history:read history:audit",
                ALICE,
                Ok(AccessHistoryGrant::Owner),
            ),
            (
                Some(ALICE),
                "history:audit",
                ALICE,
                Ok(AccessHistoryGrant::Audit),
            ),
            (
                Some(ALICE),
                "history:audit",
                BOB,
                Ok(AccessHistoryGrant::Audit),
            ),
            (None, "history:audit", BOB, Ok(AccessHistoryGrant::Audit)),
            (
                Some(ALICE),
                "history:read",
                BOB,
                Err(Denied::NotOwner {
                    audit_scope: "history:audit".into(),
                }),
            ),
            (
                Some(ALICE),
                "idporten:user.log.read",
                ALICE,
                Err(Denied::MissingScope {
                    scope: "history:read".into(),
                }),
            ),
            (
                Some(ALICE),
                "",
                BOB,
                Err(Denied::MissingScope {
                    scope: "history:audit".into(),
                }),
            ),
            (
                None,
                "history:read",
                ALICE,
                Err(Denied::NotOwner {
                    audit_scope: "history:audit".into(),
                }),
            ),
            (
                None,
                "history:write history:admin",
                ALICE,
                Err(Denied::MissingScope {
                    scope: "history:audit".into(),
                }),
            ),
        ];
        for (subject, scopes, owner, want) in cases {
            assert_eq!(
                authorize_access_history(&caller(subject, None, scopes), &n, &sid(owner)),
                want,
                "{subject:?} {scopes} {owner}"
            );
        }
    }

    #[test]
    fn write_and_admin_need_their_scopes() {
        let n = ScopeNames::default();
        assert!(authorize_write(&caller(None, None, "history:write"), &n).is_ok());
        assert!(
            authorize_write(
                &caller(Some(ALICE), None, "history:admin history:audit"),
                &n
            )
            .is_err()
        );
        assert!(authorize_admin(&caller(None, None, "history:admin"), &n).is_ok());
        assert_eq!(
            authorize_admin(&caller(None, None, "history:write"), &n),
            Err(Denied::MissingScope {
                scope: "history:admin".into()
            })
        );
    }

    #[test]
    fn scope_names_are_configurable() {
        let n = ScopeNames {
            login_read: "custom:logins".into(),
            ..ScopeNames::default()
        };
        assert!(
            authorize_login_history(&caller(Some(ALICE), Some("991825827"), "custom:logins"), &n)
                .is_ok()
        );
        assert!(
            authorize_login_history(
                &caller(Some(ALICE), Some("991825827"), "idporten:user.log.read"),
                &n
            )
            .is_err()
        );
    }

    #[test]
    fn denials_never_mention_the_subject() {
        let n = ScopeNames::default();
        let err =
            authorize_access_history(&caller(Some(ALICE), None, "history:read"), &n, &sid(BOB))
                .unwrap_err();
        assert!(!err.to_string().contains(BOB) && !format!("{err:?}").contains(ALICE));
    }
}
