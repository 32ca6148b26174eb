//! Why a checkpoint was refused, by part: the note, the signature, a line.

use thiserror::Error;

use crate::note::{NoteError, VerifyNoteError};

/// A checkpoint that is malformed, unsigned or signed by another log.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CheckpointError {
    /// The signed note around it is malformed.
    #[error("malformed signed note: {0}")]
    Note(#[from] NoteError),
    /// The trusted key did not sign it.
    #[error("checkpoint signature: {0}")]
    Signature(#[from] VerifyNoteError),
    /// Fewer than the three lines origin, tree size, root hash.
    #[error("the checkpoint has no {0} line")]
    MissingLine(&'static str),
    /// An empty origin, or one a note line cannot carry.
    #[error("the checkpoint origin is empty or holds a control character")]
    BadOrigin,
    /// The tree size is not a decimal number without leading zeros.
    #[error("the tree size {0:?} is not a decimal number without leading zeros")]
    BadTreeSize(String),
    /// The root hash is not base64 of 32 bytes.
    #[error("the root hash is not base64 of 32 bytes")]
    BadRootHash,
    /// Lines after the root hash.
    #[error("the checkpoint has extension lines, which innsyn does not write")]
    ExtensionLines,
    /// The origin is not the name of the key that signs or verifies it.
    #[error("the checkpoint is from {origin}, not from {key}")]
    OriginNotKeyName {
        /// The checkpoint's origin line.
        origin: String,
        /// The key's name.
        key: String,
    },
}
