//! A batch of messages and the offsets that committing it moves to.

use std::collections::BTreeMap;

use innsyn_app::StreamMessage;
use innsyn_ports::StreamPosition;
use rdkafka::Message;
use rdkafka::message::BorrowedMessage;
use rdkafka::{Offset, TopicPartitionList};

use crate::ConsumeError;

/// Messages taken from the stream, not yet durable.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    pub(crate) messages: Vec<StreamMessage>,
}

impl Batch {
    pub(crate) fn push(&mut self, m: &BorrowedMessage<'_>) {
        self.messages.push(owned(m));
    }

    pub(crate) fn len(&self) -> usize {
        self.messages.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Per partition, the offset after the last message taken: what the
    /// group commits once the batch is durable (Kafka's committed offset
    /// is the next message to read).
    pub(crate) fn next_offsets(&self) -> BTreeMap<(&str, i32), i64> {
        let mut next = BTreeMap::new();
        for m in &self.messages {
            let p = &m.position;
            let o = next.entry((p.topic.as_str(), p.partition)).or_insert(0);
            *o = (*o).max(p.offset + 1);
        }
        next
    }

    pub(crate) fn commit_list(&self) -> Result<TopicPartitionList, ConsumeError> {
        let mut tpl = TopicPartitionList::new();
        for ((topic, partition), offset) in self.next_offsets() {
            tpl.add_partition_offset(topic, partition, Offset::Offset(offset))?;
        }
        Ok(tpl)
    }
}

/// A message as the use case takes it.
pub(crate) fn owned(m: &BorrowedMessage<'_>) -> StreamMessage {
    StreamMessage {
        position: StreamPosition {
            topic: m.topic().to_owned(),
            partition: m.partition(),
            offset: m.offset(),
        },
        payload: m.payload().map(<[u8]>::to_vec),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(topic: &str, partition: i32, offset: i64) -> StreamMessage {
        StreamMessage {
            position: StreamPosition {
                topic: topic.into(),
                partition,
                offset,
            },
            payload: None,
        }
    }

    #[test]
    fn each_partition_commits_past_its_highest_offset() {
        let batch = Batch {
            messages: vec![
                at("a", 0, 5),
                at("a", 1, 9),
                at("a", 0, 7),
                at("b", 0, 0),
                at("a", 0, 6),
            ],
        };
        let next = batch.next_offsets();
        assert_eq!(
            next.into_iter().collect::<Vec<_>>(),
            vec![(("a", 0), 8), (("a", 1), 10), (("b", 0), 1)]
        );
        let tpl = batch.commit_list().unwrap();
        assert_eq!(tpl.count(), 3);
        assert_eq!(
            tpl.find_partition("a", 1).map(|e| e.offset()),
            Some(Offset::Offset(10))
        );
    }
}
