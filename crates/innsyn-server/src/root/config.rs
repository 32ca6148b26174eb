//! The configuration: defaults < profile (`--profile`/`INNSYN_PROFILE`) <
//! `innsyn.toml` (or `--config FILE`) < environment `INNSYN__SECTION__KEY`.

use std::path::Path;

use config::{Config, Environment, File, FileFormat};
use innsyn_domain::ScopeNames;
use innsyn_store_diesel::StoreSettings;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::settings::{HistorySettings, IngestSettings, LogSettings, ServerSettings};

/// The profiles shipped with the binary (the files in this crate's
/// `config/`), for the seed's environments.
pub const PROFILES: [(&str, &str); 4] = [
    ("prod", include_str!("../../config/prod.toml")),
    ("ver2", include_str!("../../config/ver2.toml")),
    ("yt2", include_str!("../../config/yt2.toml")),
    ("local", include_str!("../../config/local.toml")),
];

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// `[server]`.
    pub server: ServerSettings,
    /// `[database]`: the store.
    pub database: StoreSettings,
    /// `[auth]`: token validation.
    pub auth: innsyn_auth_oidc::AuthSettings,
    /// `[scopes]`: scope names of each permission.
    pub scopes: ScopeNames,
    /// `[web]`: the citizen's page "Min innloggingshistorikk" (`/min-side`).
    pub web: innsyn_web::WebSettings,
    /// `[ingest]`: limits of ingestion.
    pub ingest: IngestSettings,
    /// `[history]`: the records of innsyn's own reads.
    pub history: HistorySettings,
    /// `[log]`: the tamper-evident log.
    pub log: LogSettings,
    /// `[kafka]`: the activity topic `innsyn consume` reads.
    pub kafka: innsyn_kafka::KafkaSettings,
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub String);

/// Loads the configuration. `profile` names a shipped profile; `file`
/// replaces the default `./innsyn.toml` (which is optional; a named file is
/// not).
pub fn load(file: Option<&Path>, profile: Option<&str>) -> Result<Settings, ConfigError> {
    load_with_env(file, profile, None)
}

/// As [`load`], reading the environment from `env` when given (tests).
pub fn load_with_env(
    file: Option<&Path>,
    profile: Option<&str>,
    env: Option<config::Map<String, String>>,
) -> Result<Settings, ConfigError> {
    let mut builder = Config::builder();
    if let Some(name) = profile.filter(|p| !p.is_empty()) {
        let text = PROFILES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                ConfigError(format!(
                    "unknown profile {name:?}; known profiles: prod, ver2, yt2, local"
                ))
            })?;
        builder = builder.add_source(File::from_str(text, FileFormat::Toml));
    }
    builder = match file {
        Some(path) => builder.add_source(File::from(path).format(FileFormat::Toml).required(true)),
        None => builder.add_source(
            File::from(Path::new("innsyn.toml"))
                .format(FileFormat::Toml)
                .required(false),
        ),
    };
    let mut environment = Environment::with_prefix("INNSYN")
        .prefix_separator("__")
        .separator("__")
        .try_parsing(true)
        // The one list an operator sets from the environment:
        // INNSYN__KAFKA__TOPICS=aktiviteter-json,aktiviteter-json-v2.
        .list_separator(",")
        .with_list_parse_key("kafka.topics");
    if let Some(env) = env {
        environment = environment.source(Some(env));
    }
    builder
        .add_source(environment)
        .build()
        .and_then(Config::try_deserialize)
        .map_err(|e| ConfigError(one_line(&e.to_string())))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The effective configuration as TOML. Secrets are redacted by their
/// types (`Secret`, the database URL's password), not by a list here.
pub fn render(settings: &Settings) -> String {
    let mut out = String::new();
    if let Ok(Value::Object(sections)) = serde_json::to_value(settings) {
        for (name, value) in &sections {
            render_table(&mut out, name, value);
        }
    }
    out
}

fn render_table(out: &mut String, name: &str, value: &Value) {
    let Value::Object(map) = value else { return };
    out.push_str(&format!("[{name}]\n"));
    let mut nested = Vec::new();
    for (k, v) in map {
        match v {
            Value::Null => out.push_str(&format!("# {k} = (unset)\n")),
            Value::Object(_) => nested.push((k, v)),
            other => out.push_str(&format!("{k} = {other}\n")),
        }
    }
    out.push('\n');
    for (k, v) in nested {
        render_table(out, &format!("{name}.{k}"), v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> config::Map<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn layers_apply_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.toml");
        std::fs::write(
            &file,
            "[server]\nbind = \"0.0.0.0:9000\"\nrate_limit_burst = 7\n",
        )
        .unwrap();
        let s = load_with_env(
            Some(&file),
            Some("local"),
            Some(env(&[
                ("INNSYN__SERVER__RATE_LIMIT_BURST", "9"),
                ("INNSYN__DATABASE__URL", "postgres://u:pw@h/db"),
            ])),
        )
        .unwrap();
        assert_eq!(s.server.bind, "0.0.0.0:9000");
        assert_eq!(s.server.rate_limit_burst, 9);
        assert!(s.server.allow_plain_http, "from the local profile");
        assert_eq!(s.database.url, "postgres://u:pw@h/db");
        let text = render(&s);
        assert!(!text.contains("pw@"), "{text}");
        assert!(text.contains("[server]") && text.contains("[auth]"));
    }

    #[test]
    fn web_section_from_env_with_secret_redacted() {
        let s = load_with_env(
            None,
            None,
            Some(env(&[
                ("INNSYN__WEB__ENABLED", "false"),
                ("INNSYN__WEB__CLIENT_ID", "innsyn-web"),
                ("INNSYN__WEB__CLIENT_SECRET", "very-secret-value"),
                ("INNSYN__WEB__PUBLIC_BASE_URL", "https://innsyn.example.no"),
            ])),
        )
        .unwrap();
        assert!(!s.web.enabled);
        assert_eq!(s.web.client_id, "innsyn-web");
        assert_eq!(s.web.public_base_url, "https://innsyn.example.no");
        let text = render(&s);
        assert!(text.contains("[web]"), "{text}");
        assert!(text.contains("client_secret = \"<redacted>\""), "{text}");
        assert!(!text.contains("very-secret-value"), "{text}");
        assert!(
            load_with_env(None, None, Some(env(&[])))
                .unwrap()
                .web
                .enabled
        );
    }

    #[test]
    fn the_future_skew_of_ingestion_is_configurable() {
        let default = load_with_env(None, None, Some(env(&[]))).unwrap();
        assert_eq!(default.ingest.max_future_skew_secs, 300);
        assert!(render(&default).contains("[ingest]\nmax_future_skew_secs = 300\n"));
        let s = load_with_env(
            None,
            None,
            Some(env(&[("INNSYN__INGEST__MAX_FUTURE_SKEW_SECS", "30")])),
        )
        .unwrap();
        assert_eq!(s.ingest.max_future_skew_secs, 30);
        assert!(
            load_with_env(
                None,
                None,
                Some(env(&[("INNSYN__INGEST__MAX_FUTURE_SKEW_SECS", "-1")]))
            )
            .is_err()
        );
    }

    #[test]
    fn recording_reads_is_on_unless_turned_off() {
        let default = load_with_env(None, None, Some(env(&[]))).unwrap();
        assert!(default.history.record_reads);
        assert!(render(&default).contains("[history]\nrecord_reads = true\n"));
        let off = load_with_env(
            None,
            None,
            Some(env(&[("INNSYN__HISTORY__RECORD_READS", "false")])),
        )
        .unwrap();
        assert!(!off.history.record_reads);
        assert!(
            !super::super::builder::use_case_settings(&off, innsyn_domain::Zone::oslo())
                .unwrap()
                .record_reads
        );
    }

    #[test]
    fn kafka_comes_from_the_environment_with_its_password_redacted() {
        let s = load_with_env(
            None,
            None,
            Some(env(&[
                ("INNSYN__KAFKA__BOOTSTRAP_SERVERS", "k1:9093,k2:9093"),
                (
                    "INNSYN__KAFKA__TOPICS",
                    "aktiviteter-json,aktiviteter-json-v2",
                ),
                ("INNSYN__KAFKA__SASL_USERNAME", "innsyn"),
                ("INNSYN__KAFKA__SASL_PASSWORD", "kafka-secret-value"),
                ("INNSYN__KAFKA__BATCH_MAX_MESSAGES", "2000"),
            ])),
        )
        .unwrap();
        assert_eq!(s.kafka.bootstrap_servers, "k1:9093,k2:9093");
        assert_eq!(s.kafka.topics, ["aktiviteter-json", "aktiviteter-json-v2"]);
        assert_eq!(s.kafka.batch_max_messages, 2000);
        assert_eq!(s.kafka.security_protocol, "sasl_ssl");
        let text = render(&s);
        assert!(text.contains("[kafka]"), "{text}");
        assert!(text.contains("sasl_password = \"<redacted>\""), "{text}");
        assert!(!text.contains("kafka-secret-value"), "{text}");
    }

    #[test]
    fn every_profile_parses() {
        for (name, _) in PROFILES {
            load_with_env(None, Some(name), Some(env(&[]))).unwrap();
        }
        assert!(load_with_env(None, Some("nope"), Some(env(&[]))).is_err());
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        let e = load_with_env(None, None, Some(env(&[("INNSYN__SERVER__NOPE", "1")])))
            .unwrap_err()
            .to_string();
        assert!(e.contains("nope"), "{e}");
        assert!(!e.contains('\n'));
        assert!(
            load_with_env(
                None,
                None,
                Some(env(&[("INNSYN__SERVER__RATE_LIMIT_BURST", "many")]))
            )
            .is_err()
        );
    }
}
