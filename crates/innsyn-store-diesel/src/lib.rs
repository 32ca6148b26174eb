//! The innsyn history store on PostgreSQL (production) and SQLite (the
//! embedded default of `innsyn dev`), implementing
//! [`innsyn_ports::HistoryStore`] with Diesel.
//!
//! - One code path for both backends: statements are built as SQL text
//!   with bind values ([`sql`](crate)), and the operations are generic over
//!   the connection; only the bulk insert and partition maintenance differ.
//! - Identity numbers are never stored: subjects are HMAC-SHA256 keys
//!   (with the key id beside them so the secret can be rotated).
//! - On PostgreSQL the event tables are range-partitioned by month (no
//!   default partition; ingestion creates missing months on demand);
//!   retention drops whole partitions. The hot statements are prepared once
//!   per connection, so PostgreSQL plans them once, not on every call.
//! - The store is blocking; call it from a blocking pool. A lost database,
//!   an exhausted pool or a statement timeout is
//!   [`StoreError::Unavailable`], and the pool reconnects by itself.
//!
//! ```no_run
//! use innsyn_store_diesel::{Store, StoreSettings};
//! let store = Store::connect(&StoreSettings::sqlite_memory())?;
//! store.migrate()?;
//! # Ok::<(), innsyn_ports::StoreError>(())
//! ```

mod conn;
mod keys;
mod ops;
mod partitions;
mod pool;
mod settings;
mod sql;
#[cfg(feature = "test-support")]
pub mod test_support;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use innsyn_domain::{
    AccessHistoryQuery, AccessRecord, AppendOutcome, Catalog, ClientEntry, LoginEvent,
    LoginHistoryEntry, LoginHistoryQuery, ResourceEntry,
};
pub use innsyn_ports::{
    AccessHistoryAnswer, HistoryStore, PoolState, RetentionOutcome, StoreError,
};
use time::OffsetDateTime;

use crate::conn::{Db, db_error};
use crate::keys::Keyer;
use crate::pool::{Customizer, PgPool, SqlitePool, checkout, pool};
use crate::settings::Target;
pub use crate::settings::{MIN_SECRET_LEN, StoreSettings, redact_url};

const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Months of partitions `migrate` creates ahead of the current one; a
/// scheduled [`Store::ensure_partitions`] should keep at least this many.
pub const DEFAULT_MONTHS_AHEAD: u32 = 3;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    /// PostgreSQL, partitioned.
    Postgres,
    /// SQLite, a file or in memory.
    Sqlite,
}

/// What [`Store::migrate`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationReport {
    /// Versions of the migrations applied now (empty when up to date).
    pub applied: Vec<String>,
    /// Partitions created (PostgreSQL only).
    pub partitions_created: Vec<String>,
}

enum Backend {
    Postgres(PgPool),
    Sqlite(SqlitePool),
}

/// The history store over a connection pool. Cheap to share behind an `Arc`.
pub struct Store {
    backend: Backend,
    keyer: Keyer,
    /// Monthly partitions known to exist (PostgreSQL).
    partitions: partitions::Known,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend_kind())
            .field("key_id", &self.keyer.key_id())
            .finish_non_exhaustive()
    }
}

/// Runs `$body` with `$c` bound to a pooled connection of either backend.
macro_rules! with_conn {
    ($self:expr, |$c:ident| $body:expr) => {
        match &$self.backend {
            Backend::Postgres(p) => {
                let mut guard = checkout(p)?;
                let $c: &mut PgConnection = &mut guard;
                ($body).map_err(StoreError::from)
            }
            Backend::Sqlite(p) => {
                let mut guard = checkout(p)?;
                let $c: &mut SqliteConnection = &mut guard;
                ($body).map_err(StoreError::from)
            }
        }
    };
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
            settings.subject_key_secret.as_bytes(),
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
            partitions: partitions::Known::default(),
        })
    }

    /// Runs an ingestion batch on PostgreSQL after making sure the months
    /// it writes have partitions. When a partition vanished behind the
    /// cache (retention elsewhere), forgets the cache and retries once.
    fn ingest_pg<T>(
        &self,
        c: &mut PgConnection,
        table: &'static str,
        months: &BTreeSet<partitions::YearMonth>,
        mut op: impl FnMut(&mut PgConnection) -> Result<T, conn::Failure>,
    ) -> Result<T, StoreError> {
        self.partitions.ensure(c, table, months)?;
        match op(c) {
            Err(f) if partitions::is_missing_partition(&f) => {
                self.partitions.forget();
                self.partitions.ensure(c, table, months)?;
                op(c).map_err(StoreError::from)
            }
            other => other.map_err(StoreError::from),
        }
    }

    /// Which database this store uses.
    pub fn backend_kind(&self) -> BackendKind {
        match self.backend {
            Backend::Postgres(_) => BackendKind::Postgres,
            Backend::Sqlite(_) => BackendKind::Sqlite,
        }
    }

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

    /// Bulk import (`innsyn import`): appends `events` in transactions of
    /// `batch_size` (10,000–50,000 is a good size), summing the outcomes.
    /// Idempotent, so an interrupted import can simply be run again; the
    /// months of old events get their partitions on demand.
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

fn advisory(c: &mut PgConnection, function: &str) -> Result<(), StoreError> {
    diesel::connection::SimpleConnection::batch_execute(
        c,
        &format!("SELECT {function}({MIGRATION_LOCK})"),
    )
    .map_err(|e| db_error(&e))
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

impl HistoryStore for Store {
    fn login_history(&self, q: &LoginHistoryQuery) -> Result<Vec<LoginHistoryEntry>, StoreError> {
        with_conn!(self, |c| ops::login_history(c, &self.keyer, q))
    }

    fn access_history(&self, q: &AccessHistoryQuery) -> Result<AccessHistoryAnswer, StoreError> {
        with_conn!(self, |c| ops::access_history(c, &self.keyer, q))
    }

    fn append_login_events(&self, events: &[LoginEvent]) -> Result<AppendOutcome, StoreError> {
        if events.is_empty() {
            return Ok(AppendOutcome::default());
        }
        match &self.backend {
            Backend::Postgres(p) => {
                let mut c = checkout(p)?;
                let months = partitions::months_of(events.iter().map(|e| e.occurred_at));
                self.ingest_pg(&mut c, "login_events", &months, |c| {
                    ops::append_login_events(c, &self.keyer, events)
                })
            }
            Backend::Sqlite(p) => {
                let mut c = checkout(p)?;
                ops::append_login_events(&mut *c, &self.keyer, events).map_err(StoreError::from)
            }
        }
    }

    fn append_access_records(&self, records: &[AccessRecord]) -> Result<AppendOutcome, StoreError> {
        if records.is_empty() {
            return Ok(AppendOutcome::default());
        }
        match &self.backend {
            Backend::Postgres(p) => {
                let mut c = checkout(p)?;
                let months = partitions::months_of(records.iter().map(|r| r.occurred_at));
                self.ingest_pg(&mut c, "access_records", &months, |c| {
                    ops::append_access_records(c, &self.keyer, records)
                })
            }
            Backend::Sqlite(p) => {
                let mut c = checkout(p)?;
                ops::append_access_records(&mut *c, &self.keyer, records).map_err(StoreError::from)
            }
        }
    }

    fn catalog(&self) -> Result<Catalog, StoreError> {
        with_conn!(self, |c| ops::catalog(c))
    }

    fn put_client(&self, client: &ClientEntry) -> Result<(), StoreError> {
        with_conn!(self, |c| ops::put_client(c, client))
    }

    fn put_resource(&self, resource: &ResourceEntry) -> Result<(), StoreError> {
        with_conn!(self, |c| ops::put_resource(c, resource))
    }

    fn apply_retention(&self, cutoff: OffsetDateTime) -> Result<RetentionOutcome, StoreError> {
        let [login_events, access_records] = match &self.backend {
            Backend::Postgres(p) => {
                let mut c = checkout(p)?;
                let removed = partitions::apply_retention(&mut c, cutoff);
                // Dropped months must be created again if events for them arrive.
                self.partitions.forget();
                removed
            }
            Backend::Sqlite(p) => {
                let mut c = checkout(p)?;
                ops::delete_before(&mut *c, cutoff)
            }
        }
        .map_err(StoreError::from)?;
        Ok(RetentionOutcome {
            login_events,
            access_records,
        })
    }

    fn pool_state(&self) -> Option<PoolState> {
        let state = match &self.backend {
            Backend::Postgres(p) => p.state(),
            Backend::Sqlite(p) => p.state(),
        };
        Some(PoolState {
            connections: state.connections,
            idle: state.idle_connections,
        })
    }

    fn ping(&self) -> Result<(), StoreError> {
        with_conn!(self, |c| ops::ping(c))
    }
}
