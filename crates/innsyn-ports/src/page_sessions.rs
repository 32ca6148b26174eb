use time::OffsetDateTime;

use crate::StoreError;

/// What the citizen page keeps between two requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageSecretKind {
    /// A logged-in citizen.
    Session,
    /// A login started at the OpenID provider, until its callback.
    PendingLogin,
}

impl PageSecretKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Session => "session",
            Self::PendingLogin => "pending_login",
        }
    }
}

/// A page secret as the store keeps it. The page seals it before: the
/// store sees a lookup key derived from the browser's random id, opaque
/// bytes it cannot open without that id, and two times, so neither a
/// database dump nor a query log gives a session or whose it is.
#[derive(Clone, PartialEq, Eq)]
pub struct PageSecret {
    /// Session or login in progress.
    pub kind: PageSecretKind,
    /// Derived from the browser's id (never the id itself).
    pub key: Vec<u8>,
    /// The content, encrypted under a key only the browser's id gives.
    pub sealed: Vec<u8>,
    /// The absolute end: no use moves it.
    pub cap_at: OffsetDateTime,
    /// The end unless used again (idle expiry), never after `cap_at`.
    pub expires_at: OffsetDateTime,
}

impl std::fmt::Debug for PageSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageSecret")
            .field("kind", &self.kind)
            .field("cap_at", &self.cap_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Durable storage of the page's sessions and logins in progress, so a
/// restart keeps them and every instance behind a load balancer sees them.
///
/// Blocking, like [`crate::HistoryStore`].
#[cfg_attr(feature = "mock", mockall::automock)]
pub trait PageSessionStore: Send + Sync {
    /// Stores `secret` (replacing one under the same kind and key), and
    /// forgets every secret expired at `now`.
    ///
    /// # Errors
    /// [`StoreError`].
    fn put_page_secret(&self, secret: &PageSecret, now: OffsetDateTime) -> Result<(), StoreError>;

    /// The sealed content under `kind` and `key` unless expired at `now`;
    /// its expiry moves to `idle_until`, or to its cap when that comes
    /// first (sliding idle expiry under an absolute cap).
    ///
    /// # Errors
    /// [`StoreError`].
    fn touch_page_secret(
        &self,
        kind: PageSecretKind,
        key: &[u8],
        now: OffsetDateTime,
        idle_until: OffsetDateTime,
    ) -> Result<Option<Vec<u8>>, StoreError>;

    /// Removes and returns the sealed content (single use), unless expired
    /// at `now`.
    ///
    /// # Errors
    /// [`StoreError`].
    fn take_page_secret(
        &self,
        kind: PageSecretKind,
        key: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<Vec<u8>>, StoreError>;

    /// Forgets the secret (logout).
    ///
    /// # Errors
    /// [`StoreError`].
    fn remove_page_secret(&self, kind: PageSecretKind, key: &[u8]) -> Result<(), StoreError>;
}
