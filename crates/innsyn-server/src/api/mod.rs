//! The endpoints: each reads the request, calls one use case of
//! [`innsyn_app::Service`] and renders the answer. No rule lives here.

pub mod access_history;
pub mod admin;
pub mod admin_names;
mod body;
pub mod disputes;
pub mod ingest;
mod link;
pub mod log;
pub mod login_history;
pub mod me_export;
pub mod ops;
mod query;
pub mod responses;
mod state;

pub(crate) use body::read_json_body;
pub use link::next_link;
pub(crate) use query::parse_query;
pub use state::{AppState, bearer_token};
