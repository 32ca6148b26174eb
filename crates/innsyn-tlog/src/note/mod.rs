//! C2SP signed notes (<https://c2sp.org/signed-note>) with Ed25519
//! signatures: a text, a blank line, then lines `— <key name> <base64>`.
//!
//! The text means nothing until a trusted key's signature over it has been
//! checked: [`Note::verify`] hands out the text only then.

mod error;
mod key;
mod parse;
mod signer;
mod verify;

pub use error::{KeyError, NoteError, VerifyNoteError};
pub use key::{VerifierKey, key_id};
pub use parse::MAX_SIGNATURES;
pub use signer::NoteSigner;

/// A parsed, not yet verified, signed note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    text: String,
    signatures: Vec<NoteSignature>,
}

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// The key name, as written on the line.
    pub name: String,
    /// The key ID: the first four bytes of the decoded signature, big-endian.
    pub key_id: u32,
    /// The signature proper, after the key ID.
    pub signature: Vec<u8>,
}

impl Note {
    /// The signature lines, in the order they appear.
    pub fn signatures(&self) -> &[NoteSignature] {
        &self.signatures
    }
}
