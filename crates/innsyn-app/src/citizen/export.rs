//! The citizen's downloads (GDPR articles 15 and 20): everything, not a page.

use innsyn_domain::{AccessHistoryEntry, AccessHistoryQuery, LoginHistoryEntry, SubjectId};
use time::OffsetDateTime;

use super::EXPORT_LIMIT;
use super::history::{all_access, all_logins};
use super::view::all_time;
use crate::{AppError, Service};

/// Which parts a download holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportRequest {
    /// The logins.
    pub logins: bool,
    /// The look-ups.
    pub access: bool,
}

/// A download's contents, newest first, each part up to [`EXPORT_LIMIT`].
#[derive(Debug, Clone)]
pub struct Export {
    /// The logins, when asked for.
    pub logins: Vec<LoginHistoryEntry>,
    /// The look-ups, when asked for.
    pub access: Vec<AccessHistoryEntry>,
    /// When it was read.
    pub generated_at: OffsetDateTime,
}

impl Service {
    /// Everything of `subject`'s history that `request` names.
    ///
    /// # Errors
    /// [`AppError::Store`].
    pub async fn citizen_export(
        &self,
        subject: &SubjectId,
        request: ExportRequest,
    ) -> Result<Export, AppError> {
        let subject = subject.clone();
        let now = self.now();
        self.with_store(move |store| {
            let logins = if request.logins {
                all_logins(store, &subject, None, EXPORT_LIMIT)?
            } else {
                Vec::new()
            };
            let access = if request.access {
                all_access(
                    store,
                    AccessHistoryQuery::new(subject.clone(), all_time(now)),
                    EXPORT_LIMIT,
                )?
            } else {
                Vec::new()
            };
            Ok(Export {
                logins,
                access,
                generated_at: now,
            })
        })
        .await
    }
}
