//! `[kafka]`: where the activity topic is and how to read it.

use innsyn_domain::Secret;
use rdkafka::ClientConfig;
use serde::{Deserialize, Serialize};

use crate::ConsumeError;

/// `[kafka]` (environment `INNSYN__KAFKA__*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KafkaSettings {
    /// Whether `innsyn serve` consumes too (`innsyn consume` always does).
    pub enabled: bool,
    /// `host:port[,host:port…]`.
    pub bootstrap_servers: String,
    /// The topics of activity records, e.g. `aktiviteter-json`.
    pub topics: Vec<String>,
    /// The consumer group: instances with the same group share the
    /// partitions, and its committed offsets say what is stored.
    pub group_id: String,
    /// `plaintext`, `ssl`, `sasl_plaintext` or `sasl_ssl` (ID-porten's).
    pub security_protocol: String,
    /// `SCRAM-SHA-512` (ID-porten's), `SCRAM-SHA-256` or `PLAIN`.
    pub sasl_mechanism: String,
    /// The SASL user.
    pub sasl_username: Option<String>,
    /// The SASL password.
    pub sasl_password: Secret,
    /// PEM file of the CAs that sign the brokers' certificates (default:
    /// the system's).
    pub ssl_ca_location: Option<String>,
    /// A batch ends at this many messages (at most 10,000, the batch limit
    /// of ingestion)…
    pub batch_max_messages: usize,
    /// …or this many milliseconds after its first message.
    pub batch_max_ms: u64,
    /// Batches being stored at once (each one store call) while the next
    /// is collected; offsets are still committed in order.
    pub max_batches_in_flight: usize,
    /// Where a group without committed offsets starts: `earliest` (take
    /// what the topic still has) or `latest`.
    pub auto_offset_reset: String,
    /// How long the group waits for a silent member before handing its
    /// partitions to another (librdkafka `session.timeout.ms`).
    pub session_timeout_ms: u32,
    /// How long a batch may take (a database outage included) before the
    /// member leaves the group (librdkafka `max.poll.interval.ms`); its
    /// partitions then go to another member, which re-reads from the last
    /// commit, and the duplicates are absorbed.
    pub max_poll_interval_ms: u32,
    /// Fetched but not yet taken messages kept in memory, in KiB
    /// (librdkafka `queued.max.messages.kbytes`): bounds the memory while
    /// the database is down.
    pub fetch_queue_kbytes: u32,
}

impl Default for KafkaSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            bootstrap_servers: String::new(),
            topics: vec!["aktiviteter-json".to_owned()],
            group_id: "innsyn".to_owned(),
            security_protocol: "sasl_ssl".to_owned(),
            sasl_mechanism: "SCRAM-SHA-512".to_owned(),
            sasl_username: None,
            sasl_password: Secret::default(),
            ssl_ca_location: None,
            batch_max_messages: 1_000,
            batch_max_ms: 500,
            max_batches_in_flight: 4,
            auto_offset_reset: "earliest".to_owned(),
            session_timeout_ms: 45_000,
            max_poll_interval_ms: 300_000,
            fetch_queue_kbytes: 16_384,
        }
    }
}

impl KafkaSettings {
    /// The librdkafka configuration of a group consumer: offsets are
    /// committed by innsyn alone, only after a batch is durable.
    ///
    /// # Errors
    /// [`ConsumeError::Config`] naming the key that cannot work.
    pub fn consumer_config(&self) -> Result<ClientConfig, ConsumeError> {
        let mut c = self.client_config()?;
        if self.topics.iter().all(|t| t.trim().is_empty()) {
            return Err(bad("topics", "name at least one topic"));
        }
        if self.group_id.trim().is_empty() {
            return Err(bad("group_id", "must not be empty"));
        }
        if !matches!(self.auto_offset_reset.as_str(), "earliest" | "latest") {
            return Err(bad("auto_offset_reset", "must be earliest or latest"));
        }
        if !(1..=innsyn_domain::records::MAX_BATCH).contains(&self.batch_max_messages) {
            return Err(bad(
                "batch_max_messages",
                &format!("must be 1 to {}", innsyn_domain::records::MAX_BATCH),
            ));
        }
        c.set("group.id", &self.group_id)
            .set("enable.auto.commit", "false")
            .set("enable.auto.offset.store", "false")
            .set("auto.offset.reset", &self.auto_offset_reset)
            .set("session.timeout.ms", self.session_timeout_ms.to_string())
            .set(
                "heartbeat.interval.ms",
                (self.session_timeout_ms / 10).max(100).to_string(),
            )
            .set(
                "max.poll.interval.ms",
                self.max_poll_interval_ms.to_string(),
            )
            .set(
                "queued.max.messages.kbytes",
                self.fetch_queue_kbytes.to_string(),
            )
            // Per-partition lag for /metrics, from librdkafka's statistics.
            .set("statistics.interval.ms", "5000");
        Ok(c)
    }

    /// What every client of the cluster needs: servers and security.
    ///
    /// # Errors
    /// [`ConsumeError::Config`].
    pub fn client_config(&self) -> Result<ClientConfig, ConsumeError> {
        if self.bootstrap_servers.trim().is_empty() {
            return Err(bad("bootstrap_servers", "set host:port of the brokers"));
        }
        let mut c = ClientConfig::new();
        c.set("bootstrap.servers", &self.bootstrap_servers)
            .set("client.id", "innsyn");
        let sasl = match self.security_protocol.as_str() {
            "plaintext" | "ssl" => false,
            "sasl_plaintext" | "sasl_ssl" => true,
            _ => {
                return Err(bad(
                    "security_protocol",
                    "must be plaintext, ssl, sasl_plaintext or sasl_ssl",
                ));
            }
        };
        c.set("security.protocol", &self.security_protocol);
        if sasl {
            if !matches!(
                self.sasl_mechanism.as_str(),
                "SCRAM-SHA-512" | "SCRAM-SHA-256" | "PLAIN"
            ) {
                return Err(bad(
                    "sasl_mechanism",
                    "must be SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN",
                ));
            }
            let user = self
                .sasl_username
                .as_deref()
                .filter(|u| !u.is_empty())
                .ok_or_else(|| bad("sasl_username", "SASL needs a user"))?;
            c.set("sasl.mechanism", &self.sasl_mechanism)
                .set("sasl.username", user)
                .set("sasl.password", self.sasl_password.expose());
        }
        if let Some(ca) = &self.ssl_ca_location {
            c.set("ssl.ca.location", ca);
        }
        Ok(c)
    }
}

fn bad(key: &str, reason: &str) -> ConsumeError {
    ConsumeError::Config(format!("kafka.{key}: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain() -> KafkaSettings {
        KafkaSettings {
            bootstrap_servers: "127.0.0.1:9092".into(),
            security_protocol: "plaintext".into(),
            ..KafkaSettings::default()
        }
    }

    #[test]
    fn offsets_are_never_committed_by_librdkafka_itself() {
        let c = plain().consumer_config().unwrap();
        assert_eq!(c.get("enable.auto.commit"), Some("false"));
        assert_eq!(c.get("enable.auto.offset.store"), Some("false"));
        assert_eq!(c.get("group.id"), Some("innsyn"));
        assert_eq!(c.get("sasl.username"), None);
    }

    #[test]
    fn the_producers_security_needs_a_user_and_keeps_the_password_out_of_debug() {
        let mut s = KafkaSettings {
            bootstrap_servers: "kafka.example.no:9093".into(),
            ..KafkaSettings::default()
        };
        let e = s.consumer_config().unwrap_err().to_string();
        assert!(e.contains("kafka.sasl_username"), "{e}");
        s.sasl_username = Some("innsyn".into());
        s.sasl_password = Secret::new("pa55word");
        let c = s.consumer_config().unwrap();
        assert_eq!(c.get("security.protocol"), Some("sasl_ssl"));
        assert_eq!(c.get("sasl.mechanism"), Some("SCRAM-SHA-512"));
        assert_eq!(c.get("sasl.password"), Some("pa55word"));
        assert!(!format!("{s:?}").contains("pa55word"));
    }

    #[test]
    fn unusable_values_name_their_key() {
        for (s, key) in [
            (
                KafkaSettings {
                    bootstrap_servers: String::new(),
                    ..plain()
                },
                "kafka.bootstrap_servers",
            ),
            (
                KafkaSettings {
                    topics: vec![],
                    ..plain()
                },
                "kafka.topics",
            ),
            (
                KafkaSettings {
                    batch_max_messages: 0,
                    ..plain()
                },
                "kafka.batch_max_messages",
            ),
            (
                KafkaSettings {
                    security_protocol: "tls".into(),
                    ..plain()
                },
                "kafka.security_protocol",
            ),
            (
                KafkaSettings {
                    auto_offset_reset: "smallest".into(),
                    ..plain()
                },
                "kafka.auto_offset_reset",
            ),
        ] {
            let e = s.consumer_config().unwrap_err().to_string();
            assert!(e.contains(key), "{e} should name {key}");
        }
    }
}
