use super::*;

const ALICE: &str = crate::identity::CITIZEN_A;
const BOB: &str = crate::identity::CITIZEN_B;

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
    let err = authorize_access_history(&caller(Some(ALICE), None, "history:read"), &n, &sid(BOB))
        .unwrap_err();
    assert!(!err.to_string().contains(BOB) && !format!("{err:?}").contains(ALICE));
}

#[test]
fn dispute_matrix() {
    let n = ScopeNames::default();
    let org = caller(None, Some("991825827"), "history:disputes");
    assert_eq!(
        authorize_organisation_disputes(&org, &n),
        Ok(DisputeParty::Organisation("991825827".parse().unwrap()))
    );
    assert_eq!(
        authorize_organisation_disputes(&caller(None, None, "history:disputes"), &n),
        Err(Denied::NoOrganisation)
    );
    assert_eq!(
        authorize_organisation_disputes(&caller(None, Some("991825827"), "history:read"), &n),
        Err(Denied::MissingScope {
            scope: "history:disputes".into()
        })
    );
    assert_eq!(
        authorize_own_disputes(&caller(Some(ALICE), None, "history:read"), &n),
        Ok(DisputeParty::Citizen(sid(ALICE)))
    );
    assert_eq!(
        authorize_own_disputes(&caller(None, Some("991825827"), "history:read"), &n),
        Err(Denied::NoSubject)
    );
    assert_eq!(
        authorize_own_disputes(&caller(Some(ALICE), None, "history:disputes"), &n),
        Err(Denied::MissingScope {
            scope: "history:read".into()
        })
    );
}
