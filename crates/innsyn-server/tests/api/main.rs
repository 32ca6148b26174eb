//! The HTTP API over the real routes and middleware, one module per endpoint.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access_history;
mod admin;
mod disputes;
mod examples;
mod gate;
mod ingest;
mod log;
mod login_history;
mod ops;
mod page;
mod probe;
mod support;
