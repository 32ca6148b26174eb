use super::*;
use innsyn_ports::CitizenLogin as _;

fn settings() -> RelyingPartySettings {
    RelyingPartySettings {
        issuer_url: "https://login.example:8443/".into(),
        client_id: "innsyn-web".into(),
        client_secret: Secret::new("hunter2"),
        redirect_uri: "https://innsyn.example/callback".into(),
        subject_claim: "pid".into(),
        scopes: "openid profile history:read".into(),
        post_logout_redirect_uri: Some("https://innsyn.example/".into()),
    }
}

fn error_of(settings: &RelyingPartySettings) -> String {
    match RelyingParty::new(settings) {
        Ok(rp) => panic!("accepted: {rp:?}"),
        Err(e) => e.to_string(),
    }
}

type Spoil = fn(&mut RelyingPartySettings);

#[test]
fn construction_errors_name_the_config_keys() {
    let cases: [(Spoil, &str); 4] = [
        (
            |s| s.issuer_url = "not a url".into(),
            "web.issuer_url is not a URL: ",
        ),
        (
            |s| s.redirect_uri = "/callback".into(),
            "web.public_base_url does not make a URL: ",
        ),
        (
            |s| s.client_id.clear(),
            "web.client_id is required when web.issuer_url is set",
        ),
        (
            |s| s.post_logout_redirect_uri = Some("nowhere".into()),
            "web.post_logout_redirect_uri is not a URL: ",
        ),
    ];
    for (spoil, message) in cases {
        let mut s = settings();
        spoil(&mut s);
        let error = error_of(&s);
        assert!(error.starts_with(message), "{error}");
    }
    let mut no_logout_target = settings();
    no_logout_target.post_logout_redirect_uri = Some(String::new());
    assert!(RelyingParty::new(&no_logout_target).is_ok());
}

#[test]
fn the_secret_never_shows() {
    let s = settings();
    let rp = RelyingParty::new(&s).unwrap();
    assert!(!format!("{s:?}").contains("hunter2"));
    assert!(!format!("{rp:?}").contains("hunter2"));
    assert!(format!("{rp:?}").contains("innsyn-web"));
}

#[test]
fn origin_and_scopes() {
    let rp = RelyingParty::new(&settings()).unwrap();
    assert_eq!(rp.issuer_origin(), "https://login.example:8443");
    assert_eq!(rp.issuer.as_str(), "https://login.example:8443");
    assert_eq!(rp.scopes, ["profile", "history:read"]);
}
