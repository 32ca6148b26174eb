//! Listing cases: newest first, a page at a time, by a keyset cursor.

use std::fmt;

use time::OffsetDateTime;
use uuid::Uuid;

use super::dispute::{Dispute, DisputeStatus};
use super::party::DisputeParty;

/// The most cases one page holds.
pub const MAX_DISPUTE_PAGE: u16 = 100;

/// One page of one party's cases, in the order `(opened_at, id)` descending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeQuery {
    /// Whose cases: every read is scoped to a party.
    pub party: DisputeParty,
    /// Only cases with this status.
    pub status: Option<DisputeStatus>,
    /// Start right after this position.
    pub after: Option<DisputeCursor>,
    /// At most this many (1..=[`MAX_DISPUTE_PAGE`]).
    pub limit: u16,
}

/// A position in the listing: the last case of the page before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisputeCursor {
    /// Its opening time, to the microsecond.
    pub opened_at: OffsetDateTime,
    /// Its id, breaking ties.
    pub id: Uuid,
}

/// A string that is no cursor of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be the nextCursor of an earlier page")]
pub struct DisputeCursorError;

impl DisputeCursor {
    /// The position of `d`.
    pub fn of(d: &Dispute) -> Self {
        Self {
            opened_at: d.opened_at,
            id: d.id,
        }
    }

    /// Whether `d` comes after this position in the listing's order.
    pub fn precedes(&self, d: &Dispute) -> bool {
        (d.opened_at, d.id) < (self.opened_at, self.id)
    }

    /// Parses the text form `<microseconds since the epoch, 1–16
    /// digits>.<id>`.
    pub fn parse(raw: &str) -> Result<Self, DisputeCursorError> {
        let (us, id) = raw.split_once('.').ok_or(DisputeCursorError)?;
        if us.is_empty() || us.len() > 16 || !us.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DisputeCursorError);
        }
        let us: i64 = us.parse().map_err(|_| DisputeCursorError)?;
        let opened_at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(us) * 1_000)
            .map_err(|_| DisputeCursorError)?;
        if id.len() != 36 {
            return Err(DisputeCursorError);
        }
        let id = Uuid::try_parse(id).map_err(|_| DisputeCursorError)?;
        Ok(Self { opened_at, id })
    }
}

impl fmt::Display for DisputeCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let us = self.opened_at.unix_timestamp_nanos().div_euclid(1_000);
        write!(f, "{us}.{}", self.id)
    }
}

impl DisputeStatus {
    /// Whether a listing filtered by `filter` includes this status.
    pub fn matches(self, filter: Option<DisputeStatus>) -> bool {
        filter.is_none_or(|f| f == self)
    }
}
