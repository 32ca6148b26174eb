//! What the page shows, read through the domain's queries and the store
//! port (blocking: callers run this on actix's blocking pool).

use std::collections::{BTreeMap, HashMap};

use innsyn_domain::query::MAX_PAGE_SIZE;
use innsyn_domain::{
    AccessHistoryEntry, AccessHistoryParams, AccessHistoryQuery, Decision, LoginFlag,
    LoginHistoryEntry, LoginHistoryQuery, SubjectId, TimeWindow, Zone, login_flags,
};
use innsyn_ports::{HistoryStore, StoreError};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Rows per table page.
pub(crate) const PAGE_SIZE: u16 = 20;
/// How much of a person's login history the hints and the service list look
/// at: plenty for habits, bounded for cost.
pub(crate) const INSIGHT_HISTORY: u64 = 5_000;
/// The most an export holds of each kind.
pub(crate) const EXPORT_LIMIT: u64 = 100_000;
/// An absolute start before any record, for "all history".
const ALL_TIME_START: &str = "1970-01-01T00:00:00Z";

/// The choices of the period filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Period {
    Days7,
    Days30,
    Days90,
    #[default]
    Year,
    All,
}

impl Period {
    pub(crate) const ALL: [Period; 5] = [
        Period::Days7,
        Period::Days30,
        Period::Days90,
        Period::Year,
        Period::All,
    ];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Period::Days7 => "7d",
            Period::Days30 => "30d",
            Period::Days90 => "90d",
            Period::Year => "1y",
            Period::All => "alle",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == raw)
    }

    /// The seed-2 `startTime` grammar for this period.
    fn start_time(self) -> &'static str {
        match self {
            Period::Days7 => "-7d",
            Period::Days30 => "-30d",
            Period::Days90 => "-90d",
            Period::Year => "-1y",
            Period::All => ALL_TIME_START,
        }
    }
}

/// The page's query string as sent; unknown or bad values fall back to the
/// defaults instead of failing, since they come from our own form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct PageParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) periode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) tjeneste: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) utfall: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) side: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) oppslagside: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lang: Option<String>,
}

/// The filters, validated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Filters {
    pub(crate) period: Period,
    pub(crate) service: Option<String>,
    pub(crate) decision: Option<Decision>,
    /// Zero-based page of the login table.
    pub(crate) login_page: u64,
    /// Zero-based page of the access table.
    pub(crate) access_page: u64,
}

fn page_number(raw: Option<&str>) -> u64 {
    // Shown one-based; a page past the store's deepest index is clamped.
    raw.and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(0, |n| n.saturating_sub(1))
        .min(innsyn_domain::query::MAX_START_INDEX / u64::from(PAGE_SIZE))
}

impl Filters {
    pub(crate) fn from_params(p: &PageParams) -> Self {
        Self {
            period: p
                .periode
                .as_deref()
                .and_then(Period::parse)
                .unwrap_or_default(),
            service: p
                .tjeneste
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty() && s.len() <= innsyn_domain::query::MAX_FILTER_LEN)
                .filter(|s| !s.chars().any(char::is_control))
                .map(str::to_owned),
            decision: p.utfall.as_deref().and_then(|d| Decision::parse(d).ok()),
            login_page: page_number(p.side.as_deref()),
            access_page: page_number(p.oppslagside.as_deref()),
        }
    }

    /// The query string that reproduces these filters (pages and language
    /// left to the caller).
    pub(crate) fn params(&self) -> PageParams {
        PageParams {
            periode: (self.period != Period::default()).then(|| self.period.code().to_owned()),
            tjeneste: self.service.clone(),
            utfall: self.decision.map(|d| d.as_str().to_owned()),
            ..PageParams::default()
        }
    }
}

/// Why the page could not be loaded.
#[derive(Debug)]
pub(crate) enum LoadError {
    Store(StoreError),
    /// The domain refused a query we built; a bug, not the citizen's fault.
    Query(String),
}

impl From<StoreError> for LoadError {
    fn from(e: StoreError) -> Self {
        LoadError::Store(e)
    }
}

/// One login row with its hints.
#[derive(Debug, Clone)]
pub(crate) struct LoginRow {
    pub(crate) entry: LoginHistoryEntry,
    pub(crate) flags: Vec<LoginFlag>,
}

/// A service the citizen has met, for the filter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ServiceOption {
    pub(crate) label: String,
    pub(crate) client_id: String,
}

/// Everything one view of the page shows.
#[derive(Debug, Clone)]
pub(crate) struct PageData {
    pub(crate) logins: Vec<LoginRow>,
    pub(crate) logins_more: bool,
    pub(crate) flagged_in_view: usize,
    pub(crate) access: Vec<AccessHistoryEntry>,
    pub(crate) access_more: bool,
    pub(crate) services: Vec<ServiceOption>,
}

type FlagKey = (
    OffsetDateTime,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn flag_key(e: &LoginHistoryEntry) -> FlagKey {
    (
        e.occurred_at,
        e.client_id.clone(),
        e.eid.clone(),
        e.method.clone(),
    )
}

/// Every login of `subject` (all services, all time), newest first, up to `limit`.
pub(crate) fn all_logins(
    store: &dyn HistoryStore,
    subject: &SubjectId,
    window: Option<TimeWindow>,
    limit: u64,
) -> Result<Vec<LoginHistoryEntry>, StoreError> {
    let mut out = Vec::new();
    loop {
        let q = LoginHistoryQuery {
            subject: subject.clone(),
            orgno: None,
            window,
            client_id: None,
            start_index: out.len() as u64,
            max_hits: MAX_PAGE_SIZE,
        };
        let batch = store.login_history(&q)?;
        let done = batch.len() < usize::from(MAX_PAGE_SIZE);
        out.extend(batch);
        if done || out.len() as u64 >= limit {
            out.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            return Ok(out);
        }
    }
}

/// Every access record of `subject` in the period, newest first, up to
/// `limit`, following keyset cursors so deep pages stay cheap.
pub(crate) fn all_access(
    store: &dyn HistoryStore,
    subject: &SubjectId,
    params: AccessHistoryParams,
    now: OffsetDateTime,
    zone: Zone,
    limit: u64,
) -> Result<Vec<AccessHistoryEntry>, LoadError> {
    let mut q = AccessHistoryQuery::build(
        subject.expose(),
        &AccessHistoryParams {
            count: Some(MAX_PAGE_SIZE.to_string()),
            ..params
        },
        now,
        zone,
    )
    .map_err(|e| LoadError::Query(e.to_string()))?;
    let mut out: Vec<AccessHistoryEntry> = Vec::new();
    loop {
        let page = store.access_history(&q)?;
        out.extend(page.entries);
        if !page.has_more || out.len() as u64 >= limit {
            out.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            return Ok(out);
        }
        match out.last() {
            Some(last) => q.page.after = Some(q.sort.cursor_after(last)),
            None => return Ok(out),
        }
    }
}

/// The access-history parameters of the page's filters.
fn access_params(f: &Filters, service: Option<String>) -> AccessHistoryParams {
    AccessHistoryParams {
        client_id: service,
        decision: f.decision.map(|d| d.as_str().to_owned()),
        start_time: Some(f.period.start_time().to_owned()),
        ..AccessHistoryParams::default()
    }
}

/// The login query's window for a period (`None`: all time).
fn login_window(
    period: Period,
    now: OffsetDateTime,
    zone: Zone,
) -> Result<Option<TimeWindow>, LoadError> {
    if period == Period::All {
        return Ok(None);
    }
    TimeWindow::resolve(Some(period.start_time()), None, now, zone)
        .map(Some)
        .map_err(|e| LoadError::Query(e.to_string()))
}

/// Loads one view of the page.
pub(crate) fn load_page(
    store: &dyn HistoryStore,
    subject: &SubjectId,
    f: &Filters,
    now: OffsetDateTime,
    zone: Zone,
) -> Result<PageData, LoadError> {
    // Hints compare each login with the person's whole (recent) history,
    // not only with what the filters show.
    let history = all_logins(store, subject, None, INSIGHT_HISTORY)?;
    let flags = login_flags(&history, zone);
    let mut by_key: HashMap<FlagKey, Vec<LoginFlag>> = HashMap::new();
    let mut services: BTreeMap<String, String> = BTreeMap::new();
    for (entry, flags) in history.iter().zip(flags) {
        if let Some(id) = &entry.client_id {
            services
                .entry(id.clone())
                .or_insert_with(|| entry.service_name.clone().unwrap_or_else(|| id.clone()));
        }
        by_key.entry(flag_key(entry)).or_default().extend(flags);
    }
    let known_apps = all_access(
        store,
        subject,
        access_params(&Filters::default(), None),
        now,
        zone,
        u64::from(MAX_PAGE_SIZE),
    )?;
    for r in &known_apps {
        services
            .entry(r.client_id.clone())
            .or_insert_with(|| r.application.clone());
    }

    let window = login_window(f.period, now, zone)?;
    let q = LoginHistoryQuery {
        subject: subject.clone(),
        orgno: None,
        window,
        client_id: f.service.clone(),
        start_index: f.login_page * u64::from(PAGE_SIZE),
        max_hits: PAGE_SIZE + 1,
    };
    let mut page = store.login_history(&q)?;
    let logins_more = page.len() > usize::from(PAGE_SIZE);
    page.truncate(usize::from(PAGE_SIZE));
    let logins: Vec<LoginRow> = page
        .into_iter()
        .map(|entry| {
            let mut flags = by_key.get(&flag_key(&entry)).cloned().unwrap_or_default();
            flags.sort();
            flags.dedup();
            LoginRow { entry, flags }
        })
        .collect();
    let flagged_in_view = history
        .iter()
        .filter(|e| q.selects(e.occurred_at, None, e.client_id.as_deref()))
        .filter(|e| by_key.get(&flag_key(e)).is_some_and(|f| !f.is_empty()))
        .count();

    let mut access_q = AccessHistoryQuery::build(
        subject.expose(),
        &AccessHistoryParams {
            count: Some(PAGE_SIZE.to_string()),
            start_index: Some((f.access_page * u64::from(PAGE_SIZE)).to_string()),
            ..access_params(f, f.service.clone())
        },
        now,
        zone,
    )
    .map_err(|e| LoadError::Query(e.to_string()))?;
    access_q.validate = false;
    let access = store.access_history(&access_q)?;

    let mut services: Vec<ServiceOption> = services
        .into_iter()
        .map(|(client_id, label)| ServiceOption { label, client_id })
        .collect();
    services.sort();
    Ok(PageData {
        logins,
        logins_more,
        flagged_in_view,
        access: access.entries,
        access_more: access.has_more,
        services,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_fall_back_to_defaults() {
        let f = Filters::from_params(&PageParams {
            periode: Some("forever".into()),
            tjeneste: Some("  ".into()),
            utfall: Some("maybe".into()),
            side: Some("-3".into()),
            oppslagside: Some("99999999999999999999".into()),
            lang: None,
        });
        assert_eq!(f, Filters::default());
        let f = Filters::from_params(&PageParams {
            periode: Some("30d".into()),
            tjeneste: Some("skatt".into()),
            utfall: Some("deny".into()),
            side: Some("3".into()),
            oppslagside: Some("1".into()),
            lang: None,
        });
        assert_eq!(f.period, Period::Days30);
        assert_eq!(f.service.as_deref(), Some("skatt"));
        assert_eq!(f.decision, Some(Decision::Deny));
        assert_eq!((f.login_page, f.access_page), (2, 0));
        let p = f.params();
        assert_eq!(p.periode.as_deref(), Some("30d"));
        assert_eq!(p.utfall.as_deref(), Some("Deny"));
    }

    #[test]
    fn every_period_builds_a_valid_window() {
        let now = time::macros::datetime!(2024-05-15 12:00 UTC);
        for p in Period::ALL {
            assert!(login_window(p, now, Zone::oslo()).is_ok());
            let f = Filters {
                period: p,
                ..Filters::default()
            };
            assert!(
                AccessHistoryQuery::build("x", &access_params(&f, None), now, Zone::oslo()).is_ok(),
                "{p:?}"
            );
        }
    }
}
