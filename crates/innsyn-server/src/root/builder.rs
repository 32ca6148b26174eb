use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use innsyn_app::{Ports, Service, Stores, SystemClock};
use innsyn_domain::Zone;
use innsyn_ports::{CitizenLogin, Clock, TokenIntrospector};
use innsyn_tlog::note::NoteSigner;

use super::{Application, adapters};
use crate::api::AppState;
use crate::config::Settings;
use crate::http::{self, StartupError};
use crate::metrics::{
    DisputeMetrics, KafkaMetrics, Metrics, MetricsSource, PoolMetrics, ReadRecordMetrics,
    RetentionMetrics,
};
use crate::settings::LogSettings;

/// Builds an [`Application`] from settings, with any adapter or the
/// listener replaced (tests; `innsyn dev`, whose store and issuer live in
/// its data directory). What is not replaced comes from the settings.
pub struct Builder {
    settings: Settings,
    /// The store's ports (histories, disputes, log over one database).
    stores: Option<Ports>,
    tokens: Option<Arc<dyn TokenIntrospector>>,
    clock: Option<Arc<dyn Clock>>,
    citizen_login: Option<Option<Arc<dyn CitizenLogin>>>,
    listener: Option<TcpListener>,
}

impl Builder {
    pub(super) fn new(settings: Settings) -> Self {
        Self {
            settings,
            stores: None,
            tokens: None,
            clock: None,
            citizen_login: None,
            listener: None,
        }
    }

    /// Use this store (of both histories, disputes and the log) instead of
    /// connecting to `database.url`.
    pub fn store<S>(mut self, store: Arc<S>) -> Self
    where
        S: Stores + 'static,
    {
        self.stores = Some(Ports::over(store));
        self
    }

    /// Use this token validator instead of the `[auth]` one.
    pub fn tokens(mut self, tokens: Arc<dyn TokenIntrospector>) -> Self {
        self.tokens = Some(tokens);
        self
    }

    /// Use this clock instead of the system's.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Use this citizen login (or none) instead of the `[web]` provider.
    pub fn citizen_login(mut self, login: Option<Arc<dyn CitizenLogin>>) -> Self {
        self.citizen_login = Some(login);
        self
    }

    /// Serve on this listener instead of binding `server.bind`.
    pub fn listener(mut self, listener: TcpListener) -> Self {
        self.listener = Some(listener);
        self
    }

    /// Wires the use cases, the API and the page, and binds.
    ///
    /// # Errors
    /// [`StartupError`] when a setting or an adapter cannot work.
    pub fn build(self) -> Result<Application, StartupError> {
        let s = &self.settings;
        let zone = Zone::named(&s.server.time_zone)
            .map_err(|e| StartupError::Config(format!("server.time_zone: {e}")))?;
        let public_base_url = public_base_url(s.server.public_base_url.as_deref())?;
        let mut sources: Vec<Arc<dyn MetricsSource>> = Vec::new();
        let stores = match self.stores {
            Some(stores) => stores,
            None => Ports::over(adapters::store(&s.database)?),
        };
        let tokens = match self.tokens {
            Some(tokens) => tokens,
            None => {
                let tokens = adapters::tokens(&s.auth)?;
                sources.push(tokens.metrics);
                tokens.validator
            }
        };
        let citizen_login = match self.citizen_login {
            Some(login) => login,
            None => adapters::citizen_login(&s.web)?,
        };
        let service = Service::new(
            Ports {
                tokens: Some(tokens),
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
                citizen_login,
                ..stores
            },
            use_case_settings(s, zone)?,
        );
        sources.push(Arc::new(PoolMetrics::of_service(service.clone())));
        sources.push(Arc::new(RetentionMetrics::of_service(service.clone())));
        sources.push(Arc::new(ReadRecordMetrics::of_service(service.clone())));
        sources.push(Arc::new(DisputeMetrics::of_service(service.clone())));
        let consumer = if s.kafka.enabled {
            let c = super::kafka::subscribe(&s.kafka)?;
            sources.push(Arc::new(KafkaMetrics::of(Arc::clone(&c.stats))));
            Some(c)
        } else {
            None
        };
        // One page state for all workers: sessions live in it.
        let page = if s.web.enabled {
            Some(
                innsyn_web::WebState::new(s.web.clone(), service.clone())
                    .map_err(|e| StartupError::Config(e.to_string()))?,
            )
        } else {
            None
        };
        let state = AppState {
            service: service.clone(),
            metrics: Metrics::with_sources(sources),
            public_base_url,
            body_limit: s.server.body_limit_bytes,
            stream_ready: consumer.as_ref().map(|c| {
                let stats = Arc::clone(&c.stats);
                Arc::new(move || stats.ready()) as Arc<dyn Fn() -> bool + Send + Sync>
            }),
        };
        let listener = match self.listener {
            Some(listener) => listener,
            None => TcpListener::bind(&s.server.bind).map_err(|source| StartupError::Io {
                context: format!("cannot listen on {}", s.server.bind),
                source,
            })?,
        };
        let bound = http::listen(&s.server, listener, state, page)?;
        Ok(Application {
            port: bound.port,
            tls: bound.tls,
            server: bound.server,
            service,
            drain: bound.drain,
            shutdown_timeout_secs: self.settings.server.shutdown_timeout_secs,
            log_interval: Duration::from_secs(self.settings.log.checkpoint_interval_secs),
            consumer: consumer.map(|c| c.consumer),
        })
    }
}

/// What the use cases take from the configuration: the gate is as wide as
/// the pool and waits as long as the pool would.
pub(super) fn use_case_settings(
    s: &Settings,
    zone: Zone,
) -> Result<innsyn_app::Settings, StartupError> {
    Ok(innsyn_app::Settings {
        zone,
        scopes: s.scopes.clone(),
        store_concurrency: usize::try_from(s.database.pool_size).unwrap_or(usize::MAX),
        store_queue_timeout: Duration::from_secs(s.database.connect_timeout_secs.max(1)),
        store_call_timeout: store_call_timeout(&s.database),
        retention_months: s.database.retention_months,
        max_future_skew: Duration::from_secs(s.ingest.max_future_skew_secs),
        record_reads: s.history.record_reads,
        log: log_settings(&s.log)?,
    })
}

/// The log's signer from `log.signing_key` (named without its value).
fn log_settings(s: &LogSettings) -> Result<innsyn_app::LogSettings, StartupError> {
    let signer = s
        .signing_key
        .as_ref()
        .map(|k| NoteSigner::from_private_key(k.expose().trim()))
        .transpose()
        .map_err(|e| StartupError::Config(format!("log.signing_key: {e}")))?;
    Ok(innsyn_app::LogSettings {
        signer: signer.map(Arc::new),
        build_step: s.build_step.max(1),
        ..innsyn_app::LogSettings::default()
    })
}

/// An admitted call may take a connection (the pool's own wait) and one
/// statement; with `statement_timeout_ms = 0` (off) a minute stands in, so
/// no request waits without bound.
fn store_call_timeout(d: &innsyn_store_diesel::StoreSettings) -> Duration {
    let statement = match d.statement_timeout_ms {
        0 => Duration::from_secs(60),
        ms => Duration::from_millis(ms),
    };
    Duration::from_secs(d.connect_timeout_secs.max(1)) + statement
}

fn public_base_url(base: Option<&str>) -> Result<Option<String>, StartupError> {
    match base {
        Some(b) if !(b.starts_with("https://") || b.starts_with("http://")) => {
            Err(StartupError::Config(
                "server.public_base_url must start with https:// or http://".to_owned(),
            ))
        }
        other => Ok(other.map(|b| b.trim_end_matches('/').to_owned())),
    }
}
