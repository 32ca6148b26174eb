use innsyn_domain::records::{Horizon, MAX_BATCH, validate_batch};
use innsyn_domain::{
    AccessRecord, AccessRecordInput, ActivityRecord, AppendOutcome, InvalidParams, LoginEvent,
};

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
        let horizon = self.horizon();
        let events = validate_batch(within_batch(items)?, |r| {
            LoginEvent::from_activity_at(r, &horizon)
        })?;
        self.store_login_events(writer, events).await
    }

    /// One login event as ingestion validates it (`innsyn import`, line
    /// by line): the record's rules, and `event_created` at most
    /// `max_future_skew` after the clock.
    ///
    /// # Errors
    /// Every bad field, by name.
    pub fn validate_login_event(
        &self,
        record: ActivityRecord,
    ) -> Result<LoginEvent, InvalidParams> {
        LoginEvent::from_activity_at(record, &self.horizon())
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
        let horizon = self.horizon();
        let records = validate_batch(within_batch(items)?, |r| {
            AccessRecord::from_input_at(r, &horizon)
        })?;
        self.with_store(move |store| Ok(store.append_access_records(&records)?))
            .await
    }
}

impl Service {
    /// The latest time an event ingested now may carry.
    fn horizon(&self) -> Horizon {
        let skew = time::Duration::try_from(self.inner().settings.max_future_skew)
            .unwrap_or(time::Duration::MAX);
        Horizon::new(self.now(), skew)
    }
}

fn within_batch<T>(items: Vec<T>) -> Result<Vec<T>, AppError> {
    if items.len() > MAX_BATCH {
        return Err(AppError::BatchTooLarge { max: MAX_BATCH });
    }
    Ok(items)
}
