//! The citizen page's sessions and logins in progress, kept in the store
//! (sealed by the page) so they survive restarts and are shared by every
//! instance.

use innsyn_ports::{PageSecret, PageSecretKind};
use time::Duration;

use crate::{AppError, Service};

impl Service {
    /// Keeps `secret` (its times as the page set them), and forgets every
    /// secret already expired.
    ///
    /// # Errors
    /// [`AppError::Store`].
    pub async fn keep_page_secret(&self, secret: PageSecret) -> Result<(), AppError> {
        let now = self.now();
        self.with_page_sessions(move |s| Ok(s.put_page_secret(&secret, now)?))
            .await
    }

    /// The sealed secret under `kind` and `key` unless expired, its idle
    /// end moved to `idle` from now (never past its cap).
    ///
    /// # Errors
    /// [`AppError::Store`].
    pub async fn use_page_secret(
        &self,
        kind: PageSecretKind,
        key: Vec<u8>,
        idle: Duration,
    ) -> Result<Option<Vec<u8>>, AppError> {
        let now = self.now();
        self.with_page_sessions(move |s| Ok(s.touch_page_secret(kind, &key, now, now + idle)?))
            .await
    }

    /// Removes and returns the sealed secret (single use), unless expired.
    ///
    /// # Errors
    /// [`AppError::Store`].
    pub async fn take_page_secret(
        &self,
        kind: PageSecretKind,
        key: Vec<u8>,
    ) -> Result<Option<Vec<u8>>, AppError> {
        let now = self.now();
        self.with_page_sessions(move |s| Ok(s.take_page_secret(kind, &key, now)?))
            .await
    }

    /// Forgets the secret (logout, or a new login replacing an old one).
    ///
    /// # Errors
    /// [`AppError::Store`].
    pub async fn forget_page_secret(
        &self,
        kind: PageSecretKind,
        key: Vec<u8>,
    ) -> Result<(), AppError> {
        self.with_page_sessions(move |s| Ok(s.remove_page_secret(kind, &key)?))
            .await
    }
}
