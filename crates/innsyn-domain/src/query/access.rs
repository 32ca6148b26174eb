//! The access-history query (seed 2), valid by construction.

use time::OffsetDateTime;

use super::cursor::Cursor;
use super::filter::AccessFilter;
use super::page::{DEFAULT_PAGE_SIZE, PageRequest, page_size, start_index};
use super::params::AccessHistoryParams;
use super::sort::{Sort, SortKey, SortOrder};
use crate::params::{InvalidParams, given};
use crate::subject::SubjectId;
use crate::timespec::TimeWindow;
use crate::zone::Zone;

/// An access-history query, valid by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessHistoryQuery {
    /// Whose history.
    pub owner: SubjectId,
    /// Filters.
    pub filter: AccessFilter,
    /// `[start, end)`.
    pub window: TimeWindow,
    /// Order.
    pub sort: Sort,
    /// Which page.
    pub page: PageRequest,
    /// Whether every filter value must exist in the catalog.
    pub validate: bool,
}

/// `validate` is a flag: present (with any value, as the seed says "if
/// specified") turns validation on.
fn flag(raw: Option<&str>) -> bool {
    raw.is_some()
}

impl AccessHistoryQuery {
    /// The query with every default [`Self::build`] applies to absent
    /// parameters, for callers that hold typed values and should not
    /// format strings for the domain to parse again: no filters, newest
    /// first, the first page of [`DEFAULT_PAGE_SIZE`], no cursor, no
    /// catalog validation.
    pub fn new(owner: SubjectId, window: TimeWindow) -> Self {
        Self {
            owner,
            filter: AccessFilter::default(),
            window,
            sort: Sort {
                key: SortKey::Timestamp,
                order: SortKey::Timestamp.default_order(),
            },
            page: PageRequest {
                start_index: 0,
                count: DEFAULT_PAGE_SIZE,
                after: None,
            },
            validate: false,
        }
    }

    /// Builds `owner`'s query from the raw parameters. The caller parses
    /// the path's `userId` first, since a bad owner is not a query
    /// parameter. Absent and empty parameters take the seed's defaults
    /// (those of [`Self::new`]); every bad parameter is reported, by name.
    pub fn build(
        owner: SubjectId,
        p: &AccessHistoryParams,
        now: OffsetDateTime,
        zone: Zone,
    ) -> Result<Self, InvalidParams> {
        let mut errors = InvalidParams::new();
        let filter = AccessFilter::from_params(&mut errors, p);

        let window =
            match TimeWindow::resolve(p.start_time.as_deref(), p.end_time.as_deref(), now, zone) {
                Ok(w) => Some(w),
                Err(e) => {
                    errors.extend_prefixed("", e);
                    None
                }
            };

        let count = errors.check("count", page_size(p.count.as_deref()));
        let start_index = errors.check("startIndex", start_index(p.start_index.as_deref()));

        let key = match errors.check("sortBy", given(p.sort_by.as_deref())) {
            Some(None) => Some(SortKey::Timestamp),
            Some(Some(s)) => errors.check("sortBy", s.parse::<SortKey>()),
            None => None,
        };
        let order = match errors.check("sortOrder", given(p.sort_order.as_deref())) {
            Some(None) => key.map(SortKey::default_order),
            Some(Some(s)) => errors.check("sortOrder", s.parse::<SortOrder>()),
            None => None,
        };
        let sort = key.zip(order).map(|(key, order)| Sort { key, order });

        let after = match errors.check("cursor", given(p.cursor.as_deref())).flatten() {
            None => None,
            Some(raw) => match (Cursor::decode(raw), sort) {
                (Ok(c), Some(sort)) if c.sort == sort => Some(c),
                (Ok(_), Some(_)) => {
                    errors.push(
                        "cursor",
                        "belongs to another sortBy/sortOrder; start again without it",
                    );
                    None
                }
                (Ok(_), None) => None,
                (Err(e), _) => {
                    errors.push("cursor", e);
                    None
                }
            },
        };
        let validate = flag(p.validate.as_deref());

        errors.finish(|| {
            Some(Self {
                filter,
                sort: sort?,
                page: PageRequest {
                    start_index: start_index?,
                    count: count?,
                    after,
                },
                validate,
                ..Self::new(owner, window?)
            })
        })
    }
}
