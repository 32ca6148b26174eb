//! The broker process: start, configuration for clients, topics, its log.

use super::binary::tansu_binary;
use super::client::block_on;
use super::{PORT_ATTEMPTS, REQUEST_TIMEOUT, RETRY_PAUSE, START_TIMEOUT, TOPIC_TIMEOUT};
use crate::KillOnDrop;
use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer as _};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One Tansu broker with in-memory storage on 127.0.0.1, killed (and
/// waited for) when dropped. Its log is in a temporary directory; when the
/// broker is dropped during a panic, the log is printed to stderr and the
/// directory is kept.
#[derive(Debug)]
pub struct Broker {
    child: KillOnDrop,
    pub(super) port: u16,
    pub(super) dir: PathBuf,
}

impl Broker {
    /// Starts a broker and waits (at most 20 s) until it answers a
    /// metadata request.
    ///
    /// # Panics
    /// When the broker is not installed, will not start or does not answer
    /// in time; the message carries its log.
    #[must_use]
    pub fn start() -> Self {
        let binary = tansu_binary();
        let mut failures = Vec::new();
        for _ in 0..PORT_ATTEMPTS {
            match Self::spawn(&binary) {
                Ok(broker) => return broker,
                Err(failure) => failures.push(failure),
            }
        }
        panic!(
            "the Tansu broker ({}) did not start:\n{}",
            binary.display(),
            failures.join("\n---\n")
        );
    }

    /// One attempt on one free port: the broker, or why it did not start
    /// (with its log) when it exited, typically because the port was taken.
    fn spawn(binary: &Path) -> Result<Self, String> {
        let port = crate::free_port();
        let dir = std::env::temp_dir().join(format!("innsyn-tansu-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("the broker's temporary directory");
        let log = File::create(dir.join("broker.log")).expect("the broker's log file");
        let url = format!("tcp://127.0.0.1:{port}");
        let child = Command::new(binary)
            .args([
                "broker",
                "--listener-url",
                &url,
                "--advertised-listener-url",
                &url,
            ])
            .args(["--storage-engine", "memory://tansu/"])
            // Plain text: the log is read by people, in a test's output.
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("the broker's log file"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("could not run {}: {e}", binary.display()));
        let mut broker = Self {
            child: KillOnDrop(child),
            port,
            dir,
        };
        broker.wait_until_ready()?;
        Ok(broker)
    }

    /// Polls metadata until the broker answers, it exits, or 20 s pass.
    fn wait_until_ready(&mut self) -> Result<(), String> {
        let client: BaseConsumer = self.client_config().create().expect("a metadata client");
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = self.child.0.try_wait().expect("the broker's status") {
                let failure = format!(
                    "it exited ({status}) on port {}:\n{}",
                    self.port,
                    self.log()
                );
                let _ = std::fs::remove_dir_all(&self.dir);
                return Err(failure);
            }
            if client.fetch_metadata(None, Duration::from_secs(1)).is_ok() {
                return Ok(());
            }
            if Instant::now() > deadline {
                panic!(
                    "the Tansu broker on port {} did not answer a metadata request within {:?}; \
                     its log:\n{}",
                    self.port,
                    START_TIMEOUT,
                    self.log()
                );
            }
            std::thread::sleep(RETRY_PAUSE);
        }
    }

    /// The bootstrap servers for a client: `127.0.0.1:PORT`.
    #[must_use]
    pub fn bootstrap(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// A client configuration that reaches this broker, to extend.
    #[must_use]
    pub fn client_config(&self) -> ClientConfig {
        let mut config = ClientConfig::new();
        config.set("bootstrap.servers", self.bootstrap());
        config
    }

    /// A group consumer's configuration for tests: manual commits, from the
    /// earliest offset, and a short session so that joining the group takes
    /// seconds (librdkafka's default session of 45 s makes a join slow).
    #[must_use]
    pub fn consumer_config(&self, group: &str) -> ClientConfig {
        let mut config = self.client_config();
        config
            .set("group.id", group)
            .set("enable.auto.commit", "false")
            .set("auto.offset.reset", "earliest")
            .set("session.timeout.ms", "6000")
            .set("heartbeat.interval.ms", "500");
        config
    }

    /// Creates `name` with `partitions` partitions and waits (at most
    /// 10 s) until metadata shows every one of them with a leader.
    ///
    /// # Panics
    /// When the broker refuses (the topic exists, say) or is too slow.
    pub fn create_topic(&self, name: &str, partitions: i32) {
        let admin: AdminClient<DefaultClientContext> =
            self.client_config().create().expect("an admin client");
        let topic = NewTopic::new(name, partitions, TopicReplication::Fixed(1));
        let options = AdminOptions::new()
            .operation_timeout(Some(REQUEST_TIMEOUT))
            .request_timeout(Some(REQUEST_TIMEOUT));
        let results = block_on(admin.create_topics([&topic], &options))
            .unwrap_or_else(|e| panic!("creating topic {name}: {e}; broker log:\n{}", self.log()));
        for result in results {
            if let Err((topic, code)) = result {
                panic!(
                    "creating topic {topic}: {code}; broker log:\n{}",
                    self.log()
                );
            }
        }
        self.wait_for_partitions(name, partitions);
    }

    fn wait_for_partitions(&self, name: &str, partitions: i32) {
        let client: BaseConsumer = self.client_config().create().expect("a metadata client");
        let deadline = Instant::now() + TOPIC_TIMEOUT;
        loop {
            let ready = client
                .fetch_metadata(Some(name), REQUEST_TIMEOUT)
                .ok()
                .and_then(|m| {
                    m.topics().iter().find(|t| t.name() == name).map(|t| {
                        t.error().is_none()
                            && t.partitions().len() == usize::try_from(partitions).unwrap_or(0)
                            && t.partitions()
                                .iter()
                                .all(|p| p.error().is_none() && p.leader() >= 0)
                    })
                })
                .unwrap_or(false);
            if ready {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "topic {name} did not show {partitions} partitions within {TOPIC_TIMEOUT:?}; \
                 broker log:\n{}",
                self.log()
            );
            std::thread::sleep(RETRY_PAUSE);
        }
    }

    /// The broker's log so far (stdout and stderr).
    #[must_use]
    pub fn log(&self) -> String {
        std::fs::read(self.dir.join("broker.log"))
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_else(|e| format!("(the broker's log cannot be read: {e})"))
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.0.kill();
        let _ = self.child.0.wait();
        if std::thread::panicking() {
            eprintln!(
                "--- Tansu broker log ({}) ---\n{}--- end of broker log ---",
                self.dir.display(),
                self.log()
            );
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
