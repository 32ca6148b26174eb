//! Monthly range partitions of the PostgreSQL event tables.
//!
//! Partitions are named `<table>_pYYYY_MM` and hold `[first of the month,
//! first of the next month)` in UTC. There is no default partition (it
//! would stop PostgreSQL from scanning the months in order and stopping at
//! a LIMIT): [`ensure`] creates months ahead at migration and maintenance,
//! and ingestion creates the months of each batch on demand
//! ([`Known::ensure`]), remembering which exist so the hot path runs no DDL.

mod ddl;
mod known;
mod month;
mod retention;

pub(crate) use ddl::ensure;
pub(crate) use known::{Known, is_missing_partition, months_of};
pub(crate) use month::YearMonth;
pub(crate) use retention::apply_retention;

/// The partitioned tables and their time column.
pub(crate) const TABLES: [&str; 2] = ["login_events", "access_records"];
