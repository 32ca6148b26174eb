use super::*;

#[test]
fn defaults_and_partial_config() {
    let s: AuthSettings = serde_json::from_value(serde_json::json!({
        "mode": "introspection",
        "issuer": "https://idporten.example",
        "client_secret": "hunter2",
        "client_auth_method": "client_secret_post",
        "subject_claim": "pid"
    }))
    .unwrap();
    assert_eq!(s.mode, AuthMode::Introspection);
    assert_eq!(s.client_auth_method, ClientAuthMethod::ClientSecretPost);
    assert_eq!(s.orgno_claim, "consumer");
    assert_eq!(s.leeway_secs, 30);
    assert_eq!(s.dev.issuer, DEV_ISSUER);
    assert!(serde_json::from_value::<AuthSettings>(serde_json::json!({"modus": "jwt"})).is_err());
}

#[test]
fn secret_is_redacted() {
    let s = AuthSettings {
        client_secret: Secret::new("hunter2"),
        ..AuthSettings::default()
    };
    assert!(!format!("{s:?}").contains("hunter2"));
    let printed = serde_json::to_string(&s).unwrap();
    assert!(!printed.contains("hunter2"));
    assert!(printed.contains("<redacted>"));
    assert_eq!(s.client_secret.expose(), "hunter2");
}
