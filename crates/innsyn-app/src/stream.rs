//! Ingestion from a stream (ID-porten's Kafka topic): each message is one
//! ActivityRecord as JSON, held to the rules of `POST /v1/login-events`;
//! the ones refused become dead letters instead of stopping the stream.

use std::collections::BTreeMap;

use innsyn_domain::{ActivityRecord, AppendOutcome, InvalidParams, LoginEvent};
use innsyn_ports::{DeadLetter, StreamPosition};
use time::OffsetDateTime;

use crate::wire::parse_json;
use crate::{AppError, Service, Writer};

/// One message as a stream front end received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamMessage {
    /// Where it is in the stream.
    pub position: StreamPosition,
    /// Its value; `None` for a message without one (a tombstone).
    pub payload: Option<Vec<u8>>,
}

/// What a batch of stream messages came to, once durable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamOutcome {
    /// The valid messages' events: new, or stored before (a re-delivery).
    pub stored: AppendOutcome,
    /// Messages refused and recorded as dead letters.
    pub refused: u64,
    /// Per client id (`service_provider_id`, `""` when the record names
    /// none), the valid events and the newest event time among them: what
    /// shows a source that goes silent.
    pub per_client: BTreeMap<String, ClientTally>,
    /// Positions whose message is now stored (a replay removes their
    /// dead letters).
    pub taken: Vec<StreamPosition>,
}

/// One client's share of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientTally {
    /// Valid events.
    pub events: u64,
    /// The newest `event_created` among them.
    pub newest: OffsetDateTime,
}

impl Service {
    /// Takes a batch of stream messages: the valid ones are stored durably
    /// and idempotently (a re-delivered message is a duplicate), each
    /// refused one is recorded as a dead letter (position and reason, never
    /// its content). Returns only when both are durable, so the caller may
    /// then commit the stream's offsets.
    ///
    /// # Errors
    /// [`AppError::BatchTooLarge`], [`AppError::Store`]; then the batch may
    /// be stored in part, and taking it again is safe.
    pub async fn ingest_stream(
        &self,
        writer: &Writer,
        messages: Vec<StreamMessage>,
    ) -> Result<StreamOutcome, AppError> {
        let (events, letters, mut outcome) = self.sort_stream(messages);
        outcome.stored = self.store_login_events(writer, events).await?;
        outcome.refused = letters.len() as u64;
        if !letters.is_empty() {
            self.with_dead_letters(move |s| Ok(s.put_dead_letters(&letters)?))
                .await?;
        }
        Ok(outcome)
    }

    /// A replay of dead letters: `messages` fetched again from their
    /// positions are taken as by [`Service::ingest_stream`] (a message still
    /// refused keeps its letter, with the new reason), and the letters of
    /// the ones now stored are removed.
    ///
    /// # Errors
    /// As [`Service::ingest_stream`]; a letter is removed only after its
    /// event is durable.
    pub async fn replay_stream(
        &self,
        writer: &Writer,
        messages: Vec<StreamMessage>,
    ) -> Result<StreamOutcome, AppError> {
        let outcome = self.ingest_stream(writer, messages).await?;
        let taken = outcome.taken.clone();
        if !taken.is_empty() {
            self.with_dead_letters(move |s| Ok(s.remove_dead_letters(&taken)?))
                .await?;
        }
        Ok(outcome)
    }

    /// A page of dead letters in position order, right after `after`.
    ///
    /// # Errors
    /// [`AppError::Store`].
    pub async fn dead_letters(
        &self,
        after: Option<StreamPosition>,
        limit: usize,
    ) -> Result<Vec<DeadLetter>, AppError> {
        self.with_dead_letters(move |s| Ok(s.dead_letters(after, limit)?))
            .await
    }

    fn sort_stream(
        &self,
        messages: Vec<StreamMessage>,
    ) -> (Vec<LoginEvent>, Vec<DeadLetter>, StreamOutcome) {
        let at = self.now();
        let mut events = Vec::with_capacity(messages.len());
        let mut letters = Vec::new();
        let mut outcome = StreamOutcome::default();
        for m in messages {
            match self.stream_event(m.payload.as_deref()) {
                Ok(event) => {
                    outcome.tally(&event);
                    outcome.taken.push(m.position);
                    events.push(event);
                }
                Err(reason) => letters.push(DeadLetter {
                    position: m.position,
                    reason,
                    at,
                }),
            }
        }
        (events, letters, outcome)
    }

    /// One message as an event, or why not (no value from the message).
    fn stream_event(&self, payload: Option<&[u8]>) -> Result<LoginEvent, String> {
        let payload = payload.ok_or_else(|| "the message has no value".to_owned())?;
        let record: ActivityRecord =
            parse_json(payload).map_err(|e| format!("not an activity record: {}", e.params))?;
        self.validate_login_event(record)
            .map_err(|e: InvalidParams| e.to_string())
    }
}

impl StreamOutcome {
    fn tally(&mut self, event: &LoginEvent) {
        let client = event.service_provider.id.clone().unwrap_or_default();
        let t = self.per_client.entry(client).or_insert(ClientTally {
            events: 0,
            newest: event.occurred_at,
        });
        t.events += 1;
        t.newest = t.newest.max(event.occurred_at);
    }
}
