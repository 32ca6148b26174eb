//! A local RS256 signing key (ID-porten and Maskinporten sign with RS256),
//! its JWKS, and RFC 9068 access tokens signed with it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use sha2::Sha256;

/// The `kid` of the bench key.
const KID: &str = "bench-rs256";

/// A signing key and the claims every token shares.
pub(crate) struct Minter {
    key: SigningKey<Sha256>,
    public: RsaPublicKey,
    issuer: String,
    audience: String,
    now: i64,
    ttl: i64,
}

impl Minter {
    pub(crate) fn new(issuer: &str, audience: &str, now: i64, ttl: i64) -> Result<Self, String> {
        let mut rng = rand::thread_rng();
        let private = RsaPrivateKey::new(&mut rng, 2048).map_err(|e| e.to_string())?;
        let public = RsaPublicKey::from(&private);
        Ok(Self {
            key: SigningKey::<Sha256>::new(private),
            public,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            now,
            ttl,
        })
    }

    /// The JWKS with the public key.
    pub(crate) fn jwks(&self) -> Value {
        let b64 = |b: Vec<u8>| URL_SAFE_NO_PAD.encode(b);
        json!({"keys": [{
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": KID,
            "n": b64(self.public.n().to_bytes_be()),
            "e": b64(self.public.e().to_bytes_be()),
        }]})
    }

    /// The discovery document, with the JWKS at `{issuer}/jwks.json`.
    pub(crate) fn discovery(&self) -> Value {
        let base = self.issuer.trim_end_matches('/');
        json!({
            "issuer": self.issuer,
            "jwks_uri": format!("{base}/jwks.json"),
            "token_endpoint": format!("{base}/token"),
            "authorization_endpoint": format!("{base}/authorize"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        })
    }

    /// An access token with `extra` claims on top of iss, aud, iat, exp, jti.
    pub(crate) fn mint(&self, jti: &str, extra: Value) -> Result<String, String> {
        let mut claims = json!({
            "iss": self.issuer,
            "aud": self.audience,
            "iat": self.now,
            "nbf": self.now - 60,
            "exp": self.now + self.ttl,
            "jti": jti,
        });
        if let (Some(c), Value::Object(e)) = (claims.as_object_mut(), extra) {
            c.extend(e);
        }
        let header = json!({"alg": "RS256", "typ": "at+jwt", "kid": KID});
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let sig = self
            .key
            .try_sign(input.as_bytes())
            .map_err(|e| e.to_string())?;
        Ok(format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(sig.to_bytes())
        ))
    }
}

/// Maskinporten's shape of the client organisation claim.
pub(crate) fn consumer(orgno: &str) -> Value {
    json!({"authority": "iso6523-actorid-upis", "ID": format!("0192:{orgno}")})
}
