//! Signing notes with an Ed25519 key. The private key text is the one Go's
//! `golang.org/x/mod/sumdb/note` uses, `PRIVATE+KEY+<name>+<key ID
//! hex>+<base64(0x01 || seed)>`, so keys move between innsyn and that tooling.

use base64::{Engine as _, engine::general_purpose::STANDARD};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{Ed25519KeyPair, KeyPair};

use super::error::{KeyError, NoteError};
use super::key::{ED25519_TYPE, VerifierKey, checked, decode_key_material};
use super::parse::check_text;

const PRIVATE_PREFIX: &str = "PRIVATE+KEY+";

/// An Ed25519 signing key with its note key name. Its `Debug` shows the
/// public key only (ring's key pair prints no secret).
#[derive(Debug)]
pub struct NoteSigner {
    verifier: VerifierKey,
    pair: Ed25519KeyPair,
}

impl NoteSigner {
    /// The signer for a 32-byte Ed25519 seed (RFC 8032 private key).
    ///
    /// # Errors
    /// [`KeyError::BadName`] for a name notes cannot carry.
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Self, KeyError> {
        // Unchecked: there is no stored public key to check the seed against.
        let pair = Ed25519KeyPair::from_seed_unchecked(seed).map_err(|_| KeyError::Rejected)?;
        let public =
            <[u8; 32]>::try_from(pair.public_key().as_ref()).map_err(|_| KeyError::Rejected)?;
        Ok(Self {
            verifier: VerifierKey::new(name, public)?,
            pair,
        })
    }

    /// Parses `PRIVATE+KEY+<name>+<key ID hex>+<base64(0x01 || seed)>`.
    ///
    /// # Errors
    /// The [`KeyError`] saying what is malformed, including a key ID that
    /// does not belong to the name and the key derived from the seed.
    pub fn from_private_key(text: &str) -> Result<Self, KeyError> {
        let rest = text.strip_prefix(PRIVATE_PREFIX).ok_or(KeyError::NotAKey)?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id), Some(seed)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(KeyError::NotAKey);
        };
        let signer = Self::from_seed(name, &decode_key_material(seed)?)?;
        checked(name, id, *signer.verifier.public_key())?;
        Ok(signer)
    }

    /// A fresh key from the system random source (for `innsyn dev`), with
    /// its private key text to keep in the configuration.
    ///
    /// # Errors
    /// [`KeyError::Random`] if the random source fails, [`KeyError::BadName`].
    pub fn generate(name: &str) -> Result<(Self, String), KeyError> {
        let mut seed = [0u8; 32];
        SystemRandom::new()
            .fill(&mut seed)
            .map_err(|_| KeyError::Random)?;
        let signer = Self::from_seed(name, &seed)?;
        let mut material = vec![ED25519_TYPE];
        material.extend_from_slice(&seed);
        let text = format!(
            "{PRIVATE_PREFIX}{}+{:08x}+{}",
            signer.verifier.name(),
            signer.verifier.id(),
            STANDARD.encode(material)
        );
        Ok((signer, text))
    }

    /// The key that verifies this signer's notes.
    pub fn verifier(&self) -> &VerifierKey {
        &self.verifier
    }

    /// The signed note of `text`: the text, a blank line, one signature line.
    ///
    /// # Errors
    /// [`NoteError::TextNotTerminated`] or [`NoteError::ControlCharacter`]
    /// for a text no note can carry.
    pub fn sign(&self, text: &str) -> Result<String, NoteError> {
        check_text(text)?;
        let mut blob = self.verifier.id().to_be_bytes().to_vec();
        blob.extend_from_slice(self.pair.sign(text.as_bytes()).as_ref());
        Ok(format!(
            "{text}\n— {} {}\n",
            self.verifier.name(),
            STANDARD.encode(blob)
        ))
    }
}
