//! The HTTP layer's own settings (`[server]`) and ingestion's (`[ingest]`); the
//! `[database]`, `[auth]` and `[scopes]` sections belong to the adapters and
//! the domain and are assembled in [`crate::config`].

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// `[server]`: listening, TLS, limits and presentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// Address and port to listen on.
    pub bind: String,
    /// The public base URL (`https://api.example.no`) used in `Link` headers;
    /// without it `Link` carries a relative reference.
    pub public_base_url: Option<String>,
    /// PEM certificate chain; with `tls_key_file`, serve HTTPS (rustls).
    pub tls_cert_file: Option<PathBuf>,
    /// PEM private key (PKCS#8, PKCS#1 or SEC1).
    pub tls_key_file: Option<PathBuf>,
    /// Serve plain HTTP when no certificate is configured. Off by default:
    /// the server refuses to start without TLS unless this is set.
    pub allow_plain_http: bool,
    /// Largest request body accepted, in bytes (413 beyond).
    pub body_limit_bytes: usize,
    /// Sustained requests per second per client address; 0 turns the rate
    /// limit off.
    pub rate_limit_per_second: u32,
    /// Requests a client may burst above the sustained rate.
    pub rate_limit_burst: u32,
    /// IANA time zone of local times (seed 1 `tidspunkt`, seed 2 times
    /// without a zone, seed 2 response timestamps).
    pub time_zone: String,
    /// `text` or `json`.
    pub log_format: LogFormat,
    /// `tracing` filter directive, e.g. `info` or `innsyn_server=debug,info`.
    pub log_level: String,
    /// Seconds in-flight requests get to finish after SIGTERM.
    pub shutdown_timeout_secs: u64,
    /// Worker threads; 0 means one per CPU core.
    pub workers: usize,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".to_owned(),
            public_base_url: None,
            tls_cert_file: None,
            tls_key_file: None,
            allow_plain_http: false,
            body_limit_bytes: 16 * 1024 * 1024,
            rate_limit_per_second: 50,
            rate_limit_burst: 100,
            time_zone: innsyn_domain::zone::DEFAULT_ZONE.to_owned(),
            log_format: LogFormat::Text,
            log_level: "info".to_owned(),
            shutdown_timeout_secs: 30,
            workers: 0,
        }
    }
}

/// `[ingest]`: what ingestion accepts beyond the records' own rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestSettings {
    /// Seconds an event (`event_created`, `timestamp`) may lie after the
    /// service's clock; later ones are refused with 400.
    pub max_future_skew_secs: u64,
}

impl Default for IngestSettings {
    fn default() -> Self {
        Self {
            max_future_skew_secs: 300,
        }
    }
}

/// `[history]`: what innsyn records of its own reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HistorySettings {
    /// Whether each successful read of a citizen's history (seed 1, seed
    /// 2) becomes an access record of that citizen.
    pub record_reads: bool,
}

impl Default for HistorySettings {
    fn default() -> Self {
        Self { record_reads: true }
    }
}

/// `[log]`: the tamper-evident log's signing and building.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    /// The Ed25519 key checkpoints and export statements are signed with,
    /// in the note key format `PRIVATE+KEY+<origin>+<key ID>+<base64>`
    /// (`innsyn log-key --origin NAME` makes one; `innsyn dev` keeps one in
    /// its data directory). Its name is the log's origin. Without it the
    /// tree is still built, nothing is signed, and exports carry no proofs.
    pub signing_key: Option<innsyn_domain::Secret>,
    /// How often the builder indexes new leaves and, when the tree grew,
    /// signs a checkpoint.
    pub checkpoint_interval_secs: u64,
    /// Leaves indexed per builder transaction.
    pub build_step: u32,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            signing_key: None,
            checkpoint_interval_secs: 10,
            build_step: 10_000,
        }
    }
}
