//! Server-side sessions: the browser holds only an opaque random id.
//!
//! The store is in memory (a restart logs everyone out, which is acceptable
//! for a page one visits now and then), bounded (a flood of logins cannot
//! exhaust memory) and expiring (absolute lifetime, no sliding renewal, so a
//! stolen cookie is worth little for long). Entries are keyed by the SHA-256
//! of the id, so neither a lookup's timing nor a memory dump gives the id.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use innsyn_domain::SubjectId;
use rand::RngCore as _;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

/// 256 bits from the OS generator, URL-safe text.
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn key(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Compares two secrets without stopping at the first difference.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    key(a) == key(b)
}

struct Entry<V> {
    value: V,
    created: OffsetDateTime,
    expires: OffsetDateTime,
}

/// A bounded map from opaque random ids to values that expire.
pub(crate) struct ExpiringStore<V> {
    entries: Mutex<HashMap<[u8; 32], Entry<V>>>,
    max_entries: usize,
    ttl: Duration,
}

impl<V> fmt::Debug for ExpiringStore<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExpiringStore")
            .field("max_entries", &self.max_entries)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl<V: Clone> ExpiringStore<V> {
    pub(crate) fn new(max_entries: usize, ttl: Duration) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            max_entries: max_entries.max(1),
            ttl,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Entry<V>>> {
        // A panic while holding the lock cannot leave a half-written entry
        // (every update is one insert or remove), so the data stays usable.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Stores `value` under a new random id and returns the id. When full,
    /// expired entries go first, then the oldest: a flood of new logins logs
    /// out the oldest sessions rather than refusing everyone.
    pub(crate) fn insert(&self, value: V, now: OffsetDateTime) -> String {
        let token = random_token();
        let mut entries = self.lock();
        if entries.len() >= self.max_entries {
            entries.retain(|_, e| e.expires > now);
        }
        while entries.len() >= self.max_entries {
            let oldest = entries
                .iter()
                .min_by_key(|(_, e)| e.created)
                .map(|(k, _)| *k);
            match oldest {
                Some(k) => entries.remove(&k),
                None => break,
            };
        }
        entries.insert(
            key(&token),
            Entry {
                value,
                created: now,
                expires: now + self.ttl,
            },
        );
        token
    }

    /// The value, unless unknown or expired (an expired entry is removed).
    pub(crate) fn get(&self, token: &str, now: OffsetDateTime) -> Option<V> {
        let k = key(token);
        let mut entries = self.lock();
        match entries.get(&k) {
            Some(e) if e.expires > now => Some(e.value.clone()),
            Some(_) => {
                entries.remove(&k);
                None
            }
            None => None,
        }
    }

    /// Removes and returns the value (single use), unless unknown or expired.
    pub(crate) fn take(&self, token: &str, now: OffsetDateTime) -> Option<V> {
        self.lock()
            .remove(&key(token))
            .filter(|e| e.expires > now)
            .map(|e| e.value)
    }

    /// Forgets the id.
    pub(crate) fn remove(&self, token: &str) {
        self.lock().remove(&key(token));
    }

    /// When the entry expires, for the cookie's `Max-Age`.
    pub(crate) fn ttl(&self) -> Duration {
        self.ttl
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }
}

/// A logged-in citizen.
#[derive(Clone)]
pub(crate) struct Session {
    /// Whose history the page shows: only ever taken from a verified ID
    /// token or the dev picker.
    pub(crate) subject: SubjectId,
    /// Guards the logout form against cross-site posts.
    pub(crate) csrf: String,
    /// The raw ID token, for `id_token_hint` at the provider's logout.
    pub(crate) id_token: Option<String>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2024-05-15 12:00 UTC);

    #[test]
    fn tokens_are_long_random_and_url_safe() {
        let a = random_token();
        assert_eq!(a.len(), 43);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(a, random_token());
    }

    #[test]
    fn values_expire() {
        let store = ExpiringStore::new(10, Duration::minutes(30));
        let id = store.insert("v", T0);
        assert_eq!(store.get(&id, T0 + Duration::minutes(29)), Some("v"));
        assert_eq!(store.get(&id, T0 + Duration::minutes(30)), None);
        assert_eq!(store.len(), 0, "an expired entry is dropped when seen");
    }

    #[test]
    fn unknown_ids_find_nothing() {
        let store = ExpiringStore::new(10, Duration::minutes(30));
        store.insert("v", T0);
        assert_eq!(store.get("forged", T0), None);
        assert_eq!(store.get("", T0), None);
    }

    #[test]
    fn take_is_single_use_and_remove_forgets() {
        let store = ExpiringStore::new(10, Duration::minutes(10));
        let id = store.insert(1, T0);
        assert_eq!(store.take(&id, T0), Some(1));
        assert_eq!(store.take(&id, T0), None);
        let id = store.insert(2, T0);
        store.remove(&id);
        assert_eq!(store.get(&id, T0), None);
        let id = store.insert(3, T0);
        assert_eq!(store.take(&id, T0 + Duration::minutes(11)), None);
    }

    #[test]
    fn the_bound_evicts_expired_then_oldest() {
        let store = ExpiringStore::new(3, Duration::minutes(10));
        let old = store.insert("old", T0);
        let a = store.insert("a", T0 + Duration::minutes(5));
        let b = store.insert("b", T0 + Duration::minutes(6));
        // Full: at T0+11 "old" has expired and makes room.
        let now = T0 + Duration::minutes(11);
        let c = store.insert("c", now);
        assert_eq!(store.len(), 3);
        assert_eq!(store.get(&old, now), None);
        assert_eq!(store.get(&a, now), Some("a"));
        // Full, nothing expired: the oldest ("a") goes.
        let d = store.insert("d", now);
        assert_eq!(store.len(), 3);
        assert_eq!(store.get(&a, now), None);
        for (id, v) in [(&b, "b"), (&c, "c"), (&d, "d")] {
            assert_eq!(store.get(id, now), Some(v));
        }
    }

    #[test]
    fn secrets_compare_by_value() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
    }

    #[test]
    fn debug_never_shows_the_subject_or_tokens() {
        let s = Session {
            subject: SubjectId::parse("12345678901").unwrap(),
            csrf: "csrf-secret".into(),
            id_token: Some("eyJ.secret.token".into()),
        };
        let printed = format!("{s:?}");
        assert!(!printed.contains("12345678901"));
        assert!(!printed.contains("secret"));
    }
}
