//! The port, over either backend.

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use innsyn_domain::{
    AccessHistoryQuery, AccessRecord, AppendOutcome, Catalog, ClientEntry, LabelEntry, LoginEvent,
    LoginHistoryEntry, LoginHistoryQuery, NamesWanted, OrganisationEntry, PlainNames,
    ResourceEntry,
};
use innsyn_ports::{AccessHistoryAnswer, HistoryStore, PoolState, RetentionOutcome, StoreError};
use time::OffsetDateTime;

use crate::pool::checkout;
use crate::{Backend, Store, ops};

impl HistoryStore for Store {
    fn login_history(&self, q: &LoginHistoryQuery) -> Result<Vec<LoginHistoryEntry>, StoreError> {
        with_conn!(self, |c| ops::login_history(c, &self.keyer, q))
    }

    fn access_history(&self, q: &AccessHistoryQuery) -> Result<AccessHistoryAnswer, StoreError> {
        with_conn!(self, |c| ops::access_history(c, &self.keyer, q))
    }

    fn append_login_events(&self, events: &[LoginEvent]) -> Result<AppendOutcome, StoreError> {
        if events.is_empty() {
            return Ok(AppendOutcome::default());
        }
        with_conn!(self, |c| ops::append_login_events(c, &self.keyer, events))
    }

    fn append_access_records(&self, records: &[AccessRecord]) -> Result<AppendOutcome, StoreError> {
        if records.is_empty() {
            return Ok(AppendOutcome::default());
        }
        with_conn!(self, |c| ops::append_access_records(
            c,
            &self.keyer,
            &self.registered,
            records
        ))
    }

    fn catalog(&self) -> Result<Catalog, StoreError> {
        with_conn!(self, |c| ops::catalog(c))
    }

    fn put_client(&self, client: &ClientEntry) -> Result<(), StoreError> {
        with_conn!(self, |c| ops::put_client(c, client))?;
        self.registered.forget();
        Ok(())
    }

    fn put_resource(&self, resource: &ResourceEntry) -> Result<(), StoreError> {
        with_conn!(self, |c| ops::put_resource(c, resource))?;
        self.registered.forget();
        Ok(())
    }

    fn put_organisation(&self, organisation: &OrganisationEntry) -> Result<(), StoreError> {
        with_conn!(self, |c| ops::put_organisation(c, organisation))
    }

    fn put_label(&self, label: &LabelEntry) -> Result<(), StoreError> {
        with_conn!(self, |c| ops::put_label(c, label))
    }

    fn plain_names(&self, wanted: &NamesWanted) -> Result<PlainNames, StoreError> {
        if wanted.is_empty() {
            return Ok(PlainNames::default());
        }
        with_conn!(self, |c| ops::plain_names(c, wanted))
    }

    fn apply_retention(
        &self,
        cutoff: OffsetDateTime,
        max_rows: u32,
    ) -> Result<RetentionOutcome, StoreError> {
        let [login_events, access_records] = with_conn!(self, |c| {
            // Held for the batch: batches of one store follow each other.
            let mut resume = self
                .retention_resume
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            ops::retention_batch(c, cutoff, max_rows, &mut resume)
        })?;
        Ok(RetentionOutcome {
            login_events,
            access_records,
        })
    }

    fn pool_state(&self) -> Option<PoolState> {
        let state = match &self.backend {
            Backend::Postgres(p) => p.state(),
            Backend::Sqlite(p) => p.state(),
        };
        Some(PoolState {
            connections: state.connections,
            idle: state.idle_connections,
        })
    }

    fn ping(&self) -> Result<(), StoreError> {
        with_conn!(self, |c| ops::ping(c))
    }
}
