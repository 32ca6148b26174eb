use std::fs;

use super::key_file::KeyFile;
use super::*;

#[test]
fn thumbprint_is_stable_and_key_file_private() {
    let dir = tempfile::tempdir().unwrap();
    let a = DevIssuer::load_or_create(dir.path(), &AuthSettings::default()).unwrap();
    let b = DevIssuer::load_or_create(dir.path(), &AuthSettings::default()).unwrap();
    assert_eq!(a.kid, b.kid);
    assert_eq!(a.kid.len(), 43);
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &fs::metadata(dir.path().join(DEV_KEY_FILE))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
    let file = fs::read_to_string(dir.path().join(DEV_KEY_FILE)).unwrap();
    let d: KeyFile = serde_json::from_str(&file).unwrap();
    assert!(!format!("{a:?}").contains(&d.d));
    let leftovers = fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temp files left");
}

#[test]
fn corrupt_key_file_is_an_error_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(DEV_KEY_FILE), "{}").unwrap();
    assert!(matches!(
        DevIssuer::load_or_create(dir.path(), &AuthSettings::default()),
        Err(DevIssuerError::BadKeyFile(_))
    ));
    assert_eq!(
        fs::read_to_string(dir.path().join(DEV_KEY_FILE)).unwrap(),
        "{}"
    );
}

#[test]
fn invalid_requests_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = DevIssuer::load_or_create(dir.path(), &AuthSettings::default()).unwrap();
    for (req, field) in [
        (
            DevTokenRequest {
                sub: Some("a b".into()),
                ..Default::default()
            },
            "sub",
        ),
        (
            DevTokenRequest {
                scopes: vec!["a\"b".into()],
                ..Default::default()
            },
            "scope",
        ),
        (
            DevTokenRequest {
                orgno: Some("123".into()),
                ..Default::default()
            },
            "orgno",
        ),
        (
            DevTokenRequest {
                client_id: String::new(),
                ..Default::default()
            },
            "client_id",
        ),
    ] {
        match issuer.mint(&req) {
            Err(DevIssuerError::InvalidRequest(f)) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
}
