//! Where the broker's executable is.

use super::{TANSU_ENV, TANSU_VERSION};
use std::path::{Path, PathBuf};

/// Where `ensure_tansu` caches the broker when `INNSYN_TANSU` is unset.
#[must_use]
pub fn cached_tansu() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))?;
    Some(cache.join(format!("innsyn/tansu-{TANSU_VERSION}/tansu")))
}

/// The broker's executable: `INNSYN_TANSU`, else `ensure_tansu`'s cache.
///
/// # Panics
/// When neither is an existing file, naming the script that installs it.
#[must_use]
pub fn tansu_binary() -> PathBuf {
    let candidate = std::env::var_os(TANSU_ENV)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(cached_tansu);
    match candidate {
        Some(path) if path.is_file() => path,
        other => panic!(
            "the Tansu broker is not installed (looked at {}): run \
             `source scripts/lib/tansu.sh && ensure_tansu` (scripts/test does), \
             or set {TANSU_ENV} to a tansu {TANSU_VERSION} executable",
            other.map_or_else(|| "no path".to_owned(), |p| p.display().to_string())
        ),
    }
}
