//! Reading a signed note. Parsing is strict: a note that Go's reference
//! implementation would call malformed is rejected here too, each case with
//! its own [`NoteError`].

use base64::{Engine as _, engine::general_purpose::STANDARD};

use super::error::NoteError;
use super::key::is_valid_name;
use super::{Note, NoteSignature};

/// The most signature lines a note may carry. The spec asks verifiers to
/// accept at least 16 and to bound the rest; 100 is Go's bound.
pub const MAX_SIGNATURES: usize = 100;

const PREFIX: &str = "— ";

impl Note {
    /// Parses a signed note. Signatures are not checked: see [`Note::verify`].
    ///
    /// # Errors
    /// The [`NoteError`] naming what is malformed.
    pub fn parse(input: &[u8]) -> Result<Self, NoteError> {
        let note = std::str::from_utf8(input).map_err(|e| NoteError::NotUtf8 {
            offset: e.valid_up_to(),
        })?;
        check_characters(note)?;
        // The text ends at the note's *last* blank line: texts may hold blank
        // lines, signature blocks may not.
        let split = note.rfind("\n\n").ok_or(NoteError::NoSignatures)?;
        let (text, block) = (&note[..=split], &note[split + 2..]);
        if block.is_empty() {
            return Err(NoteError::NoSignatures);
        }
        let block = block
            .strip_suffix('\n')
            .ok_or(NoteError::UnterminatedSignatureLine)?;
        let mut signatures = Vec::new();
        for (index, line) in block.split('\n').enumerate() {
            if index == MAX_SIGNATURES {
                return Err(NoteError::TooManySignatures {
                    max: MAX_SIGNATURES,
                });
            }
            signatures.push(signature_line(line, index + 1)?);
        }
        Ok(Self {
            text: text.to_owned(),
            signatures,
        })
    }
}

fn signature_line(line: &str, number: usize) -> Result<NoteSignature, NoteError> {
    let not_a_line = NoteError::NotASignatureLine { line: number };
    let (name, base64) = line
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once(' '))
        .ok_or(not_a_line)?;
    if !is_valid_name(name) {
        return Err(NoteError::BadKeyName { line: number });
    }
    let blob = STANDARD
        .decode(base64)
        .map_err(|_| NoteError::BadSignatureBase64 { line: number })?;
    match blob.as_slice() {
        [a, b, c, d, signature @ ..] if !signature.is_empty() => Ok(NoteSignature {
            name: name.to_owned(),
            key_id: u32::from_be_bytes([*a, *b, *c, *d]),
            signature: signature.to_vec(),
        }),
        _ => Err(NoteError::SignatureTooShort { line: number }),
    }
}

fn check_characters(text: &str) -> Result<(), NoteError> {
    match text.bytes().position(|b| b < 0x20 && b != b'\n') {
        Some(offset) => Err(NoteError::ControlCharacter { offset }),
        None => Ok(()),
    }
}

/// What a text must be to be signed: non-empty, newline-terminated, free of
/// control characters other than newline.
pub(crate) fn check_text(text: &str) -> Result<(), NoteError> {
    if !text.ends_with('\n') {
        return Err(NoteError::TextNotTerminated);
    }
    check_characters(text)
}
