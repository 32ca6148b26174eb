//! Schema migrations and the partitions they start with.

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use innsyn_ports::StoreError;
use time::OffsetDateTime;

use crate::conn::{Db, db_error};
use crate::pool::checkout;
use crate::{Backend, DEFAULT_MONTHS_AHEAD, Store, partitions};

pub(crate) const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// What [`Store::migrate`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationReport {
    /// Versions of the migrations applied now (empty when up to date).
    pub applied: Vec<String>,
    /// Partitions created (PostgreSQL only).
    pub partitions_created: Vec<String>,
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

impl Store {
    /// Applies pending migrations (and, on PostgreSQL, creates the
    /// partitions from last month to [`DEFAULT_MONTHS_AHEAD`] ahead).
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
                let partitions_created =
                    partitions::ensure(c, OffsetDateTime::now_utc(), DEFAULT_MONTHS_AHEAD)
                        .map_err(StoreError::from)?;
                Ok(MigrationReport {
                    applied,
                    partitions_created,
                })
            }
            Backend::Sqlite(p) => {
                let mut c = checkout(p)?;
                let c: &mut SqliteConnection = &mut c;
                Ok(MigrationReport {
                    applied: run_migrations(c, SQLITE_MIGRATIONS)?,
                    partitions_created: Vec::new(),
                })
            }
        }
    }

    /// Creates monthly partitions from the month before `now` up to
    /// `months_ahead` after it. Run it monthly (the server's maintenance
    /// job) so new months exist before their first event; ingestion also
    /// creates any month a batch needs on demand (an import of old history
    /// included). A no-op on SQLite.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn ensure_partitions(
        &self,
        now: OffsetDateTime,
        months_ahead: u32,
    ) -> Result<Vec<String>, StoreError> {
        match &self.backend {
            Backend::Postgres(p) => {
                let mut c = checkout(p)?;
                partitions::ensure(&mut c, now, months_ahead).map_err(StoreError::from)
            }
            Backend::Sqlite(_) => Ok(Vec::new()),
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
