//! innsyn's front ends and the binary's wiring: the HTTP API (actix-web),
//! the command line, configuration and metrics, over the use cases of
//! `innsyn-app`.
//!
//! * [`root::Application`] is the composition root: the one place that
//!   names the adapter crates.
//! * [`api`] holds the endpoints; [`error::ApiError`] maps every failure to
//!   RFC 9457 problem+json once.

pub mod api;
pub mod cli;
pub mod demo;
pub mod error;
pub mod http;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod root;
pub mod settings;

pub use api::AppState;
pub use error::ApiError;
pub use http::StartupError;
pub use root::config;
pub use root::{Application, Builder};
