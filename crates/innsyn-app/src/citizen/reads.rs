//! "Hvem har sett historikken din": the newest records of reads of the
//! citizen's own history (issue 15), for their own section of the page.
//! They are access records like any other, so the look-up table shows them
//! too; the section puts them together, newest first, whatever the filters.

use innsyn_domain::records::read_resources;
use innsyn_domain::{AccessHistoryEntry, AccessHistoryQuery, ResourceFilter, SubjectId};
use innsyn_ports::HistoryStore;
use time::OffsetDateTime;

use super::history::access_page;
use super::view::all_time;
use crate::AppError;

/// Reads shown in the section: the latest few, not a second history table.
pub const HISTORY_READS_SHOWN: u16 = 10;

/// The newest `HISTORY_READS_SHOWN` reads of `subject`'s history: one
/// page per read resource (each an index range of the owner's records
/// filtered by resource), merged by time.
pub(crate) fn history_reads(
    store: &dyn HistoryStore,
    subject: &SubjectId,
    now: OffsetDateTime,
) -> Result<Vec<AccessHistoryEntry>, AppError> {
    let mut reads = Vec::new();
    for resource in read_resources() {
        let mut q = AccessHistoryQuery::new(subject.clone(), all_time(now));
        q.filter.resource = Some(ResourceFilter::Name(resource.name));
        q.page.count = HISTORY_READS_SHOWN;
        reads.extend(access_page(store, &q)?.entries);
    }
    reads.sort_by_key(|r| std::cmp::Reverse((r.occurred_at, r.id)));
    reads.truncate(usize::from(HISTORY_READS_SHOWN));
    Ok(reads)
}
