//! Tokens that are revoked, expired, for someone else or of the wrong kind.

use innsyn_auth_oidc::AuthMode;
use innsyn_auth_oidc::test_support::{JWT_AUD, OPAQUE_AUD, Provider};
use innsyn_ports::{TokenError, TokenIntrospector};

use crate::at;

#[tokio::test]
async fn revoked_opaque_token_is_inactive() {
    let op = Provider::start();
    let token = op.user_token(OPAQUE_AUD, "history:read", 600);
    assert!(
        op.introspector(AuthMode::Auto, OPAQUE_AUD)
            .introspect(&at(&token))
            .await
            .is_ok()
    );
    op.revoke("svc-a", &token);
    // A fresh cache (a cached answer would stand until its TTL, by design).
    let v = op.introspector(AuthMode::Auto, OPAQUE_AUD);
    assert_eq!(v.introspect(&at(&token)).await, Err(TokenError::Inactive));
    // Unknown garbage is inactive too, and the answer is cached briefly.
    assert_eq!(
        v.introspect(&at("no-such-token")).await,
        Err(TokenError::Inactive)
    );
    assert_eq!(
        v.introspect(&at("no-such-token")).await,
        Err(TokenError::Inactive)
    );
    assert_eq!(v.cache_stats().hits, 1);
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let op = Provider::start();
    let jwt = op.user_token(JWT_AUD, "history:read", -3600);
    assert_eq!(
        op.introspector(AuthMode::Auto, JWT_AUD)
            .introspect(&at(&jwt))
            .await,
        Err(TokenError::Expired)
    );
    let opaque = op.user_token(OPAQUE_AUD, "history:read", -3600);
    assert_eq!(
        op.introspector(AuthMode::Auto, OPAQUE_AUD)
            .introspect(&at(&opaque))
            .await,
        Err(TokenError::Inactive)
    );
}

#[tokio::test]
async fn wrong_audience_is_refused() {
    let op = Provider::start();
    let jwt = op.user_token("https://other.test/api", "history:read", 600);
    assert_eq!(
        op.introspector(AuthMode::Auto, JWT_AUD)
            .introspect(&at(&jwt))
            .await,
        Err(TokenError::WrongAudience)
    );
    let opaque = op.user_token("https://other.test/opaque", "history:read", 600);
    assert_eq!(
        op.introspector(AuthMode::Auto, OPAQUE_AUD)
            .introspect(&at(&opaque))
            .await,
        Err(TokenError::WrongAudience)
    );
}

#[tokio::test]
async fn wrong_issuer_is_refused() {
    let ours = Provider::start();
    let theirs = Provider::start();
    let v = ours.introspector(AuthMode::Auto, JWT_AUD);
    assert!(v.ready().await.is_ok());
    let jwt = theirs.user_token(JWT_AUD, "history:read", 600);
    assert_eq!(v.introspect(&at(&jwt)).await, Err(TokenError::WrongIssuer));
}

#[tokio::test]
async fn jwt_mode_refuses_opaque_and_introspection_mode_refuses_jwts() {
    let op = Provider::start();
    let opaque = op.user_token(OPAQUE_AUD, "history:read", 600);
    let jwt = op.user_token(JWT_AUD, "history:read", 600);
    assert_eq!(
        op.introspector(AuthMode::Jwt, JWT_AUD)
            .introspect(&at(&opaque))
            .await,
        Err(TokenError::Malformed)
    );
    // oidc-provider does not introspect its JWTs (unsupported_token_type).
    let err = op
        .introspector(AuthMode::Introspection, JWT_AUD)
        .introspect(&at(&jwt))
        .await
        .expect_err("not introspectable");
    assert!(err.is_client_error(), "{err:?}");
}
