//! Group commit of the records of reads: a read hands its record over and
//! waits; one writer at a time takes everything queued (up to
//! [`MAX_GROUP`]) and stores it in one store call, then answers each read.
//! Under load many reads share one transaction, so recording costs a
//! fraction of a write per read; alone, a read waits for one write.
//!
//! The writer is a task spawned when a record finds none running and ends
//! when the queue is empty, rather than one long-lived task: actix-web runs
//! one runtime per worker, and a task bound to one worker for the life of
//! the process would stall every worker's reads when that one stops.

use std::mem;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use innsyn_domain::AccessRecord;
use innsyn_ports::StoreError;
use tokio::sync::oneshot;

use super::stats::ReadRecordCounters;
use crate::{AppError, Service};

/// Most records stored in one store call.
pub(crate) const MAX_GROUP: usize = 512;

type Answer = oneshot::Sender<Result<(), AppError>>;

/// The queue of records waiting for the writer.
#[derive(Default)]
pub(crate) struct GroupCommit {
    state: Mutex<Queue>,
    pub(crate) counters: ReadRecordCounters,
}

#[derive(Default)]
struct Queue {
    /// Each record with its read's answer and when it was handed over.
    pending: Vec<(AccessRecord, Answer, Instant)>,
    writing: bool,
}

impl GroupCommit {
    fn queue(&self) -> std::sync::MutexGuard<'_, Queue> {
        // The lock guards plain data, consistent after any panic.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Service {
    /// Stores `record` with whatever else is queued; returns once it is
    /// durable, or with the store's error.
    pub(crate) async fn commit_read(&self, record: AccessRecord) -> Result<(), AppError> {
        let (answer, durable) = oneshot::channel();
        let start_writer = {
            let mut q = self.inner().reads.queue();
            q.pending.push((record, answer, Instant::now()));
            !mem::replace(&mut q.writing, true)
        };
        if start_writer {
            tokio::spawn(self.clone().write_groups());
        }
        durable.await.unwrap_or_else(|_| {
            Err(StoreError::Unavailable("the writer of read records stopped".into()).into())
        })
    }

    /// The writer: one store call per group until nothing is queued.
    async fn write_groups(self) {
        let reads = &self.inner().reads;
        let mut stopped = Stopped(Some(reads));
        loop {
            let group = {
                let mut q = reads.queue();
                if q.pending.is_empty() {
                    // Under the lock: a record queued after this starts
                    // the next writer.
                    q.writing = false;
                    stopped.0 = None;
                    return;
                }
                let n = q.pending.len().min(MAX_GROUP);
                q.pending.drain(..n).collect::<Vec<_>>()
            };
            let n = group.len();
            let (mut records, mut answers) = (Vec::with_capacity(n), Vec::with_capacity(n));
            for (record, answer, queued) in group {
                records.push(record);
                answers.push((answer, queued));
            }
            let started = Instant::now();
            let result = self.store_reads(records).await;
            let call = result.as_ref().map_or(Default::default(), |call| *call);
            reads
                .counters
                .group(n, result.is_ok(), started.elapsed(), call);
            for (answer, queued) in answers {
                reads.counters.waited(queued.elapsed());
                // A read whose request went away no longer listens.
                let _ = answer.send(result.as_ref().map(|_| ()).map_err(again));
            }
        }
    }
}

/// When the writer ends before the queue is empty (a panic, its runtime
/// stopping): the reads still queued are answered "unavailable" (their
/// answers dropped) and the next record starts a new writer.
struct Stopped<'a>(Option<&'a GroupCommit>);

impl Drop for Stopped<'_> {
    fn drop(&mut self) {
        if let Some(reads) = self.0 {
            let mut q = reads.queue();
            q.pending.clear();
            q.writing = false;
        }
    }
}

/// The group's one error, for each of its reads.
fn again(e: &AppError) -> AppError {
    match e {
        AppError::Store(s) => AppError::Store(s.clone()),
        other => AppError::Internal(other.to_string()),
    }
}
