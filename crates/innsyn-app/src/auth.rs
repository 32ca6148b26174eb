use innsyn_domain::{Caller, policy};
use innsyn_ports::{AccessToken, TokenError};

use crate::{AppError, Service};

/// Proof that the holder may ingest: only [`Service::writer`] and
/// [`Writer::operator`] make one, so an ingestion use case cannot be
/// reached without the check.
#[derive(Debug, Clone)]
pub struct Writer(());

impl Writer {
    /// The operator's own authority, for front ends that run with the
    /// database's credentials rather than a token (`innsyn import`).
    pub fn operator() -> Self {
        Writer(())
    }
}

/// Proof that the holder may administer the catalog and run retention.
#[derive(Debug, Clone)]
pub struct Admin(());

impl Admin {
    /// The operator's own authority (command-line front ends).
    pub fn operator() -> Self {
        Admin(())
    }
}

impl Service {
    /// The verified caller behind a bearer token.
    ///
    /// # Errors
    /// [`AppError::Token`].
    pub async fn authenticate(&self, token: &AccessToken) -> Result<Caller, AppError> {
        let Some(tokens) = &self.inner().ports.tokens else {
            return Err(
                TokenError::Unavailable("this front end validates no tokens".to_owned()).into(),
            );
        };
        Ok(tokens.introspect(token).await?)
    }

    /// A writer, when the token's caller may ingest.
    ///
    /// # Errors
    /// [`AppError::Token`] or [`AppError::Denied`].
    pub async fn writer(&self, token: &AccessToken) -> Result<Writer, AppError> {
        let caller = self.authenticate(token).await?;
        policy::authorize_write(&caller, self.scopes())?;
        Ok(Writer(()))
    }

    /// An administrator, when the token's caller may administer.
    ///
    /// # Errors
    /// [`AppError::Token`] or [`AppError::Denied`].
    pub async fn admin(&self, token: &AccessToken) -> Result<Admin, AppError> {
        let caller = self.authenticate(token).await?;
        policy::authorize_admin(&caller, self.scopes())?;
        Ok(Admin(()))
    }
}
