//! C2SP checkpoints: the body format, signing and opening, and each way a
//! checkpoint is refused.

use innsyn_tlog::note::{NoteSigner, VerifyNoteError};
use innsyn_tlog::{Checkpoint, CheckpointError, leaf_hash, root};

const ORIGIN: &str = "innsyn.example/log";

fn checkpoint() -> Checkpoint {
    let leaves: Vec<_> = (0u8..5).map(|i| leaf_hash(&[i])).collect();
    Checkpoint {
        origin: ORIGIN.into(),
        size: 5,
        root: root(&leaves),
    }
}

#[test]
fn the_spec_example_body_parses() {
    // From c2sp.org/tlog-checkpoint (its signature is by a key not published).
    let body =
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    let parsed = Checkpoint::parse_body(body).unwrap();
    assert_eq!(
        (parsed.origin.as_str(), parsed.size),
        ("example.com/behind-the-sofa", 20852163)
    );
    assert_eq!(parsed.body(), body);
}

#[test]
fn signing_and_opening_round_trip() {
    let (signer, _) = NoteSigner::generate(ORIGIN).unwrap();
    let note = checkpoint().sign(&signer).unwrap();
    assert!(note.starts_with(&checkpoint().body()));
    assert_eq!(
        Checkpoint::open(note.as_bytes(), signer.verifier()).unwrap(),
        checkpoint()
    );
}

#[test]
fn a_changed_or_foreign_checkpoint_is_refused() {
    let (signer, _) = NoteSigner::generate(ORIGIN).unwrap();
    let note = checkpoint().sign(&signer).unwrap();
    let grown = note.replacen("\n5\n", "\n6\n", 1);
    let invalid = VerifyNoteError::InvalidSignature {
        name: ORIGIN.into(),
        id: signer.verifier().id(),
    };
    assert_eq!(
        Checkpoint::open(grown.as_bytes(), signer.verifier()),
        Err(invalid.into())
    );
    // Re-signed with another key of the same name: the reader's key does not match.
    let (impostor, _) = NoteSigner::generate(ORIGIN).unwrap();
    let resigned = checkpoint().sign(&impostor).unwrap();
    let mismatch = VerifyNoteError::KeyIdMismatch {
        name: ORIGIN.into(),
        id: signer.verifier().id(),
    };
    assert_eq!(
        Checkpoint::open(resigned.as_bytes(), signer.verifier()),
        Err(mismatch.into())
    );
    let (other_log, _) = NoteSigner::generate("other.example/log").unwrap();
    let refused = CheckpointError::OriginNotKeyName {
        origin: ORIGIN.into(),
        key: "other.example/log".into(),
    };
    assert_eq!(checkpoint().sign(&other_log), Err(refused));
}

#[test]
fn malformed_bodies_name_the_bad_line() {
    let root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
    let cases = [
        (
            format!("o\n1\n{root}"),
            CheckpointError::MissingLine("final newline"),
        ),
        (format!("\n1\n{root}\n"), CheckpointError::BadOrigin),
        ("o\n".to_owned(), CheckpointError::MissingLine("tree size")),
        (
            "o\n1\n".to_owned(),
            CheckpointError::MissingLine("root hash"),
        ),
        (
            format!("o\n01\n{root}\n"),
            CheckpointError::BadTreeSize("01".into()),
        ),
        (
            format!("o\n-1\n{root}\n"),
            CheckpointError::BadTreeSize("-1".into()),
        ),
        (
            format!("o\n+1\n{root}\n"),
            CheckpointError::BadTreeSize("+1".into()),
        ),
        (
            format!("o\n\n{root}\n"),
            CheckpointError::BadTreeSize(String::new()),
        ),
        (
            format!("o\n18446744073709551616\n{root}\n"),
            CheckpointError::BadTreeSize("18446744073709551616".into()),
        ),
        ("o\n1\nAAAA\n".to_owned(), CheckpointError::BadRootHash),
        (
            format!("o\n1\n{root}\nextension\n"),
            CheckpointError::ExtensionLines,
        ),
    ];
    for (body, want) in cases {
        assert_eq!(Checkpoint::parse_body(&body), Err(want), "{body:?}");
    }
    assert_eq!(
        Checkpoint::parse_body(&format!("o\n0\n{root}\n"))
            .unwrap()
            .size,
        0
    );
}
