//! The `[database]` configuration section.

use std::fmt;
use std::path::PathBuf;

use innsyn_domain::Secret;
use serde::{Deserialize, Serialize, Serializer};

use crate::StoreError;

/// How to reach the database and how to key subjects.
///
/// Embedded by the server as its `[database]` section, so every field has a
/// default and can be set with `INNSYN__DATABASE__<FIELD>`.
#[derive(Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreSettings {
    /// `postgres://…` (or `postgresql://…`), `sqlite://PATH`, `sqlite:PATH`
    /// or `sqlite::memory:`. Default `sqlite://innsyn-data/innsyn.db`.
    /// Printed without its password.
    #[serde(serialize_with = "serialize_redacted_url")]
    pub url: String,
    /// Most connections the pool opens, and (in the server) the most store
    /// calls that run at once. Default 8: on a few cores more connections
    /// add context switches, not throughput (size it to the database's
    /// cores, about 2-4 per core). An in-memory SQLite database always
    /// uses one connection (each would be its own database).
    pub pool_size: u32,
    /// How long to wait for a connection (from the pool or a new one to the
    /// server) before answering "unavailable". Default 5 s.
    pub connect_timeout_secs: u64,
    /// PostgreSQL `statement_timeout` and SQLite `busy_timeout`, in
    /// milliseconds; 0 disables it. Default 10,000.
    pub statement_timeout_ms: u64,
    /// The HMAC-SHA256 secret subjects are keyed with. Must be set (at least
    /// 16 bytes) for anything but `sqlite::memory:`; changing it without a
    /// re-keying makes existing histories unreachable.
    pub subject_key_secret: Secret,
    /// Names the secret, stored beside every key so it can be rotated.
    /// Default `k1`.
    pub subject_key_id: String,
    /// History older than this many months is removed by retention runs;
    /// `None` (the default) keeps everything.
    pub retention_months: Option<u32>,
}

/// Seconds a PostgreSQL connection may be silent before TCP keepalives probe it.
pub(crate) const KEEPALIVE_IDLE_SECS: u64 = 10;
/// Seconds between unanswered keepalive probes (three are sent).
pub(crate) const KEEPALIVE_INTERVAL_SECS: u64 = 3;

/// Shortest accepted secret, in bytes.
pub const MIN_SECRET_LEN: usize = 16;

impl Default for StoreSettings {
    fn default() -> Self {
        Self {
            url: "sqlite://innsyn-data/innsyn.db".into(),
            pool_size: 8,
            connect_timeout_secs: 5,
            statement_timeout_ms: 10_000,
            subject_key_secret: Secret::default(),
            subject_key_id: "k1".into(),
            retention_months: None,
        }
    }
}

impl fmt::Debug for StoreSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreSettings")
            .field("url", &redact_url(&self.url))
            .field("pool_size", &self.pool_size)
            .field("connect_timeout_secs", &self.connect_timeout_secs)
            .field("statement_timeout_ms", &self.statement_timeout_ms)
            .field("subject_key_secret", &self.subject_key_secret)
            .field("subject_key_id", &self.subject_key_id)
            .field("retention_months", &self.retention_months)
            .finish()
    }
}

fn serialize_redacted_url<S: Serializer>(url: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&redact_url(url))
}

/// The URL without a password (`postgres://user:secret@host` →
/// `postgres://user:<redacted>@host`), for logs and `innsyn config`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    let user = userinfo.split(':').next().unwrap_or_default();
    let tail = if tail.contains("password=") {
        "/<redacted>"
    } else {
        tail
    };
    if userinfo.contains(':') {
        format!("{scheme}://{user}:<redacted>@{host}{tail}")
    } else {
        format!("{scheme}://{userinfo}@{host}{tail}")
    }
}

/// Where the settings point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Postgres(String),
    SqliteFile(PathBuf),
    SqliteMemory,
}

impl StoreSettings {
    /// Settings for a private in-memory SQLite store (tests, demos).
    pub fn sqlite_memory() -> Self {
        Self {
            url: "sqlite::memory:".into(),
            subject_key_secret: Secret::new("in-memory store, not a real secret"),
            ..Self::default()
        }
    }

    pub(crate) fn target(&self) -> Result<Target, StoreError> {
        let url = self.url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Target::Postgres(self.postgres_url(url)));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| {
                StoreError::Internal(
                    "database.url must start with postgres://, sqlite:// or sqlite:".into(),
                )
            })?;
        match path {
            ":memory:" | "" => Ok(Target::SqliteMemory),
            p => Ok(Target::SqliteFile(PathBuf::from(p))),
        }
    }

    /// libpq's defaults leave a connection to a host that vanished (a
    /// network partition, a crashed machine) waiting for the OS TCP
    /// timeouts, minutes to hours: `connect_timeout` bounds connecting,
    /// keepalives find a silent peer while a query runs (about
    /// [`KEEPALIVE_IDLE_SECS`] + 3 × [`KEEPALIVE_INTERVAL_SECS`] s) and
    /// `tcp_user_timeout` drops a connection whose sent data stays
    /// unacknowledged for the whole call bound. A server process that is
    /// merely frozen still has its kernel acknowledge everything, so none
    /// of these fire then: the use cases' deadline covers that case.
    /// A parameter already in the URL is kept.
    fn postgres_url(&self, url: &str) -> String {
        let user_timeout_ms = self.connect_timeout_secs.max(1) * 1000
            + match self.statement_timeout_ms {
                0 => 60_000,
                ms => ms,
            };
        let params = [
            ("connect_timeout", self.connect_timeout_secs.max(1)),
            ("keepalives", 1),
            ("keepalives_idle", KEEPALIVE_IDLE_SECS),
            ("keepalives_interval", KEEPALIVE_INTERVAL_SECS),
            ("keepalives_count", 3),
            ("tcp_user_timeout", user_timeout_ms),
        ];
        let mut out = url.to_owned();
        for (name, value) in params {
            if !url.contains(&format!("{name}=")) {
                out.push(if out.contains('?') { '&' } else { '?' });
                out.push_str(&format!("{name}={value}"));
            }
        }
        out
    }

    pub(crate) fn check_secret(&self, target: &Target) -> Result<(), StoreError> {
        if *target != Target::SqliteMemory
            && self.subject_key_secret.expose().len() < MIN_SECRET_LEN
        {
            return Err(StoreError::Internal(format!(
                "database.subject_key_secret must be set to at least {MIN_SECRET_LEN} bytes"
            )));
        }
        if self.subject_key_id.is_empty() {
            return Err(StoreError::Internal(
                "database.subject_key_id must not be empty".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret_and_password() {
        let s = StoreSettings {
            url: "postgres://app:hunter2@db:5432/innsyn".into(),
            subject_key_secret: Secret::new("very secret value"),
            ..StoreSettings::default()
        };
        let printed = format!("{s:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains("very secret"), "{printed}");
        assert!(
            printed.contains("app:<redacted>@db:5432/innsyn"),
            "{printed}"
        );
    }

    #[test]
    fn parses_targets() {
        let t = |url: &str| {
            StoreSettings {
                url: url.into(),
                ..StoreSettings::default()
            }
            .target()
        };
        assert_eq!(t("sqlite::memory:"), Ok(Target::SqliteMemory));
        assert_eq!(
            t("sqlite://data/x.db"),
            Ok(Target::SqliteFile("data/x.db".into()))
        );
        assert_eq!(
            t("sqlite:/abs/x.db"),
            Ok(Target::SqliteFile("/abs/x.db".into()))
        );
        let tcp = "keepalives=1&keepalives_idle=10&keepalives_interval=3&keepalives_count=3&tcp_user_timeout=15000";
        assert_eq!(
            t("postgres://h/db"),
            Ok(Target::Postgres(format!(
                "postgres://h/db?connect_timeout=5&{tcp}"
            )))
        );
        assert_eq!(
            t("postgres://h/db?sslmode=disable&keepalives_idle=60"),
            Ok(Target::Postgres(
                "postgres://h/db?sslmode=disable&keepalives_idle=60&connect_timeout=5&keepalives=1&keepalives_interval=3&keepalives_count=3&tcp_user_timeout=15000".into()
            ))
        );
        assert!(t("mysql://h/db").is_err());
    }

    #[test]
    fn deserializes_with_defaults() {
        let s: StoreSettings = serde_json_free_parse();
        assert_eq!(s.pool_size, 8);
        assert_eq!(s.subject_key_id, "k1");
        assert_eq!(s.retention_months, None);
    }

    // No JSON/TOML parser among the dependencies: deserialize from an empty map.
    fn serde_json_free_parse() -> StoreSettings {
        use serde::de::value::{Error, MapDeserializer};
        let empty: Vec<(String, String)> = Vec::new();
        StoreSettings::deserialize(MapDeserializer::<_, Error>::new(empty.into_iter())).unwrap()
    }
}
