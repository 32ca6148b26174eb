//! The page's sealed secrets, by kind and key.

use innsyn_ports::{PageSecret, PageSecretKind, PageSessionStore, StoreError};
use time::OffsetDateTime;

use crate::MemoryStore;

impl PageSessionStore for MemoryStore {
    fn put_page_secret(&self, secret: &PageSecret, now: OffsetDateTime) -> Result<(), StoreError> {
        let mut state = self.state()?;
        state.page_secrets.retain(|_, s| s.expires_at > now);
        let mut s = secret.clone();
        s.expires_at = s.expires_at.min(s.cap_at);
        state.page_secrets.insert((s.kind, s.key.clone()), s);
        Ok(())
    }

    fn touch_page_secret(
        &self,
        kind: PageSecretKind,
        key: &[u8],
        now: OffsetDateTime,
        idle_until: OffsetDateTime,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let mut state = self.state()?;
        Ok(state
            .page_secrets
            .get_mut(&(kind, key.to_vec()))
            .filter(|s| s.expires_at > now)
            .map(|s| {
                s.expires_at = idle_until.min(s.cap_at);
                s.sealed.clone()
            }))
    }

    fn take_page_secret(
        &self,
        kind: PageSecretKind,
        key: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let mut state = self.state()?;
        Ok(state
            .page_secrets
            .remove(&(kind, key.to_vec()))
            .filter(|s| s.expires_at > now)
            .map(|s| s.sealed))
    }

    fn remove_page_secret(&self, kind: PageSecretKind, key: &[u8]) -> Result<(), StoreError> {
        self.state()?.page_secrets.remove(&(kind, key.to_vec()));
        Ok(())
    }
}
