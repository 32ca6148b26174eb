//! Verification keys, decoded from the JWKS once, when it is fetched, and
//! the signature check itself.

use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use serde::Deserialize as _;
use serde_json::Value;

use super::jwk::Jwk;

/// RFC 7518 §3.3: RSA keys of at least 2048 bits.
pub(super) const MIN_RSA_BITS: usize = 2048;

/// The signature algorithms accepted. Everything else — `none`, HMAC, RSA
/// with other hashes — is refused before any key is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alg {
    Rs256,
    Ps256,
    Es256,
    EdDsa,
}

impl Alg {
    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "RS256" => Some(Self::Rs256),
            "PS256" => Some(Self::Ps256),
            "ES256" => Some(Self::Es256),
            "EdDSA" => Some(Self::EdDsa),
            _ => None,
        }
    }
}

pub(super) enum KeyMaterial {
    /// Big-endian modulus (no leading zeros) and exponent.
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    /// Uncompressed SEC1 point (65 bytes).
    P256(Vec<u8>),
    Ed25519([u8; 32]),
}

/// One public key, decoded once.
pub(crate) struct VerifyKey {
    pub(super) kid: Option<String>,
    /// The JWK's `alg`, when it pins one.
    pub(super) alg: Option<Alg>,
    pub(super) material: KeyMaterial,
}

impl VerifyKey {
    pub(crate) fn ed25519(kid: impl Into<String>, public_key: [u8; 32]) -> Self {
        Self {
            kid: Some(kid.into()),
            alg: Some(Alg::EdDsa),
            material: KeyMaterial::Ed25519(public_key),
        }
    }

    fn supports(&self, alg: Alg) -> bool {
        if self.alg.is_some_and(|pinned| pinned != alg) {
            return false;
        }
        matches!(
            (&self.material, alg),
            (KeyMaterial::Rsa { .. }, Alg::Rs256 | Alg::Ps256)
                | (KeyMaterial::P256(_), Alg::Es256)
                | (KeyMaterial::Ed25519(_), Alg::EdDsa)
        )
    }

    pub(super) fn verify(&self, alg: Alg, message: &[u8], sig: &[u8]) -> bool {
        match (&self.material, alg) {
            (KeyMaterial::Rsa { n, e }, Alg::Rs256 | Alg::Ps256) => {
                let params = if alg == Alg::Rs256 {
                    &signature::RSA_PKCS1_2048_8192_SHA256
                } else {
                    &signature::RSA_PSS_2048_8192_SHA256
                };
                RsaPublicKeyComponents { n, e }
                    .verify(params, message, sig)
                    .is_ok()
            }
            // JWS carries ES256 as the raw 64-byte r‖s ("FIXED"), not DER.
            (KeyMaterial::P256(point), Alg::Es256) => {
                UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                    .verify(message, sig)
                    .is_ok()
            }
            (KeyMaterial::Ed25519(key), Alg::EdDsa) => {
                UnparsedPublicKey::new(&signature::ED25519, key)
                    .verify(message, sig)
                    .is_ok()
            }
            _ => false,
        }
    }
}

/// The verification keys of one issuer.
#[derive(Default)]
pub(crate) struct KeySet {
    pub(super) keys: Vec<VerifyKey>,
}

impl KeySet {
    pub(crate) fn new(keys: Vec<VerifyKey>) -> Self {
        Self { keys }
    }

    /// Reads a JWKS document (`{"keys": [...]}`), skipping unusable keys.
    pub(crate) fn from_jwks(jwks: &Value) -> Self {
        let keys = jwks
            .get("keys")
            .and_then(Value::as_array)
            .map(|keys| {
                keys.iter()
                    .filter_map(|k| Jwk::deserialize(k).ok()?.into_key())
                    .collect()
            })
            .unwrap_or_default();
        Self { keys }
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    pub(super) fn candidates<'a>(
        &'a self,
        kid: Option<&'a str>,
        alg: Alg,
    ) -> impl Iterator<Item = &'a VerifyKey> + 'a {
        self.keys
            .iter()
            .filter(move |k| kid.is_none() || k.kid.as_deref() == kid)
            .filter(move |k| k.supports(alg))
    }
}
