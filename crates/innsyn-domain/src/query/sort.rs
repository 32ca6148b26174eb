//! The sort of the access history: a total order, so that keyset paging
//! neither skips nor repeats a record.

use std::cmp::Ordering;
use std::str::FromStr;

use super::cursor::Cursor;
use crate::records::AccessHistoryEntry;

/// The fields an access history can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortKey {
    /// `timestamp` (default; default order descending)
    Timestamp,
    /// `application`
    Application,
    /// `clientId`
    ClientId,
    /// `resource`
    Resource,
    /// `action`
    Action,
    /// `purpose`
    Purpose,
    /// `decision`
    Decision,
}

impl SortKey {
    /// Every key, in the order the API documents them.
    pub const ALL: [SortKey; 7] = [
        SortKey::Timestamp,
        SortKey::Application,
        SortKey::ClientId,
        SortKey::Resource,
        SortKey::Action,
        SortKey::Purpose,
        SortKey::Decision,
    ];

    /// The parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Timestamp => "timestamp",
            SortKey::Application => "application",
            SortKey::ClientId => "clientId",
            SortKey::Resource => "resource",
            SortKey::Action => "action",
            SortKey::Purpose => "purpose",
            SortKey::Decision => "decision",
        }
    }

    /// The seed's default: descending for `timestamp`, else ascending.
    pub fn default_order(self) -> SortOrder {
        if self == SortKey::Timestamp {
            SortOrder::Desc
        } else {
            SortOrder::Asc
        }
    }
}

impl FromStr for SortKey {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| "must be one of timestamp, application, clientId, resource, action, purpose, decision".to_owned())
    }
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// `asc`
    Asc,
    /// `desc`
    Desc,
}

impl SortOrder {
    /// The parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Asc => "asc",
            SortOrder::Desc => "desc",
        }
    }
}

impl FromStr for SortOrder {
    type Err = &'static str;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "asc" | "ascending" => Ok(SortOrder::Asc),
            "desc" | "descending" => Ok(SortOrder::Desc),
            _ => Err("must be asc or desc"),
        }
    }
}

/// A total order over access records: the key, then timestamp, then id, all
/// in the same direction, so that keyset continuation is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sort {
    /// Primary key.
    pub key: SortKey,
    /// Direction of every component.
    pub order: SortOrder,
}

impl Sort {
    /// The value of the sort key of `entry` (`None` for `timestamp`, which
    /// the tie-break already covers). Text compares by UTF-8 bytes, and a
    /// decision by its canonical name, so every store agrees on the order.
    pub fn key_value(self, entry: &AccessHistoryEntry) -> Option<&str> {
        match self.key {
            SortKey::Timestamp => None,
            SortKey::Application => Some(&entry.application),
            SortKey::ClientId => Some(&entry.client_id),
            SortKey::Resource => Some(&entry.resource),
            SortKey::Action => Some(&entry.action),
            SortKey::Purpose => Some(&entry.purpose),
            SortKey::Decision => Some(entry.decision.as_str()),
        }
    }

    /// The total order of this sort: key, then timestamp, then id, all in
    /// the same direction.
    pub fn compare(self, a: &AccessHistoryEntry, b: &AccessHistoryEntry) -> Ordering {
        let ascending = self
            .key_value(a)
            .map(str::as_bytes)
            .cmp(&self.key_value(b).map(str::as_bytes))
            .then(a.occurred_at.cmp(&b.occurred_at))
            .then(a.id.as_bytes().cmp(b.id.as_bytes()));
        match self.order {
            SortOrder::Asc => ascending,
            SortOrder::Desc => ascending.reverse(),
        }
    }

    /// The cursor positioned right after `entry`.
    pub fn cursor_after(self, entry: &AccessHistoryEntry) -> Cursor {
        Cursor {
            sort: self,
            key_value: self.key_value(entry).map(str::to_owned),
            timestamp: entry.occurred_at,
            id: entry.id,
        }
    }

    /// Whether `entry` comes strictly after the cursor's position.
    pub fn is_after(self, cursor: &Cursor, entry: &AccessHistoryEntry) -> bool {
        let position = (
            cursor.key_value.as_deref().map(str::as_bytes),
            cursor.timestamp,
            *cursor.id.as_bytes(),
        );
        let here = (
            self.key_value(entry).map(str::as_bytes),
            entry.occurred_at,
            *entry.id.as_bytes(),
        );
        match self.order {
            SortOrder::Asc => here > position,
            SortOrder::Desc => here < position,
        }
    }
}
