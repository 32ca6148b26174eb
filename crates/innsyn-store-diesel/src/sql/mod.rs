//! SQL text and bind values, built once for both dialects.
//!
//! Every statement is plain SQL with numbered placeholders; the few places
//! where the dialects differ (time representation, bulk insert) are chosen
//! here, so the store logic above is one code path.

mod access;
mod access_insert;
mod bulk;
mod log;
mod login;
mod query;

pub(crate) use access::access_answer;
pub(crate) use access_insert::{ACCESS_INSERT, AccessRow, append_access};
pub(crate) use bulk::{insert_rows, select_in};
pub(crate) use log::{
    LEAF_INSERT, NEXT_SEQ_PG, index_pending, insert_leaves, next_seq_sqlite, node_probe, tree_row,
};
pub(crate) use login::{
    LoginRow, insert_login_events_pg, insert_login_events_sqlite, login_history,
};
pub(crate) use query::{Query, Value};

use innsyn_domain::{SortKey, SortOrder};
use time::OffsetDateTime;

/// Which SQL the statement is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Postgres,
    Sqlite,
}

/// [`innsyn_domain::ClientEntry::learn`] in SQL, for a client the catalog
/// already holds: it only gains an organisation it lacks.
pub(crate) const UPSERT_CLIENTS: &str = "ON CONFLICT (client_id) DO UPDATE SET \
     orgno = excluded.orgno WHERE clients.orgno IS NULL AND excluded.orgno IS NOT NULL";
/// The same for a resource and its URN.
pub(crate) const UPSERT_RESOURCES: &str = "ON CONFLICT (name) DO UPDATE SET urn = excluded.urn \
     WHERE resources.urn IS NULL AND excluded.urn IS NOT NULL";

/// Most bind parameters in one statement: PostgreSQL's wire protocol allows
/// 65,535, SQLite (bundled, ≥ 3.32) 32,766.
pub(crate) const MAX_PARAMS: usize = 30_000;

/// Microseconds since the epoch: SQLite's time column, and the precision
/// PostgreSQL keeps.
pub(crate) fn micros(t: OffsetDateTime) -> i64 {
    innsyn_domain::unix_micros(t)
}

/// The inverse of [`micros`].
pub(crate) fn from_micros(us: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(us) * 1000).ok()
}

/// A time column read back as integer microseconds on either backend.
pub(crate) fn time_out(d: Dialect, column: &str) -> String {
    match d {
        Dialect::Postgres => format!("(EXTRACT(EPOCH FROM {column}) * 1000000)::int8"),
        Dialect::Sqlite => column.to_owned(),
    }
}

pub(super) fn dir(order: SortOrder) -> &'static str {
    match order {
        SortOrder::Asc => "ASC",
        SortOrder::Desc => "DESC",
    }
}

/// The column behind a non-timestamp sort key.
pub(crate) fn sort_column(key: SortKey) -> Option<&'static str> {
    match key {
        SortKey::Timestamp => None,
        SortKey::Application => Some("application"),
        SortKey::ClientId => Some("client_id"),
        SortKey::Resource => Some("resource"),
        SortKey::Action => Some("action"),
        SortKey::Purpose => Some("purpose"),
        SortKey::Decision => Some("decision"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn micros_round_trip_and_floor() {
        let t = datetime!(2024-05-15 12:00:00.123456789 UTC);
        assert_eq!(
            from_micros(micros(t)),
            Some(datetime!(2024-05-15 12:00:00.123456 UTC))
        );
        assert_eq!(micros(datetime!(1970-01-01 00:00:00.000001 UTC)), 1);
    }
}
