//! `innsyn consume --replay-dead-letters`: fetch each dead letter's message
//! again from its position and take it as the consumer would. Letters whose
//! message the topic no longer holds are kept and counted.

use std::sync::Arc;
use std::time::{Duration, Instant};

use innsyn_app::{Service, StreamMessage, Writer};
use innsyn_ports::StreamPosition;
use rdkafka::consumer::{BaseConsumer, Consumer as _};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::{Message, Offset, TopicPartitionList};

use crate::batch::owned;
use crate::{ConsumeError, KafkaSettings};

/// Letters fetched per round.
const PAGE: usize = 200;
/// How long one message may take to arrive before the replay gives up.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// What a replay did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Replayed {
    /// Messages now stored (new or found stored); their letters are gone.
    pub stored: u64,
    /// Messages still refused (their letters carry the new reason).
    pub refused: u64,
    /// Letters whose message the topic no longer holds (kept).
    pub gone: u64,
}

/// Replays every dead letter, in position order.
///
/// # Errors
/// [`ConsumeError`] when the cluster or the store fails; letters replayed
/// before stay replayed, and running it again is safe.
pub async fn replay_dead_letters(
    settings: &KafkaSettings,
    service: &Service,
) -> Result<Replayed, ConsumeError> {
    let mut config = settings.client_config()?;
    // Its own group id, never committed: a replay does not move the
    // consumers' offsets.
    config
        .set("group.id", format!("{}-replay", settings.group_id))
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "true")
        .set("auto.offset.reset", "error");
    let consumer: Arc<BaseConsumer> = Arc::new(config.create()?);
    let writer = Writer::operator();
    let mut done = Replayed::default();
    let mut after = None;
    loop {
        let page = service.dead_letters(after.clone(), PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.position.clone());
        let positions: Vec<StreamPosition> = page.into_iter().map(|l| l.position).collect();
        let wanted = positions.len() as u64;
        let c = Arc::clone(&consumer);
        let messages = tokio::task::spawn_blocking(move || fetch_all(&c, &positions))
            .await
            .map_err(|_| ConsumeError::Kafka(KafkaError::Canceled))??;
        done.gone += wanted - messages.len() as u64;
        let o = service.replay_stream(&writer, messages).await?;
        done.stored += o.stored.accepted + o.stored.duplicates;
        done.refused += o.refused;
    }
    Ok(done)
}

fn fetch_all(
    consumer: &BaseConsumer,
    positions: &[StreamPosition],
) -> Result<Vec<StreamMessage>, ConsumeError> {
    let mut out = Vec::with_capacity(positions.len());
    for p in positions {
        if let Some(m) = fetch(consumer, p)? {
            out.push(m);
        }
    }
    Ok(out)
}

/// The message at `p`, or `None` when the topic no longer has it.
fn fetch(
    consumer: &BaseConsumer,
    p: &StreamPosition,
) -> Result<Option<StreamMessage>, ConsumeError> {
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(&p.topic, p.partition, Offset::Offset(p.offset))?;
    consumer.assign(&tpl)?;
    let deadline = Instant::now() + FETCH_TIMEOUT;
    while Instant::now() < deadline {
        match consumer.poll(Duration::from_millis(200)) {
            None => {}
            Some(Ok(m)) if m.topic() == p.topic && m.partition() == p.partition => {
                if m.offset() == p.offset {
                    return Ok(Some(owned(&m)));
                }
                if m.offset() > p.offset {
                    // Compacted or deleted: the next one is all there is.
                    return Ok(None);
                }
            }
            Some(Ok(_)) => {}
            Some(Err(KafkaError::PartitionEOF(_))) => return Ok(None),
            Some(Err(e)) if e.rdkafka_error_code() == Some(RDKafkaErrorCode::OffsetOutOfRange) => {
                return Ok(None);
            }
            Some(Err(e)) => return Err(e.into()),
        }
    }
    Err(ConsumeError::Timeout(format!(
        "{}/{} offset {} did not arrive within {} s",
        p.topic,
        p.partition,
        p.offset,
        FETCH_TIMEOUT.as_secs()
    )))
}
