//! The dev issuer: mint → validate, isolation from other issuers, the key
//! kept in the data directory.

use innsyn_auth_oidc::test_support::{JWT_AUD, PID, Provider, SVC_A_ORGNO};
use innsyn_auth_oidc::{
    AuthMode, AuthSettings, DEV_ISSUER, DevIssuer, DevSettings, DevTokenRequest, build_introspector,
};
use innsyn_ports::{AccessToken, TokenError, TokenIntrospector};

fn dev_settings() -> AuthSettings {
    AuthSettings {
        mode: AuthMode::Dev,
        subject_claim: "pid".into(),
        ..AuthSettings::default()
    }
}

fn request() -> DevTokenRequest {
    DevTokenRequest {
        sub: Some(PID.into()),
        scopes: vec!["idporten:user.log.read".into(), "history:read".into()],
        client_id: "demo-client".into(),
        orgno: Some(SVC_A_ORGNO.into()),
        ttl_secs: 600,
        acr: Some("idporten-loa-high".into()),
    }
}

#[tokio::test]
async fn mint_and_validate_round_trip() {
    let dir = tempfile::tempdir().expect("dir");
    let issuer = DevIssuer::load_or_create(dir.path(), &dev_settings()).expect("issuer");
    assert_eq!(issuer.issuer(), DEV_ISSUER);
    let token = AccessToken::new(issuer.mint(&request()).expect("mint"));
    let caller = issuer
        .introspector()
        .introspect(&token)
        .await
        .expect("valid");
    assert_eq!(caller.subject.expect("subject").expose(), PID);
    assert_eq!(caller.client_id.as_deref(), Some("demo-client"));
    assert_eq!(caller.orgno.expect("orgno").as_str(), SVC_A_ORGNO);
    assert!(caller.scopes.contains("history:read"));
    assert_eq!(caller.acr.as_deref(), Some("idporten-loa-high"));

    // A client token (no subject), via build_introspector in dev mode.
    let v = build_introspector(&dev_settings(), dir.path()).expect("dev validator");
    assert!(v.ready().await.is_ok());
    let client = issuer
        .mint(&DevTokenRequest {
            scopes: vec!["history:write".into()],
            ..DevTokenRequest::default()
        })
        .expect("mint");
    let caller = v
        .introspect(&AccessToken::new(client))
        .await
        .expect("valid");
    assert!(caller.subject.is_none());

    let expired = issuer
        .mint(&DevTokenRequest {
            ttl_secs: -3600,
            ..request()
        })
        .expect("mint");
    assert_eq!(
        v.introspect(&AccessToken::new(expired)).await,
        Err(TokenError::Expired)
    );
}

#[tokio::test]
async fn key_persists_across_load_or_create() {
    let dir = tempfile::tempdir().expect("dir");
    let first = DevIssuer::load_or_create(dir.path(), &dev_settings()).expect("issuer");
    let token = AccessToken::new(first.mint(&request()).expect("mint"));
    drop(first);
    let second = DevIssuer::load_or_create(dir.path(), &dev_settings()).expect("issuer");
    assert!(second.introspector().introspect(&token).await.is_ok());

    // A new data directory is a new key: the old token does not verify.
    let other_dir = tempfile::tempdir().expect("dir");
    let other = DevIssuer::load_or_create(other_dir.path(), &dev_settings()).expect("issuer");
    assert_eq!(
        other.introspector().introspect(&token).await,
        Err(TokenError::BadSignature)
    );
}

#[tokio::test]
async fn dev_tokens_are_refused_elsewhere() {
    let dir = tempfile::tempdir().expect("dir");
    let issuer = DevIssuer::load_or_create(dir.path(), &dev_settings()).expect("issuer");
    let token = AccessToken::new(issuer.mint(&request()).expect("mint"));

    // Same key, another configured dev issuer name.
    let renamed = DevIssuer::load_or_create(
        dir.path(),
        &AuthSettings {
            dev: DevSettings {
                issuer: "urn:innsyn:dev:other".into(),
            },
            ..dev_settings()
        },
    )
    .expect("issuer");
    assert_eq!(
        renamed.introspector().introspect(&token).await,
        Err(TokenError::WrongIssuer)
    );

    // Another audience.
    let other_aud = DevIssuer::load_or_create(
        dir.path(),
        &AuthSettings {
            audience: "https://elsewhere".into(),
            ..dev_settings()
        },
    )
    .expect("issuer");
    assert_eq!(
        other_aud.introspector().introspect(&token).await,
        Err(TokenError::WrongAudience)
    );

    // A production validator (a real issuer) never accepts dev tokens, and
    // does not even fetch keys for them.
    let op = Provider::start();
    let v = op.introspector(AuthMode::Auto, JWT_AUD);
    assert_eq!(v.introspect(&token).await, Err(TokenError::WrongIssuer));
}
