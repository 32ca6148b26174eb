//! The verifiable export over the reference store: a file verifies offline
//! against the log's key, and every way of tampering with it fails with its
//! own reason; an earlier checkpoint is checked for consistency.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod consistency;
mod tampering;

use std::sync::Arc;

use innsyn_app::citizen::{ExportRequest, HistoryDocument};
use innsyn_app::{LogSettings, Ports, Service, Settings};
use innsyn_domain::{SubjectId, Zone};
use innsyn_ports::HistoryStore;
use innsyn_store_contract::fixtures::{NOW, ORG_A, access, login, subject};
use innsyn_store_memory::MemoryStore;
use innsyn_test_support::FixedClock;
use innsyn_tlog::note::NoteSigner;

pub(crate) const ORIGIN: &str = "innsyn.test/log";

pub(crate) fn signer(seed: u8) -> NoteSigner {
    NoteSigner::from_seed(ORIGIN, &[seed; 32]).unwrap()
}

/// A service over `store` that signs with `signer(1)`.
pub(crate) fn service(store: Arc<MemoryStore>) -> Service {
    Service::new(
        Ports {
            clock: Arc::new(FixedClock::at(NOW)),
            ..Ports::over(store)
        },
        Settings {
            log: LogSettings {
                signer: Some(Arc::new(signer(1))),
                ..LogSettings::default()
            },
            ..Settings::default()
        },
    )
}

/// Alice's logins and look-ups, `n` of each, stored.
pub(crate) fn stored(store: &MemoryStore, n: i64) -> SubjectId {
    let alice = subject(1);
    let logins: Vec<_> = (0..n)
        .map(|i| login(&alice, 100 + i, "svc", Some(ORG_A)))
        .collect();
    store.append_login_events(&logins).unwrap();
    let records: Vec<_> = (0..n)
        .map(|i| access(&alice, 1_000 + i as u128, 10 + i))
        .collect();
    store.append_access_records(&records).unwrap();
    alice
}

/// The JSON file of `who`'s download, parsed back as a verifier reads it.
pub(crate) async fn download(service: &Service, who: &SubjectId) -> HistoryDocument {
    let export = service
        .citizen_export(
            who,
            ExportRequest {
                logins: true,
                access: true,
                proofs: true,
            },
        )
        .await
        .unwrap();
    let text = serde_json::to_string(&HistoryDocument::of(&export, Zone::oslo())).unwrap();
    serde_json::from_str(&text).unwrap()
}
