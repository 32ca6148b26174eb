//! Helpers shared by the end-to-end tests: the auth crate's minimal HTTP/1.1
//! client over loopback and process handling, plus bearer-token shortcuts.

// Each test binary uses a part of these helpers.
#![allow(
    dead_code,
    unused_imports,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

pub(crate) mod dev;
pub(crate) mod stack;

pub(crate) use innsyn_auth_oidc::test_support::KillOnDrop;
pub(crate) use innsyn_test_support::http::{Response, request};

/// GET with a bearer token.
pub(crate) fn get(port: u16, path: &str, token: Option<&str>) -> Response {
    let auth = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = auth
        .as_deref()
        .map(|a| vec![("Authorization", a)])
        .unwrap_or_default();
    request(port, "GET", path, &headers, None)
}

/// POST JSON with a bearer token.
pub(crate) fn post_json(port: u16, path: &str, token: &str, body: &serde_json::Value) -> Response {
    let auth = format!("Bearer {token}");
    let bytes = serde_json::to_vec(body).unwrap();
    request(
        port,
        "POST",
        path,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        Some(&bytes),
    )
}
