//! Whole histories read page by page (blocking: inside a store task).

use innsyn_domain::query::MAX_PAGE_SIZE;
use innsyn_domain::{
    AccessHistoryEntry, AccessHistoryQuery, LoginHistoryEntry, LoginHistoryQuery, SubjectId,
    TimeWindow,
};
use innsyn_ports::{AccessHistoryAnswer, HistoryStore};

use crate::AppError;

/// Every login of `subject` (all services) in `window` (`None`: all time),
/// newest first, up to `limit`.
pub(crate) fn all_logins(
    store: &dyn HistoryStore,
    subject: &SubjectId,
    window: Option<TimeWindow>,
    limit: u64,
) -> Result<Vec<LoginHistoryEntry>, AppError> {
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

/// The records `q` selects, newest first, up to `limit`, following keyset
/// cursors so deep pages stay cheap.
pub(crate) fn all_access(
    store: &dyn HistoryStore,
    mut q: AccessHistoryQuery,
    limit: u64,
) -> Result<Vec<AccessHistoryEntry>, AppError> {
    q.page.count = MAX_PAGE_SIZE;
    let mut out: Vec<AccessHistoryEntry> = Vec::new();
    loop {
        let page = access_page(store, &q)?;
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

/// One page of the citizen's own records. A person the store has never
/// seen simply has none, and so has a service the catalog does not know
/// (the page's filter comes from the address bar as much as from its list).
pub(crate) fn access_page(
    store: &dyn HistoryStore,
    q: &AccessHistoryQuery,
) -> Result<innsyn_domain::AccessPage, AppError> {
    match store.access_history(q)? {
        AccessHistoryAnswer::Page(page) => Ok(page),
        AccessHistoryAnswer::UnknownOwner | AccessHistoryAnswer::NotInCatalog(_) => {
            Ok(innsyn_domain::AccessPage::default())
        }
    }
}
