use innsyn_domain::records::{MAX_BATCH, validate_batch};
use innsyn_domain::{AccessRecord, AccessRecordInput, ActivityRecord, AppendOutcome, LoginEvent};

use crate::{AppError, Service, Writer};

impl Service {
    /// `POST /v1/login-events`: validates the whole batch (every bad item
    /// named by index and field), then stores it durably, idempotently.
    ///
    /// # Errors
    /// [`AppError::BatchTooLarge`], [`AppError::InvalidParams`], [`AppError::Store`].
    pub async fn ingest_login_events(
        &self,
        writer: &Writer,
        items: Vec<ActivityRecord>,
    ) -> Result<AppendOutcome, AppError> {
        let events = validate_batch(within_batch(items)?, LoginEvent::from_activity)?;
        self.store_login_events(writer, events).await
    }

    /// Stores login events already validated (`innsyn import` validates
    /// by line number itself).
    ///
    /// # Errors
    /// [`AppError::BatchTooLarge`], [`AppError::Store`].
    pub async fn store_login_events(
        &self,
        _writer: &Writer,
        events: Vec<LoginEvent>,
    ) -> Result<AppendOutcome, AppError> {
        let events = within_batch(events)?;
        self.with_store(move |store| Ok(store.append_login_events(&events)?))
            .await
    }

    /// `POST /v1/access-records`: as [`Service::ingest_login_events`],
    /// idempotent by record id.
    ///
    /// # Errors
    /// [`AppError::BatchTooLarge`], [`AppError::InvalidParams`], [`AppError::Store`].
    pub async fn ingest_access_records(
        &self,
        _writer: &Writer,
        items: Vec<AccessRecordInput>,
    ) -> Result<AppendOutcome, AppError> {
        let records = validate_batch(within_batch(items)?, AccessRecord::from_input)?;
        self.with_store(move |store| Ok(store.append_access_records(&records)?))
            .await
    }
}

fn within_batch<T>(items: Vec<T>) -> Result<Vec<T>, AppError> {
    if items.len() > MAX_BATCH {
        return Err(AppError::BatchTooLarge { max: MAX_BATCH });
    }
    Ok(items)
}
