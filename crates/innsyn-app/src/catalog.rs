use innsyn_domain::{Catalog, ClientEntry, ResourceEntry};

use crate::{Admin, AppError, Service};

impl Service {
    /// The whole catalog.
    ///
    /// # Errors
    /// [`AppError::Store`].
    pub async fn catalog(&self, _admin: &Admin) -> Result<Catalog, AppError> {
        self.with_store(|store| Ok(store.catalog()?)).await
    }

    /// Registers or updates a client (an administrator's word overrides
    /// what ingestion learnt).
    ///
    /// # Errors
    /// [`AppError::Store`].
    pub async fn put_client(&self, _admin: &Admin, client: ClientEntry) -> Result<(), AppError> {
        self.with_store(move |store| Ok(store.put_client(&client)?))
            .await
    }

    /// Registers or updates a resource.
    ///
    /// # Errors
    /// [`AppError::Store`].
    pub async fn put_resource(
        &self,
        _admin: &Admin,
        resource: ResourceEntry,
    ) -> Result<(), AppError> {
        self.with_store(move |store| Ok(store.put_resource(&resource)?))
            .await
    }
}
