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
    /// are one store call.
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
        policy::authorize_access_history(caller, self.scopes(), &owner)?;
        let query = AccessHistoryQuery::build(owner, params, self.now(), self.zone())?;
        let q = query.clone();
        let answer = self
            .with_store(move |store| Ok(store.access_history(&q)?))
            .await?;
        match answer {
            AccessHistoryAnswer::NotInCatalog(unknown) => Err(AppError::InvalidParams(
                AccessHistoryQuery::not_in_catalog(&unknown),
            )),
            AccessHistoryAnswer::UnknownOwner => Err(AppError::UnknownOwner),
            AccessHistoryAnswer::Page(page) => Ok(AccessHistory { query, page }),
        }
    }
}
