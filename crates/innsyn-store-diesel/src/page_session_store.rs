//! The page-session port, over either backend.

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use innsyn_ports::{PageSecret, PageSecretKind, PageSessionStore, StoreError};
use time::OffsetDateTime;

use crate::pool::checkout;
use crate::{Backend, Store, ops};

impl PageSessionStore for Store {
    fn put_page_secret(&self, secret: &PageSecret, now: OffsetDateTime) -> Result<(), StoreError> {
        with_conn!(self, |c| ops::put_page_secret(c, secret, now))
    }

    fn touch_page_secret(
        &self,
        kind: PageSecretKind,
        key: &[u8],
        now: OffsetDateTime,
        idle_until: OffsetDateTime,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        with_conn!(self, |c| ops::touch_page_secret(
            c, kind, key, now, idle_until
        ))
    }

    fn take_page_secret(
        &self,
        kind: PageSecretKind,
        key: &[u8],
        now: OffsetDateTime,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        with_conn!(self, |c| ops::take_page_secret(c, kind, key, now))
    }

    fn remove_page_secret(&self, kind: PageSecretKind, key: &[u8]) -> Result<(), StoreError> {
        with_conn!(self, |c| ops::remove_page_secret(c, kind, key))
    }
}
