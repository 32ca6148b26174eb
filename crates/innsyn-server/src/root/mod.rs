//! The composition root: the one place that names the adapter crates and
//! wires them into the use cases and the front ends. `serve`, `dev` and
//! every test start the server through [`Application`]; tests replace
//! adapters through its [`Builder`].

mod adapters;
mod banner;
mod builder;
pub mod config;
pub mod dev;
pub mod kafka;
pub mod token;

use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use innsyn_app::Service;

pub use adapters::{migrate, operator_service};
pub use builder::Builder;

use crate::http::{Drain, StartupError};
use config::Settings;

/// A bound, not yet running, server with everything behind it.
pub struct Application {
    port: u16,
    tls: bool,
    server: Server,
    service: Service,
    drain: Arc<Drain>,
    shutdown_timeout_secs: u64,
    /// How often the log's builder runs (`log.checkpoint_interval_secs`).
    log_interval: Duration,
    /// The Kafka consumer, when `kafka.enabled`.
    consumer: Option<innsyn_kafka::Consumer>,
}

/// Why serving ended badly.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The server's own I/O failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The shutdown timeout ran out with requests unanswered.
    #[error(
        "shutdown_timeout_secs ({secs} s) ran out: {unfinished} request(s) were cut off unanswered"
    )]
    CutOff {
        /// Requests cut off.
        unfinished: usize,
        /// The timeout that ran out.
        secs: u64,
    },
}

impl Application {
    /// The server the settings describe, with the configured adapters:
    /// binds `server.bind` (port 0 picks a free port).
    ///
    /// # Errors
    /// [`StartupError`] when a setting or an adapter cannot work.
    pub fn build(settings: &Settings) -> Result<Self, StartupError> {
        Self::builder(settings).build()
    }

    /// As [`Application::build`], with adapters or the listener replaced.
    pub fn builder(settings: &Settings) -> Builder {
        Builder::new(settings.clone())
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether it serves HTTPS.
    pub fn tls(&self) -> bool {
        self.tls
    }

    /// The use cases behind the server (tests, demo seeding).
    pub fn service(&self) -> &Service {
        &self.service
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped (SIGTERM/SIGINT stop it gracefully: in-flight
    /// requests get `shutdown_timeout_secs` to finish).
    ///
    /// # Errors
    /// The server's I/O error; [`ServeError::CutOff`] when the shutdown
    /// timeout ended requests that had not been answered.
    pub async fn run_until_stopped(self) -> Result<(), ServeError> {
        let builder =
            actix_web::rt::spawn(build_log_every(self.service.clone(), self.log_interval));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let consuming = self.consumer.map(|consumer| {
            let service = self.service.clone();
            actix_web::rt::spawn(async move {
                consumer
                    .run(&service, async {
                        let _ = stopped.await;
                    })
                    .await;
            })
        });
        let served = self.server.await;
        builder.abort();
        if let Some(consuming) = consuming {
            // The batch in hand is stored and committed, within the same
            // bound as the requests in flight.
            let _ = stop.send(());
            let bound = Duration::from_secs(self.shutdown_timeout_secs.max(1));
            if tokio::time::timeout(bound, consuming).await.is_err() {
                tracing::warn!(
                    "the Kafka consumer's last batch did not finish in time; it is re-delivered"
                );
            }
        }
        served?;
        match self.drain.unfinished() {
            0 => Ok(()),
            unfinished => Err(ServeError::CutOff {
                unfinished,
                secs: self.shutdown_timeout_secs,
            }),
        }
    }
}

/// Builds the log's tree over new leaves and signs a checkpoint, every
/// `interval`, while the server runs. Each round is bounded (the gate's
/// deadline per store call, `LogSettings::max_build_steps` calls); a failed
/// round is logged and retried at the next tick.
async fn build_log_every(service: Service, interval: Duration) {
    let mut ticks = actix_web::rt::time::interval(interval.max(Duration::from_secs(1)));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(e) = service.build_log().await {
            tracing::warn!(error = %e, "the log's builder failed; it tries again at the next tick");
        }
    }
}
