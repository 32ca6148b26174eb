//! The catalog values this store has registered, so that a batch whose
//! values are all known skips registering them: a group of read records,
//! or a batch from a known service, then writes only its rows.
//!
//! Registration only ever adds to the catalog (nothing deletes a catalog
//! entry), so a value registered once stays registered; what a repeat could
//! still change is only a missing organisation or URN, and a value that
//! brings one is a different key here. An administrator's change through
//! this store forgets everything, so the next batch registers again under
//! the catalog's rules. A change made through another process is not seen:
//! the only difference it can make is that this process does not re-teach
//! an organisation or URN that an administrator removed there, which is what
//! the administrator wanted.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use crate::sql::AccessRow;

/// Keys kept at most; past it the set starts over (catalogs are hundreds of
/// clients, so this is only a bound, not a working size).
const MAX_KEYS: usize = 8_192;

#[derive(Debug, Default)]
pub(crate) struct Registered {
    keys: Mutex<HashSet<Key>>,
}

/// One catalog value as a record brings it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Application(String),
    Client(String, String, Option<String>),
    Resource(String, Option<String>),
    Action(String),
    Purpose(String),
}

fn keys(r: &AccessRow) -> [Key; 5] {
    [
        Key::Application(r.application.clone()),
        Key::Client(r.client_id.clone(), r.application.clone(), r.orgno.clone()),
        Key::Resource(r.resource.clone(), r.resource_urn.clone()),
        Key::Action(r.action.clone()),
        Key::Purpose(r.purpose.clone()),
    ]
}

impl Registered {
    fn keys(&self) -> std::sync::MutexGuard<'_, HashSet<Key>> {
        // The set is plain data, consistent after any panic.
        self.keys.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether every catalog value of `rows` was registered before.
    pub(crate) fn all_known<'a>(&self, mut rows: impl Iterator<Item = &'a AccessRow>) -> bool {
        let known = self.keys();
        rows.all(|r| keys(r).iter().all(|k| known.contains(k)))
    }

    /// Notes the values of `rows`, registered by a committed batch.
    pub(crate) fn remember<'a>(&self, rows: impl Iterator<Item = &'a AccessRow>) {
        let mut known = self.keys();
        for r in rows {
            if known.len() + 5 > MAX_KEYS {
                known.clear();
            }
            known.extend(keys(r));
        }
    }

    /// Forgets everything: the catalog was changed by an administrator.
    pub(crate) fn forget(&self) {
        self.keys().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(client: &str, orgno: Option<&str>) -> AccessRow {
        AccessRow {
            id: vec![1],
            owner_key: vec![2],
            occurred_at: time::OffsetDateTime::UNIX_EPOCH,
            content_hash: vec![3],
            application: "App".into(),
            client_id: client.into(),
            resource: "res".into(),
            resource_urn: None,
            action: "read".into(),
            purpose: "p".into(),
            decision: "Permit".into(),
            orgno: orgno.map(str::to_owned),
        }
    }

    #[test]
    fn a_value_is_known_once_remembered_and_until_forgotten() {
        let r = Registered::default();
        let a = row("a", None);
        assert!(!r.all_known([&a].into_iter()));
        r.remember([&a].into_iter());
        assert!(r.all_known([&a].into_iter()));
        r.forget();
        assert!(!r.all_known([&a].into_iter()));
    }

    #[test]
    fn an_organisation_the_catalog_may_lack_is_not_known() {
        let r = Registered::default();
        r.remember([&row("a", None)].into_iter());
        assert!(!r.all_known([&row("a", Some("991825827"))].into_iter()));
        assert!(!r.all_known([&row("b", None)].into_iter()));
    }

    #[test]
    fn the_set_stays_bounded() {
        let r = Registered::default();
        let rows: Vec<_> = (0..MAX_KEYS).map(|i| row(&format!("c{i}"), None)).collect();
        r.remember(rows.iter());
        assert!(r.keys().len() <= MAX_KEYS);
    }
}
