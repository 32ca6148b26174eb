//! The port's contract suite on PostgreSQL: each test gets a database of its
//! own, cloned from a migrated template and dropped afterwards. Needs
//! `DATABASE_URL` (an admin URL); fails without it.

fn fresh_store() -> innsyn_store_diesel::test_support::TestStore {
    innsyn_store_diesel::test_support::fresh_postgres_store()
}

innsyn_store_contract::history_store_contract_tests!(fresh_store);
innsyn_store_contract::dispute_store_contract_tests!(fresh_store);
innsyn_store_contract::log_store_contract_tests!(fresh_store);
innsyn_store_contract::dead_letter_store_contract_tests!(fresh_store);
innsyn_store_contract::page_session_store_contract_tests!(fresh_store);
