//! One view of the citizen's page.

use std::collections::{BTreeMap, HashMap, HashSet};

use innsyn_domain::disputes::{ItemRef, LoginKey};
use innsyn_domain::query::MAX_PAGE_SIZE;
use innsyn_domain::timespec::{Span, TimeUnit};
use innsyn_domain::{
    AccessHistoryEntry, AccessHistoryQuery, ApplicationFilter, Decision, LoginFlag,
    LoginHistoryEntry, LoginHistoryQuery, PlainNames, SubjectId, TimeWindow, Zone, login_flags,
};
use innsyn_ports::HistoryStore;
use time::OffsetDateTime;

use super::INSIGHT_HISTORY;
use super::history::{access_page, all_access, all_logins};
use super::names::plain_names;
use super::reads::history_reads;
use crate::{AppError, Service};

/// The services of the filter come from the logins and from this much of
/// the look-ups.
const SERVICE_LIST_SPAN: Span = Span {
    amount: 1,
    unit: TimeUnit::Year,
};

/// What the citizen asked to see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewRequest {
    /// How far back from now; `None` for all time.
    pub period: Option<Span>,
    /// Only this service (client id).
    pub service: Option<String>,
    /// Only look-ups with this decision.
    pub decision: Option<Decision>,
    /// Only marked logins.
    pub only_flagged: bool,
    /// Zero-based page of the login table.
    pub login_page: u64,
    /// Zero-based page of the look-up table.
    pub access_page: u64,
    /// Rows per table page.
    pub page_size: u16,
}

/// One login row with its hints.
#[derive(Debug, Clone)]
pub struct LoginRow {
    /// The login.
    pub entry: LoginHistoryEntry,
    /// Why it deserves a second look, if it does (none once the citizen
    /// said "this was me").
    pub flags: Vec<LoginFlag>,
    /// Whether the citizen said "this was me" about it.
    pub confirmed: bool,
}

/// A service the citizen has met, for the filter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ServiceOption {
    /// Its name.
    pub label: String,
    /// Its client id.
    pub client_id: String,
}

/// Everything one view shows.
#[derive(Debug, Clone)]
pub struct PageView {
    /// This page of logins.
    pub logins: Vec<LoginRow>,
    /// Whether more logins follow.
    pub logins_more: bool,
    /// Logins the filters select (period and service, not `only_flagged`),
    /// among the newest [`INSIGHT_HISTORY`].
    pub logins_in_view: usize,
    /// Marked logins among those.
    pub flagged_in_view: usize,
    /// This page of look-ups.
    pub access: Vec<AccessHistoryEntry>,
    /// Whether more look-ups follow.
    pub access_more: bool,
    /// The services met, sorted by name.
    pub services: Vec<ServiceOption>,
    /// The newest reads of the citizen's history by services and
    /// auditors, whatever the filters (see [`super::HISTORY_READS_SHOWN`]).
    pub history_reads: Vec<AccessHistoryEntry>,
    /// The catalog's words for the codes this view shows.
    pub names: PlainNames,
}

/// `[now − span, now)` in `zone`'s calendar; `None` for all time.
pub(crate) fn window_back(
    span: Option<Span>,
    now: OffsetDateTime,
    zone: Zone,
) -> Result<Option<TimeWindow>, AppError> {
    let Some(span) = span else {
        return Ok(None);
    };
    let start = span
        .shift(now, zone, false)
        .ok_or_else(|| AppError::Internal("a period left the calendar".to_owned()))?;
    Ok(Some(TimeWindow { start, end: now }))
}

/// All time, for the look-ups (whose query always has a window).
pub(crate) fn all_time(now: OffsetDateTime) -> TimeWindow {
    TimeWindow {
        start: OffsetDateTime::UNIX_EPOCH,
        end: now,
    }
}

impl Service {
    /// One view of `subject`'s page.
    ///
    /// # Errors
    /// [`AppError::Store`].
    pub async fn citizen_view(
        &self,
        subject: &SubjectId,
        request: &ViewRequest,
    ) -> Result<PageView, AppError> {
        let (subject, request) = (subject.clone(), request.clone());
        let (now, zone) = (self.now(), self.zone());
        // One turn at the gate for the whole view: the page is one request.
        self.with_both(move |stores| {
            let confirmed: HashSet<LoginKey> = stores
                .disputes
                .confirmed_items(&subject)?
                .into_iter()
                .filter_map(|item| match item {
                    ItemRef::Login(key) => Some(key),
                    ItemRef::Access(_) => None,
                })
                .collect();
            load(
                stores.history.as_ref(),
                &subject,
                &request,
                &confirmed,
                now,
                zone,
            )
        })
        .await
    }
}

fn load(
    store: &dyn HistoryStore,
    subject: &SubjectId,
    r: &ViewRequest,
    confirmed: &HashSet<LoginKey>,
    now: OffsetDateTime,
    zone: Zone,
) -> Result<PageView, AppError> {
    // Hints compare each login with the person's whole (recent) history,
    // not only with what the filters show.
    let history = all_logins(store, subject, None, INSIGHT_HISTORY)?;
    let flags = login_flags(&history, zone);
    let mut by_key: HashMap<&LoginKey, Vec<LoginFlag>> = HashMap::new();
    let mut services: BTreeMap<String, String> = BTreeMap::new();
    for (entry, flags) in history.iter().zip(flags) {
        if let Some(id) = &entry.client_id {
            services
                .entry(id.clone())
                .or_insert_with(|| entry.service_name.clone().unwrap_or_else(|| id.clone()));
        }
        if !confirmed.contains(&entry.key) {
            by_key.entry(&entry.key).or_default().extend(flags);
        }
    }
    let recent = window_back(Some(SERVICE_LIST_SPAN), now, zone)?.unwrap_or(all_time(now));
    let known_apps = all_access(
        store,
        AccessHistoryQuery::new(subject.clone(), recent),
        u64::from(MAX_PAGE_SIZE),
    )?;
    for rec in &known_apps {
        services
            .entry(rec.client_id.clone())
            .or_insert_with(|| rec.application.clone());
    }

    let window = window_back(r.period, now, zone)?;
    let q = LoginHistoryQuery {
        subject: subject.clone(),
        orgno: None,
        window,
        client_id: r.service.clone(),
        start_index: r.login_page * u64::from(r.page_size),
        max_hits: r.page_size + 1,
    };
    let marked = |e: &LoginHistoryEntry| by_key.get(&e.key).is_some_and(|f| !f.is_empty());
    // The counts above the table come from the same rows as its pages.
    let selected: Vec<&LoginHistoryEntry> = history
        .iter()
        .filter(|e| q.selects(e.occurred_at, None, e.client_id.as_deref()))
        .collect();
    let logins_in_view = selected.len();
    let flagged_in_view = selected.iter().filter(|e| marked(e)).count();
    let mut page: Vec<LoginHistoryEntry> = if r.only_flagged {
        let skip = usize::try_from(q.start_index).unwrap_or(usize::MAX);
        selected
            .into_iter()
            .filter(|e| marked(e))
            .skip(skip)
            .take(usize::from(q.max_hits))
            .cloned()
            .collect()
    } else {
        store.login_history(&q)?
    };
    let logins_more = page.len() > usize::from(r.page_size);
    page.truncate(usize::from(r.page_size));
    let logins: Vec<LoginRow> = page
        .into_iter()
        .map(|entry| {
            let mut flags = by_key.get(&entry.key).cloned().unwrap_or_default();
            flags.sort();
            flags.dedup();
            let confirmed = confirmed.contains(&entry.key);
            LoginRow {
                entry,
                flags,
                confirmed,
            }
        })
        .collect();

    let mut access_q = AccessHistoryQuery::new(subject.clone(), window.unwrap_or(all_time(now)));
    access_q.filter.application = r.service.clone().map(ApplicationFilter::ClientId);
    access_q.filter.decision = r.decision;
    access_q.page.count = r.page_size;
    access_q.page.start_index = r.access_page * u64::from(r.page_size);
    let access = access_page(store, &access_q)?;

    let mut services: Vec<ServiceOption> = services
        .into_iter()
        .map(|(client_id, label)| ServiceOption { label, client_id })
        .collect();
    let history_reads = history_reads(store, subject, now)?;
    let names = plain_names(
        store,
        &logins,
        &[&access.entries, &history_reads],
        &mut services,
    )?;
    services.sort();
    Ok(PageView {
        logins,
        logins_more,
        logins_in_view,
        flagged_in_view,
        access: access.entries,
        access_more: access.has_more,
        services,
        history_reads,
        names,
    })
}
