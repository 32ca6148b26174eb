use innsyn_domain::records::{HistoryKind, ReadPurpose};
use innsyn_domain::{Caller, LoginHistoryEntry, LoginHistoryQuery, policy};

use crate::{AppError, Service};

impl Service {
    /// Seed 1: the caller's own logins with the caller organisation's
    /// services, newest first; `max_hits` as sent (`maxhits`). The read is
    /// recorded in the citizen's access history (the caller is a service
    /// holding the citizen's token: purpose `innsyn`) before it is answered.
    ///
    /// # Errors
    /// [`AppError::Denied`], [`AppError::InvalidParams`], [`AppError::Store`].
    pub async fn login_history(
        &self,
        caller: &Caller,
        max_hits: Option<&str>,
    ) -> Result<Vec<LoginHistoryEntry>, AppError> {
        let access = policy::authorize_login_history(caller, self.scopes())?;
        let owner = access.subject.clone();
        let query = LoginHistoryQuery::build(access, max_hits)?;
        let rows = self
            .with_store(move |store| Ok(store.login_history(&query)?))
            .await?;
        self.record_read(
            caller,
            owner,
            HistoryKind::Login,
            ReadPurpose::Innsyn,
            rows.len(),
        )
        .await?;
        Ok(rows)
    }
}
