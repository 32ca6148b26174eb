//! The citizen's own page: one view of both histories with misuse hints,
//! the downloads, and the login at the OpenID provider.
//!
//! A view reads several things (the recent history the hints compare with,
//! the services met, one page of each table) in one store task: one turn at
//! the gate, not five.

mod document;
mod export;
mod history;
mod login;
mod names;
mod reads;
mod verify;
mod view;

pub use document::{
    ExportedAccess, ExportedLeaf, ExportedLogin, HistoryDocument, LogSection, local_rfc3339,
};
pub use export::{Export, ExportRequest};
pub use login::CitizenLogin;
pub use reads::HISTORY_READS_SHOWN;
pub use verify::{Earlier, Verdict, VerifyFailure, verify_export};
pub use view::{LoginRow, PageView, ServiceOption, ViewRequest};

/// How much of a person's login history the hints and the service list look
/// at: plenty for habits, bounded for cost.
pub const INSIGHT_HISTORY: u64 = 5_000;
/// The most an export holds of each kind.
pub const EXPORT_LIMIT: u64 = 100_000;
