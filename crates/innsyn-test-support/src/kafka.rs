//! A real Kafka-protocol broker for tests: Tansu 0.6.0 as a child process,
//! in-memory storage, one broker on a free loopback port, and blocking
//! rdkafka clients to set it up and to check what a consumer committed.
//!
//! The broker is installed once per machine by `ensure_tansu` in
//! `scripts/lib/tansu.sh` (which `scripts/test` sources); [`Broker::start`]
//! finds it through `INNSYN_TANSU` or in that script's cache. A missing
//! broker fails the test: it is never skipped.
//!
//! Every call here blocks the calling thread (at most for the wait it
//! documents) and needs no async runtime; rdkafka runs its own threads.
//!
//! What this Tansu does that a test must know:
//! - consumer groups, fetches and offset commits work; transactions do not;
//! - the high watermark it reports (ListOffsets "latest", which rdkafka's
//!   `fetch_watermarks` and `auto.offset.reset=latest` use) is the base
//!   offset of the partition's last record batch plus one, not its end:
//!   assert on [`Broker::end_offsets`], which finds the true end, and start
//!   consumers at `earliest` (a `latest` consumer rereads the tail of the
//!   last batch);
//! - SASL cannot be used: PLAIN is not offered, and SCRAM users cannot be
//!   stored (creating one succeeds but is not kept), so every SCRAM login
//!   fails with `unknown-user`.

use std::fs::File;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::{ClientContext, DefaultClientContext};
use rdkafka::consumer::{BaseConsumer, Consumer as _};
use rdkafka::message::{DeliveryResult, Message as _};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer as _, ProducerContext};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};

use crate::KillOnDrop;

/// The environment variable `ensure_tansu` exports: the broker's executable.
pub const TANSU_ENV: &str = "INNSYN_TANSU";

/// The version `scripts/lib/tansu.sh` installs.
pub const TANSU_VERSION: &str = "0.6.0";

/// What [`Broker::committed_offsets`] reports for a partition the group
/// has committed nothing on (Kafka's own "no offset").
pub const NOTHING_COMMITTED: i64 = -1;

/// How long the broker may take to answer its first metadata request.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one admin, metadata or offset request may take: the broker is
/// local and in memory, so anything slower is a fault worth failing on.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a created topic may take to show all its partitions.
const TOPIC_TIMEOUT: Duration = Duration::from_secs(10);
/// How long `produce` waits for the broker to acknowledge every message.
const PRODUCE_TIMEOUT: Duration = Duration::from_secs(15);
/// Pause between two polls of a bounded wait.
const RETRY_PAUSE: Duration = Duration::from_millis(100);
/// Attempts at binding a port: another process may take the free port
/// between [`crate::free_port`] and the broker's bind.
const PORT_ATTEMPTS: usize = 3;

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

/// One Tansu broker with in-memory storage on 127.0.0.1, killed (and
/// waited for) when dropped. Its log is in a temporary directory; when the
/// broker is dropped during a panic, the log is printed to stderr and the
/// directory is kept.
#[derive(Debug)]
pub struct Broker {
    child: KillOnDrop,
    port: u16,
    dir: PathBuf,
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

    /// Sends every message (no key, `acks=all`) to its partition, or to the
    /// partitioner's choice when `None`, and returns once the broker has
    /// acknowledged all of them (at most 15 s): the partition and offset of
    /// each, in the order given.
    ///
    /// # Panics
    /// When any message is refused or not acknowledged in time.
    pub fn produce(&self, topic: &str, messages: &[(Option<i32>, Vec<u8>)]) -> Vec<(i32, i64)> {
        let producer: BaseProducer<Deliveries> = self
            .client_config()
            .set("acks", "all")
            .set("linger.ms", "0")
            // A message that cannot be delivered is reported within the
            // wait below rather than retried for librdkafka's 300 s.
            .set(
                "message.timeout.ms",
                PRODUCE_TIMEOUT.as_millis().to_string(),
            )
            .create_with_context(Deliveries::new(messages.len()))
            .expect("a producer");
        let deadline = Instant::now() + PRODUCE_TIMEOUT;
        for (index, (partition, payload)) in messages.iter().enumerate() {
            self.send(&producer, topic, index, *partition, payload, deadline);
        }
        if let Err(e) = producer.flush(deadline.saturating_duration_since(Instant::now())) {
            panic!(
                "{topic}: not every message was acknowledged within {PRODUCE_TIMEOUT:?} ({e}); \
                 broker log:\n{}",
                self.log()
            );
        }
        producer
            .context()
            .outcome()
            .unwrap_or_else(|e| panic!("{topic}: {e}; broker log:\n{}", self.log()))
    }

    /// Sends one message, waiting for room while librdkafka's queue is full.
    fn send(
        &self,
        producer: &BaseProducer<Deliveries>,
        topic: &str,
        index: usize,
        partition: Option<i32>,
        payload: &[u8],
        deadline: Instant,
    ) {
        loop {
            let mut record =
                BaseRecord::<(), [u8], usize>::with_opaque_to(topic, index).payload(payload);
            if let Some(p) = partition {
                record = record.partition(p);
            }
            match producer.send(record) {
                Ok(()) => return,
                Err((e, _)) if e.rdkafka_error_code() == Some(RDKafkaErrorCode::QueueFull) => {
                    assert!(
                        Instant::now() < deadline,
                        "{topic}: the producer's queue stayed full"
                    );
                    producer.poll(RETRY_PAUSE);
                }
                Err((e, _)) => panic!("{topic}: message {index} refused: {e}"),
            }
        }
    }

    /// Sends `payloads` to partitions 0, 1, …, `partitions - 1`, 0, … in
    /// turn; see [`Broker::produce`].
    ///
    /// # Panics
    /// As [`Broker::produce`], and when `partitions` is not positive.
    pub fn produce_round_robin(
        &self,
        topic: &str,
        payloads: &[Vec<u8>],
        partitions: i32,
    ) -> Vec<(i32, i64)> {
        assert!(partitions > 0, "round robin over {partitions} partitions");
        let messages: Vec<_> = (0..partitions)
            .cycle()
            .zip(payloads)
            .map(|(p, payload)| (Some(p), payload.clone()))
            .collect();
        self.produce(topic, &messages)
    }

    /// The offsets `group` has committed on partitions `0..partitions` of
    /// `topic` (the next offset it will read), [`NOTHING_COMMITTED`] where
    /// it has committed none. One request, at most 5 s.
    ///
    /// # Panics
    /// When the broker does not answer in time or reports an error.
    #[must_use]
    pub fn committed_offsets(&self, group: &str, topic: &str, partitions: i32) -> Vec<i64> {
        let consumer: BaseConsumer = self.consumer_config(group).create().expect("a consumer");
        let mut wanted = TopicPartitionList::new();
        wanted.add_partition_range(topic, 0, partitions - 1);
        let committed = consumer
            .committed_offsets(wanted, REQUEST_TIMEOUT)
            .unwrap_or_else(|e| panic!("the offsets {group} committed on {topic}: {e}"));
        (0..partitions)
            .map(|p| {
                let elem = committed
                    .find_partition(topic, p)
                    .unwrap_or_else(|| panic!("no committed offset reported for {topic}/{p}"));
                if let Err(e) = elem.error() {
                    panic!("the offset {group} committed on {topic}/{p}: {e}");
                }
                match elem.offset() {
                    Offset::Offset(n) => n,
                    Offset::Invalid => NOTHING_COMMITTED,
                    other => panic!("unexpected committed offset on {topic}/{p}: {other:?}"),
                }
            })
            .collect()
    }

    /// The end offsets (the offset the next message will get) of
    /// partitions `0..partitions` of `topic`. At most 5 s.
    ///
    /// Not simply the high watermark the broker reports: Tansu 0.6.0
    /// answers ListOffsets(latest) with the base offset of the partition's
    /// last record batch plus one, so a batch of ten messages reads as 1.
    /// The true end is found by reading that last batch, from the reported
    /// value minus one; with a broker that reports it right, this reads one
    /// message and agrees with it.
    ///
    /// # Panics
    /// When the broker does not answer in time.
    #[must_use]
    pub fn end_offsets(&self, topic: &str, partitions: i32) -> Vec<i64> {
        let reported = self.reported_high_watermarks(topic, partitions);
        let mut last_batches = TopicPartitionList::new();
        for (partition, &high) in (0..).zip(&reported) {
            if high > 0 {
                last_batches
                    .add_partition_offset(topic, partition, Offset::Offset(high - 1))
                    .expect("a valid offset");
            }
        }
        if last_batches.count() == 0 {
            return reported;
        }
        self.read_to_end(topic, &last_batches, reported)
    }

    /// The high watermarks as the broker reports them (ListOffsets).
    fn reported_high_watermarks(&self, topic: &str, partitions: i32) -> Vec<i64> {
        let client: BaseConsumer = self.client_config().create().expect("a client");
        (0..partitions)
            .map(|p| {
                client
                    .fetch_watermarks(topic, p, REQUEST_TIMEOUT)
                    .unwrap_or_else(|e| panic!("the watermarks of {topic}/{p}: {e}"))
                    .1
            })
            .collect()
    }

    /// Reads from `start` (no group, nothing committed) until every listed
    /// partition has given a message and then nothing more for a moment:
    /// one fetch returns a whole batch, so once its first message is here
    /// the rest are already queued. `end` is raised past every offset read.
    fn read_to_end(&self, topic: &str, start: &TopicPartitionList, mut end: Vec<i64>) -> Vec<i64> {
        let reader: BaseConsumer = self
            .client_config()
            // librdkafka wants a group even to assign; an assigned
            // consumer never joins it, and it commits nothing.
            .set("group.id", "innsyn-test-support-end-offsets")
            .set("enable.auto.commit", "false")
            .create()
            .expect("a reader");
        reader.assign(start).expect("the last batches assigned");
        let mut waiting: Vec<i32> = start.elements().iter().map(|e| e.partition()).collect();
        let deadline = Instant::now() + REQUEST_TIMEOUT;
        loop {
            match reader.poll(RETRY_PAUSE * 2) {
                Some(Ok(message)) => {
                    let p = message.partition();
                    waiting.retain(|&w| w != p);
                    if let Some(slot) = usize::try_from(p).ok().and_then(|i| end.get_mut(i)) {
                        *slot = (*slot).max(message.offset() + 1);
                    }
                }
                Some(Err(e)) => panic!("reading the last batches of {topic}: {e}"),
                None if waiting.is_empty() => return end,
                None => {}
            }
            assert!(
                Instant::now() < deadline,
                "{topic}: partitions {waiting:?} gave no message from their last batch \
                 within {REQUEST_TIMEOUT:?}; broker log:\n{}",
                self.log()
            );
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

/// Where one message landed (partition, offset), or why it did not.
type Delivery = Result<(i32, i64), String>;

/// The producer's delivery reports, by the message's index in the batch
/// (`None` until its report arrives).
struct Deliveries {
    reports: Mutex<Vec<Option<Delivery>>>,
}

impl Deliveries {
    fn new(count: usize) -> Self {
        Self {
            reports: Mutex::new(vec![None; count]),
        }
    }

    /// Every message's partition and offset, or the first failure.
    fn outcome(&self) -> Result<Vec<(i32, i64)>, String> {
        let reports = self.reports.lock().unwrap_or_else(PoisonError::into_inner);
        reports
            .iter()
            .enumerate()
            .map(|(index, report)| match report {
                Some(Ok(position)) => Ok(*position),
                Some(Err(e)) => Err(format!("message {index} was not delivered: {e}")),
                None => Err(format!("message {index} has no delivery report")),
            })
            .collect()
    }
}

impl ClientContext for Deliveries {}

impl ProducerContext for Deliveries {
    type DeliveryOpaque = usize;

    fn delivery(&self, result: &DeliveryResult<'_>, index: usize) {
        let report = match result {
            Ok(message) => Ok((message.partition(), message.offset())),
            Err((e, _)) => Err(e.to_string()),
        };
        let mut reports = self.reports.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = reports.get_mut(index) {
            *slot = Some(report);
        }
    }
}

/// Runs rdkafka's admin future on this thread. It needs no runtime (its
/// result comes from the admin client's own thread), so parking until it
/// is woken is enough, inside a tokio runtime or not.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

/// Activity record number `i` as ID-porten's producer writes it (one JSON
/// object, no key): a distinct event (`correlation_id` `c-{i}`, its own
/// event id and time), for citizen `pid`, of one of four clients, with a
/// newer producer's field (`subject_birthyear`) a consumer must accept.
#[must_use]
pub fn activity_json(i: usize, pid: &str, created_ms: i64) -> Vec<u8> {
    format!(
        r#"{{"event_name":"Innlogget","event_created":{created_ms},"event_subject_pid":"{pid}","service_provider_id":"client-{}","service_provider_orgno":"991825827","service_owner_orgno":"991825827","auth_eid":"MinID","auth_method":"PIN","correlation_id":"c-{i}","extra_data":{{"event_id":"e-{i}"}},"subject_birthyear":1990}}"#,
        i % 4
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use rdkafka::Message as _;
    use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer as _};
    use rdkafka::producer::{BaseProducer, BaseRecord, Producer as _};

    use super::{Broker, NOTHING_COMMITTED};

    /// Reads `count` messages as a member of `group`, then commits them
    /// synchronously; at most 15 s (joining the group takes about 3 s).
    fn consume_and_commit(broker: &Broker, group: &str, topic: &str, count: usize) -> Vec<Vec<u8>> {
        let consumer: BaseConsumer = broker.consumer_config(group).create().expect("a consumer");
        consumer.subscribe(&[topic]).expect("subscribed");
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut payloads = Vec::new();
        while payloads.len() < count {
            assert!(
                Instant::now() < deadline,
                "read only {} of {count} messages",
                payloads.len()
            );
            if let Some(message) = consumer.poll(Duration::from_millis(200)) {
                let message = message.expect("a message");
                payloads.push(message.payload().unwrap_or_default().to_vec());
            }
        }
        consumer
            .commit_consumer_state(CommitMode::Sync)
            .expect("committed");
        payloads
    }

    #[test]
    fn a_group_reads_what_was_produced_and_its_commit_is_what_the_broker_reports() {
        let broker = Broker::start();
        broker.create_topic("events", 3);
        let payloads: Vec<Vec<u8>> = (0..30).map(|i| format!("event-{i}").into_bytes()).collect();
        let positions = broker.produce_round_robin("events", &payloads, 3);
        assert_eq!(positions[0..4], [(0, 0), (1, 0), (2, 0), (0, 1)]);
        assert_eq!(broker.end_offsets("events", 3), [10, 10, 10]);
        assert_eq!(
            broker.committed_offsets("g", "events", 3),
            [NOTHING_COMMITTED; 3]
        );

        let mut read = consume_and_commit(&broker, "g", "events", 30);

        let committed = broker.committed_offsets("g", "events", 3);
        assert_eq!(committed, broker.end_offsets("events", 3));
        assert_eq!(committed.iter().sum::<i64>(), 30);
        read.sort();
        let mut sent = payloads;
        sent.sort();
        assert_eq!(read, sent);
    }

    #[test]
    fn produce_reports_each_message_where_it_landed_and_end_offsets_follow() {
        let broker = Broker::start();
        broker.create_topic("t", 3);
        assert_eq!(broker.end_offsets("t", 3), [0, 0, 0]);
        let positions = broker.produce(
            "t",
            &[
                (Some(1), b"a".to_vec()),
                (Some(1), b"b".to_vec()),
                (Some(0), b"c".to_vec()),
            ],
        );
        assert_eq!(positions, [(1, 0), (1, 1), (0, 0)]);
        assert_eq!(broker.end_offsets("t", 3), [1, 2, 0]);
        broker.produce("t", &[(Some(1), b"d".to_vec())]);
        assert_eq!(broker.end_offsets("t", 3), [1, 3, 0]);
    }

    /// Pins the Tansu 0.6.0 quirk `end_offsets` works around: when this
    /// fails after an upgrade, the broker reports high watermarks right and
    /// the workaround (and this test) can go.
    #[test]
    fn tansu_reports_the_last_batch_base_plus_one_as_the_high_watermark() {
        let broker = Broker::start();
        broker.create_topic("quirk", 1);
        // One batch for sure: the three are queued well within the linger.
        let producer: BaseProducer = broker
            .client_config()
            .set("linger.ms", "200")
            .create()
            .expect("a producer");
        for payload in [b"0", b"1", b"2"] {
            let record = BaseRecord::<(), [u8]>::to("quirk")
                .partition(0)
                .payload(payload);
            producer.send(record).map_err(|(e, _)| e).expect("queued");
        }
        producer
            .flush(Duration::from_secs(10))
            .expect("acknowledged");
        assert_eq!(broker.reported_high_watermarks("quirk", 1), [1]);
        assert_eq!(broker.end_offsets("quirk", 1), [3]);
    }

    #[test]
    fn creating_an_existing_topic_fails_with_the_broker_log() {
        let broker = Broker::start();
        broker.create_topic("once", 1);
        let again = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            broker.create_topic("once", 1)
        }));
        let message = again.expect_err("a second create fails");
        let message = message
            .downcast_ref::<String>()
            .expect("a formatted message");
        assert!(message.contains("once"), "{message}");
        assert!(message.contains("broker log"), "{message}");
    }
}
