//! The citizen's downloads (GDPR articles 15 and 20): everything, not a page.

use innsyn_domain::records::{HistoryKind, ReadPurpose, Reader};
use innsyn_domain::{AccessHistoryEntry, AccessHistoryQuery, LoginHistoryEntry, SubjectId, policy};
use innsyn_ports::AccessToken;
use time::OffsetDateTime;

use super::EXPORT_LIMIT;
use super::history::{all_access, all_logins};
use super::view::all_time;
use crate::log::export_proofs;
use crate::{AppError, ExportProofs, Service};

/// The client a download from the page is recorded under: a copy of the
/// history left innsyn, at the citizen's own request.
pub(crate) const PAGE_CLIENT_ID: &str = "innsyn-min-side";
/// Its application name in the record.
pub(crate) const PAGE_APPLICATION: &str = "innsyn (Min side)";

/// Which parts a download holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportRequest {
    /// The logins.
    pub logins: bool,
    /// The look-ups.
    pub access: bool,
    /// The log's proofs of every record (for the JSON file).
    pub proofs: bool,
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
    /// The log's proofs, when asked for and a checkpoint is signed.
    pub log: Option<ExportProofs>,
}

impl Service {
    /// Everything of `subject`'s history that `request` names. Each part
    /// becomes a record of a read of that history (purpose `innsyn`, reader
    /// [`PAGE_CLIENT_ID`]), durable before the download is handed out;
    /// views of the page itself are not recorded (docs/api.md says why).
    ///
    /// # Errors
    /// [`AppError::Store`], also when a record cannot be stored.
    pub async fn citizen_export(
        &self,
        subject: &SubjectId,
        request: ExportRequest,
    ) -> Result<Export, AppError> {
        let page = Reader {
            client_id: Some(PAGE_CLIENT_ID.to_owned()),
            application: Some(PAGE_APPLICATION.to_owned()),
            orgno: None,
        };
        self.export_for(page, subject, request).await
    }

    /// The token's own person's whole history with the log's proofs (the
    /// verifiable file, for front ends other than the page), recorded as a
    /// read by the token's client.
    ///
    /// # Errors
    /// [`AppError::Token`], [`AppError::Denied`] (`history:read` and a
    /// person are needed), [`AppError::Store`].
    pub async fn own_export(&self, token: &AccessToken) -> Result<Export, AppError> {
        let caller = self.authenticate(token).await?;
        let subject = policy::authorize_own_history(&caller, self.scopes())?;
        let reader = Reader {
            client_id: caller.client_id,
            application: None,
            orgno: caller.orgno,
        };
        let request = ExportRequest {
            logins: true,
            access: true,
            proofs: true,
        };
        self.export_for(reader, &subject, request).await
    }

    async fn export_for(
        &self,
        reader: Reader,
        subject: &SubjectId,
        request: ExportRequest,
    ) -> Result<Export, AppError> {
        let owner = subject.clone();
        let subject = subject.clone();
        let now = self.now();
        let signer = self
            .inner()
            .settings
            .log
            .signer
            .clone()
            .filter(|_| request.proofs);
        if signer.is_some() {
            // The checkpoint then covers everything stored until now.
            self.build_log().await?;
        }
        let export = self
            .with_both(move |both| {
                let store = both.history.as_ref();
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
                let log = match signer {
                    Some(signer) => {
                        export_proofs(both.log.as_ref(), &signer, &subject, &logins, &access)?
                    }
                    None => None,
                };
                Ok(Export {
                    logins,
                    access,
                    generated_at: now,
                    log,
                })
            })
            .await?;
        let parts = [
            (request.logins, HistoryKind::Login, export.logins.len()),
            (request.access, HistoryKind::Access, export.access.len()),
        ];
        for (asked, kind, rows) in parts {
            if asked {
                self.record_read_by(
                    reader.clone(),
                    owner.clone(),
                    kind,
                    ReadPurpose::Innsyn,
                    rows,
                )
                .await?;
            }
        }
        Ok(export)
    }
}
