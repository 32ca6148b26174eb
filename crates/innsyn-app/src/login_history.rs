use innsyn_domain::{Caller, LoginHistoryEntry, LoginHistoryQuery, policy};

use crate::{AppError, Service};

impl Service {
    /// Seed 1: the caller's own logins with the caller organisation's
    /// services, newest first; `max_hits` as sent (`maxhits`).
    ///
    /// # Errors
    /// [`AppError::Denied`], [`AppError::InvalidParams`], [`AppError::Store`].
    pub async fn login_history(
        &self,
        caller: &Caller,
        max_hits: Option<&str>,
    ) -> Result<Vec<LoginHistoryEntry>, AppError> {
        let access = policy::authorize_login_history(caller, self.scopes())?;
        let query = LoginHistoryQuery::build(access, max_hits)?;
        self.with_store(move |store| Ok(store.login_history(&query)?))
            .await
    }
}
