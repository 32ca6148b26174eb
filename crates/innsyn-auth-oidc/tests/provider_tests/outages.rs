//! Key rotation, an issuer that is down or hangs, and load on one token.

use std::sync::Arc;
use std::time::{Duration, Instant};

use innsyn_auth_oidc::test_support::{JWT_AUD, OPAQUE_AUD, PID, Provider};
use innsyn_auth_oidc::{AuthMode, OidcIntrospector, Secret};
use innsyn_ports::{TokenError, TokenIntrospector};

use crate::{at, part};

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
