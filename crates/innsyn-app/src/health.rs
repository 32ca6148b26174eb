use innsyn_ports::PoolState;

use crate::{AppError, Service};

impl Service {
    /// Whether the store answers and token validation works (`/readyz`).
    ///
    /// # Errors
    /// [`AppError::Store`] or [`AppError::Token`], whichever is not ready.
    pub async fn ready(&self) -> Result<(), AppError> {
        self.with_store(|store| Ok(store.ping()?)).await?;
        match &self.inner().ports.tokens {
            Some(tokens) => Ok(tokens.ready().await?),
            None => Ok(()),
        }
    }

    /// The store's pool, read without a round trip (so not gated).
    pub fn pool_state(&self) -> Option<PoolState> {
        self.inner().ports.store.pool_state()
    }
}
