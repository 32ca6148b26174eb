use std::time::Duration;

use innsyn_ports::{PoolState, StoreError};

use crate::{AppError, Service};

/// `/readyz` answers within this, whatever the store or the issuer do: a
/// probe that hangs is worse for an orchestrator than one that says no.
pub(crate) const READY_TIMEOUT: Duration = Duration::from_secs(2);

impl Service {
    /// Whether the store answers and token validation works (`/readyz`).
    ///
    /// # Errors
    /// [`AppError::Store`] or [`AppError::Token`], whichever is not ready.
    pub async fn ready(&self) -> Result<(), AppError> {
        let check = async {
            self.with_store(|store| Ok(store.ping()?)).await?;
            match &self.inner().ports.tokens {
                Some(tokens) => Ok(tokens.ready().await?),
                None => Ok(()),
            }
        };
        tokio::time::timeout(READY_TIMEOUT, check)
            .await
            .unwrap_or_else(|_| {
                Err(StoreError::Unavailable(format!(
                    "not ready within {}s",
                    READY_TIMEOUT.as_secs()
                ))
                .into())
            })
    }

    /// The store's pool, read without a round trip (so not gated).
    pub fn pool_state(&self) -> Option<PoolState> {
        self.inner().ports.store.pool_state()
    }
}
