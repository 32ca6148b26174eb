//! The ways a note, a key or a signature check fails. `innsyn verify`
//! prints these to a citizen, so each names what exactly is wrong.

use thiserror::Error;

/// The note is not a well-formed signed note; nothing about its signatures
/// was checked.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoteError {
    /// Bytes that are not UTF-8.
    #[error("the note is not UTF-8 (from byte {offset})")]
    NotUtf8 {
        /// Where the valid UTF-8 ends.
        offset: usize,
    },
    /// An ASCII control character other than newline.
    #[error("the note has a control character at byte {offset}")]
    ControlCharacter {
        /// Where it is.
        offset: usize,
    },
    /// No blank line followed by signature lines.
    #[error("the note has no signature lines after a blank line")]
    NoSignatures,
    /// The last signature line does not end in a newline.
    #[error("the last signature line does not end in a newline")]
    UnterminatedSignatureLine,
    /// A line in the signature block is not `— <name> <signature>`.
    #[error("signature line {line} is not of the form '— <key name> <signature>'")]
    NotASignatureLine {
        /// 1-based, within the signature block.
        line: usize,
    },
    /// An empty key name, or one with a space, a `+` or a control character.
    #[error("signature line {line} has an invalid key name")]
    BadKeyName {
        /// 1-based, within the signature block.
        line: usize,
    },
    /// The signature is not standard, padded base64.
    #[error("signature line {line} is not valid base64")]
    BadSignatureBase64 {
        /// 1-based, within the signature block.
        line: usize,
    },
    /// Fewer than the four key-ID bytes and one signature byte.
    #[error("signature line {line} is too short to hold a key ID and a signature")]
    SignatureTooShort {
        /// 1-based, within the signature block.
        line: usize,
    },
    /// More signature lines than any verifier here accepts.
    #[error("the note has more than {max} signatures")]
    TooManySignatures {
        /// The limit.
        max: usize,
    },
    /// A text to sign that is empty or does not end in a newline.
    #[error("a note text must be non-empty and end in a newline")]
    TextNotTerminated,
}

/// A well-formed note that the given key did not sign.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VerifyNoteError {
    /// No signature line carries the key's name.
    #[error("the note carries no signature by a key named {name}")]
    UnknownKeyName {
        /// The verifier key's name.
        name: String,
    },
    /// Signatures by that name exist, but by another key (another key ID).
    #[error("the note is signed by another key named {name}, not {name}+{id:08x}")]
    KeyIdMismatch {
        /// The verifier key's name.
        name: String,
        /// The verifier key's ID.
        id: u32,
    },
    /// The key's signature does not verify: the text or the signature changed.
    #[error("the signature by {name}+{id:08x} does not match the note text")]
    InvalidSignature {
        /// The key name.
        name: String,
        /// The key ID.
        id: u32,
    },
}

/// A verifier or signer key in the note key format is malformed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyError {
    /// Not `<name>+<key ID>+<key>` (with `PRIVATE+KEY+` first for a signer).
    #[error("the key is not of the form <name>+<key ID hex>+<base64 key>")]
    NotAKey,
    /// An empty key name, or one with a space, a `+` or a control character.
    #[error("the key name is empty or holds a space, '+' or a control character")]
    BadName,
    /// The key ID is not eight hexadecimal digits.
    #[error("the key ID is not eight hexadecimal digits")]
    BadKeyId,
    /// The key material is not standard, padded base64.
    #[error("the key material is not valid base64")]
    BadBase64,
    /// The signature type byte is not Ed25519 (0x01).
    #[error("signature type {0:#04x} is not Ed25519 (0x01)")]
    UnsupportedType(u8),
    /// The key material is not one type byte and 32 key bytes.
    #[error("the key material is {0} bytes, not 33")]
    WrongLength(usize),
    /// The key ID does not belong to this name and key.
    #[error("key ID {stated:08x} does not match the name and key (expected {computed:08x})")]
    KeyIdMismatch {
        /// The ID written in the key.
        stated: u32,
        /// The ID computed from name and key.
        computed: u32,
    },
    /// The system random source failed while generating a key.
    #[error("the system random source failed")]
    Random,
    /// The Ed25519 implementation refused the seed.
    #[error("the Ed25519 seed was refused")]
    Rejected,
}
