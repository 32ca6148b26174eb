use innsyn_domain::retention;
use innsyn_ports::RetentionOutcome;
use time::OffsetDateTime;

use crate::{Admin, AppError, Service};

/// What one retention run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionRun {
    /// Everything before this instant was removed.
    pub cutoff: OffsetDateTime,
    /// What was removed.
    pub removed: RetentionOutcome,
}

impl Service {
    /// Removes the history older than the configured retention; `None`
    /// when retention is off (`database.retention_months` unset).
    ///
    /// # Errors
    /// [`AppError::Store`]; [`AppError::Internal`] when the cutoff leaves
    /// the calendar (a misconfiguration).
    pub async fn run_retention(&self, _admin: &Admin) -> Result<Option<RetentionRun>, AppError> {
        let Some(months) = self.inner().settings.retention_months else {
            return Ok(None);
        };
        let cutoff = retention::cutoff(self.now(), months).ok_or_else(|| {
            AppError::Internal(format!("{months} months of retention leave the calendar"))
        })?;
        let removed = self
            .with_store(move |store| Ok(store.apply_retention(cutoff)?))
            .await?;
        Ok(Some(RetentionRun { cutoff, removed }))
    }
}
