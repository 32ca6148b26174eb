//! Building a store, and what it offers beside the port.

use std::path::Path;
use std::time::Duration;

use innsyn_domain::{AppendOutcome, LoginEvent};
use innsyn_ports::{HistoryStore, StoreError};

use crate::keys::Keyer;
use crate::pool::{Customizer, checkout, pool};
use crate::settings::Target;
use crate::{Backend, BackendKind, Store, StoreSettings};

impl Store {
    /// Builds the pool for `settings.url`. Does not migrate, and does not
    /// wait for PostgreSQL (the pool connects on demand, so a server can
    /// start before its database); a SQLite file is opened at once.
    ///
    /// # Errors
    /// [`StoreError::Internal`] for bad settings; [`StoreError::Unavailable`]
    /// when a SQLite file cannot be opened.
    pub fn connect(settings: &StoreSettings) -> Result<Store, StoreError> {
        let target = settings.target()?;
        settings.check_secret(&target)?;
        let keyer = Keyer::new(
            settings.subject_key_secret.expose().as_bytes(),
            &settings.subject_key_id,
        )?;
        let timeout = Duration::from_secs(settings.connect_timeout_secs.max(1));
        let customizer = Customizer {
            statement_timeout_ms: settings.statement_timeout_ms,
        };
        let backend = match target {
            Target::Postgres(url) => Backend::Postgres(pool(
                &url,
                settings.pool_size,
                0,
                timeout,
                customizer,
                false,
            )),
            // Every connection to ":memory:" is a database of its own, so
            // the pool holds exactly one, forever.
            Target::SqliteMemory => {
                let p = pool(":memory:", 1, 1, timeout, customizer, true);
                checkout(&p)?;
                Backend::Sqlite(p)
            }
            Target::SqliteFile(path) => {
                create_parent(&path)?;
                let url = path.to_string_lossy().into_owned();
                let p = pool(&url, settings.pool_size, 1, timeout, customizer, false);
                checkout(&p)?;
                Backend::Sqlite(p)
            }
        };
        Ok(Store {
            backend,
            keyer,
            registered: Default::default(),
            retention_resume: Default::default(),
        })
    }

    /// Which database this store uses.
    pub fn backend_kind(&self) -> BackendKind {
        match self.backend {
            Backend::Postgres(_) => BackendKind::Postgres,
            Backend::Sqlite(_) => BackendKind::Sqlite,
        }
    }

    /// Bulk import (`innsyn import`): appends `events` in transactions of
    /// `batch_size` (10,000–50,000 is a good size), summing the outcomes.
    /// Idempotent, so an interrupted import can simply be run again.
    ///
    /// # Errors
    /// [`StoreError`]; batches before the failing one stay stored.
    pub fn import_login_events<I>(
        &self,
        events: I,
        batch_size: usize,
    ) -> Result<AppendOutcome, StoreError>
    where
        I: IntoIterator<Item = LoginEvent>,
    {
        let batch_size = batch_size.max(1);
        let mut total = AppendOutcome::default();
        let mut batch = Vec::with_capacity(batch_size);
        let mut flush = |batch: &mut Vec<LoginEvent>| -> Result<(), StoreError> {
            let o = self.append_login_events(batch)?;
            total.accepted += o.accepted;
            total.duplicates += o.duplicates;
            total.conflicts += o.conflicts;
            batch.clear();
            Ok(())
        };
        for e in events {
            batch.push(e);
            if batch.len() == batch_size {
                flush(&mut batch)?;
            }
        }
        flush(&mut batch)?;
        Ok(total)
    }
}

fn create_parent(path: &Path) -> Result<(), StoreError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Unavailable(format!(
                "cannot create the SQLite directory {}: {e}",
                dir.display()
            ))
        }),
        _ => Ok(()),
    }
}
