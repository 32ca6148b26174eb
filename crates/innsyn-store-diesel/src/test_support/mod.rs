//! Test harness (feature `test-support`): a fresh PostgreSQL database per
//! test, cloned from a migrated template, and throwaway clusters.
//!
//! The admin URL comes from `DATABASE_URL` (`scripts/test` sets it, see
//! `scripts/lib/postgres.sh`). Without it PostgreSQL tests fail loudly:
//! a skipped database test is a silent hole in the suite.

// Test support must fail the test loudly, and says so by panicking.
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]

mod cluster;
mod explain;
mod template;
mod test_store;

pub use cluster::TempCluster;
pub use template::{PgTestDb, empty_postgres_url, fresh_postgres_url, migrate_postgres_prefix};
pub use test_store::{TestStore, fresh_postgres_store, fresh_sqlite_store, postgres_store_over};

use crate::StoreSettings;

/// The secret test stores use.
pub const TEST_SECRET: &str = "test-only-subject-key-secret";

/// Settings for a test store at `url`.
pub fn test_settings(url: &str) -> StoreSettings {
    StoreSettings {
        url: url.to_owned(),
        pool_size: 4,
        connect_timeout_secs: 5,
        subject_key_secret: innsyn_domain::Secret::new(TEST_SECRET),
        ..StoreSettings::default()
    }
}

/// `DATABASE_URL`, or a panic that says how to get one.
pub fn admin_url() -> String {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "DATABASE_URL is not set: PostgreSQL tests need an admin URL such as \
             postgres://postgres@127.0.0.1:5432/postgres. Run them through scripts/test, \
             which finds or starts a server (scripts/lib/postgres.sh)."
        ),
    }
}

/// `url` pointing at database `name` instead.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}
