//! Per-request cost of token validation, measured against the real test
//! provider (started like the tests do). Prints timings, asserts nothing.
//!
//! `cargo run --release -p innsyn-auth-oidc --example validation_cost`

#![allow(clippy::expect_used, clippy::panic, missing_docs)]

use std::time::{Duration, Instant};

use innsyn_auth_oidc::test_support::{JWT_AUD, OPAQUE_AUD, PID, Provider, SVC_A_ORGNO};
use innsyn_auth_oidc::{AuthMode, AuthSettings, DevIssuer, DevTokenRequest};
use innsyn_ports::{AccessToken, TokenIntrospector};

async fn per_call(
    label: &str,
    v: &dyn TokenIntrospector,
    tokens: &[AccessToken],
    rounds: usize,
) -> Duration {
    let started = Instant::now();
    let mut n = 0u32;
    for _ in 0..rounds {
        for t in tokens {
            v.introspect(t).await.expect("valid");
            n += 1;
        }
    }
    let each = started.elapsed() / n;
    println!(
        "{label:<48} {:>9.1} µs/request  ({n} requests)",
        each.as_secs_f64() * 1e6
    );
    each
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = tempfile::tempdir().expect("dir");
    let dev = DevIssuer::load_or_create(
        dir.path(),
        &AuthSettings {
            mode: AuthMode::Dev,
            subject_claim: "pid".into(),
            ..AuthSettings::default()
        },
    )
    .expect("dev issuer");
    let dev_token = AccessToken::new(
        dev.mint(&DevTokenRequest {
            sub: Some(PID.into()),
            scopes: vec!["idporten:user.log.read".into(), "history:read".into()],
            orgno: Some(SVC_A_ORGNO.into()),
            ..DevTokenRequest::default()
        })
        .expect("mint"),
    );
    let dev_v = dev.introspector();
    per_call("warm-up", &dev_v, std::slice::from_ref(&dev_token), 1000).await;
    per_call(
        "dev issuer JWT (EdDSA), verified-JWT cache hit",
        &dev_v,
        std::slice::from_ref(&dev_token),
        20_000,
    )
    .await;
    let dev_nocache = DevIssuer::load_or_create(
        dir.path(),
        &AuthSettings {
            mode: AuthMode::Dev,
            subject_claim: "pid".into(),
            jwt_cache_capacity: 0,
            ..AuthSettings::default()
        },
    )
    .expect("dev issuer")
    .introspector();
    per_call(
        "dev issuer JWT (EdDSA), full verification",
        &dev_nocache,
        std::slice::from_ref(&dev_token),
        20_000,
    )
    .await;

    let op = Provider::start();
    let jwt_v = op.introspector(AuthMode::Auto, JWT_AUD);
    let jwt = AccessToken::new(op.user_token(JWT_AUD, "history:read", 600));
    jwt_v.introspect(&jwt).await.expect("keys loaded");
    per_call(
        "provider JWT (RS256), verified-JWT cache hit",
        &jwt_v,
        std::slice::from_ref(&jwt),
        20_000,
    )
    .await;
    let jwt_nocache = innsyn_auth_oidc::OidcIntrospector::new(&AuthSettings {
        jwt_cache_capacity: 0,
        ..op.settings(AuthMode::Auto, JWT_AUD)
    })
    .expect("settings");
    jwt_nocache.introspect(&jwt).await.expect("keys loaded");
    per_call(
        "provider JWT (RS256), full verification",
        &jwt_nocache,
        std::slice::from_ref(&jwt),
        20_000,
    )
    .await;

    let opaque_v = op.introspector(AuthMode::Auto, OPAQUE_AUD);
    opaque_v.ready().await.expect("discovery");
    let mut opaque = Vec::new();
    for _ in 0..300 {
        opaque.push(AccessToken::new(op.user_token(
            OPAQUE_AUD,
            "history:read",
            600,
        )));
    }
    per_call(
        "opaque, uncached (introspection round trip)",
        &opaque_v,
        &opaque,
        1,
    )
    .await;
    per_call("opaque, cached (hit)", &opaque_v, &opaque, 100).await;
    let s = opaque_v.cache_stats();
    println!(
        "cache: hits {} misses {} coalesced {} evictions {} entries {}",
        s.hits, s.misses, s.coalesced, s.evictions, s.entries
    );
}
