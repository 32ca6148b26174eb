use time::OffsetDateTime;

use crate::StoreError;

/// Where a message sits in a stream (a Kafka topic's partition and
/// offset): enough to fetch it again, nothing of what it says.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamPosition {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The message's offset in it.
    pub offset: i64,
}

/// A message that ingestion could not take, kept so an operator can see
/// it and replay it.
///
/// Only its position and the reason are kept, never its content: a bad
/// message may still hold an identity number, and the stream itself keeps
/// the bytes for as long as its retention allows a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    /// Where it is.
    pub position: StreamPosition,
    /// Why it was refused, without any value from the message.
    pub reason: String,
    /// When it was last refused.
    pub at: OffsetDateTime,
}

/// Durable storage of dead letters, beside the history.
///
/// Blocking, like [`crate::HistoryStore`].
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait DeadLetterStore: Send + Sync {
    /// Records `letters` durably; a letter at a position already recorded
    /// replaces its reason and time (a replay that failed again). Returns
    /// how many positions were new.
    ///
    /// # Errors
    /// [`StoreError`]; then nothing was stored.
    fn put_dead_letters(&self, letters: &[DeadLetter]) -> Result<u64, StoreError>;

    /// At most `limit` letters in position order (topic, partition,
    /// offset), starting right after `after`.
    ///
    /// # Errors
    /// [`StoreError`].
    fn dead_letters(
        &self,
        after: Option<StreamPosition>,
        limit: usize,
    ) -> Result<Vec<DeadLetter>, StoreError>;

    /// Forgets the letters at `positions` (replayed and stored); returns
    /// how many there were.
    ///
    /// # Errors
    /// [`StoreError`]; then none was removed.
    fn remove_dead_letters(&self, positions: &[StreamPosition]) -> Result<u64, StoreError>;
}
