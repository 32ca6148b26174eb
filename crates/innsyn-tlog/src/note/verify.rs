//! Checking a note's signature against one trusted key.

use super::Note;
use super::error::VerifyNoteError;
use super::key::VerifierKey;

impl Note {
    /// The note text, if `key` signed it.
    ///
    /// Lines by other keys are ignored, as the spec requires (they may be
    /// witnesses' cosignatures or a rotated key). Every line by `key` must
    /// verify: one bad signature by a trusted key rejects the note.
    ///
    /// # Errors
    /// [`VerifyNoteError::UnknownKeyName`] when nothing is signed under the
    /// key's name, [`VerifyNoteError::KeyIdMismatch`] when only another key
    /// of that name signed, [`VerifyNoteError::InvalidSignature`] when the
    /// key's signature does not match the text.
    pub fn verify(&self, key: &VerifierKey) -> Result<&str, VerifyNoteError> {
        let named: Vec<_> = self
            .signatures
            .iter()
            .filter(|s| s.name == key.name())
            .collect();
        if named.is_empty() {
            return Err(VerifyNoteError::UnknownKeyName {
                name: key.name().to_owned(),
            });
        }
        let mut by_key = named
            .into_iter()
            .filter(|s| s.key_id == key.id())
            .peekable();
        if by_key.peek().is_none() {
            return Err(VerifyNoteError::KeyIdMismatch {
                name: key.name().to_owned(),
                id: key.id(),
            });
        }
        for line in by_key {
            if !key.verifies(self.text.as_bytes(), &line.signature) {
                return Err(VerifyNoteError::InvalidSignature {
                    name: key.name().to_owned(),
                    id: key.id(),
                });
            }
        }
        Ok(&self.text)
    }

    /// The text without any signature check: for showing a note that failed
    /// verification, never for trusting it.
    pub fn unverified_text(&self) -> &str {
        &self.text
    }
}
