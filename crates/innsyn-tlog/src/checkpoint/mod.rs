//! C2SP checkpoints (<https://c2sp.org/tlog-checkpoint>): the signed tree
//! head a citizen's export carries and `GET /v1/log/checkpoint` serves.
//!
//! innsyn writes no extension lines (the spec advises against them, as
//! monitors cannot audit them), so a checkpoint with any is rejected rather
//! than trusted in part.

mod error;

pub use error::CheckpointError;

use crate::hash::Hash;
use crate::note::{Note, NoteSigner, VerifierKey};
use base64::{Engine as _, engine::general_purpose::STANDARD};

/// A tree head: which log, how many leaves, and their root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's identity; innsyn signs with a key of the same name.
    pub origin: String,
    /// The number of leaves.
    pub size: u64,
    /// The RFC 9162 root of those leaves.
    pub root: Hash,
}

impl Checkpoint {
    /// The note text: `<origin>\n<size>\n<base64 root>\n`.
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root)
        )
    }

    /// Parses a note text as a checkpoint.
    ///
    /// # Errors
    /// The [`CheckpointError`] naming the malformed line.
    pub fn parse_body(text: &str) -> Result<Self, CheckpointError> {
        let body = text
            .strip_suffix('\n')
            .ok_or(CheckpointError::MissingLine("final newline"))?;
        let mut lines = body.split('\n');
        let origin = lines
            .next()
            .filter(|o| !o.is_empty())
            .ok_or(CheckpointError::BadOrigin)?;
        if origin.chars().any(char::is_control) {
            return Err(CheckpointError::BadOrigin);
        }
        let size = parse_tree_size(
            lines
                .next()
                .ok_or(CheckpointError::MissingLine("tree size"))?,
        )?;
        let root_line = lines
            .next()
            .ok_or(CheckpointError::MissingLine("root hash"))?;
        let root = STANDARD
            .decode(root_line)
            .ok()
            .and_then(|bytes| Hash::try_from(bytes).ok())
            .ok_or(CheckpointError::BadRootHash)?;
        if lines.next().is_some() {
            return Err(CheckpointError::ExtensionLines);
        }
        Ok(Self {
            origin: origin.to_owned(),
            size,
            root,
        })
    }

    /// The signed note of this checkpoint.
    ///
    /// # Errors
    /// [`CheckpointError::OriginNotKeyName`] unless the signer is named
    /// after the origin; [`CheckpointError::BadOrigin`] for an origin that
    /// would not read back as this checkpoint.
    pub fn sign(&self, signer: &NoteSigner) -> Result<String, CheckpointError> {
        self.check_origin(signer.verifier())?;
        let body = self.body();
        if Self::parse_body(&body).as_ref() != Ok(self) {
            return Err(CheckpointError::BadOrigin);
        }
        Ok(signer.sign(&body)?)
    }

    /// Parses a signed checkpoint and checks `key`'s signature on it.
    ///
    /// # Errors
    /// The [`CheckpointError`] saying whether the note, the signature or
    /// the checkpoint text is at fault.
    pub fn open(note: &[u8], key: &VerifierKey) -> Result<Self, CheckpointError> {
        let note = Note::parse(note)?;
        let checkpoint = Self::parse_body(note.verify(key)?)?;
        checkpoint.check_origin(key)?;
        Ok(checkpoint)
    }

    fn check_origin(&self, key: &VerifierKey) -> Result<(), CheckpointError> {
        if self.origin != key.name() {
            return Err(CheckpointError::OriginNotKeyName {
                origin: self.origin.clone(),
                key: key.name().to_owned(),
            });
        }
        Ok(())
    }
}

/// A decimal number without leading zeros, as checkpoints and tlog-proofs
/// write sizes and indices.
pub(crate) fn parse_decimal(line: &str) -> Option<u64> {
    let canonical = line == "0" || (!line.starts_with('0') && !line.is_empty());
    if !canonical || !line.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    line.parse().ok()
}

fn parse_tree_size(line: &str) -> Result<u64, CheckpointError> {
    parse_decimal(line).ok_or_else(|| CheckpointError::BadTreeSize(line.to_owned()))
}
