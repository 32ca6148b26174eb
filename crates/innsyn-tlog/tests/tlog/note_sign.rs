//! Signing and verifying notes: the Go reference note byte for byte, round
//! trips, and each way a note can fail.
//!
//! Source of the vector: golang.org/x/mod/sumdb/note, `note_test.go`
//! (`TestSign`, `TestOpen`): the PeterNeumann and EnochRoot keys and notes.

use innsyn_tlog::note::{
    MAX_SIGNATURES, Note, NoteError, NoteSigner, VerifierKey, VerifyNoteError,
};

pub(crate) const PETER_VKEY: &str =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
pub(crate) const PETER_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const ENOCH_VKEY: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                    then you don't know what your problem is.\n";
const PETER_SIG: &str = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG: &str = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

fn peter() -> VerifierKey {
    PETER_VKEY.parse().unwrap()
}

fn open(note: &str, key: &VerifierKey) -> Result<String, VerifyNoteError> {
    Note::parse(note.as_bytes())
        .unwrap()
        .verify(key)
        .map(str::to_owned)
}

#[test]
fn signing_reproduces_the_go_reference_note() {
    // Ed25519 is deterministic (RFC 8032): same key, same text, same bytes.
    let signer = NoteSigner::from_private_key(PETER_SKEY).unwrap();
    assert_eq!(signer.verifier(), &peter());
    assert_eq!(signer.sign(TEXT).unwrap(), format!("{TEXT}\n{PETER_SIG}"));
}

#[test]
fn the_reference_note_verifies_under_each_of_its_keys() {
    let note = format!("{TEXT}\n{PETER_SIG}{ENOCH_SIG}");
    assert_eq!(open(&note, &peter()).unwrap(), TEXT);
    assert_eq!(open(&note, &ENOCH_VKEY.parse().unwrap()).unwrap(), TEXT);
}

#[test]
fn a_generated_key_round_trips() {
    let (signer, private) = NoteSigner::generate("innsyn.example/log").unwrap();
    let note = signer.sign("hello\n").unwrap();
    let key: VerifierKey = signer.verifier().to_string().parse().unwrap();
    assert_eq!(open(&note, &key).unwrap(), "hello\n");
    let reloaded = NoteSigner::from_private_key(&private).unwrap();
    assert_eq!(reloaded.sign("hello\n").unwrap(), note);
}

#[test]
fn each_failure_has_its_own_error() {
    let note = format!("{TEXT}\n{PETER_SIG}");
    let (other, _) = NoteSigner::generate("PeterNeumann").unwrap();
    let by_name = VerifyNoteError::KeyIdMismatch {
        name: "PeterNeumann".into(),
        id: other.verifier().id(),
    };
    assert_eq!(open(&note, other.verifier()), Err(by_name));
    let stranger = VerifyNoteError::UnknownKeyName {
        name: "EnochRoot".into(),
    };
    assert_eq!(open(&note, &ENOCH_VKEY.parse().unwrap()), Err(stranger));
    let invalid = VerifyNoteError::InvalidSignature {
        name: "PeterNeumann".into(),
        id: 0xc74f20a3,
    };
    let altered_body = note.replace("cryptography", "cryptographY");
    assert_eq!(open(&altered_body, &peter()), Err(invalid.clone()));
    // The 30th base64 character lies in the signature proper, past the key ID.
    let mut altered_sig = note.clone().into_bytes();
    let at = TEXT.len() + 1 + "— PeterNeumann ".len() + 30;
    altered_sig[at] = if altered_sig[at] == b'A' { b'B' } else { b'A' };
    assert_eq!(
        open(std::str::from_utf8(&altered_sig).unwrap(), &peter()),
        Err(invalid.clone())
    );
    let longer = format!("{TEXT}\n{}ABCD{}", &PETER_SIG[..60], &PETER_SIG[60..]);
    assert_eq!(open(&longer, &peter()), Err(invalid));
}

#[test]
fn malformed_notes_are_rejected_precisely() {
    let sig = PETER_SIG;
    let cases: Vec<(String, NoteError)> = vec![
        (TEXT.into(), NoteError::NoSignatures),
        (format!("{TEXT}\n"), NoteError::NoSignatures),
        (
            format!("{TEXT}\n{}", &sig[..sig.len() - 1]),
            NoteError::UnterminatedSignatureLine,
        ),
        (
            format!("\x01{TEXT}\n{sig}"),
            NoteError::ControlCharacter { offset: 0 },
        ),
        (
            format!("{TEXT}\n{sig}Unexpected line.\n"),
            NoteError::NotASignatureLine { line: 2 },
        ),
        (
            format!("{TEXT}\n— a+b AAAAAAAA\n"),
            NoteError::BadKeyName { line: 1 },
        ),
        (
            format!("{TEXT}\n— Bad Name x08go/ZJk=\n"),
            NoteError::BadSignatureBase64 { line: 1 },
        ),
        (
            format!("{TEXT}\n— PeterNeumann AAAAAA==\n"),
            NoteError::SignatureTooShort { line: 1 },
        ),
        (
            format!("{TEXT}\n{}", sig.repeat(MAX_SIGNATURES + 1)),
            NoteError::TooManySignatures {
                max: MAX_SIGNATURES,
            },
        ),
    ];
    for (note, want) in cases {
        assert_eq!(Note::parse(note.as_bytes()), Err(want), "{note:?}");
    }
    let not_utf8 = [b"\xff".as_slice(), TEXT.as_bytes(), b"\n", sig.as_bytes()].concat();
    assert_eq!(
        Note::parse(&not_utf8),
        Err(NoteError::NotUtf8 { offset: 0 })
    );
    assert!(Note::parse(format!("{TEXT}\n{}", sig.repeat(MAX_SIGNATURES)).as_bytes()).is_ok());
    let signer = NoteSigner::from_private_key(PETER_SKEY).unwrap();
    assert_eq!(signer.sign("no newline"), Err(NoteError::TextNotTerminated));
    assert_eq!(
        signer.sign("tab\there\n"),
        Err(NoteError::ControlCharacter { offset: 3 })
    );
}

#[test]
fn a_signer_prints_no_secret() {
    let signer = NoteSigner::from_private_key(PETER_SKEY).unwrap();
    let seed = PETER_SKEY.rsplit('+').next().unwrap();
    let shown = format!("{signer:?}");
    assert!(
        !shown.contains(seed) && shown.contains("PeterNeumann"),
        "{shown}"
    );
}
