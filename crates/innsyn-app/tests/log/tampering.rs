//! One verified file, then each way of changing it.

use std::sync::Arc;

use innsyn_app::citizen::{VerifyFailure, verify_export};
use innsyn_store_memory::MemoryStore;
use innsyn_tlog::note::{Note, VerifyNoteError};
use innsyn_tlog::{Checkpoint, CheckpointError, VerifyError};

use crate::{download, service, signer, stored};

#[tokio::test]
async fn a_download_verifies_and_every_change_fails_with_its_reason() {
    let store = Arc::new(MemoryStore::new());
    let alice = stored(&store, 3);
    let doc = download(&service(store), &alice).await;
    let key = signer(1).verifier().clone();
    let verdict = verify_export(&doc, Some(&key), None).unwrap();
    assert_eq!((verdict.records, verdict.key_from_file), (6, false));
    assert!(verify_export(&doc, None, None).unwrap().key_from_file);

    // A changed field of a login.
    let mut changed = doc.clone();
    changed.login_events[1].tjeneste = Some("Another service".into());
    assert!(matches!(
        verify_export(&changed, Some(&key), None),
        Err(VerifyFailure::NotInLog { which, reason: VerifyError::RootMismatch }) if which.starts_with("login 2")
    ));
    // One changed byte of a look-up's time.
    let mut changed = doc.clone();
    changed.access_history[0].timestamp =
        changed.access_history[0].timestamp.replacen(":0", ":1", 1);
    assert!(matches!(
        verify_export(&changed, Some(&key), None),
        Err(VerifyFailure::NotInLog { .. })
    ));
    // A record removed.
    let mut dropped = doc.clone();
    dropped.access_history.remove(2);
    assert_eq!(
        verify_export(&dropped, Some(&key), None),
        Err(VerifyFailure::CountMismatch {
            found: 5,
            stated: 6
        })
    );
    // A record added: a look-up with a proof of its own, another's proof,
    // or none.
    let mut added = doc.clone();
    let mut forged = added.access_history[0].clone();
    forged.id = uuid::Uuid::from_u128(99);
    added.access_history.push(forged.clone());
    assert!(matches!(
        verify_export(&added, Some(&key), None),
        Err(VerifyFailure::NotInLog { .. })
    ));
    forged.log = None;
    added.access_history.pop();
    added.access_history.push(forged);
    assert!(matches!(
        verify_export(&added, Some(&key), None),
        Err(VerifyFailure::NotCovered(which)) if which.starts_with("look-up 4")
    ));
    // A changed proof hash.
    let mut proof = doc.clone();
    let leaf = proof.login_events[0].log.as_mut().unwrap();
    leaf.proof[0] = leaf.proof[1].clone();
    assert!(matches!(
        verify_export(&proof, Some(&key), None),
        Err(VerifyFailure::NotInLog { .. })
    ));
    // The checkpoint re-signed with another key of the same name.
    let mut resigned = doc.clone();
    let log = resigned.log.as_mut().unwrap();
    let body = Note::parse(log.checkpoint.as_bytes()).unwrap();
    let cp = Checkpoint::parse_body(body.unverified_text()).unwrap();
    log.checkpoint = cp.sign(&signer(2)).unwrap();
    assert!(matches!(
        verify_export(&resigned, Some(&key), None),
        Err(VerifyFailure::Checkpoint(CheckpointError::Signature(
            VerifyNoteError::KeyIdMismatch { .. }
        )))
    ));
}
