use innsyn_domain::{Catalog, ClientEntry, LabelEntry, OrganisationEntry, ResourceEntry};

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

    /// Registers or renames an organisation.
    ///
    /// # Errors
    /// [`AppError::Store`].
    pub async fn put_organisation(
        &self,
        _admin: &Admin,
        organisation: OrganisationEntry,
    ) -> Result<(), AppError> {
        self.with_store(move |store| Ok(store.put_organisation(&organisation)?))
            .await
    }

    /// Sets the display names of one code.
    ///
    /// # Errors
    /// [`AppError::Store`].
    pub async fn put_label(&self, _admin: &Admin, label: LabelEntry) -> Result<(), AppError> {
        self.with_store(move |store| Ok(store.put_label(&label)?))
            .await
    }
}
