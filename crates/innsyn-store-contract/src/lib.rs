//! The contract test suites of [`innsyn_ports::HistoryStore`],
//! [`innsyn_ports::DisputeStore`], [`innsyn_ports::LogStore`],
//! [`innsyn_ports::DeadLetterStore`] and [`innsyn_ports::PageSessionStore`].
//!
//! Every adapter instantiates it once per backend:
//!
//! ```ignore
//! fn fresh_store() -> impl innsyn_ports::HistoryStore { /* empty, migrated */ }
//! innsyn_store_contract::history_store_contract_tests!(fresh_store);
//! ```
//!
//! The macro expands to one `#[test]` per case, each with a store of its
//! own, so failures name the broken rule and cases never share data.
//! Cases use a fixed clock ([`NOW`]) and build queries with the domain's own
//! builders, exactly as the server does.

// A test-support crate: a failed expectation must panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod cases;
pub mod fixtures;

pub use fixtures::NOW;

/// Expands to one `#[test]` per contract case against stores made by `$fresh`.
#[macro_export]
macro_rules! history_store_contract_tests {
    ($fresh:path) => {
        $crate::history_store_contract_tests!(@cases $fresh;
            empty_store_knows_nobody,
            login_events_make_the_owner_known,
            the_catalog_is_checked_before_the_owner,
            without_validate_only_the_application_and_resource_are_checked,
            empty_batches_are_no_ops,
            access_records_round_trip,
            access_records_are_idempotent_by_id,
            an_access_id_resent_with_another_time_conflicts,
            an_access_id_resent_for_another_owner_conflicts,
            each_access_filter,
            resource_filter_matches_name_or_urn,
            every_sort_key_and_order,
            paging_edges,
            cursor_pages_equal_offset_pages,
            window_is_start_inclusive_end_exclusive,
            owners_are_isolated,
            unicode_values_round_trip,
            ingestion_registers_the_catalog,
            catalog_administration,
            plain_names_come_from_the_catalog,
            a_login_registers_the_provider_name_as_application,
            a_known_client_learns_its_organisation,
            ingestion_keeps_a_known_client,
            ingestion_fills_only_what_the_catalog_lacks,
            login_history_newest_first_by_org_and_limited,
            login_orgno_falls_back_to_the_catalog,
            citizen_login_history_filters_and_pages,
            login_events_are_idempotent,
            login_entry_fields,
            retention_removes_old_history,
            each_retention_run_finds_every_old_row,
            retention_in_batches_removes_exactly_the_old_rows,
            ping_answers,
        );
    };
    (@cases $fresh:path; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let store = $fresh();
                $crate::cases::$case(&store);
            }
        )*
    };
}

/// Expands to one `#[test]` per contract case of
/// [`innsyn_ports::DisputeStore`], against stores made by `$fresh` that
/// implement both ports over one database (retention's hold spans both).
#[macro_export]
macro_rules! dispute_store_contract_tests {
    ($fresh:path) => {
        mod dispute_store {
            use super::*;
            $crate::history_store_contract_tests!(@cases $fresh;
                a_disputed_login_is_routed_to_its_organisation,
                a_disputed_lookup_is_routed_to_the_accessing_organisation,
                cases_are_listed_per_party_newest_first,
                an_answer_is_saved_only_over_the_version_read,
                retention_keeps_what_an_open_case_disputes,
                a_citizen_confirms_only_their_own_items,
            );
        }
    };
}

/// Expands to one `#[test]` per contract case of
/// [`innsyn_ports::DeadLetterStore`], against stores made by `$fresh`.
#[macro_export]
macro_rules! dead_letter_store_contract_tests {
    ($fresh:path) => {
        mod dead_letter_store {
            use super::*;
            $crate::history_store_contract_tests!(@cases $fresh;
                dead_letters_are_kept_once_per_position,
                dead_letters_are_paged_in_position_order,
                replayed_dead_letters_are_forgotten,
            );
        }
    };
}

/// Expands to one `#[test]` per contract case of
/// [`innsyn_ports::PageSessionStore`], against stores made by `$fresh`.
#[macro_export]
macro_rules! page_session_store_contract_tests {
    ($fresh:path) => {
        mod page_session_store {
            use super::*;
            $crate::history_store_contract_tests!(@cases $fresh;
                a_session_slides_until_its_cap,
                a_pending_login_is_taken_once,
                logout_and_expiry_forget_sessions,
            );
        }
    };
}

/// Expands to one `#[test]` per contract case of [`innsyn_ports::LogStore`],
/// against stores made by `$fresh` that implement it and
/// [`innsyn_ports::HistoryStore`] over one database (records write leaves).
#[macro_export]
macro_rules! log_store_contract_tests {
    ($fresh:path) => {
        mod log_store {
            use super::*;
            $crate::history_store_contract_tests!(@cases $fresh;
                every_stored_record_writes_one_leaf,
                a_leaf_commits_to_the_record_as_read_back,
                proofs_from_stored_nodes_verify,
                retention_keeps_the_leaves,
                checkpoints_are_kept_per_size,
                concurrent_appends_leave_a_dense_log,
            );
        }
    };
}
