//! `RelyingParty` (the citizen page's login) against the provider. The full
//! browser login is the web crate's Chromium test; here: discovery, the
//! authorization URL the provider accepts, refused codes, outages, logout.

use std::collections::HashMap;

use innsyn_auth_oidc::test_support::{Provider, http};
use innsyn_auth_oidc::{RelyingParty, RelyingPartySettings, Secret};
use innsyn_ports::{CitizenLogin, LoginError, PendingLogin};
use openidconnect::url::Url;

const REDIRECT_URI: &str = "http://127.0.0.1/callback";
const AFTER_LOGOUT: &str = "http://127.0.0.1/logged-out";

fn settings(issuer: &str) -> RelyingPartySettings {
    RelyingPartySettings {
        issuer_url: issuer.to_owned(),
        client_id: "svc-a".into(),
        client_secret: Secret::new("svc-a-secret"),
        redirect_uri: REDIRECT_URI.into(),
        subject_claim: "pid".into(),
        scopes: "openid profile history:read".into(),
        post_logout_redirect_uri: Some(AFTER_LOGOUT.into()),
    }
}

#[allow(clippy::expect_used)]
fn relying_party(issuer: &str) -> RelyingParty {
    RelyingParty::new(&settings(issuer)).expect("valid settings")
}

#[allow(clippy::expect_used)]
fn query(url: &str) -> (Url, HashMap<String, String>) {
    let url = Url::parse(url).expect("a URL");
    let pairs = url.query_pairs().into_owned().collect();
    (url, pairs)
}

/// A port nothing listens on (bound, then released).
#[allow(clippy::expect_used)]
fn dead_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

#[tokio::test]
async fn begin_discovers_and_makes_an_authorization_url_the_provider_accepts() {
    let op = Provider::start();
    // A trailing slash in the configuration is not part of the issuer.
    let rp = relying_party(&format!("{}/", op.issuer));
    assert_eq!(rp.issuer_origin(), op.issuer);
    let start = rp.begin("nb").await.expect("discovered");
    let (url, q) = query(&start.authorize_url);
    assert_eq!(
        url.as_str().split('?').next(),
        Some(&*format!("{}/auth", op.issuer))
    );
    assert_eq!(q["client_id"], "svc-a");
    assert_eq!(q["redirect_uri"], REDIRECT_URI);
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["code_challenge"].len(), 43, "SHA-256, base64url");
    assert_eq!(q["state"], start.pending.state);
    assert_eq!(q["nonce"], start.pending.nonce);
    assert_eq!(q["ui_locales"], "nb");
    let scopes: Vec<&str> = q["scope"].split(' ').collect();
    assert_eq!(scopes, ["openid", "profile", "history:read"]);
    assert!(!format!("{:?}", start.pending).contains(&start.pending.state));

    // Each login is new.
    let again = rp.begin("en").await.expect("cached discovery");
    assert_ne!(again.pending, start.pending);

    // The provider takes it to its login page (not to an error).
    let path = &start.authorize_url[op.issuer.len()..];
    let res = http::request(op.port, "GET", path, &[], None);
    assert_eq!(res.status, 303, "{}", res.text());
    assert!(
        res.header("location")
            .is_some_and(|l| l.contains("/interaction/"))
    );
}

#[tokio::test]
async fn a_bogus_code_is_rejected_and_a_stopped_provider_is_unavailable() {
    let mut op = Provider::start();
    let rp = relying_party(&op.issuer);
    let start = rp.begin("nb").await.expect("discovered");
    let refused = rp.finish(start.pending.clone(), "bogus".into()).await;
    assert!(
        matches!(refused, Err(LoginError::Rejected(_))),
        "{refused:?}"
    );

    // Discovery is cached; the token endpoint is not there any more.
    op.stop();
    let down = rp.finish(start.pending, "bogus".into()).await;
    assert!(matches!(down, Err(LoginError::Unavailable(_))), "{down:?}");
}

#[tokio::test]
async fn discovery_is_lazy_and_a_failure_is_not_kept() {
    let port = dead_port();
    let rp = relying_party(&format!("http://127.0.0.1:{port}"));
    let down = rp.begin("nb").await;
    assert!(matches!(down, Err(LoginError::Unavailable(_))), "{down:?}");
    let pending = PendingLogin {
        state: "s".into(),
        nonce: "n".into(),
        pkce_verifier: "v".repeat(43),
    };
    let down = rp.finish(pending, "code".into()).await;
    assert!(matches!(down, Err(LoginError::Unavailable(_))), "{down:?}");
    assert_eq!(rp.logout_url(None, "nb").await, None);

    // The provider comes up on that port: the next login works.
    let _op = Provider::builder().port(port).start();
    assert!(rp.begin("nb").await.is_ok());
}

#[tokio::test]
async fn logout_url_carries_client_hint_and_return_address() {
    let op = Provider::start();
    let rp = relying_party(&op.issuer);
    let url = rp
        .logout_url(Some("the.id.token".into()), "en")
        .await
        .expect("the provider advertises end_session_endpoint");
    let (url, q) = query(&url);
    assert_eq!(
        url.as_str().split('?').next(),
        Some(&*format!("{}/session/end", op.issuer))
    );
    assert_eq!(q["client_id"], "svc-a");
    assert_eq!(q["id_token_hint"], "the.id.token");
    assert_eq!(q["post_logout_redirect_uri"], AFTER_LOGOUT);
    assert_eq!(q["ui_locales"], "en");

    let without_hint = rp.logout_url(None, "nb").await.expect("still advertised");
    let (_, q) = query(&without_hint);
    assert!(!q.contains_key("id_token_hint"));
    assert_eq!(q["client_id"], "svc-a");
}
