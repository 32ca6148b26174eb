//! The in-memory store passes the port's contract.

fn fresh_store() -> innsyn_store_memory::MemoryStore {
    innsyn_store_memory::MemoryStore::new()
}

innsyn_store_contract::history_store_contract_tests!(fresh_store);
innsyn_store_contract::dispute_store_contract_tests!(fresh_store);
innsyn_store_contract::log_store_contract_tests!(fresh_store);
innsyn_store_contract::dead_letter_store_contract_tests!(fresh_store);
innsyn_store_contract::page_session_store_contract_tests!(fresh_store);
