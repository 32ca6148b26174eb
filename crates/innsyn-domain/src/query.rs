//! Queries of both histories, built from raw request parameters with every
//! rule of the contract: defaults, bounds, `application` XOR `clientId`,
//! decision validation, sort defaults and `startTime < endTime`.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::catalog::{CatalogKind, CatalogRef};
use crate::decision::Decision;
use crate::orgno::OrgNumber;
use crate::params::InvalidParams;
use crate::records::AccessHistoryEntry;
use crate::subject::SubjectId;
use crate::timespec::TimeWindow;
use crate::zone::Zone;

/// Largest page either API returns.
pub const MAX_PAGE_SIZE: u16 = 1000;
/// Default page size of both APIs.
pub const DEFAULT_PAGE_SIZE: u16 = 100;
/// Largest `startIndex` accepted; deeper pages should follow the `Link` cursor.
pub const MAX_START_INDEX: u64 = 1_000_000;
/// Longest filter value accepted.
pub const MAX_FILTER_LEN: usize = 1024;

/// Parses an optional page size in `1..=MAX_PAGE_SIZE`; absent or empty means the default.
fn page_size(raw: Option<&str>) -> Result<u16, String> {
    match raw.filter(|s| !s.is_empty()) {
        None => Ok(DEFAULT_PAGE_SIZE),
        Some(s) => s
            .parse::<u16>()
            .ok()
            .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
            .ok_or_else(|| format!("must be a whole number from 1 to {MAX_PAGE_SIZE}")),
    }
}

/// A citizen's login history: seed 1 (one organisation's services, newest
/// `max_hits`) or the citizen's own page (every service, a period, paging).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginHistoryQuery {
    /// The citizen, always taken from the access token or login session.
    pub subject: SubjectId,
    /// Only services of this organisation; `None` for the citizen's own view.
    pub orgno: Option<OrgNumber>,
    /// Only events in `[start, end)`; `None` for all time.
    pub window: Option<TimeWindow>,
    /// Only events of this client (service); `None` for all.
    pub client_id: Option<String>,
    /// Events to skip, newest first.
    pub start_index: u64,
    /// At most this many events, newest first.
    pub max_hits: u16,
}

impl LoginHistoryQuery {
    /// Builds the seed-1 query for an authorized caller from the raw `maxhits`.
    pub fn build(
        access: crate::policy::LoginHistoryAccess,
        max_hits: Option<&str>,
    ) -> Result<Self, InvalidParams> {
        let mut errors = InvalidParams::new();
        let max_hits = errors.check("maxhits", page_size(max_hits));
        errors.finish(|| {
            Some(Self {
                subject: access.subject,
                orgno: Some(access.orgno),
                window: None,
                client_id: None,
                start_index: 0,
                max_hits: max_hits?,
            })
        })
    }

    /// Whether a stored event with this time, organisation and client is selected.
    pub fn selects(
        &self,
        occurred_at: OffsetDateTime,
        orgno: Option<&OrgNumber>,
        client_id: Option<&str>,
    ) -> bool {
        self.orgno.as_ref().is_none_or(|want| orgno == Some(want))
            && self.window.is_none_or(|w| w.contains(occurred_at))
            && self
                .client_id
                .as_deref()
                .is_none_or(|want| client_id == Some(want))
    }
}

/// The raw query string of the access-history endpoint, exactly as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct AccessHistoryParams {
    pub application: Option<String>,
    pub client_id: Option<String>,
    pub resource: Option<String>,
    pub action: Option<String>,
    pub purpose: Option<String>,
    pub decision: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub count: Option<String>,
    pub start_index: Option<String>,
    pub sort_by: Option<String>,
    pub sort_order: Option<String>,
    pub validate: Option<String>,
    /// Keyset continuation from a previous page's `Link: rel="next"`.
    pub cursor: Option<String>,
}

/// Which application the records must come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationFilter {
    /// By application name.
    Name(String),
    /// By OAuth client id.
    ClientId(String),
}

/// A resource given by name or by URN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceFilter {
    /// Matches the resource name.
    Name(String),
    /// A value starting with `urn:` matches the resource URN.
    Urn(String),
}

impl ResourceFilter {
    /// `urn:…` (any case) is a URN, anything else a name.
    pub fn from_value(value: String) -> Self {
        if value
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
        {
            Self::Urn(value)
        } else {
            Self::Name(value)
        }
    }
}

/// The filters of an access-history query; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessFilter {
    /// `application` or `clientId`.
    pub application: Option<ApplicationFilter>,
    /// `resource`.
    pub resource: Option<ResourceFilter>,
    /// `action`.
    pub action: Option<String>,
    /// `purpose`.
    pub purpose: Option<String>,
    /// `decision`.
    pub decision: Option<Decision>,
}

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

fn filter_value(errors: &mut InvalidParams, name: &str, raw: Option<&str>) -> Option<String> {
    let value = raw.filter(|s| !s.is_empty())?;
    if value.len() > MAX_FILTER_LEN {
        errors.push(name, format!("must be at most {MAX_FILTER_LEN} bytes"));
        return None;
    }
    if value.chars().any(char::is_control) {
        errors.push(name, "must not contain control characters");
        return None;
    }
    Some(value.to_owned())
}

fn flag(raw: Option<&str>) -> Result<bool, &'static str> {
    match raw.map(str::to_ascii_lowercase).as_deref() {
        None => Ok(false),
        Some("" | "true" | "1" | "yes") => Ok(true),
        Some("false" | "0" | "no") => Ok(false),
        Some(_) => Err("is a flag: give it without a value, or true/false"),
    }
}

impl AccessHistoryQuery {
    /// Builds a query from the path's `userId` and the raw parameters.
    /// Absent and empty parameters take the seed's defaults; every bad
    /// parameter is reported, by name.
    pub fn build(
        user_id: &str,
        p: &AccessHistoryParams,
        now: OffsetDateTime,
        zone: Zone,
    ) -> Result<Self, InvalidParams> {
        let mut errors = InvalidParams::new();
        let owner = errors.check("userId", SubjectId::parse(user_id));

        let application = filter_value(&mut errors, "application", p.application.as_deref());
        let client_id = filter_value(&mut errors, "clientId", p.client_id.as_deref());
        let application = match (application, client_id) {
            (Some(_), Some(_)) => {
                errors.push(
                    "clientId",
                    "cannot be combined with application; give one of them",
                );
                None
            }
            (Some(name), None) => Some(ApplicationFilter::Name(name)),
            (None, Some(id)) => Some(ApplicationFilter::ClientId(id)),
            (None, None) => None,
        };
        let filter = AccessFilter {
            application,
            resource: filter_value(&mut errors, "resource", p.resource.as_deref())
                .map(ResourceFilter::from_value),
            action: filter_value(&mut errors, "action", p.action.as_deref()),
            purpose: filter_value(&mut errors, "purpose", p.purpose.as_deref()),
            decision: p
                .decision
                .as_deref()
                .filter(|s| !s.is_empty())
                .and_then(|d| errors.check("decision", Decision::parse(d))),
        };

        let window =
            match TimeWindow::resolve(p.start_time.as_deref(), p.end_time.as_deref(), now, zone) {
                Ok(w) => Some(w),
                Err(e) => {
                    errors.extend_prefixed("", e);
                    None
                }
            };

        let count = errors.check("count", page_size(p.count.as_deref()));
        let start_index = match p.start_index.as_deref().filter(|s| !s.is_empty()) {
            None => Some(0),
            Some(s) => errors.check(
                "startIndex",
                s.parse::<u64>()
                    .ok()
                    .filter(|n| *n <= MAX_START_INDEX)
                    .ok_or_else(|| format!("must be a whole number from 0 to {MAX_START_INDEX}")),
            ),
        };

        let key = match p.sort_by.as_deref().filter(|s| !s.is_empty()) {
            None => Some(SortKey::Timestamp),
            Some(s) => errors.check("sortBy", s.parse::<SortKey>()),
        };
        let order = match p.sort_order.as_deref().filter(|s| !s.is_empty()) {
            None => key.map(SortKey::default_order),
            Some(s) => errors.check("sortOrder", s.parse::<SortOrder>()),
        };
        let sort = key.zip(order).map(|(key, order)| Sort { key, order });

        let after = match p.cursor.as_deref().filter(|s| !s.is_empty()) {
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
        let validate = errors.check("validate", flag(p.validate.as_deref()));

        errors.finish(|| {
            Some(Self {
                owner: owner?,
                filter,
                window: window?,
                sort: sort?,
                page: PageRequest {
                    start_index: start_index?,
                    count: count?,
                    after,
                },
                validate: validate?,
            })
        })
    }

    /// The filter values `validate` must find in the catalog, with the
    /// parameter each came from. `decision` is not listed: it is always
    /// validated by parsing.
    pub fn catalog_refs(&self) -> Vec<CatalogRef> {
        let f = &self.filter;
        let mut refs = Vec::new();
        match &f.application {
            Some(ApplicationFilter::Name(v)) => {
                refs.push(CatalogRef::new(CatalogKind::Application, v))
            }
            Some(ApplicationFilter::ClientId(v)) => {
                refs.push(CatalogRef::new(CatalogKind::ClientId, v))
            }
            None => {}
        }
        match &f.resource {
            Some(ResourceFilter::Name(v)) => refs.push(CatalogRef::new(CatalogKind::Resource, v)),
            Some(ResourceFilter::Urn(v)) => refs.push(CatalogRef::new(CatalogKind::ResourceUrn, v)),
            None => {}
        }
        if let Some(v) = &f.action {
            refs.push(CatalogRef::new(CatalogKind::Action, v));
        }
        if let Some(v) = &f.purpose {
            refs.push(CatalogRef::new(CatalogKind::Purpose, v));
        }
        refs
    }

    /// Given whether each of [`Self::catalog_refs`] exists, the errors to
    /// report, or `Ok` when all exist.
    pub fn check_catalog(refs: &[CatalogRef], found: &[bool]) -> Result<(), InvalidParams> {
        let mut errors = InvalidParams::new();
        for (r, present) in refs.iter().zip(found) {
            if !present {
                errors.push(
                    r.kind.param_name(),
                    format!("no such {} is known (validate is on)", r.kind.noun()),
                );
            }
        }
        errors.finish(|| Some(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::LoginHistoryAccess;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2024-05-15 12:00 UTC);

    fn build(p: AccessHistoryParams) -> Result<AccessHistoryQuery, InvalidParams> {
        AccessHistoryQuery::build("12345678901", &p, NOW, Zone::oslo())
    }

    fn names(e: &InvalidParams) -> Vec<&str> {
        e.params().iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn defaults_follow_the_seed() {
        let q = build(AccessHistoryParams::default()).unwrap();
        assert_eq!(q.owner.expose(), "12345678901");
        assert_eq!(q.filter, AccessFilter::default());
        assert_eq!(q.window.end, NOW);
        assert_eq!(q.window.start, datetime!(2024-05-14 12:00 UTC));
        assert_eq!(
            q.sort,
            Sort {
                key: SortKey::Timestamp,
                order: SortOrder::Desc
            }
        );
        assert_eq!(
            q.page,
            PageRequest {
                start_index: 0,
                count: 100,
                after: None
            }
        );
        assert!(!q.validate);
    }

    #[test]
    fn non_timestamp_sorts_default_to_ascending() {
        for key in SortKey::ALL {
            let q = build(AccessHistoryParams {
                sort_by: Some(key.as_str().into()),
                ..Default::default()
            })
            .unwrap();
            assert_eq!(q.sort.order, key.default_order());
            assert_eq!(q.sort.order == SortOrder::Desc, key == SortKey::Timestamp);
        }
        let q = build(AccessHistoryParams {
            sort_by: Some("CLIENTID".into()),
            sort_order: Some("DESC".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            q.sort,
            Sort {
                key: SortKey::ClientId,
                order: SortOrder::Desc
            }
        );
    }

    #[test]
    fn application_and_client_id_are_exclusive() {
        let err = build(AccessHistoryParams {
            application: Some("a".into()),
            client_id: Some("b".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(names(&err), ["clientId"]);
        let q = build(AccessHistoryParams {
            client_id: Some("b".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            q.filter.application,
            Some(ApplicationFilter::ClientId("b".into()))
        );
        let q = build(AccessHistoryParams {
            application: Some("a".into()),
            client_id: Some(String::new()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            q.filter.application,
            Some(ApplicationFilter::Name("a".into()))
        );
    }

    #[test]
    fn resource_is_a_name_or_a_urn() {
        let q = build(AccessHistoryParams {
            resource: Some("URN:altinn:resource:skatt".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            q.filter.resource,
            Some(ResourceFilter::Urn("URN:altinn:resource:skatt".into()))
        );
        let q = build(AccessHistoryParams {
            resource: Some("skattemelding".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            q.filter.resource,
            Some(ResourceFilter::Name("skattemelding".into()))
        );
    }

    #[test]
    fn decision_is_always_validated() {
        let err = build(AccessHistoryParams {
            decision: Some("Allow".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(names(&err), ["decision"]);
        let q = build(AccessHistoryParams {
            decision: Some("deny".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(q.filter.decision, Some(Decision::Deny));
    }

    #[test]
    fn bounds_of_count_and_start_index() {
        for (count, ok) in [
            ("1", true),
            ("1000", true),
            ("0", false),
            ("1001", false),
            ("-1", false),
            ("ten", false),
            ("1.5", false),
        ] {
            let r = build(AccessHistoryParams {
                count: Some(count.into()),
                ..Default::default()
            });
            assert_eq!(r.is_ok(), ok, "count={count}");
        }
        for (index, ok) in [
            ("0", true),
            ("1000000", true),
            ("1000001", false),
            ("-1", false),
            ("x", false),
        ] {
            let r = build(AccessHistoryParams {
                start_index: Some(index.into()),
                ..Default::default()
            });
            assert_eq!(r.is_ok(), ok, "startIndex={index}");
        }
    }

    #[test]
    fn every_bad_parameter_is_reported_by_name() {
        let err = build(AccessHistoryParams {
            application: Some("a".into()),
            client_id: Some("b".into()),
            decision: Some("maybe".into()),
            start_time: Some("soon".into()),
            end_time: Some("later".into()),
            count: Some("0".into()),
            start_index: Some("-5".into()),
            sort_by: Some("colour".into()),
            sort_order: Some("sideways".into()),
            validate: Some("perhaps".into()),
            cursor: Some("nonsense".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            names(&err),
            [
                "clientId",
                "decision",
                "startTime",
                "endTime",
                "count",
                "startIndex",
                "sortBy",
                "sortOrder",
                "cursor",
                "validate"
            ]
        );
        assert!(err.params().iter().all(|p| !p.reason.is_empty()));
        let err = AccessHistoryQuery::build("", &AccessHistoryParams::default(), NOW, Zone::oslo())
            .unwrap_err();
        assert_eq!(names(&err), ["userId"]);
    }

    #[test]
    fn validate_flag_forms() {
        for (raw, want) in [
            ("", true),
            ("true", true),
            ("1", true),
            ("false", false),
            ("0", false),
        ] {
            let q = build(AccessHistoryParams {
                validate: Some(raw.into()),
                ..Default::default()
            })
            .unwrap();
            assert_eq!(q.validate, want, "{raw:?}");
        }
    }

    #[test]
    fn cursor_round_trips_and_must_match_the_sort() {
        let c = Cursor {
            sort: Sort {
                key: SortKey::Resource,
                order: SortOrder::Asc,
            },
            key_value: Some("skattemelding/æøå.x".into()),
            timestamp: datetime!(2024-05-01 10:00:00.123456789 UTC),
            id: Uuid::from_u128(42),
        };
        let encoded = c.encode();
        assert!(
            encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.')
        );
        assert_eq!(Cursor::decode(&encoded), Ok(c.clone()));
        let q = build(AccessHistoryParams {
            sort_by: Some("resource".into()),
            cursor: Some(encoded.clone()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(q.page.after, Some(c));
        let err = build(AccessHistoryParams {
            cursor: Some(encoded),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(names(&err), ["cursor"]);
        for bad in [
            "",
            "c1",
            "c2.timestamp.desc.0.00000000000000000000000000000000.",
            "c1.timestamp.desc.x.0.",
            "c1.timestamp.desc.0.00000000000000000000000000000000.f",
        ] {
            assert!(Cursor::decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sort_order_is_total_and_cursors_continue_it() {
        use crate::decision::Decision;
        let entry = |id: u128, app: &str, minute: u8| AccessHistoryEntry {
            id: Uuid::from_u128(id),
            occurred_at: datetime!(2024-05-01 10:00 UTC)
                .replace_minute(minute)
                .unwrap(),
            application: app.into(),
            client_id: "c".into(),
            resource: "r".into(),
            resource_urn: None,
            action: "read".into(),
            purpose: "p".into(),
            decision: Decision::Permit,
        };
        let entries = [
            entry(1, "b", 1),
            entry(2, "a", 2),
            entry(3, "a", 1),
            entry(4, "Å", 0),
            entry(5, "a", 1),
        ];
        for key in SortKey::ALL {
            for order in [SortOrder::Asc, SortOrder::Desc] {
                let sort = Sort { key, order };
                let mut sorted = entries.to_vec();
                sorted.sort_by(|a, b| sort.compare(a, b));
                for (i, e) in sorted.iter().enumerate() {
                    let cursor = sort.cursor_after(e);
                    let rest: Vec<_> = sorted
                        .iter()
                        .filter(|x| sort.is_after(&cursor, x))
                        .cloned()
                        .collect();
                    assert_eq!(rest, sorted[i + 1..], "{key:?} {order:?} {i}");
                }
            }
        }
        let by_app = Sort {
            key: SortKey::Application,
            order: SortOrder::Asc,
        };
        let mut sorted = entries.to_vec();
        sorted.sort_by(|a, b| by_app.compare(a, b));
        let ids: Vec<u128> = sorted.iter().map(|e| e.id.as_u128()).collect();
        assert_eq!(ids, [3, 5, 2, 1, 4]);
    }

    #[test]
    fn catalog_refs_name_their_parameters() {
        let q = build(AccessHistoryParams {
            client_id: Some("c".into()),
            resource: Some("urn:r".into()),
            action: Some("read".into()),
            purpose: Some("p".into()),
            ..Default::default()
        })
        .unwrap();
        let refs = q.catalog_refs();
        assert_eq!(refs.len(), 4);
        assert!(AccessHistoryQuery::check_catalog(&refs, &[true; 4]).is_ok());
        let err =
            AccessHistoryQuery::check_catalog(&refs, &[true, false, true, false]).unwrap_err();
        assert_eq!(names(&err), ["resource", "purpose"]);
    }

    #[test]
    fn max_hits_defaults_and_bounds() {
        let access = || LoginHistoryAccess {
            subject: SubjectId::parse("12345678901").unwrap(),
            orgno: "991825827".parse().unwrap(),
        };
        assert_eq!(
            LoginHistoryQuery::build(access(), None).unwrap().max_hits,
            100
        );
        assert_eq!(
            LoginHistoryQuery::build(access(), Some("5"))
                .unwrap()
                .max_hits,
            5
        );
        assert_eq!(
            LoginHistoryQuery::build(access(), Some("1000"))
                .unwrap()
                .max_hits,
            1000
        );
        for bad in ["0", "1001", "-1", "many", "5 "] {
            let err = LoginHistoryQuery::build(access(), Some(bad)).unwrap_err();
            assert_eq!(names(&err), ["maxhits"], "{bad}");
        }
    }
}
