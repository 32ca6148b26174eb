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

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::migration::MigrationSource;
    use diesel::sql_types::{BigInt, Binary};
    use diesel::sqlite::Sqlite;
    use diesel::{Connection, QueryableByName};

    use super::*;
    use crate::keys::access_content_hash;
    use crate::sql::{Dialect, Query};

    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    #[derive(QueryableByName)]
    struct Hash {
        #[diesel(sql_type = Binary)]
        content_hash: Vec<u8>,
    }

    fn count(c: &mut SqliteConnection, table: &str) -> i64 {
        let rows: Vec<N> = c
            .load_rows(Query::new(
                Dialect::Sqlite,
                &format!("SELECT count(*) AS n FROM {table}"),
            ))
            .unwrap();
        rows[0].n
    }

    /// A SQLite database of the previous release (only the first
    /// migration) keeps its rows through the flat-tables migration, and the
    /// ids of its access records get the content hash ingestion computes.
    #[test]
    fn sqlite_flat_tables_migration_keeps_rows_and_hashes_the_records() {
        let mut c = SqliteConnection::establish(":memory:").unwrap();
        diesel::migration::MigrationConnection::setup(&mut c).unwrap();
        let migrations = MigrationSource::<Sqlite>::migrations(&SQLITE_MIGRATIONS).unwrap();
        c.run_migration(migrations[0].as_ref()).unwrap();
        c.batch_execute(
            "INSERT INTO login_events VALUES
               (x'01', 10, x'aa', 'k1', '991825827', 'c', 'svc', 'MinID', 'PIN', 'Innlogget', NULL),
               (x'01', 20, x'bb', 'k1', NULL, 'c', 'svc', 'MinID', 'PIN', 'Innlogget', NULL),
               (x'02', 30, x'aa', 'k1', NULL, 'c', 'svc', 'MinID', 'PIN', 'Innlogget', NULL);
             INSERT INTO access_records VALUES
               (x'01', 1000, x'0001', 'k1', 'app', 'cl', 'res', NULL, 'read', 'p', 'Permit', '991825827'),
               (x'02', 2000, x'0002', 'k1', 'app', 'cl', 'res', 'urn:x', 'write', 'p', 'Deny', NULL);",
        )
        .unwrap();
        let applied = run_migrations(&mut c, SQLITE_MIGRATIONS).unwrap();
        assert_eq!(applied.len(), migrations.len() - 1);
        assert!(
            applied
                .iter()
                .any(|v| v.replace('-', "").starts_with(SQLITE_HASHES_FROM)),
            "{applied:?}"
        );
        assert_eq!(ops::fill_content_hashes(&mut c).unwrap(), 2);
        assert_eq!(count(&mut c, "login_events"), 3);
        assert_eq!(count(&mut c, "access_records"), 2);
        let hashes: Vec<Hash> = c
            .load_rows(Query::new(
                Dialect::Sqlite,
                "SELECT content_hash FROM access_record_ids ORDER BY id",
            ))
            .unwrap();
        let want = [
            access_content_hash(
                &[1],
                1000,
                [
                    Some("app"),
                    Some("cl"),
                    Some("res"),
                    None,
                    Some("read"),
                    Some("p"),
                    Some("Permit"),
                    Some("991825827"),
                ],
            ),
            access_content_hash(
                &[2],
                2000,
                [
                    Some("app"),
                    Some("cl"),
                    Some("res"),
                    Some("urn:x"),
                    Some("write"),
                    Some("p"),
                    Some("Deny"),
                    None,
                ],
            ),
        ];
        let got: Vec<Vec<u8>> = hashes.into_iter().map(|h| h.content_hash).collect();
        assert_eq!(got, want);
    }
}
