//! The connection pools: r2d2 with a connection manager that pings a
//! connection on checkout only when it may have gone stale.
//!
//! r2d2's own choice is all or nothing: `test_on_check_out` sends
//! `SELECT 1` before every checkout (a round trip and a PostgreSQL wake-up
//! per request), and without it a connection that
//! sat idle while the database restarted is handed out dead. [`Manager`]
//! follows HikariCP instead: a connection back in the pool less than
//! [`TRUST_RECENT`] ago is handed out as is, any other is pinged first.
//! A connection that fails because its server went away is never reused:
//! Diesel marks it broken (libpq reports its transaction state as unknown)
//! and r2d2 drops it when it comes back (`has_broken`).
//!
//! r2d2 also never tells a waiting caller that a connection attempt failed:
//! it retries in the background and lets the caller wait its whole
//! `connection_timeout`, so a database that refuses connections at once
//! would still cost every request the full timeout. [`DbPool`] remembers
//! the outcome of the newest attempt and answers at once while the
//! database is known to be down.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::pg::PgConnection;
use diesel::r2d2::{
    ConnectionManager, CustomizeConnection, ManageConnection, Pool, PooledConnection,
    R2D2Connection,
};
use diesel::sqlite::SqliteConnection;
use innsyn_ports::StoreError;

/// How long a connection that went back to the pool is trusted without a
/// ping (HikariCP's `aliveBypassWindowMs`). Under load every connection is
/// reused well within it, so the hot path sends no `SELECT 1`.
pub(crate) const TRUST_RECENT: Duration = Duration::from_millis(500);

/// When the connection last went back to the pool, kept in the
/// connection's Diesel instrumentation slot (the one place a connection
/// carries state of ours through r2d2).
#[derive(Debug)]
struct Returned(Instant);

impl Returned {
    fn trusted(&self) -> bool {
        self.0.elapsed() < TRUST_RECENT
    }
}

impl Instrumentation for Returned {
    fn on_connection_event(&mut self, _: InstrumentationEvent<'_>) {}
}

fn returned<C: R2D2Connection>(c: &mut C) -> Option<&mut Returned> {
    c.instrumentation().downcast_mut::<Returned>()
}

/// The newest failed connection attempt, cleared by a successful one.
#[derive(Debug, Default)]
struct ConnectHealth {
    last_failure: Mutex<Option<(Instant, String)>>,
}

impl ConnectHealth {
    fn record<T, E: std::fmt::Display>(&self, outcome: &Result<T, E>) {
        let mut last = self
            .last_failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *last = outcome
            .as_ref()
            .err()
            .map(|e| (Instant::now(), e.to_string()));
    }

    /// Why connecting failed, if it failed within `window`. While the
    /// database is down r2d2 retries at least every half connection
    /// timeout, so a failure older than a whole timeout is stale news.
    fn failing(&self, window: Duration) -> Option<String> {
        let last = self
            .last_failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        last.as_ref()
            .filter(|(at, _)| at.elapsed() < window)
            .map(|(_, why)| why.clone())
    }
}

/// Diesel's r2d2 manager with the validation rule of this module.
#[derive(Debug)]
pub(crate) struct Manager<C: R2D2Connection + 'static> {
    inner: ConnectionManager<C>,
    health: Arc<ConnectHealth>,
}

impl<C> ManageConnection for Manager<C>
where
    C: R2D2Connection + Send + 'static,
{
    type Connection = C;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<C, Self::Error> {
        let connected = self.inner.connect();
        self.health.record(&connected);
        let mut c = connected?;
        c.set_instrumentation(Returned(Instant::now()));
        Ok(c)
    }

    fn is_valid(&self, c: &mut C) -> Result<(), Self::Error> {
        if returned(c).is_some_and(|r| r.trusted()) {
            return Ok(());
        }
        self.inner.is_valid(c)
    }

    fn has_broken(&self, c: &mut C) -> bool {
        if let Some(r) = returned(c) {
            r.0 = Instant::now();
        }
        self.inner.has_broken(c)
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

/// An r2d2 pool and what its newest connection attempt found.
pub(crate) struct DbPool<C: R2D2Connection + Send + 'static> {
    pool: Pool<Manager<C>>,
    health: Arc<ConnectHealth>,
}

pub(crate) type PgPool = DbPool<PgConnection>;
pub(crate) type SqlitePool = DbPool<SqliteConnection>;

impl<C: R2D2Connection + Send + 'static> DbPool<C> {
    /// Connections open and idle.
    pub(crate) fn state(&self) -> diesel::r2d2::State {
        self.pool.state()
    }
}

/// How often a caller waiting for a connection looks whether the attempt
/// to open one has failed meanwhile (r2d2 does not wake it when it does).
const FAILURE_POLL: Duration = Duration::from_millis(50);

/// Takes a connection, or says why none is available in time: within
/// [`FAILURE_POLL`] of a failed attempt to open one when none is idle (the
/// database refused or could not be reached), else after at most the
/// connection timeout.
pub(crate) fn checkout<C>(pool: &DbPool<C>) -> Result<PooledConnection<Manager<C>>, StoreError>
where
    C: R2D2Connection + Send + 'static,
{
    let timeout = pool.pool.connection_timeout();
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(why) = pool.health.failing(timeout) {
            // r2d2 keeps retrying in the background; a connection a retry
            // has just opened is still taken.
            return pool.pool.try_get().ok_or_else(|| {
                StoreError::Unavailable(format!("the database cannot be reached: {why}"))
            });
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match pool.pool.get_timeout(left.min(FAILURE_POLL)) {
            Ok(c) => return Ok(c),
            Err(e) if left <= FAILURE_POLL => {
                return Err(StoreError::Unavailable(format!(
                    "no database connection within {}s: {e}",
                    timeout.as_secs()
                )));
            }
            Err(_) => {}
        }
    }
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
) -> DbPool<C>
where
    C: R2D2Connection + Send + 'static,
    Customizer: CustomizeConnection<C, diesel::r2d2::Error>,
{
    let mut b = Pool::builder()
        .max_size(max_size.max(1))
        .min_idle(Some(min_idle))
        .connection_timeout(timeout)
        // r2d2 asks `Manager::is_valid`, which pings only when in doubt.
        .test_on_check_out(true)
        .error_handler(Box::new(diesel::r2d2::NopErrorHandler))
        .connection_customizer(Box::new(customizer));
    if keep_forever {
        b = b.idle_timeout(None).max_lifetime(None);
    }
    let health = Arc::new(ConnectHealth::default());
    let pool = b.build_unchecked(Manager {
        inner: ConnectionManager::new(url),
        health: Arc::clone(&health),
    });
    DbPool { pool, health }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_back_just_now_is_trusted() {
        assert!(Returned(Instant::now()).trusted());
    }

    #[test]
    fn a_failed_attempt_is_news_until_the_window_passes_or_one_succeeds() {
        let h = ConnectHealth::default();
        assert_eq!(h.failing(Duration::from_secs(5)), None);
        h.record::<(), _>(&Err("connection refused"));
        assert_eq!(
            h.failing(Duration::from_secs(5)).as_deref(),
            Some("connection refused")
        );
        assert_eq!(h.failing(Duration::ZERO), None);
        h.record::<_, &str>(&Ok(()));
        assert_eq!(h.failing(Duration::from_secs(5)), None);
    }

    #[test]
    fn a_connection_idle_past_the_window_is_pinged() {
        let long_ago = Instant::now() - TRUST_RECENT - Duration::from_millis(1);
        assert!(!Returned(long_ago).trusted());
    }
}
