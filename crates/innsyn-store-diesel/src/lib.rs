//! The innsyn history store on PostgreSQL (production) and SQLite (the
//! embedded default of `innsyn dev`), implementing
//! [`innsyn_ports::HistoryStore`] with Diesel.
//!
//! - One code path for both backends: statements are built as SQL text
//!   with bind values ([`sql`](crate)), and the operations are generic over
//!   the connection; only the bulk inserts and retention's batch differ.
//! - Identity numbers are never stored: subjects are HMAC-SHA256 keys
//!   (with the key id beside them so the secret can be rotated).
//! - The event tables are unpartitioned (a read costs the same whatever
//!   the months kept); retention deletes in bounded batches. The hot
//!   statements are prepared once per connection, so PostgreSQL plans them
//!   once, not on every call.
//! - Disputes ([`innsyn_ports::DisputeStore`]) live beside the histories,
//!   so retention can skip the items an open case holds.
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
mod pool;
mod registered;
mod settings;
mod sql;
#[cfg(feature = "test-support")]
pub mod test_support;

pub use innsyn_ports::{
    AccessHistoryAnswer, DisputeStore, HistoryStore, PoolState, RetentionOutcome, StoreError,
};

use crate::keys::Keyer;
pub use crate::migrate::MigrationReport;
use crate::pool::{PgPool, SqlitePool};
pub use crate::settings::{MIN_SECRET_LEN, StoreSettings, redact_url};

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    /// PostgreSQL.
    Postgres,
    /// SQLite, a file or in memory.
    Sqlite,
}

enum Backend {
    Postgres(PgPool),
    Sqlite(SqlitePool),
}

/// The history store over a connection pool. Cheap to share behind an `Arc`.
pub struct Store {
    backend: Backend,
    keyer: Keyer,
    registered: registered::Registered,
    retention_resume: std::sync::Mutex<ops::RetentionResume>,
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

mod dead_letter_store;
mod dispute_store;
mod history_store;
mod log_store;
mod migrate;
mod page_session_store;
mod store;
