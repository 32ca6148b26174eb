//! The citizen's login at the OpenID provider, through the port.

use innsyn_domain::SubjectId;
use innsyn_ports::{LoginStart, PendingLogin};

use crate::{AppError, Service};

/// A finished login: who, and the ID token kept as the logout hint.
#[derive(Clone)]
pub struct CitizenLogin {
    /// The citizen.
    pub subject: SubjectId,
    /// The raw ID token.
    pub id_token: String,
}

impl std::fmt::Debug for CitizenLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CitizenLogin(<redacted>)")
    }
}

impl Service {
    fn provider(&self) -> Result<&dyn innsyn_ports::CitizenLogin, AppError> {
        self.inner()
            .ports
            .citizen_login
            .as_deref()
            .ok_or(AppError::LoginNotConfigured)
    }

    /// Whether an OpenID provider is configured for the page.
    pub fn citizen_login_configured(&self) -> bool {
        self.inner().ports.citizen_login.is_some()
    }

    /// The provider's origin, for the page's `form-action` policy.
    pub fn citizen_login_origin(&self) -> Option<String> {
        self.provider().ok().map(|p| p.issuer_origin())
    }

    /// Starts a login at the provider.
    ///
    /// # Errors
    /// [`AppError::LoginNotConfigured`], [`AppError::Login`].
    pub async fn begin_citizen_login(&self, ui_locale: &str) -> Result<LoginStart, AppError> {
        Ok(self.provider()?.begin(ui_locale).await?)
    }

    /// Finishes a login: the ID token verified, its subject a valid
    /// identifier.
    ///
    /// # Errors
    /// [`AppError::LoginNotConfigured`], [`AppError::Login`], and
    /// [`AppError::Login`] `Rejected` when the subject is not an identifier.
    pub async fn finish_citizen_login(
        &self,
        pending: PendingLogin,
        code: String,
    ) -> Result<CitizenLogin, AppError> {
        let done = self.provider()?.finish(pending, code).await?;
        let subject = SubjectId::parse(&done.subject).map_err(|_| {
            innsyn_ports::LoginError::Rejected(
                "the ID token's subject is not a valid identifier".to_owned(),
            )
        })?;
        Ok(CitizenLogin {
            subject,
            id_token: done.id_token,
        })
    }

    /// The provider's logout URL, when it has one.
    pub async fn citizen_logout_url(
        &self,
        id_token: Option<String>,
        ui_locale: &str,
    ) -> Option<String> {
        self.provider().ok()?.logout_url(id_token, ui_locale).await
    }
}
