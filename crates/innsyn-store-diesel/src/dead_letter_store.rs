//! The dead-letter port, over either backend.

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use innsyn_ports::{DeadLetter, DeadLetterStore, StoreError, StreamPosition};

use crate::pool::checkout;
use crate::{Backend, Store, ops};

impl DeadLetterStore for Store {
    fn put_dead_letters(&self, letters: &[DeadLetter]) -> Result<u64, StoreError> {
        with_conn!(self, |c| ops::put_dead_letters(c, letters))
    }

    fn dead_letters(
        &self,
        after: Option<StreamPosition>,
        limit: usize,
    ) -> Result<Vec<DeadLetter>, StoreError> {
        with_conn!(self, |c| ops::dead_letters(c, after.as_ref(), limit))
    }

    fn remove_dead_letters(&self, positions: &[StreamPosition]) -> Result<u64, StoreError> {
        with_conn!(self, |c| ops::remove_dead_letters(c, positions))
    }
}
