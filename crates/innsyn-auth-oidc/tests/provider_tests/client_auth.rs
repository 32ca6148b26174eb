//! How the resource server authenticates itself at introspection.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use innsyn_auth_oidc::test_support::{OPAQUE_AUD, Provider};
use innsyn_auth_oidc::{AuthMode, ClientAuthMethod, OidcIntrospector, Secret};
use innsyn_ports::{TokenError, TokenIntrospector};
use serde_json::json;

use crate::at;

#[tokio::test]
async fn client_secret_post_and_refused_credentials() {
    let op = Provider::start();
    let token = op.user_token(OPAQUE_AUD, "history:read", 600);
    let post = OidcIntrospector::new(&innsyn_auth_oidc::AuthSettings {
        client_id: "innsyn-rs-post".into(),
        client_secret: Secret::new("innsyn-rs-post-secret"),
        client_auth_method: ClientAuthMethod::ClientSecretPost,
        ..op.settings(AuthMode::Introspection, OPAQUE_AUD)
    })
    .expect("settings");
    assert!(post.introspect(&at(&token)).await.is_ok());

    // Our own credentials refused: the server's problem (503), not the token's.
    let wrong = OidcIntrospector::new(&innsyn_auth_oidc::AuthSettings {
        client_secret: Secret::new("wrong"),
        ..op.settings(AuthMode::Introspection, OPAQUE_AUD)
    })
    .expect("settings");
    let err = wrong.introspect(&at(&token)).await.expect_err("refused");
    assert!(matches!(err, TokenError::Unavailable(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains(&token));
}

#[tokio::test]
async fn private_key_jwt_client_authentication() {
    use ring::signature::{Ed25519KeyPair, KeyPair as _};
    let der = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).expect("key");
    let public = Ed25519KeyPair::from_pkcs8(der.as_ref()).expect("key");
    let jwks = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "rs-1", "alg": "EdDSA",
        "x": URL_SAFE_NO_PAD.encode(public.public_key().as_ref())}]});
    let op = Provider::start_with(&[("PKJWT_CLIENT_JWKS", &jwks.to_string())]);
    let dir = tempfile::tempdir().expect("dir");
    let key_file = dir.path().join("client-key.pem");
    std::fs::write(
        &key_file,
        format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            base64::engine::general_purpose::STANDARD.encode(der.as_ref())
        ),
    )
    .expect("write key");
    let v = OidcIntrospector::new(&innsyn_auth_oidc::AuthSettings {
        client_id: "innsyn-rs-pkjwt".into(),
        client_secret: Secret::default(),
        client_auth_method: ClientAuthMethod::PrivateKeyJwt,
        client_private_key_file: key_file.display().to_string(),
        client_key_id: "rs-1".into(),
        ..op.settings(AuthMode::Introspection, OPAQUE_AUD)
    })
    .expect("settings");
    let token = op.user_token(OPAQUE_AUD, "history:read", 600);
    let caller = v.introspect(&at(&token)).await;
    assert!(caller.is_ok(), "{caller:?}\n{}", op.log());
}
