//! The cases of the contract, one function each, grouped by concept. Every
//! function receives a fresh, empty store.

mod access;
mod answer;
mod catalog;
mod dead_letters;
mod disputes;
mod filters;
mod ingest;
mod log;
mod login;
mod login_ingest;
mod ordering;
mod page_sessions;
mod plain_names;
mod retention;

pub use access::*;
pub use answer::*;
pub use catalog::*;
pub use dead_letters::*;
pub use disputes::*;
pub use filters::*;
pub use ingest::*;
pub use log::*;
pub use login::*;
pub use login_ingest::*;
pub use ordering::*;
pub use page_sessions::*;
pub use plain_names::*;
pub use retention::*;

use innsyn_domain::{
    AccessHistoryEntry, AccessHistoryParams, AccessHistoryQuery, AccessPage, AppendOutcome,
    CatalogRef, SubjectId,
};
use innsyn_ports::{AccessHistoryAnswer, HistoryStore};

use crate::fixtures::{access_query, subject};

fn ids(entries: &[AccessHistoryEntry]) -> Vec<u128> {
    entries.iter().map(|e| e.id.as_u128()).collect()
}

fn outcome(accepted: u64, duplicates: u64) -> AppendOutcome {
    AppendOutcome {
        accepted,
        duplicates,
        conflicts: 0,
    }
}

fn outcome_with_conflicts(accepted: u64, duplicates: u64, conflicts: u64) -> AppendOutcome {
    AppendOutcome {
        accepted,
        duplicates,
        conflicts,
    }
}

/// The page `q` answers; any other answer fails the case.
fn page<S: HistoryStore + ?Sized>(store: &S, q: &AccessHistoryQuery) -> AccessPage {
    match store.access_history(q).unwrap() {
        AccessHistoryAnswer::Page(page) => page,
        other => panic!("expected a page, got {other:?}"),
    }
}

/// The ids of `owner`'s page for `params` (layer them over
/// [`crate::fixtures::wide`] for a window that holds every fixture).
fn read<S: HistoryStore + ?Sized>(
    store: &S,
    owner: &SubjectId,
    params: AccessHistoryParams,
) -> Vec<u128> {
    ids(&page(store, &access_query(owner, params)).entries)
}

/// The references a validating query with `params` finds missing from the
/// catalog (none when the store answers anything else), for a citizen no
/// case stores anything for: the catalog is checked first.
fn not_in_catalog<S: HistoryStore + ?Sized>(
    store: &S,
    params: AccessHistoryParams,
) -> Vec<CatalogRef> {
    match store
        .access_history(&access_query(&subject(999), params))
        .unwrap()
    {
        AccessHistoryAnswer::NotInCatalog(missing) => missing,
        _ => Vec::new(),
    }
}
