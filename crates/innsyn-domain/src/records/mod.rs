//! What is stored: login events (from ID-porten's ActivityRecord) and access
//! records, with the validation that turns wire objects into them.

mod access_record;
mod activity;
mod batch;
mod fields;
mod fingerprint;
mod history;
mod history_read;
mod horizon;
mod log_entry;
mod login_event;

#[cfg(test)]
mod access_record_tests;
#[cfg(test)]
mod batch_tests;
#[cfg(test)]
mod history_read_tests;
#[cfg(test)]
mod history_tests;
#[cfg(test)]
mod login_event_tests;
#[cfg(test)]
mod test_support;

pub use access_record::{AccessRecord, AccessRecordInput};
pub use activity::{ActivityRecord, Party};
pub use batch::{AppendOutcome, validate_batch};
pub use history::{AccessHistoryEntry, AccessPage, LoginHistoryEntry};
pub use history_read::{
    ACCESS_HISTORY_RESOURCE, ACCESS_HISTORY_URN, HistoryKind, HistoryRead, LOGIN_HISTORY_RESOURCE,
    LOGIN_HISTORY_URN, READ_ACTION, ReadPurpose, Reader, UNKNOWN_CLIENT, filters_on_reads,
    is_read_resource, read_resources, records_access_read,
};
pub use horizon::{Horizon, TooFarAhead};
pub use log_entry::unix_micros;
pub use login_event::LoginEvent;

/// Longest text field accepted at ingestion.
pub const MAX_TEXT_LEN: usize = 1024;
/// Largest batch either ingestion endpoint accepts.
pub const MAX_BATCH: usize = 10_000;
