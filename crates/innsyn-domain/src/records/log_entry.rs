//! The records as the log's leaves encode them ([`innsyn_tlog::LoginEntry`],
//! [`innsyn_tlog::AccessEntry`]): the one mapping from what the history
//! shows to what a leaf commits to, for every store and the export.

use innsyn_tlog::{AccessEntry, LoginEntry};
use time::OffsetDateTime;

use super::history::{AccessHistoryEntry, LoginHistoryEntry};

/// Microseconds since 1970 UTC, rounded down: the precision every store
/// keeps, and its time column in SQLite.
pub fn unix_micros(t: OffsetDateTime) -> i64 {
    let us = t.unix_timestamp_nanos().div_euclid(1000);
    i64::try_from(us).unwrap_or(if us < 0 { i64::MIN } else { i64::MAX })
}

impl LoginHistoryEntry {
    /// The leaf entry of this event of the subject keyed `subject_key`.
    pub fn log_entry<'a>(&'a self, subject_key: &'a [u8]) -> LoginEntry<'a> {
        LoginEntry {
            subject_key,
            key: self.key.as_bytes(),
            occurred_at_us: unix_micros(self.occurred_at),
            service_name: self.service_name.as_deref(),
            eid: self.eid.as_deref(),
            method: self.method.as_deref(),
            client_id: self.client_id.as_deref(),
            orgno: self.orgno.as_ref().map(|o| o.as_str()),
        }
    }
}

impl AccessHistoryEntry {
    /// The leaf entry of this record of the owner keyed `subject_key`.
    pub fn log_entry<'a>(&'a self, subject_key: &'a [u8]) -> AccessEntry<'a> {
        AccessEntry {
            subject_key,
            id: self.id.as_bytes(),
            occurred_at_us: unix_micros(self.occurred_at),
            application: &self.application,
            client_id: &self.client_id,
            resource: &self.resource,
            resource_urn: self.resource_urn.as_deref(),
            action: &self.action,
            purpose: &self.purpose,
            decision: self.decision.as_str(),
            orgno: self.orgno.as_ref().map(|o| o.as_str()),
        }
    }
}
