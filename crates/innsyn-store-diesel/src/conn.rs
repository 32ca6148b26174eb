//! The two Diesel connections behind one small interface, the pools, and
//! the translation of Diesel's errors into the port's.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::{Pg, PgConnection};
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{Array, BigInt, Binary, Nullable, Text, Timestamptz};
use diesel::sqlite::{Sqlite, SqliteConnection};
use diesel::{Connection, QueryableByName, RunQueryDsl};
use innsyn_ports::StoreError;

use crate::sql::{Dialect, Query, Value, micros};

/// A failure inside the adapter: Diesel's, or one already in the port's terms.
#[derive(Debug)]
pub(crate) enum Failure {
    Db(DieselError),
    Store(StoreError),
}

impl From<DieselError> for Failure {
    fn from(e: DieselError) -> Self {
        Failure::Db(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

impl From<Failure> for StoreError {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Store(e) => e,
            Failure::Db(e) => db_error(&e),
        }
    }
}

/// Maps a Diesel error to the port's error without copying any text that
/// could hold record contents: only kinds and schema names are kept.
pub(crate) fn db_error(e: &DieselError) -> StoreError {
    match e {
        DieselError::DatabaseError(kind, info) => {
            let message = info.message().to_ascii_lowercase();
            match kind {
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand => {
                    StoreError::Unavailable("the database connection was lost".into())
                }
                DatabaseErrorKind::SerializationFailure => {
                    StoreError::Unavailable("the transaction conflicted with another; retry".into())
                }
                DatabaseErrorKind::ReadOnlyTransaction => {
                    StoreError::Unavailable("the database is read-only (a replica?)".into())
                }
                _ if message.contains("statement timeout") => {
                    StoreError::Unavailable("a database statement timed out".into())
                }
                _ if message.contains("database is locked") || message.contains("busy") => {
                    StoreError::Unavailable("the database is busy".into())
                }
                _ if message.contains("deadlock") => {
                    StoreError::Unavailable("the transaction deadlocked; retry".into())
                }
                _ if message.contains("terminating connection")
                    || message.contains("server closed the connection")
                    || message.contains("connection to server")
                    || message.contains("shutting down")
                    || message.contains("starting up")
                    || message.contains("no connection") =>
                {
                    StoreError::Unavailable("the database connection was lost".into())
                }
                _ => {
                    let mut where_ = String::new();
                    if let Some(t) = info.table_name() {
                        where_.push_str(&format!(" on table {t}"));
                    }
                    if let Some(c) = info.constraint_name() {
                        where_.push_str(&format!(" (constraint {c})"));
                    }
                    StoreError::Internal(format!("database error {kind:?}{where_}"))
                }
            }
        }
        DieselError::BrokenTransactionManager => {
            StoreError::Unavailable("the database connection is in a broken state".into())
        }
        DieselError::NotFound => StoreError::Internal("a row the store expected is missing".into()),
        DieselError::DeserializationError(_) => {
            StoreError::Internal("a stored value could not be read".into())
        }
        DieselError::SerializationError(_) | DieselError::QueryBuilderError(_) => {
            StoreError::Internal("a statement could not be built".into())
        }
        _ => StoreError::Internal("unexpected database error".into()),
    }
}

/// What the store needs from a connection, implemented for both backends.
pub(crate) trait Db: Connection + Sized + 'static {
    const DIALECT: Dialect;

    fn load_rows<R>(&mut self, q: Query) -> Result<Vec<R>, DieselError>
    where
        R: QueryableByName<Self::Backend> + 'static;

    fn exec(&mut self, q: Query) -> Result<usize, DieselError>;

    /// A transaction that writes. SQLite must take the write lock up front:
    /// a deferred transaction that upgrades later fails with "locked"
    /// instead of waiting.
    fn write_txn<T, F>(&mut self, f: F) -> Result<T, Failure>
    where
        F: FnOnce(&mut Self) -> Result<T, Failure>;
}

fn unsupported() -> DieselError {
    DieselError::QueryBuilderError("array values are PostgreSQL-only".into())
}

fn boxed_pg(q: Query) -> BoxedSqlQuery<'static, Pg, SqlQuery> {
    let mut b = diesel::sql_query(q.sql).into_boxed::<Pg>();
    for v in q.values {
        b = match v {
            Value::Bytes(x) => b.bind::<Binary, _>(x),
            Value::Text(x) => b.bind::<Text, _>(x),
            Value::OptText(x) => b.bind::<Nullable<Text>, _>(x),
            Value::Int(x) => b.bind::<BigInt, _>(x),
            Value::Time(x) => b.bind::<Timestamptz, _>(x),
            Value::BytesArray(x) => b.bind::<Array<Binary>, _>(x),
            Value::TimeArray(x) => b.bind::<Array<Timestamptz>, _>(x),
            Value::OptTextArray(x) => b.bind::<Array<Nullable<Text>>, _>(x),
        };
    }
    b
}

fn boxed_sqlite(q: Query) -> Result<BoxedSqlQuery<'static, Sqlite, SqlQuery>, DieselError> {
    let mut b = diesel::sql_query(q.sql).into_boxed::<Sqlite>();
    for v in q.values {
        b = match v {
            Value::Bytes(x) => b.bind::<Binary, _>(x),
            Value::Text(x) => b.bind::<Text, _>(x),
            Value::OptText(x) => b.bind::<Nullable<Text>, _>(x),
            Value::Int(x) => b.bind::<BigInt, _>(x),
            Value::Time(x) => b.bind::<BigInt, _>(micros(x)),
            Value::BytesArray(_) | Value::TimeArray(_) | Value::OptTextArray(_) => {
                return Err(unsupported());
            }
        };
    }
    Ok(b)
}

impl Db for PgConnection {
    const DIALECT: Dialect = Dialect::Postgres;

    fn load_rows<R>(&mut self, q: Query) -> Result<Vec<R>, DieselError>
    where
        R: QueryableByName<Pg> + 'static,
    {
        boxed_pg(q).load(self)
    }

    fn exec(&mut self, q: Query) -> Result<usize, DieselError> {
        boxed_pg(q).execute(self)
    }

    fn write_txn<T, F>(&mut self, f: F) -> Result<T, Failure>
    where
        F: FnOnce(&mut Self) -> Result<T, Failure>,
    {
        self.transaction(f)
    }
}

impl Db for SqliteConnection {
    const DIALECT: Dialect = Dialect::Sqlite;

    fn load_rows<R>(&mut self, q: Query) -> Result<Vec<R>, DieselError>
    where
        R: QueryableByName<Sqlite> + 'static,
    {
        boxed_sqlite(q)?.load(self)
    }

    fn exec(&mut self, q: Query) -> Result<usize, DieselError> {
        boxed_sqlite(q)?.execute(self)
    }

    fn write_txn<T, F>(&mut self, f: F) -> Result<T, Failure>
    where
        F: FnOnce(&mut Self) -> Result<T, Failure>,
    {
        self.immediate_transaction(f)
    }
}

/// Per-connection settings, applied whenever the pool opens a connection.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Customizer {
    pub(crate) statement_timeout_ms: u64,
}

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for Customizer {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        // UTC keeps partition bounds and date arithmetic independent of the
        // server's zone; synchronous_commit is left at its durable default.
        conn.batch_execute(&format!(
            "SET statement_timeout = {}; SET TIME ZONE 'UTC';",
            self.statement_timeout_ms
        ))
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Customizer {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        // WAL lets readers run beside the writer; synchronous=FULL keeps a
        // returned batch durable across power loss, as the port promises.
        conn.batch_execute(&format!(
            "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
            self.statement_timeout_ms.min(i32::MAX as u64)
        ))
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

pub(crate) type PgPool = Pool<ConnectionManager<PgConnection>>;
pub(crate) type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;

/// Takes a connection, or says why none is available in time.
pub(crate) fn checkout<C>(
    pool: &Pool<ConnectionManager<C>>,
) -> Result<PooledConnection<ConnectionManager<C>>, StoreError>
where
    C: Connection + diesel::r2d2::R2D2Connection + 'static,
{
    pool.get().map_err(|e| {
        StoreError::Unavailable(format!(
            "no database connection within {}s: {e}",
            pool.connection_timeout().as_secs()
        ))
    })
}

/// Builds a pool without connecting: a server may start before its
/// database, and the pool connects (and reconnects) on demand.
pub(crate) fn pool<C>(
    url: &str,
    max_size: u32,
    min_idle: u32,
    timeout: Duration,
    customizer: Customizer,
    keep_forever: bool,
) -> Pool<ConnectionManager<C>>
where
    C: Connection + diesel::r2d2::R2D2Connection + 'static,
    Customizer: CustomizeConnection<C, diesel::r2d2::Error>,
{
    let mut b = Pool::builder()
        .max_size(max_size.max(1))
        .min_idle(Some(min_idle))
        .connection_timeout(timeout)
        .test_on_check_out(true)
        .error_handler(Box::new(diesel::r2d2::NopErrorHandler))
        .connection_customizer(Box::new(customizer));
    if keep_forever {
        b = b.idle_timeout(None).max_lifetime(None);
    }
    b.build_unchecked(ConnectionManager::new(url))
}
