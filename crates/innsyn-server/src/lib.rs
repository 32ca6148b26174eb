//! innsyn's HTTP layer: a thin actix-web application over the domain
//! (`innsyn-domain`) and the ports (`innsyn-ports`).
//!
//! * [`startup::Application`] binds and serves.
//! * [`api`] holds the endpoints; [`error::ApiError`] maps every failure to
//!   RFC 9457 problem+json once.

pub mod api;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod settings;
pub mod startup;
pub mod state;

pub use error::ApiError;
pub use startup::{AppSettings, Application, StartupError};
pub use state::{AppState, Deps, StoreGate, SystemClock};
