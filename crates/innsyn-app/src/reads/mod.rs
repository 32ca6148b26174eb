//! Every successful read of a citizen's history becomes an access record
//! of that citizen (issue 15): written by group commit, durable before the
//! read is answered.

mod applications;
mod group_commit;
mod stats;

use innsyn_domain::records::{HistoryKind, HistoryRead, ReadPurpose, Reader};
use innsyn_domain::{AccessRecord, Caller, SubjectId};
use std::time::{Duration, Instant};

use uuid::Uuid;

pub(crate) use applications::Applications;
pub(crate) use group_commit::GroupCommit;
pub use stats::ReadRecordStats;

use crate::{AppError, Service};

impl Service {
    /// Records that `caller` read `rows` rows of `owner`'s `kind` history,
    /// unless `record_reads` is off; returns once the record is durable.
    ///
    /// # Errors
    /// [`AppError::Store`] when it could not be stored: the read must then
    /// not be answered as if it were recorded.
    pub(crate) async fn record_read(
        &self,
        caller: &Caller,
        owner: SubjectId,
        kind: HistoryKind,
        purpose: ReadPurpose,
        rows: usize,
    ) -> Result<(), AppError> {
        let reader = Reader {
            client_id: caller.client_id.clone(),
            application: None,
            orgno: caller.orgno.clone(),
        };
        self.record_read_by(reader, owner, kind, purpose, rows)
            .await
    }

    /// [`Self::record_read`] for a reader that is no token's caller (the
    /// citizen's own downloads from the page).
    pub(crate) async fn record_read_by(
        &self,
        reader: Reader,
        owner: SubjectId,
        kind: HistoryKind,
        purpose: ReadPurpose,
        rows: usize,
    ) -> Result<(), AppError> {
        if !self.inner().settings.record_reads {
            return Ok(());
        }
        let read = HistoryRead {
            id: Uuid::new_v4(),
            at: self.now(),
            owner,
            kind,
            purpose,
            reader,
            rows,
        };
        let record = read
            .to_record()
            .map_err(|e| AppError::Internal(format!("the record of a read is invalid: {e}")))?;
        self.commit_read(record).await
    }

    /// One group of records in one store call, the catalog lookup
    /// included; returns how long the store itself worked on it.
    async fn store_reads(&self, mut records: Vec<AccessRecord>) -> Result<Duration, AppError> {
        let me = self.clone();
        self.with_store(move |store| {
            let started = Instant::now();
            let catalog = &me.inner().applications;
            catalog.register_resources(store)?;
            catalog.name(store, &mut records)?;
            store.append_access_records(&records)?;
            Ok(started.elapsed())
        })
        .await
    }

    /// Where the time of recording reads went, since the process started.
    pub fn read_record_stats(&self) -> ReadRecordStats {
        self.inner().reads.counters.stats()
    }
}
