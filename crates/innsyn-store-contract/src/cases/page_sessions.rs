//! The page's sealed secrets: found by kind and key until they expire,
//! idle expiry sliding under an absolute cap, single use for logins in
//! progress, gone on logout, expired ones purged.

use innsyn_ports::{PageSecret, PageSecretKind, PageSessionStore};
use time::Duration;

use crate::fixtures::NOW;

const SESSION: PageSecretKind = PageSecretKind::Session;
const PENDING: PageSecretKind = PageSecretKind::PendingLogin;

fn secret(kind: PageSecretKind, key: &[u8], idle_min: i64, cap_min: i64) -> PageSecret {
    PageSecret {
        kind,
        key: key.to_vec(),
        sealed: [b"sealed:".as_slice(), key].concat(),
        cap_at: NOW + Duration::minutes(cap_min),
        expires_at: NOW + Duration::minutes(idle_min),
    }
}

fn at(min: i64) -> time::OffsetDateTime {
    NOW + Duration::minutes(min)
}

/// Each use moves the idle end, never past the cap; past either, nothing.
pub fn a_session_slides_until_its_cap(store: &impl PageSessionStore) {
    store
        .put_page_secret(&secret(SESSION, b"k1", 30, 60), NOW)
        .unwrap();
    // Used at 20 and 45: still there (the idle end moved to 50, then 60).
    for minute in [20, 45] {
        let found = store
            .touch_page_secret(SESSION, b"k1", at(minute), at(minute + 30))
            .unwrap();
        assert_eq!(
            found.as_deref(),
            Some(b"sealed:k1".as_slice()),
            "at {minute}"
        );
    }
    // At 61 the cap has passed, however recently it was used.
    assert_eq!(
        store
            .touch_page_secret(SESSION, b"k1", at(61), at(91))
            .unwrap(),
        None
    );

    store
        .put_page_secret(&secret(SESSION, b"k2", 30, 600), NOW)
        .unwrap();
    // Idle for 30 minutes: gone at its idle end.
    assert_eq!(
        store
            .touch_page_secret(SESSION, b"k2", at(30), at(60))
            .unwrap(),
        None
    );
}

/// A login in progress is taken once; kinds and keys never mix.
pub fn a_pending_login_is_taken_once(store: &impl PageSessionStore) {
    store
        .put_page_secret(&secret(PENDING, b"p", 10, 10), NOW)
        .unwrap();
    assert_eq!(
        store.touch_page_secret(SESSION, b"p", NOW, at(5)).unwrap(),
        None
    );
    assert_eq!(
        store.take_page_secret(PENDING, b"other", NOW).unwrap(),
        None
    );
    assert_eq!(
        store
            .take_page_secret(PENDING, b"p", at(1))
            .unwrap()
            .as_deref(),
        Some(b"sealed:p".as_slice())
    );
    assert_eq!(store.take_page_secret(PENDING, b"p", at(1)).unwrap(), None);
    store
        .put_page_secret(&secret(PENDING, b"late", 10, 10), NOW)
        .unwrap();
    assert_eq!(
        store.take_page_secret(PENDING, b"late", at(10)).unwrap(),
        None
    );
}

/// Logout forgets; a later put purges what expired; a put replaces.
pub fn logout_and_expiry_forget_sessions(store: &impl PageSessionStore) {
    store
        .put_page_secret(&secret(SESSION, b"a", 30, 60), NOW)
        .unwrap();
    store
        .put_page_secret(&secret(SESSION, b"b", 5, 60), NOW)
        .unwrap();
    store.remove_page_secret(SESSION, b"a").unwrap();
    assert_eq!(
        store.touch_page_secret(SESSION, b"a", NOW, at(30)).unwrap(),
        None
    );
    store.remove_page_secret(SESSION, b"never-there").unwrap();

    let mut replaced = secret(SESSION, b"c", 30, 60);
    store.put_page_secret(&replaced, NOW).unwrap();
    replaced.sealed = b"new".to_vec();
    store.put_page_secret(&replaced, at(6)).unwrap();
    assert_eq!(
        store
            .touch_page_secret(SESSION, b"c", at(7), at(37))
            .unwrap()
            .as_deref(),
        Some(b"new".as_slice())
    );
    // "b" expired at 5 and the put at 6 purged it: even a clock set back
    // does not find it.
    assert_eq!(
        store.touch_page_secret(SESSION, b"b", NOW, at(30)).unwrap(),
        None
    );
}
