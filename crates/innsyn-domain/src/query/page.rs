//! Paging of both histories: page sizes, offsets and the keyset position.

use super::cursor::Cursor;
use crate::params::given;

/// Largest page either API returns.
pub const MAX_PAGE_SIZE: u16 = 1000;
/// Default page size of both APIs.
pub const DEFAULT_PAGE_SIZE: u16 = 100;
/// Largest `startIndex` accepted; deeper pages should follow the `Link` cursor.
pub const MAX_START_INDEX: u64 = 1_000_000;

/// Parses an optional page size in `1..=MAX_PAGE_SIZE`; absent means the default.
pub(super) fn page_size(raw: Option<&str>) -> Result<u16, String> {
    match given(raw)? {
        None => Ok(DEFAULT_PAGE_SIZE),
        Some(s) => s
            .parse::<u16>()
            .ok()
            .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
            .ok_or_else(|| format!("must be a whole number from 1 to {MAX_PAGE_SIZE}")),
    }
}

/// Parses an optional offset in `0..=MAX_START_INDEX`; absent means 0.
pub(super) fn start_index(raw: Option<&str>) -> Result<u64, String> {
    match given(raw)? {
        None => Ok(0),
        Some(s) => s
            .parse::<u64>()
            .ok()
            .filter(|n| *n <= MAX_START_INDEX)
            .ok_or_else(|| format!("must be a whole number from 0 to {MAX_START_INDEX}")),
    }
}

/// Paging of an access-history query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// The absolute index of the first record, as the client counts.
    pub start_index: u64,
    /// The page size.
    pub count: u16,
    /// When present, the page starts right after this position and
    /// `start_index` is only reported back, not skipped.
    pub after: Option<Cursor>,
}
