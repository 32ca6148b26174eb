//! Faults on a throwaway PostgreSQL cluster the tests start themselves
//! (never the shared server): killed, frozen with SIGSTOP, and the server
//! itself stopped with SIGTERM in the middle of a batch. Every answer must
//! come within its documented bound (docs/configuration.md, "Bounds").

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;

mod database;
mod process;
mod shutdown;
