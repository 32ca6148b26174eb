//! The two Diesel connections behind one small interface, and the
//! translation of Diesel's errors into the port's.

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::pg::{Pg, PgConnection};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::serialize::ToSql;
use diesel::sql_types::HasSqlType;
use diesel::sql_types::{Array, BigInt, Binary, Nullable, Text, Timestamptz, Untyped};
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

/// A [`Query`] as a Diesel statement: the SQL text between placeholders
/// and the values bound through Diesel's bind API. Unlike `sql_query`, it
/// lets Diesel keep a prepared statement per SQL text when the query is
/// marked [`Query::prepared`].
pub(crate) struct Stmt(Query);

impl Stmt {
    /// SQLite stores times as integer microseconds.
    fn sqlite(mut q: Query) -> Self {
        for v in &mut q.values {
            if let Value::Time(t) = v {
                *v = Value::Int(micros(*t));
            }
        }
        Stmt(q)
    }

    /// Walks the text, handing each value to `bind` where its placeholder was.
    fn walk<'b, DB, F>(&'b self, out: &mut AstPass<'_, 'b, DB>, mut bind: F) -> QueryResult<()>
    where
        DB: Backend,
        F: FnMut(&mut AstPass<'_, 'b, DB>, &'b Value) -> QueryResult<()>,
    {
        if !self.0.prepared {
            out.unsafe_to_cache_prepared();
        }
        let mut at = 0;
        for (&(start, end), value) in self.0.marks.iter().zip(&self.0.values) {
            out.push_sql(&self.0.sql[at..start]);
            bind(out, value)?;
            at = end;
        }
        out.push_sql(&self.0.sql[at..]);
        Ok(())
    }
}

impl QueryId for Stmt {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for Stmt {
    type SqlType = Untyped;
}

impl<C: Connection> RunQueryDsl<C> for Stmt {}

/// Binds the values both backends take alike; `None` for the others.
fn bind_shared<'b, DB>(out: &mut AstPass<'_, 'b, DB>, v: &'b Value) -> Option<QueryResult<()>>
where
    DB: Backend + HasSqlType<Binary> + HasSqlType<Text> + HasSqlType<BigInt>,
    Vec<u8>: ToSql<Binary, DB>,
    String: ToSql<Text, DB>,
    Option<String>: ToSql<Nullable<Text>, DB>,
    i64: ToSql<BigInt, DB>,
{
    Some(match v {
        Value::Bytes(x) => out.push_bind_param::<Binary, _>(x),
        Value::Text(x) => out.push_bind_param::<Text, _>(x),
        Value::OptText(x) => out.push_bind_param::<Nullable<Text>, _>(x),
        Value::Int(x) => out.push_bind_param::<BigInt, _>(x),
        _ => return None,
    })
}

impl QueryFragment<Pg> for Stmt {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.walk(&mut out, |out, v| {
            bind_shared(out, v).unwrap_or_else(|| match v {
                Value::Time(x) => out.push_bind_param::<Timestamptz, _>(x),
                Value::BytesArray(x) => out.push_bind_param::<Array<Binary>, _>(x),
                Value::IntArray(x) => out.push_bind_param::<Array<BigInt>, _>(x),
                Value::TimeArray(x) => out.push_bind_param::<Array<Timestamptz>, _>(x),
                Value::OptTextArray(x) => out.push_bind_param::<Array<Nullable<Text>>, _>(x),
                _ => Err(unsupported()),
            })
        })
    }
}

impl QueryFragment<Sqlite> for Stmt {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        // Times were converted by `Stmt::sqlite`; arrays are PostgreSQL's.
        self.walk(&mut out, |out, v| {
            bind_shared(out, v).unwrap_or_else(|| Err(unsupported()))
        })
    }
}

impl Db for PgConnection {
    const DIALECT: Dialect = Dialect::Postgres;

    fn load_rows<R>(&mut self, q: Query) -> Result<Vec<R>, DieselError>
    where
        R: QueryableByName<Pg> + 'static,
    {
        Stmt(q).load(self)
    }

    fn exec(&mut self, q: Query) -> Result<usize, DieselError> {
        Stmt(q).execute(self)
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
        Stmt::sqlite(q).load(self)
    }

    fn exec(&mut self, q: Query) -> Result<usize, DieselError> {
        Stmt::sqlite(q).execute(self)
    }

    fn write_txn<T, F>(&mut self, f: F) -> Result<T, Failure>
    where
        F: FnOnce(&mut Self) -> Result<T, Failure>,
    {
        self.immediate_transaction(f)
    }
}
