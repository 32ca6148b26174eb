//! Valid tokens become callers: opaque and JWT, user and client tokens.

use innsyn_auth_oidc::AuthMode;
use innsyn_auth_oidc::test_support::{JWT_AUD, OPAQUE_AUD, PID, Provider, SVC_A_ORGNO};
use innsyn_ports::TokenIntrospector;

use crate::{at, part};

#[tokio::test]
async fn opaque_token_maps_to_caller() {
    let op = Provider::start();
    let token = op.user_token(OPAQUE_AUD, "idporten:user.log.read history:read", 600);
    assert!(!token.contains('.'), "an opaque token");
    for mode in [AuthMode::Auto, AuthMode::Introspection] {
        let v = op.introspector(mode, OPAQUE_AUD);
        let caller = v.introspect(&at(&token)).await.expect("active");
        assert_eq!(caller.subject.expect("subject").expose(), PID);
        assert_eq!(caller.client_id.as_deref(), Some("svc-a"));
        assert_eq!(caller.orgno.expect("orgno").as_str(), SVC_A_ORGNO);
        assert!(caller.scopes.contains("idporten:user.log.read"));
        assert!(caller.scopes.contains("history:read"));
        assert!(!caller.scopes.contains("history:audit"));
        assert!(v.ready().await.is_ok());
    }
}

#[tokio::test]
async fn jwt_maps_to_caller() {
    let op = Provider::start();
    let token = op.user_token(JWT_AUD, "history:read", 600);
    assert_eq!(part(&token, 0)["typ"], "at+jwt");
    for mode in [AuthMode::Auto, AuthMode::Jwt] {
        let v = op.introspector(mode, JWT_AUD);
        let caller = v.introspect(&at(&token)).await.expect("valid");
        assert_eq!(caller.subject.expect("subject from pid").expose(), PID);
        assert_eq!(caller.client_id.as_deref(), Some("svc-a"));
        assert_eq!(
            caller.orgno.expect("orgno from consumer").as_str(),
            SVC_A_ORGNO
        );
        assert!(caller.scopes.contains("history:read"));
    }
    // JWTs are verified locally: no introspection at all.
    assert_eq!(op.introspections(), 0);
    // A repeated token skips the signature check.
    let v = op.introspector(AuthMode::Jwt, JWT_AUD);
    for _ in 0..3 {
        assert!(v.introspect(&at(&token)).await.is_ok());
    }
    let stats = v.jwt_cache_stats();
    assert_eq!((stats.misses, stats.hits), (1, 2));
}

#[tokio::test]
async fn client_credentials_token_is_a_caller_without_subject() {
    let op = Provider::start();
    let jwt = op.client_token("svc-a", JWT_AUD, "history:write");
    let caller = op
        .introspector(AuthMode::Auto, JWT_AUD)
        .introspect(&at(&jwt))
        .await
        .expect("valid");
    assert!(caller.subject.is_none());
    assert_eq!(caller.client_id.as_deref(), Some("svc-a"));
    assert_eq!(caller.orgno.expect("orgno").as_str(), SVC_A_ORGNO);
    assert!(caller.scopes.contains("history:write"));

    let opaque = op.client_token("svc-a", OPAQUE_AUD, "history:write");
    let caller = op
        .introspector(AuthMode::Auto, OPAQUE_AUD)
        .introspect(&at(&opaque))
        .await
        .expect("active");
    assert!(caller.subject.is_none());
    assert!(caller.scopes.contains("history:write"));
}

#[tokio::test]
async fn missing_scope_is_the_policys_business() {
    let op = Provider::start();
    let v = op.introspector(AuthMode::Auto, JWT_AUD);
    let none = op.user_token(JWT_AUD, "", 600);
    let caller = v.introspect(&at(&none)).await.expect("valid without scope");
    assert!(caller.scopes.is_empty());
    let read_only = op.user_token(JWT_AUD, "history:read", 600);
    let caller = v.introspect(&at(&read_only)).await.expect("valid");
    assert!(!caller.scopes.contains("history:write"));
}
