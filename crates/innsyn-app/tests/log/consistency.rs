//! An earlier checkpoint the citizen kept, against a later download.

use std::sync::Arc;

use innsyn_app::citizen::{Earlier, VerifyFailure, verify_export};
use innsyn_ports::HistoryStore;
use innsyn_store_contract::fixtures::access;
use innsyn_store_memory::MemoryStore;
use innsyn_tlog::VerifyError;

use crate::{download, service, signer, stored};

#[tokio::test]
async fn a_later_download_is_consistent_with_an_earlier_checkpoint() {
    let store = Arc::new(MemoryStore::new());
    let alice = stored(&store, 2);
    let service = service(Arc::clone(&store));
    let first = download(&service, &alice).await;
    store
        .append_access_records(&[access(&alice, 5_000, 1), access(&alice, 5_001, 2)])
        .unwrap();
    let second = download(&service, &alice).await;
    let key = signer(1).verifier().clone();
    let old = first.log.as_ref().unwrap().checkpoint.as_str();
    let (m, n) = (
        verify_export(&first, Some(&key), None)
            .unwrap()
            .checkpoint
            .size,
        verify_export(&second, Some(&key), None)
            .unwrap()
            .checkpoint
            .size,
    );
    assert!(m < n, "{m} < {n}");
    let proof = service.log_consistency(m, n).await.unwrap();
    let earlier = |proof| Earlier {
        checkpoint: old,
        proof,
    };
    let verdict = verify_export(&second, Some(&key), Some(earlier(Some(&proof)))).unwrap();
    assert_eq!(verdict.consistent_with, Some(m));
    assert_eq!(
        verify_export(&second, Some(&key), Some(earlier(None))),
        Err(VerifyFailure::ProofNeeded { from: m, to: n })
    );
    let mut bad = proof.clone();
    bad[0][0] ^= 1;
    assert!(matches!(
        verify_export(&second, Some(&key), Some(earlier(Some(&bad)))),
        Err(VerifyFailure::Inconsistent(
            VerifyError::OldRootMismatch | VerifyError::RootMismatch
        ))
    ));
    // The same checkpoint twice needs no proof.
    let same = Earlier {
        checkpoint: second.log.as_ref().unwrap().checkpoint.as_str(),
        proof: None,
    };
    assert_eq!(
        verify_export(&second, Some(&key), Some(same))
            .unwrap()
            .consistent_with,
        Some(n)
    );
}
