use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use innsyn_domain::{ScopeNames, Zone};
use innsyn_ports::{
    CitizenLogin, Clock, DeadLetterStore, DisputeStore, HistoryStore, LogStore, PageSessionStore,
    TokenIntrospector,
};
use time::OffsetDateTime;

use crate::StoreGate;
use crate::disputes::DisputeCounters;
use crate::log::LogSettings;
use crate::reads::{Applications, GroupCommit};
use crate::retention::{RetentionProgress, RetentionStats};

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// The adapters the use cases run on; the composition root chooses them.
#[derive(Clone)]
pub struct Ports {
    /// The history store (blocking; called only through the gate).
    pub store: Arc<dyn HistoryStore>,
    /// The disputes, over the same database as `store` (retention there
    /// skips what an open case holds); through the same gate.
    pub disputes: Arc<dyn DisputeStore>,
    /// The tamper-evident log, over the same database as `store` (whose
    /// appends write its leaves); through the same gate.
    pub log: Arc<dyn LogStore>,
    /// Refused stream messages, over the same database as `store`; through
    /// the same gate.
    pub dead_letters: Arc<dyn DeadLetterStore>,
    /// The citizen page's sessions, over the same database as `store`;
    /// through the same gate.
    pub page_sessions: Arc<dyn PageSessionStore>,
    /// Access-token validation; `None` for front ends without callers
    /// (the command line), where every token is refused as unavailable.
    pub tokens: Option<Arc<dyn TokenIntrospector>>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// The citizen page's login at an OpenID provider, when configured.
    pub citizen_login: Option<Arc<dyn CitizenLogin>>,
}

/// Everything one database offers the use cases: the histories, the
/// disputes, the log, the dead letters and the page's sessions (what
/// [`Ports::over`] takes).
pub trait Stores:
    HistoryStore + DisputeStore + LogStore + DeadLetterStore + PageSessionStore
{
}

impl<S: HistoryStore + DisputeStore + LogStore + DeadLetterStore + PageSessionStore> Stores for S {}

impl Ports {
    /// Ports over one store of both histories, disputes and the log, the
    /// system clock, and no tokens or citizen login (set those fields after).
    pub fn over<S>(store: Arc<S>) -> Self
    where
        S: Stores + 'static,
    {
        Self {
            store: Arc::clone(&store) as Arc<dyn HistoryStore>,
            disputes: Arc::clone(&store) as Arc<dyn DisputeStore>,
            log: Arc::clone(&store) as Arc<dyn LogStore>,
            dead_letters: Arc::clone(&store) as Arc<dyn DeadLetterStore>,
            page_sessions: store,
            tokens: None,
            clock: Arc::new(SystemClock),
            citizen_login: None,
        }
    }
}

/// What the use cases need from the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The zone of local times (seed 1's `tidspunkt`, seed 2's times).
    pub zone: Zone,
    /// The scope name of each permission.
    pub scopes: ScopeNames,
    /// Store calls at once: the store's connection pool size.
    pub store_concurrency: usize,
    /// How long a call may wait for its turn at the store.
    pub store_queue_timeout: Duration,
    /// How long an admitted call may take (connection and statement):
    /// past `store_queue_timeout + store_call_timeout` the caller gets
    /// "unavailable" even if the database never answers.
    pub store_call_timeout: Duration,
    /// Months of history kept; `None` keeps everything.
    pub retention_months: Option<u32>,
    /// How far after the clock's now an ingested event may be stamped;
    /// later ones are refused (producers' clocks drift, but not by hours).
    pub max_future_skew: Duration,
    /// Whether each successful read of a history becomes an access record
    /// of its citizen (`[history] record_reads`).
    pub record_reads: bool,
    /// The tamper-evident log's key and builder steps (`[log]`).
    pub log: LogSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            zone: Zone::oslo(),
            scopes: ScopeNames::default(),
            store_concurrency: 8,
            store_queue_timeout: Duration::from_secs(3),
            store_call_timeout: Duration::from_secs(15),
            retention_months: None,
            max_future_skew: Duration::from_secs(300),
            record_reads: true,
            log: LogSettings::default(),
        }
    }
}

/// innsyn's use cases; cheap to clone (one `Arc`), shared by every worker
/// and every front end.
#[derive(Clone)]
pub struct Service {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) ports: Ports,
    pub(crate) settings: Settings,
    pub(crate) gate: StoreGate,
    pub(crate) retention: RetentionProgress,
    pub(crate) reads: GroupCommit,
    pub(crate) applications: Applications,
    pub(crate) disputes: DisputeCounters,
    pub(crate) both: Arc<BothStores>,
}

/// Both stores for a use case that reads from each in one turn at the gate.
pub(crate) struct BothStores {
    pub(crate) history: Arc<dyn HistoryStore>,
    pub(crate) disputes: Arc<dyn DisputeStore>,
    pub(crate) log: Arc<dyn LogStore>,
}

impl fmt::Debug for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Service")
            .field("settings", &self.inner.settings)
            .field("gate", &self.inner.gate)
            .finish_non_exhaustive()
    }
}

impl Service {
    /// The use cases over `ports`, with a gate of
    /// `settings.store_concurrency` calls at once.
    pub fn new(ports: Ports, settings: Settings) -> Self {
        let gate = StoreGate::new(
            settings.store_concurrency,
            settings.store_queue_timeout,
            settings.store_call_timeout,
        );
        let both = Arc::new(BothStores {
            history: Arc::clone(&ports.store),
            disputes: Arc::clone(&ports.disputes),
            log: Arc::clone(&ports.log),
        });
        Self {
            inner: Arc::new(Inner {
                both,
                ports,
                settings,
                gate,
                retention: RetentionProgress::default(),
                reads: GroupCommit::default(),
                applications: Applications::default(),
                disputes: DisputeCounters::default(),
            }),
        }
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }

    /// The zone local times are shown in.
    pub fn zone(&self) -> Zone {
        self.inner.settings.zone
    }

    /// The scope names in force.
    pub fn scopes(&self) -> &ScopeNames {
        &self.inner.settings.scopes
    }

    /// Now, by the configured clock.
    pub fn now(&self) -> OffsetDateTime {
        self.inner.ports.clock.now()
    }

    /// Retention's counters since start, and the runs going on now.
    pub fn retention_stats(&self) -> RetentionStats {
        self.inner.retention.stats()
    }

    /// The admission gate every store call passes.
    pub fn gate(&self) -> &StoreGate {
        &self.inner.gate
    }

    /// Runs `f` against the store once the gate admits it.
    pub(crate) async fn with_store<T, F>(&self, f: F) -> Result<T, crate::AppError>
    where
        T: Send + 'static,
        F: FnOnce(&(dyn HistoryStore + 'static)) -> Result<T, crate::AppError> + Send + 'static,
    {
        self.inner.gate.run(&self.inner.ports.store, f).await
    }

    /// Runs `f` against both stores in one turn at the gate.
    pub(crate) async fn with_both<T, F>(&self, f: F) -> Result<T, crate::AppError>
    where
        T: Send + 'static,
        F: FnOnce(&BothStores) -> Result<T, crate::AppError> + Send + 'static,
    {
        self.inner.gate.run(&self.inner.both, f).await
    }

    /// Runs `f` against the log once the gate admits it.
    pub(crate) async fn with_log<T, F>(&self, f: F) -> Result<T, crate::AppError>
    where
        T: Send + 'static,
        F: FnOnce(&(dyn LogStore + 'static)) -> Result<T, crate::AppError> + Send + 'static,
    {
        self.inner.gate.run(&self.inner.ports.log, f).await
    }

    /// Runs `f` against the dispute store once the gate admits it.
    pub(crate) async fn with_disputes<T, F>(&self, f: F) -> Result<T, crate::AppError>
    where
        T: Send + 'static,
        F: FnOnce(&(dyn DisputeStore + 'static)) -> Result<T, crate::AppError> + Send + 'static,
    {
        self.inner.gate.run(&self.inner.ports.disputes, f).await
    }

    /// Runs `f` against the page's sessions once the gate admits it.
    pub(crate) async fn with_page_sessions<T, F>(&self, f: F) -> Result<T, crate::AppError>
    where
        T: Send + 'static,
        F: FnOnce(&(dyn PageSessionStore + 'static)) -> Result<T, crate::AppError> + Send + 'static,
    {
        self.inner
            .gate
            .run(&self.inner.ports.page_sessions, f)
            .await
    }

    /// Runs `f` against the dead letters once the gate admits it.
    pub(crate) async fn with_dead_letters<T, F>(&self, f: F) -> Result<T, crate::AppError>
    where
        T: Send + 'static,
        F: FnOnce(&(dyn DeadLetterStore + 'static)) -> Result<T, crate::AppError> + Send + 'static,
    {
        self.inner.gate.run(&self.inner.ports.dead_letters, f).await
    }
}
