//! C2SP tlog-proofs: every entry's proof round-trips through its text and
//! verifies; a wrong entry, index, key or mangled text fails precisely.

use innsyn_tlog::note::{NoteSigner, VerifyNoteError};
use innsyn_tlog::{
    Checkpoint, CheckpointError, TlogProof, TlogProofError, VerifyError, inclusion_proof,
    leaf_hash, root,
};

const ORIGIN: &str = "innsyn.example/log";

fn proofs() -> (NoteSigner, Vec<innsyn_tlog::Hash>, Vec<TlogProof>) {
    let (signer, _) = NoteSigner::generate(ORIGIN).unwrap();
    let leaves: Vec<_> = (0u8..7).map(|i| leaf_hash(&[i])).collect();
    let head = Checkpoint {
        origin: ORIGIN.into(),
        size: 7,
        root: root(&leaves),
    };
    let checkpoint = head.sign(&signer).unwrap();
    let proofs = (0..7)
        .map(|index| TlogProof {
            extra: (index == 3).then(|| b"context".to_vec()),
            index,
            proof: inclusion_proof(&leaves, index).unwrap(),
            checkpoint: checkpoint.clone(),
        })
        .collect();
    (signer, leaves, proofs)
}

#[test]
fn every_entry_round_trips_and_verifies() {
    let (signer, leaves, proofs) = proofs();
    for (leaf, proof) in leaves.iter().zip(&proofs) {
        let parsed = TlogProof::parse(&proof.to_text()).unwrap();
        assert_eq!(&parsed, proof);
        assert_eq!(parsed.verify(leaf, signer.verifier()).unwrap().size, 7);
    }
}

#[test]
fn a_wrong_entry_key_or_index_fails_with_its_reason() {
    let (signer, leaves, proofs) = proofs();
    let wrong_leaf = proofs[2].verify(&leaves[1], signer.verifier());
    assert_eq!(
        wrong_leaf,
        Err(TlogProofError::Inclusion(VerifyError::RootMismatch))
    );
    let moved = TlogProof {
        index: 9,
        ..proofs[2].clone()
    };
    let out_of_range = VerifyError::IndexOutOfRange { index: 9, size: 7 };
    assert_eq!(
        moved.verify(&leaves[2], signer.verifier()),
        Err(out_of_range.into())
    );
    let (stranger, _) = NoteSigner::generate("other.example/log").unwrap();
    let unsigned = VerifyNoteError::UnknownKeyName {
        name: "other.example/log".into(),
    };
    let want = TlogProofError::Checkpoint(CheckpointError::Signature(unsigned));
    assert_eq!(proofs[2].verify(&leaves[2], stranger.verifier()), Err(want));
}

#[test]
fn malformed_texts_name_the_bad_part() {
    let (_, _, proofs) = proofs();
    let text = proofs[3].to_text();
    let hash_line = text.lines().nth(3).unwrap().to_owned();
    let cases = [
        (
            text.replacen("@v1", "@v2", 1),
            TlogProofError::NotATlogProof,
        ),
        (
            text.replacen("extra Y29udGV4dA==", "extra Y29udGV4dA", 1),
            TlogProofError::BadExtra,
        ),
        (
            text.replacen("index 3", "index 03", 1),
            TlogProofError::BadIndex,
        ),
        (text.replacen("index 3\n", "", 1), TlogProofError::BadIndex),
        (
            text.replacen(&hash_line, "AAAA", 1),
            TlogProofError::BadProofHash { line: 1 },
        ),
        // Without the blank line the checkpoint's origin reads as a 4th hash.
        (
            text.replacen("\n\n", "\n", 1),
            TlogProofError::BadProofHash { line: 4 },
        ),
        (
            text.split("\n\n").next().unwrap().to_owned(),
            TlogProofError::MissingCheckpoint,
        ),
    ];
    for (bad, want) in cases {
        assert_eq!(TlogProof::parse(&bad), Err(want), "{bad}");
    }
}

#[test]
fn the_spec_example_parses() {
    // From c2sp.org/tlog-proof; its signatures are elided there ("[...]"),
    // so only the proof part is checked.
    let text = "c2sp.org/tlog-proof@v1\nindex 73894\n\
                gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\n\
                B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=\n\
                \nexample.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n\n\
                — example.com/fancylog hI2DJw==\n";
    let parsed = TlogProof::parse(text).unwrap();
    assert_eq!(
        (parsed.index, parsed.proof.len(), parsed.extra),
        (73894, 2, None)
    );
    assert!(
        parsed
            .checkpoint
            .starts_with("example.com/fancylog\n109482\n")
    );
}
