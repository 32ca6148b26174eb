use innsyn_domain::records::{HistoryKind, ReadPurpose, filters_on_reads, records_access_read};
use innsyn_domain::{
    AccessHistoryParams, AccessHistoryQuery, AccessPage, Caller, Cursor, InvalidParams, SubjectId,
    policy,
};
use innsyn_ports::AccessHistoryAnswer;

use crate::{AppError, Service};

/// One page of seed 2 with the query that selected it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessHistory {
    /// The query, as built from the parameters.
    pub query: AccessHistoryQuery,
    /// The records.
    pub page: AccessPage,
}

impl AccessHistory {
    /// The keyset position right after this page, when more records follow.
    pub fn next_cursor(&self) -> Option<Cursor> {
        if !self.page.has_more {
            return None;
        }
        self.page
            .entries
            .last()
            .map(|last| self.query.sort.cursor_after(last))
    }

    /// The offset of the next page.
    pub fn next_start_index(&self) -> u64 {
        self.query.page.start_index + self.page.entries.len() as u64
    }
}

impl Service {
    /// Seed 2: a page of `user_id`'s access history.
    ///
    /// Authorization comes before anything that could reveal whether the
    /// user exists; the catalog checks, the existence check and the page
    /// are one store call. The read is recorded in the owner's access
    /// history (purpose `audit` under `history:audit`, else `innsyn`)
    /// before it is answered, unless the owner's token reads what can only
    /// be records of reads ([`records_access_read`]: no loop).
    ///
    /// # Errors
    /// [`AppError::InvalidParams`] (`userId` first), [`AppError::Denied`],
    /// [`AppError::UnknownOwner`], [`AppError::Store`].
    pub async fn access_history(
        &self,
        caller: &Caller,
        user_id: &str,
        params: &AccessHistoryParams,
    ) -> Result<AccessHistory, AppError> {
        let owner = SubjectId::parse(user_id).map_err(|reason| {
            let mut p = InvalidParams::new();
            p.push("userId", reason);
            p
        })?;
        let grant = policy::authorize_access_history(caller, self.scopes(), &owner)?;
        let query = AccessHistoryQuery::build(owner, params, self.now(), self.zone())?;
        let q = query.clone();
        let me = self.clone();
        let answer = self
            .with_store(move |store| {
                if filters_on_reads(&q) {
                    me.inner().applications.register_resources(store)?;
                }
                Ok(store.access_history(&q)?)
            })
            .await?;
        match answer {
            AccessHistoryAnswer::NotInCatalog(unknown) => Err(AppError::InvalidParams(
                AccessHistoryQuery::not_in_catalog(&unknown),
            )),
            AccessHistoryAnswer::UnknownOwner => Err(AppError::UnknownOwner),
            AccessHistoryAnswer::Page(page) => {
                let purpose = ReadPurpose::from(grant);
                if records_access_read(purpose, &query, &page) {
                    let rows = page.entries.len();
                    let owner = query.owner.clone();
                    self.record_read(caller, owner, HistoryKind::Access, purpose, rows)
                        .await?;
                }
                Ok(AccessHistory { query, page })
            }
        }
    }
}
