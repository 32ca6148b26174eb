//! `OidcIntrospector` against a real OpenID provider (oidc-provider 9 on
//! Node, see `tests/provider/README.md`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Mac as _;
use innsyn_auth_oidc::test_support::{JWT_AUD, OPAQUE_AUD, PID, Provider, SVC_A_ORGNO};
use innsyn_auth_oidc::{AuthMode, ClientAuthMethod, OidcIntrospector, Secret};
use innsyn_ports::{AccessToken, TokenError, TokenIntrospector};
use serde_json::{Value, json};

fn at(token: &str) -> AccessToken {
    AccessToken::new(token)
}

#[allow(clippy::expect_used)]
fn part(token: &str, i: usize) -> Value {
    let p = token.split('.').nth(i).expect("part");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).expect("b64")).expect("json")
}

fn enc(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

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
async fn tampered_and_unsigned_tokens_are_refused() {
    let op = Provider::start();
    let v = op.introspector(AuthMode::Auto, JWT_AUD);
    let token = op.user_token(JWT_AUD, "history:read", 600);
    assert!(v.introspect(&at(&token)).await.is_ok());
    let parts: Vec<&str> = token.split('.').collect();
    let header = part(&token, 0);
    let mut claims = part(&token, 1);

    // Another person, same signature.
    claims["pid"] = json!("10987654321");
    claims["sub"] = json!("10987654321");
    let tampered = format!("{}.{}.{}", parts[0], enc(&claims), parts[2]);
    assert_eq!(
        v.introspect(&at(&tampered)).await,
        Err(TokenError::BadSignature)
    );

    // A flipped bit in the signature.
    let mut sig = URL_SAFE_NO_PAD.decode(parts[2]).expect("sig");
    sig[10] ^= 1;
    let flipped = format!("{}.{}.{}", parts[0], parts[1], URL_SAFE_NO_PAD.encode(sig));
    assert_eq!(
        v.introspect(&at(&flipped)).await,
        Err(TokenError::BadSignature)
    );

    // alg: none, with and without a signature part.
    let mut none = header.clone();
    none["alg"] = json!("none");
    for sig in ["", parts[2]] {
        let t = format!("{}.{}.{sig}", enc(&none), parts[1]);
        assert_eq!(v.introspect(&at(&t)).await, Err(TokenError::BadSignature));
    }

    // HS256 keyed with the issuer's public key (the classic confusion).
    let jwks = reqwest::get(format!("{}/jwks", op.issuer))
        .await
        .expect("jwks")
        .bytes()
        .await
        .expect("body");
    let mut hs = header.clone();
    hs["alg"] = json!("HS256");
    let input = format!("{}.{}", enc(&hs), parts[1]);
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&jwks).expect("hmac");
    mac.update(input.as_bytes());
    let t = format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    );
    assert_eq!(v.introspect(&at(&t)).await, Err(TokenError::BadSignature));
}

#[tokio::test]
async fn key_rotation_is_picked_up_without_restart() {
    let keys_dir = tempfile::tempdir().expect("dir");
    let mut op = Provider::start_at(0, &keys_dir.path().join("old.json"));
    let port = op.port;
    // Without the verified-JWT cache, so that the old key's fate shows
    // (with it, an already verified token stays valid up to
    // jwt_cache_max_ttl_secs).
    let v = OidcIntrospector::new(&innsyn_auth_oidc::AuthSettings {
        jwt_cache_capacity: 0,
        ..op.settings(AuthMode::Auto, JWT_AUD)
    })
    .expect("settings");
    let old = op.user_token(JWT_AUD, "history:read", 600);
    assert!(v.introspect(&at(&old)).await.is_ok());
    let old_kid = part(&old, 0)["kid"].clone();

    op.stop();
    // The harness's calls block; give the runtime a turn so that the
    // validator's HTTP client sees its pooled connection to the stopped
    // provider close (as it would between awaits in a server).
    tokio::time::sleep(Duration::from_millis(100)).await;
    let op = Provider::start_at(port, &keys_dir.path().join("new.json"));
    assert_eq!(op.port, port, "same issuer");
    let new = op.user_token(JWT_AUD, "history:read", 600);
    assert_ne!(part(&new, 0)["kid"], old_kid, "a new key");
    let caller = v
        .introspect(&at(&new))
        .await
        .expect("unknown kid → JWKS refresh → valid");
    assert_eq!(caller.subject.expect("subject").expose(), PID);
    // The old key is gone from the JWKS; its tokens fail (and cause no new
    // refresh within the rate limit).
    assert_eq!(v.introspect(&at(&old)).await, Err(TokenError::BadSignature));
    assert!(v.introspect(&at(&new)).await.is_ok());
}

#[tokio::test]
async fn issuer_down_is_unavailable_and_readiness_recovers() {
    // Start a provider to learn a free port, then stop it.
    let keys = tempfile::tempdir().expect("dir");
    let key_file = keys.path().join("keys.json");
    let mut op = Provider::start_at(0, &key_file);
    let port = op.port;
    let settings = innsyn_auth_oidc::AuthSettings {
        discovery_retry_secs: 0,
        ..op.settings(AuthMode::Auto, JWT_AUD)
    };
    op.stop();

    // The validator is built while the issuer is down.
    let v = OidcIntrospector::new(&settings).expect("builds without the issuer");
    let started = Instant::now();
    assert!(matches!(v.ready().await, Err(TokenError::Unavailable(_))));
    assert!(matches!(
        v.introspect(&at("opaque-token")).await,
        Err(TokenError::Unavailable(_))
    ));
    assert!(started.elapsed() < Duration::from_secs(5));

    // The issuer returns: ready, tokens validate.
    let op = Provider::start_at(port, &key_file);
    assert!(v.ready().await.is_ok());
    let jwt = op.user_token(JWT_AUD, "history:read", 600);
    let opaque = op.user_token(OPAQUE_AUD, "history:read", 600);
    assert!(v.introspect(&at(&jwt)).await.is_ok());
    // Introspection answers for another audience are checked: this
    // validator is for the JWT resource.
    assert_eq!(
        v.introspect(&at(&opaque)).await,
        Err(TokenError::WrongAudience)
    );
    let opaque2 = op.user_token(OPAQUE_AUD, "history:read", 600);

    // Down again: introspection is unavailable (not cached), while JWTs
    // with known keys still verify locally.
    drop(op);
    assert!(v.introspect(&at(&jwt)).await.is_ok());
    let started = Instant::now();
    assert!(matches!(
        v.introspect(&at(&opaque2)).await,
        Err(TokenError::Unavailable(_))
    ));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_hanging_issuer_times_out() {
    // Accepts connections (kernel backlog) but never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let settings = innsyn_auth_oidc::AuthSettings {
        mode: AuthMode::Auto,
        issuer: format!("http://127.0.0.1:{port}"),
        audience: JWT_AUD.into(),
        client_id: "x".into(),
        client_secret: Secret::new("y"),
        http_timeout_ms: 300,
        ..Default::default()
    };
    let v = OidcIntrospector::new(&settings).expect("settings");
    let started = Instant::now();
    assert!(matches!(v.ready().await, Err(TokenError::Unavailable(_))));
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(250), "{took:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    drop(listener);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_with_one_opaque_token_cause_one_introspection() {
    let op = Provider::start();
    let token = op.user_token(OPAQUE_AUD, "history:read", 600);
    let v = Arc::new(op.introspector(AuthMode::Auto, OPAQUE_AUD));
    assert!(v.ready().await.is_ok());
    op.reset_stats();
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let (v, token) = (Arc::clone(&v), token.clone());
        tasks.push(tokio::spawn(async move { v.introspect(&at(&token)).await }));
    }
    for t in tasks {
        assert!(t.await.expect("task").is_ok());
    }
    assert_eq!(op.introspections(), 1);
    // And later requests are cache hits.
    assert!(v.introspect(&at(&token)).await.is_ok());
    assert_eq!(op.introspections(), 1);
    let stats = v.cache_stats();
    assert_eq!(stats.misses, 1);
    assert_eq!(stats.hits + stats.coalesced, 64);
}

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
