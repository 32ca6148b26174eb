//! Verifier keys in the note key format `<name>+<key ID hex>+<base64(0x01 ||
//! public key)>`, the form innsyn publishes at `GET /v1/log/key`.

use std::fmt;
use std::str::FromStr;

use base64::{Engine as _, engine::general_purpose::STANDARD};
use ring::signature::{ED25519, UnparsedPublicKey};
use sha2::{Digest, Sha256};

use super::error::KeyError;

/// The signature type byte of Ed25519 in signed notes.
pub(crate) const ED25519_TYPE: u8 = 0x01;

/// The key ID of an Ed25519 key, as c2sp.org/signed-note recommends:
/// `SHA-256(key name || 0x0A || 0x01 || public key)[:4]`, big-endian.
pub fn key_id(name: &str, public_key: &[u8; 32]) -> u32 {
    let digest = Sha256::new()
        .chain_update(name.as_bytes())
        .chain_update([b'\n', ED25519_TYPE])
        .chain_update(public_key)
        .finalize();
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// Key names are non-empty, without Unicode spaces or `+` (the spec), and
/// without control characters (which no note may contain).
pub(crate) fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '+')
}

/// An Ed25519 public key with its name, able to check note signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    id: u32,
    public_key: [u8; 32],
}

impl VerifierKey {
    /// The verifier key of `public_key` under `name`.
    ///
    /// # Errors
    /// [`KeyError::BadName`] for a name notes cannot carry.
    pub fn new(name: &str, public_key: [u8; 32]) -> Result<Self, KeyError> {
        if !is_valid_name(name) {
            return Err(KeyError::BadName);
        }
        let id = key_id(name, &public_key);
        Ok(Self {
            name: name.to_owned(),
            id,
            public_key,
        })
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key ID.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The raw 32-byte Ed25519 public key.
    pub fn public_key(&self) -> &[u8; 32] {
        &self.public_key
    }

    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        UnparsedPublicKey::new(&ED25519, &self.public_key)
            .verify(message, signature)
            .is_ok()
    }
}

impl FromStr for VerifierKey {
    type Err = KeyError;

    fn from_str(text: &str) -> Result<Self, KeyError> {
        // The base64 may itself hold `+`: split off only the first two fields.
        let mut parts = text.splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(KeyError::NotAKey);
        };
        let public_key = decode_key_material(key)?;
        checked(name, id, public_key)
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut material = vec![ED25519_TYPE];
        material.extend_from_slice(&self.public_key);
        write!(
            f,
            "{}+{:08x}+{}",
            self.name,
            self.id,
            STANDARD.encode(material)
        )
    }
}

/// The key of `name` if `id_hex` is the ID the spec derives for it.
pub(crate) fn checked(name: &str, id_hex: &str, key: [u8; 32]) -> Result<VerifierKey, KeyError> {
    let stated = parse_key_id(id_hex)?;
    let verifier = VerifierKey::new(name, key)?;
    if verifier.id != stated {
        return Err(KeyError::KeyIdMismatch {
            stated,
            computed: verifier.id,
        });
    }
    Ok(verifier)
}

fn parse_key_id(hex: &str) -> Result<u32, KeyError> {
    // from_str_radix alone would take a sign or fewer digits.
    if hex.len() != 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(KeyError::BadKeyId);
    }
    u32::from_str_radix(hex, 16).map_err(|_| KeyError::BadKeyId)
}

/// `base64(0x01 || 32 bytes)` to the 32 bytes: a public key or a seed.
pub(crate) fn decode_key_material(text: &str) -> Result<[u8; 32], KeyError> {
    let bytes = STANDARD.decode(text).map_err(|_| KeyError::BadBase64)?;
    match bytes.split_first() {
        Some((&ED25519_TYPE, key)) => {
            <[u8; 32]>::try_from(key).map_err(|_| KeyError::WrongLength(bytes.len()))
        }
        Some((&other, _)) => Err(KeyError::UnsupportedType(other)),
        None => Err(KeyError::WrongLength(0)),
    }
}
