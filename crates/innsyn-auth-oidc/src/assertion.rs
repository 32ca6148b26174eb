//! `private_key_jwt` client authentication (RFC 7523 §2.2, OpenID Connect
//! Core §9): a short-lived JWT signed with this server's own key.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::{SecureRandom as _, SystemRandom};
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, RsaKeyPair};
use serde_json::json;

/// The `client_assertion_type` of RFC 7523.
pub(crate) const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Lifetime of one assertion.
const ASSERTION_TTL_SECS: u64 = 60;

enum SigningKey {
    Ed25519(Ed25519KeyPair),
    Es256(EcdsaKeyPair),
    Rs256(RsaKeyPair),
}

/// Signs client assertions. Its `Debug` shows only the algorithm.
pub(crate) struct AssertionSigner {
    key: SigningKey,
    kid: Option<String>,
    rng: SystemRandom,
}

impl std::fmt::Debug for AssertionSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AssertionSigner({})", self.alg())
    }
}

fn pkcs8_from_pem(pem: &str) -> Option<Vec<u8>> {
    let body = pem
        .split("-----BEGIN PRIVATE KEY-----")
        .nth(1)?
        .split("-----END PRIVATE KEY-----")
        .next()?;
    let b64: String = body.split_whitespace().collect();
    STANDARD.decode(b64).ok()
}

impl AssertionSigner {
    /// A PKCS#8 PEM (`BEGIN PRIVATE KEY`) Ed25519, P-256 or RSA key.
    pub(crate) fn from_pem(pem: &str, kid: Option<String>) -> Option<Self> {
        let der = pkcs8_from_pem(pem)?;
        let rng = SystemRandom::new();
        let key = if let Ok(k) = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der) {
            SigningKey::Ed25519(k)
        } else if let Ok(k) =
            EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &der, &rng)
        {
            SigningKey::Es256(k)
        } else {
            SigningKey::Rs256(RsaKeyPair::from_pkcs8(&der).ok()?)
        };
        Some(Self { key, kid, rng })
    }

    fn alg(&self) -> &'static str {
        match self.key {
            SigningKey::Ed25519(_) => "EdDSA",
            SigningKey::Es256(_) => "ES256",
            SigningKey::Rs256(_) => "RS256",
        }
    }

    /// A fresh assertion: `iss` = `sub` = the client, `aud` = the issuer.
    pub(crate) fn assertion(&self, client_id: &str, audience: &str) -> Option<String> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
        let mut jti = [0u8; 16];
        self.rng.fill(&mut jti).ok()?;
        let mut header = json!({"alg": self.alg(), "typ": "JWT"});
        if let Some(kid) = &self.kid {
            header["kid"] = json!(kid);
        }
        let claims = json!({
            "iss": client_id, "sub": client_id, "aud": audience,
            "iat": now, "exp": now + ASSERTION_TTL_SECS, "jti": URL_SAFE_NO_PAD.encode(jti),
        });
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let sig = match &self.key {
            SigningKey::Ed25519(k) => k.sign(input.as_bytes()).as_ref().to_vec(),
            SigningKey::Es256(k) => k.sign(&self.rng, input.as_bytes()).ok()?.as_ref().to_vec(),
            SigningKey::Rs256(k) => {
                let mut sig = vec![0; k.public().modulus_len()];
                k.sign(
                    &signature::RSA_PKCS1_SHA256,
                    &self.rng,
                    input.as_bytes(),
                    &mut sig,
                )
                .ok()?;
                sig
            }
        };
        Some(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::KeyPair as _;

    fn pem(der: &[u8]) -> String {
        format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            STANDARD.encode(der)
        )
    }

    #[test]
    fn signs_verifiable_assertions() {
        let rng = SystemRandom::new();
        let der = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let signer = AssertionSigner::from_pem(&pem(der.as_ref()), Some("k".into())).unwrap();
        let jwt = signer.assertion("me", "https://op").unwrap();
        let (input, sig) = jwt.rsplit_once('.').unwrap();
        let public = Ed25519KeyPair::from_pkcs8(der.as_ref()).unwrap();
        signature::UnparsedPublicKey::new(&signature::ED25519, public.public_key().as_ref())
            .verify(input.as_bytes(), &URL_SAFE_NO_PAD.decode(sig).unwrap())
            .unwrap();
        let claims: serde_json::Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(input.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(claims["iss"], "me");
        assert_eq!(claims["aud"], "https://op");
        assert_eq!(format!("{signer:?}"), "AssertionSigner(EdDSA)");

        let der = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .unwrap();
        let signer = AssertionSigner::from_pem(&pem(der.as_ref()), None).unwrap();
        assert!(signer.assertion("me", "https://op").is_some());
        assert!(AssertionSigner::from_pem("not a key", None).is_none());
    }
}
