//! An export statement: the log's signed word on exactly which of its
//! leaves one citizen's export holds. Inclusion proofs show that each
//! record of a file is in the log; they cannot show that none was dropped
//! from the file or slipped into it. The statement can: it names the tree
//! size, the subject's keyed hash, how many leaves the export holds and a
//! digest of their indexes and hashes, and is signed by the log's key.
//!
//! Its note text (docs/api.md, "The log"):
//!
//! ```text
//! innsyn.export/v1
//! <origin>
//! <tree size>
//! <base64 subject key>
//! <number of leaves>
//! <base64 SHA-256 over each leaf's 8-byte big-endian index and hash, by index>
//! ```
//!
//! The first line keeps a statement from ever reading as a checkpoint
//! (whose second line is a tree size) though the same key signs both.

use base64::{Engine as _, engine::general_purpose::STANDARD};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::checkpoint::parse_decimal;
use crate::hash::Hash;
use crate::note::{Note, NoteError, NoteSigner, VerifierKey, VerifyNoteError};

const HEADER: &str = "innsyn.export/v1";

/// What a statement says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportStatement {
    /// The log's origin (the signing key's name).
    pub origin: String,
    /// The size of the checkpoint the export's proofs lead to.
    pub size: u64,
    /// The subject's keyed hash, as the leaves encode it.
    pub subject_key: Vec<u8>,
    /// How many leaves the export holds.
    pub count: u64,
    /// [`ExportStatement::digest`] of those leaves.
    pub digest: Hash,
}

/// A statement that is malformed, unsigned or not by this log.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StatementError {
    /// The signed note around it is malformed.
    #[error("malformed signed note: {0}")]
    Note(#[from] NoteError),
    /// The trusted key did not sign it.
    #[error("statement signature: {0}")]
    Signature(#[from] VerifyNoteError),
    /// A line is missing or not what the format says.
    #[error("the export statement's {0} line is missing or malformed")]
    Malformed(&'static str),
    /// The origin is not the name of the key.
    #[error("the statement is from {origin}, not from {key}")]
    OriginNotKeyName {
        /// The statement's origin line.
        origin: String,
        /// The key's name.
        key: String,
    },
}

impl ExportStatement {
    /// The statement over `leaves` (index and hash), in any order.
    pub fn over(origin: &str, size: u64, subject_key: &[u8], leaves: &[(u64, Hash)]) -> Self {
        Self {
            origin: origin.to_owned(),
            size,
            subject_key: subject_key.to_vec(),
            count: leaves.len() as u64,
            digest: Self::digest(leaves),
        }
    }

    /// SHA-256 over each leaf's index (8 bytes, big-endian) and hash, in
    /// index order.
    pub fn digest(leaves: &[(u64, Hash)]) -> Hash {
        let mut sorted = leaves.to_vec();
        sorted.sort_unstable();
        let mut h = Sha256::new();
        for (index, hash) in sorted {
            h.update(index.to_be_bytes());
            h.update(hash);
        }
        h.finalize().into()
    }

    /// The note text.
    pub fn body(&self) -> String {
        format!(
            "{HEADER}\n{}\n{}\n{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(&self.subject_key),
            self.count,
            STANDARD.encode(self.digest)
        )
    }

    /// Parses a note text as a statement.
    ///
    /// # Errors
    /// [`StatementError::Malformed`] naming the line.
    pub fn parse_body(text: &str) -> Result<Self, StatementError> {
        let body = text
            .strip_suffix('\n')
            .ok_or(StatementError::Malformed("final newline"))?;
        let mut lines = body.split('\n');
        let mut line = |what| lines.next().ok_or(StatementError::Malformed(what));
        if line("header")? != HEADER {
            return Err(StatementError::Malformed("header"));
        }
        let origin = line("origin")?;
        if origin.is_empty() || origin.chars().any(char::is_control) {
            return Err(StatementError::Malformed("origin"));
        }
        let origin = origin.to_owned();
        let size =
            parse_decimal(line("tree size")?).ok_or(StatementError::Malformed("tree size"))?;
        let subject_key = STANDARD
            .decode(line("subject key")?)
            .map_err(|_| StatementError::Malformed("subject key"))?;
        let count = parse_decimal(line("count")?).ok_or(StatementError::Malformed("count"))?;
        let digest = STANDARD
            .decode(line("digest")?)
            .ok()
            .and_then(|d| Hash::try_from(d).ok())
            .ok_or(StatementError::Malformed("digest"))?;
        if lines.next().is_some() {
            return Err(StatementError::Malformed("end"));
        }
        Ok(Self {
            origin,
            size,
            subject_key,
            count,
            digest,
        })
    }

    /// The signed note.
    ///
    /// # Errors
    /// [`StatementError::OriginNotKeyName`] unless the signer is named
    /// after the origin.
    pub fn sign(&self, signer: &NoteSigner) -> Result<String, StatementError> {
        self.check_origin(signer.verifier())?;
        Ok(signer.sign(&self.body())?)
    }

    /// Parses a signed statement and checks `key`'s signature on it.
    ///
    /// # Errors
    /// The [`StatementError`] saying whether note, signature or text is at
    /// fault.
    pub fn open(note: &[u8], key: &VerifierKey) -> Result<Self, StatementError> {
        let note = Note::parse(note)?;
        let statement = Self::parse_body(note.verify(key)?)?;
        statement.check_origin(key)?;
        Ok(statement)
    }

    fn check_origin(&self, key: &VerifierKey) -> Result<(), StatementError> {
        if self.origin != key.name() {
            return Err(StatementError::OriginNotKeyName {
                origin: self.origin.clone(),
                key: key.name().to_owned(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Checkpoint;
    use crate::hash::leaf_hash;

    fn signer() -> NoteSigner {
        NoteSigner::from_seed("innsyn.example/log", &[7; 32]).unwrap()
    }

    fn leaves() -> Vec<(u64, Hash)> {
        vec![(5, leaf_hash(b"a")), (2, leaf_hash(b"b"))]
    }

    #[test]
    fn a_statement_round_trips_and_its_digest_ignores_order() {
        let s = ExportStatement::over("innsyn.example/log", 9, b"sk", &leaves());
        let mut reversed = leaves();
        reversed.reverse();
        assert_eq!(s.digest, ExportStatement::digest(&reversed));
        let note = s.sign(&signer()).unwrap();
        assert_eq!(
            ExportStatement::open(note.as_bytes(), signer().verifier()),
            Ok(s)
        );
    }

    #[test]
    fn a_statement_is_never_a_checkpoint_and_an_altered_one_fails() {
        let s = ExportStatement::over("innsyn.example/log", 9, b"sk", &leaves());
        let note = s.sign(&signer()).unwrap();
        assert!(Checkpoint::open(note.as_bytes(), signer().verifier()).is_err());
        let altered = note.replacen("\n9\n", "\n8\n", 1);
        assert!(matches!(
            ExportStatement::open(altered.as_bytes(), signer().verifier()),
            Err(StatementError::Signature(_))
        ));
        let other = NoteSigner::from_seed("innsyn.example/log", &[8; 32]).unwrap();
        assert!(ExportStatement::open(note.as_bytes(), other.verifier()).is_err());
    }
}
