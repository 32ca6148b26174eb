use super::*;
use crate::AuthConfigError;
use crate::settings::AuthSettings;

fn settings(mode: AuthMode) -> AuthSettings {
    AuthSettings {
        mode,
        issuer: "http://127.0.0.1:9".into(),
        audience: "https://api".into(),
        ..AuthSettings::default()
    }
}

#[test]
fn config_is_checked() {
    assert!(OidcIntrospector::new(&settings(AuthMode::Jwt)).is_ok());
    assert!(OidcIntrospector::new(&settings(AuthMode::Auto)).is_ok());
    assert!(matches!(
        OidcIntrospector::new(&settings(AuthMode::Dev)),
        Err(AuthConfigError::DevMode)
    ));
    assert!(matches!(
        OidcIntrospector::new(&settings(AuthMode::Introspection)),
        Err(AuthConfigError::Missing(_))
    ));
    let pkjwt = AuthSettings {
        client_id: "rs".into(),
        client_auth_method: ClientAuthMethod::PrivateKeyJwt,
        ..settings(AuthMode::Introspection)
    };
    assert!(matches!(
        OidcIntrospector::new(&pkjwt),
        Err(AuthConfigError::Missing("auth.client_private_key_file"))
    ));
    let missing_file = AuthSettings {
        client_private_key_file: "/nonexistent/key.pem".into(),
        ..pkjwt
    };
    assert!(matches!(
        OidcIntrospector::new(&missing_file),
        Err(AuthConfigError::Invalid(..))
    ));
    let mut s = settings(AuthMode::Jwt);
    s.audience.clear();
    assert!(OidcIntrospector::new(&s).is_err());
    s.issuer = "not a url".into();
    s.audience = "x".into();
    assert!(OidcIntrospector::new(&s).is_err());
}

#[tokio::test]
async fn mode_detection_routes_tokens() {
    // Nothing listens on port 9: whatever needs the issuer is Unavailable.
    let auto = OidcIntrospector::new(&settings(AuthMode::Auto)).unwrap();
    let jwt = OidcIntrospector::new(&settings(AuthMode::Jwt)).unwrap();
    let opaque = AccessToken::new("aB3_-opaque-token");
    // auto without credentials cannot introspect: refused without a call.
    assert_eq!(auto.introspect(&opaque).await, Err(TokenError::Malformed));
    // jwt mode never introspects.
    assert_eq!(jwt.introspect(&opaque).await, Err(TokenError::Malformed));
    // A JWT-shaped token of the configured issuer needs the keys.
    let header = "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9"; // {"alg":"RS256","typ":"at+jwt"}
    let payload = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        r#"{"iss":"http://127.0.0.1:9","exp":9999999999}"#,
    );
    let t = AccessToken::new(format!("{header}.{payload}.c2ln"));
    assert!(matches!(
        auto.introspect(&t).await,
        Err(TokenError::Unavailable(_))
    ));
    assert!(matches!(jwt.ready().await, Err(TokenError::Unavailable(_))));
}
