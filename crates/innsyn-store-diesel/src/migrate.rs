//! Schema migrations.

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use innsyn_ports::StoreError;

use crate::conn::{Db, db_error};
use crate::pool::checkout;
use crate::{Backend, Store, ops};

pub(crate) const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// What [`Store::migrate`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationReport {
    /// Versions of the migrations applied now (empty when up to date).
    pub applied: Vec<String>,
}

fn migration_error(e: &(dyn std::error::Error + Send + Sync + 'static)) -> StoreError {
    match e.downcast_ref::<diesel::result::Error>() {
        Some(db) => db_error(db),
        None => StoreError::Internal(format!("migration failed: {e}")),
    }
}

fn run_migrations<C>(c: &mut C, source: EmbeddedMigrations) -> Result<Vec<String>, StoreError>
where
    C: Db + MigrationHarness<C::Backend>,
{
    let applied = c
        .run_pending_migrations(source)
        .map_err(|e| migration_error(&*e))?;
    Ok(applied.iter().map(ToString::to_string).collect())
}

/// Serialises concurrent `migrate` runs (several replicas starting at once).
const MIGRATION_LOCK: i64 = 0x1A55_0002;

/// The migration after which SQLite's stored access records need their
/// content hashes computed by the store.
const SQLITE_HASHES_FROM: &str = "20261202000000";

impl Store {
    /// Applies pending migrations.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn migrate(&self) -> Result<MigrationReport, StoreError> {
        match &self.backend {
            Backend::Postgres(p) => {
                let mut c = checkout(p)?;
                let c: &mut PgConnection = &mut c;
                advisory(c, "pg_advisory_lock")?;
                let applied = run_migrations(c, PG_MIGRATIONS);
                let unlocked = advisory(c, "pg_advisory_unlock");
                let applied = applied?;
                unlocked?;
                Ok(MigrationReport { applied })
            }
            Backend::Sqlite(p) => {
                let mut c = checkout(p)?;
                let c: &mut SqliteConnection = &mut c;
                let applied = run_migrations(c, SQLITE_MIGRATIONS)?;
                if applied
                    .iter()
                    .any(|v| v.replace('-', "").starts_with(SQLITE_HASHES_FROM))
                {
                    ops::fill_content_hashes(c)?;
                }
                Ok(MigrationReport { applied })
            }
        }
    }
}

fn advisory(c: &mut PgConnection, function: &str) -> Result<(), StoreError> {
    diesel::connection::SimpleConnection::batch_execute(
        c,
        &format!("SELECT {function}({MIGRATION_LOCK})"),
    )
    .map_err(|e| db_error(&e))
}
