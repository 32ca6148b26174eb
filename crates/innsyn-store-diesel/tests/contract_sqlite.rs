//! The port's contract suite on SQLite (in memory, one database per test).

fn fresh_store() -> innsyn_store_diesel::test_support::TestStore {
    innsyn_store_diesel::test_support::fresh_sqlite_store()
}

innsyn_store_contract::history_store_contract_tests!(fresh_store);
innsyn_store_contract::dispute_store_contract_tests!(fresh_store);
innsyn_store_contract::log_store_contract_tests!(fresh_store);
innsyn_store_contract::dead_letter_store_contract_tests!(fresh_store);
innsyn_store_contract::page_session_store_contract_tests!(fresh_store);
