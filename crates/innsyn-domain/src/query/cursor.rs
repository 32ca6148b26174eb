//! The keyset cursor of the access history: where the next page starts.

use std::fmt;

use time::OffsetDateTime;
use uuid::Uuid;

use super::sort::{Sort, SortKey, SortOrder};

/// Position after the last record of a page: the keyset continuation that
/// makes deep pages cost as much as the first.
#[derive(Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The sort the cursor was issued for.
    pub sort: Sort,
    /// The last record's value of the sort key (absent for `timestamp`).
    pub key_value: Option<String>,
    /// The last record's timestamp.
    pub timestamp: OffsetDateTime,
    /// The last record's id.
    pub id: Uuid,
}

impl fmt::Debug for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cursor")
            .field("sort", &self.sort)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

const CURSOR_VERSION: &str = "c1";

impl Cursor {
    /// The opaque, URL-safe text form used in `Link` headers.
    pub fn encode(&self) -> String {
        let value_hex: String = self
            .key_value
            .as_deref()
            .unwrap_or("")
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!(
            "{CURSOR_VERSION}.{}.{}.{}.{}.{value_hex}",
            self.sort.key.as_str(),
            self.sort.order.as_str(),
            self.timestamp.unix_timestamp_nanos(),
            self.id.simple(),
        )
    }

    /// Reads [`Cursor::encode`]'s form back.
    pub fn decode(raw: &str) -> Result<Self, &'static str> {
        const BAD: &str = "is not a cursor issued by this server; follow the Link header or start again without it";
        let mut parts = raw.split('.');
        let (
            Some(CURSOR_VERSION),
            Some(key),
            Some(order),
            Some(nanos),
            Some(id),
            Some(value),
            None,
        ) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        )
        else {
            return Err(BAD);
        };
        let key: SortKey = key.parse().map_err(|_| BAD)?;
        let order: SortOrder = order.parse().map_err(|_| BAD)?;
        let nanos: i128 = nanos.parse().map_err(|_| BAD)?;
        let timestamp = OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|_| BAD)?;
        let id = Uuid::try_parse(id).map_err(|_| BAD)?;
        if value.len() % 2 != 0 {
            return Err(BAD);
        }
        let bytes = (0..value.len())
            .step_by(2)
            .map(|i| {
                value
                    .get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            })
            .collect::<Option<Vec<u8>>>()
            .ok_or(BAD)?;
        let value = String::from_utf8(bytes).map_err(|_| BAD)?;
        let key_value = if key == SortKey::Timestamp {
            None
        } else {
            Some(value)
        };
        Ok(Self {
            sort: Sort { key, order },
            key_value,
            timestamp,
            id,
        })
    }
}
