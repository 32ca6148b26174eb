//! Test support (feature `test-support`): the real OpenID provider of
//! `tests/provider` (oidc-provider on Node) for the tests of this crate,
//! the server's end-to-end tests and the citizen page's browser test.
//!
//! One [`Provider`] is one `node provider.mjs` process on loopback, killed
//! on drop. Node is `$NODE` or `node` on `PATH`. `npm ci` runs once when
//! `tests/provider/node_modules` lacks oidc-provider, under a file lock
//! (`tests/provider/.npm-ci.lock`) so that parallel test processes do not
//! install over each other.
//!
//! Tokens are minted over a minimal HTTP/1.1 client on loopback ([`http`]),
//! blocking and dependency-free, so sync tests and async tests alike can
//! call it (the provider is another process: blocking a test's executor
//! thread while it answers cannot deadlock).

// Test support: a provider that cannot start, or a token request that
// fails, must fail the test loudly and at once.
#![allow(clippy::expect_used, clippy::panic)]

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;

mod builder;
mod provider;
mod tokens;

pub use builder::ProviderBuilder;
pub use innsyn_test_support::http;
pub use provider::{Provider, resource_server_settings};

/// The resource server's client at the provider (introspection).
pub const RS_CLIENT: &str = "innsyn-rs";
/// Its secret.
pub const RS_SECRET: &str = "innsyn-rs-secret";
/// A resource indicator for which the provider issues JWT access tokens.
pub const JWT_AUD: &str = "https://innsyn.test/jwt";
/// A resource indicator for which the provider issues opaque access tokens
/// (any resource containing `opaque`).
pub const OPAQUE_AUD: &str = "https://innsyn.test/opaque";
/// The test citizen.
pub const PID: &str = innsyn_domain::identity::CITIZEN_A;
/// The organisation number of the clients `svc-a` and `writer`.
pub const SVC_A_ORGNO: &str = "991825827";

/// The environment the provider reads; cleared before every start so that
/// the test process's own environment (a shell's `HOST`, say) never leaks in.
const PROVIDER_ENV: [&str; 6] = [
    "HOST",
    "PORT",
    "ISSUER",
    "KEY_FILE",
    "EXTRA_REDIRECT_URIS",
    "PKJWT_CLIENT_JWKS",
];

/// The provider's folder (`crates/innsyn-auth-oidc/tests/provider`).
#[must_use]
pub fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/provider")
}

fn node() -> String {
    std::env::var("NODE").unwrap_or_else(|_| "node".to_owned())
}

fn ensure_node_modules() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let dir = provider_dir();
        let marker = dir.join("node_modules/oidc-provider/package.json");
        if marker.exists() {
            return;
        }
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(".npm-ci.lock"))
            .expect("open npm lock file");
        lock.lock().expect("lock npm lock file");
        if !marker.exists() {
            let status = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&dir)
                .status()
                .expect("npm must be installed to run the OpenID provider");
            assert!(status.success(), "npm ci failed in {}", dir.display());
        }
        drop(lock);
    });
}

pub use innsyn_test_support::KillOnDrop;
