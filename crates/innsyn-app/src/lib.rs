//! innsyn's use cases, in the shape of a hexagonal service over ports.
//!
//! [`Service`] owns the ports (store, token validation, clock, the citizen
//! login), the zone, the scope names and the [`StoreGate`], and has one
//! method per use case. The HTTP API, the citizen's page and the command
//! line all call it; none of them touches a port. Every store call passes
//! the gate, so "at most `pool_size` store calls at once" holds whichever
//! front end asks. Failures come back as one [`AppError`] that each front
//! end maps once.

mod access_history;
mod auth;
mod catalog;
pub mod citizen;
mod disputes;
mod error;
mod gate;
mod health;
mod ingest;
mod log;
mod login_history;
mod page_sessions;
mod reads;
mod retention;
mod service;
mod stream;
pub mod wire;

pub use access_history::AccessHistory;
pub use auth::{Admin, Writer};
pub use disputes::{CaseEvent, DisputePage};
pub use error::AppError;
pub use gate::StoreGate;
pub use log::{ExportProofs, LeafProof, LogSettings};
pub use reads::ReadRecordStats;
pub use retention::{RetentionRun, RetentionStats};
pub use service::{Ports, Service, Settings, Stores, SystemClock};
pub use stream::{ClientTally, StreamMessage, StreamOutcome};
