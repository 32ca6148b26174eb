//! Blocking clients of the broker: produce, and what a group committed.

use super::{Broker, NOTHING_COMMITTED, PRODUCE_TIMEOUT, REQUEST_TIMEOUT, RETRY_PAUSE};
use rdkafka::client::ClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer as _};
use rdkafka::message::{DeliveryResult, Message as _};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer as _, ProducerContext};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Instant;

impl Broker {
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
    pub(super) fn reported_high_watermarks(&self, topic: &str, partitions: i32) -> Vec<i64> {
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
pub(super) fn block_on<F: Future>(future: F) -> F::Output {
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
