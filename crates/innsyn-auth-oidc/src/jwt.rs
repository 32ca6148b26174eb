//! Local verification of JWT access tokens (RFC 9068) against a key set.
//!
//! Signatures are checked with `ring` (already in the tree for rustls; its
//! assembly RSA is several times faster than the pure-Rust `rsa` crate).
//! Keys are decoded from the JWKS once, when it is fetched.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use innsyn_domain::Caller;
use innsyn_ports::TokenError;
use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::claims::{ClaimMapping, audience_matches, caller_from_claims, numeric_date};

/// Longer bearer tokens are refused unread.
const MAX_TOKEN_LEN: usize = 16 * 1024;
/// RFC 7518 §3.3: RSA keys of at least 2048 bits.
const MIN_RSA_BITS: usize = 2048;

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

enum KeyMaterial {
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
    kid: Option<String>,
    /// The JWK's `alg`, when it pins one.
    alg: Option<Alg>,
    material: KeyMaterial,
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

    fn verify(&self, alg: Alg, message: &[u8], sig: &[u8]) -> bool {
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

#[derive(Deserialize)]
struct Jwk {
    kty: String,
    kid: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    n: Option<String>,
    e: Option<String>,
    crv: Option<String>,
    x: Option<String>,
    y: Option<String>,
}

fn b64(field: Option<&String>) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(field?).ok()
}

impl Jwk {
    /// `None` for keys this verifier cannot or must not use (encryption
    /// keys, symmetric keys, other curves, short RSA moduli, algorithms
    /// outside the allow-list).
    fn into_key(self) -> Option<VerifyKey> {
        if self.use_.as_deref().is_some_and(|u| u != "sig") {
            return None;
        }
        let alg = match self.alg.as_deref() {
            None => None,
            Some(name) => Some(Alg::parse(name)?),
        };
        let material = match (self.kty.as_str(), self.crv.as_deref()) {
            ("RSA", _) => {
                let n = b64(self.n.as_ref())?;
                let e = b64(self.e.as_ref())?;
                let n: Vec<u8> = n.into_iter().skip_while(|b| *b == 0).collect();
                let bits = n.first().map_or(0, |top| {
                    (n.len() - 1) * 8 + (8 - top.leading_zeros() as usize)
                });
                if bits < MIN_RSA_BITS || e.is_empty() {
                    return None;
                }
                KeyMaterial::Rsa { n, e }
            }
            ("EC", Some("P-256")) => {
                let (x, y) = (b64(self.x.as_ref())?, b64(self.y.as_ref())?);
                if x.len() != 32 || y.len() != 32 {
                    return None;
                }
                let mut point = Vec::with_capacity(65);
                point.push(4);
                point.extend_from_slice(&x);
                point.extend_from_slice(&y);
                KeyMaterial::P256(point)
            }
            ("OKP", Some("Ed25519")) => {
                KeyMaterial::Ed25519(b64(self.x.as_ref())?.try_into().ok()?)
            }
            _ => return None,
        };
        Some(VerifyKey {
            kid: self.kid,
            alg,
            material,
        })
    }
}

/// The verification keys of one issuer.
#[derive(Default)]
pub(crate) struct KeySet {
    keys: Vec<VerifyKey>,
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

    fn candidates<'a>(
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

/// What a JWT must satisfy besides its signature.
#[derive(Debug, Clone)]
pub(crate) struct JwtPolicy {
    pub(crate) issuer: String,
    pub(crate) audience: String,
    pub(crate) leeway_secs: i64,
    pub(crate) accept_generic_typ: bool,
    pub(crate) mapping: ClaimMapping,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
    typ: Option<String>,
    crit: Option<Value>,
}

/// A JWT split and decoded, signature not yet checked.
pub(crate) struct ParsedJwt<'a> {
    alg: Alg,
    kid: Option<String>,
    signing_input: &'a [u8],
    signature: Vec<u8>,
    claims: Map<String, Value>,
}

/// Three base64url parts (the last may be empty, as in an unsecured JWT, so
/// that such a token is refused as one): the shape `auto` mode sends to
/// local verification.
pub(crate) fn looks_like_jwt(token: &str) -> bool {
    let mut parts = 0;
    for part in token.split('.') {
        parts += 1;
        if (part.is_empty() && parts < 3)
            || !part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return false;
        }
    }
    parts == 3
}

fn typ_allowed(typ: Option<&str>, accept_generic: bool) -> bool {
    let Some(typ) = typ else {
        return accept_generic;
    };
    let lower = typ.to_ascii_lowercase();
    let media = lower.strip_prefix("application/").unwrap_or(&lower);
    media == "at+jwt" || (accept_generic && media == "jwt")
}

impl<'a> ParsedJwt<'a> {
    /// Splits and decodes `token` and checks what can be checked without a
    /// key: shape, algorithm, `typ`, `crit`, and the issuer (so tokens of
    /// other issuers never cause a JWKS refresh).
    pub(crate) fn parse(token: &'a str, policy: &JwtPolicy) -> Result<Self, TokenError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(TokenError::Malformed);
        }
        let (signing_input, signature_b64) = token.rsplit_once('.').ok_or(TokenError::Malformed)?;
        let (header_b64, payload_b64) =
            signing_input.split_once('.').ok_or(TokenError::Malformed)?;
        let header_json = URL_SAFE_NO_PAD
            .decode(header_b64)
            .map_err(|_| TokenError::Malformed)?;
        let header: Header =
            serde_json::from_slice(&header_json).map_err(|_| TokenError::Malformed)?;
        let alg = Alg::parse(&header.alg).ok_or(TokenError::BadSignature)?;
        if header.crit.is_some() || !typ_allowed(header.typ.as_deref(), policy.accept_generic_typ) {
            return Err(TokenError::Malformed);
        }
        let payload = URL_SAFE_NO_PAD
            .decode(payload_b64)
            .map_err(|_| TokenError::Malformed)?;
        let claims: Map<String, Value> =
            serde_json::from_slice(&payload).map_err(|_| TokenError::Malformed)?;
        if claims.get("iss").and_then(Value::as_str) != Some(policy.issuer.as_str()) {
            return Err(TokenError::WrongIssuer);
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature_b64)
            .map_err(|_| TokenError::Malformed)?;
        Ok(Self {
            alg,
            kid: header.kid,
            signing_input: signing_input.as_bytes(),
            signature,
            claims,
        })
    }

    /// Whether `keys` has a key this token could be signed with (by `kid`
    /// when it names one). `false` is the cue for a JWKS refresh.
    pub(crate) fn has_candidate(&self, keys: &KeySet) -> bool {
        keys.candidates(self.kid.as_deref(), self.alg)
            .next()
            .is_some()
    }

    /// Checks the signature with `keys`, then time and audience, then maps
    /// the claims.
    #[cfg(test)]
    pub(crate) fn verify(
        self,
        keys: &KeySet,
        policy: &JwtPolicy,
        now: i64,
    ) -> Result<Caller, TokenError> {
        self.verify_with_exp(keys, policy, now)
            .map(|(caller, _)| caller)
    }

    /// [`Self::verify`], also returning the token's `exp`.
    pub(crate) fn verify_with_exp(
        self,
        keys: &KeySet,
        policy: &JwtPolicy,
        now: i64,
    ) -> Result<(Caller, i64), TokenError> {
        let verified = keys
            .candidates(self.kid.as_deref(), self.alg)
            .any(|k| k.verify(self.alg, self.signing_input, &self.signature));
        if !verified {
            return Err(TokenError::BadSignature);
        }
        let exp = numeric_date(&self.claims, "exp")
            .map_err(|()| TokenError::Malformed)?
            .ok_or(TokenError::Malformed)?;
        if exp.saturating_add(policy.leeway_secs) <= now {
            return Err(TokenError::Expired);
        }
        if let Some(nbf) = numeric_date(&self.claims, "nbf").map_err(|()| TokenError::Malformed)?
            && nbf.saturating_sub(policy.leeway_secs) > now
        {
            return Err(TokenError::Expired);
        }
        if !audience_matches(self.claims.get("aud"), &policy.audience) {
            return Err(TokenError::WrongAudience);
        }
        Ok((caller_from_claims(&self.claims, &policy.mapping)?, exp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::{Ed25519KeyPair, KeyPair as _};
    use serde_json::json;

    fn policy() -> JwtPolicy {
        JwtPolicy {
            issuer: "https://op.example".into(),
            audience: "https://api.example".into(),
            leeway_secs: 30,
            accept_generic_typ: false,
            mapping: ClaimMapping::default(),
        }
    }

    fn ed(seed: u8) -> Ed25519KeyPair {
        Ed25519KeyPair::from_seed_unchecked(&[seed; 32]).unwrap()
    }

    fn public(key: &Ed25519KeyPair) -> [u8; 32] {
        key.public_key().as_ref().try_into().unwrap()
    }

    fn sign(key: &Ed25519KeyPair, header: &Value, claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let sig = key.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref()))
    }

    fn fixture() -> (Ed25519KeyPair, KeySet) {
        let key = ed(7);
        let set = KeySet::new(vec![VerifyKey::ed25519("k1", public(&key))]);
        (key, set)
    }

    const NOW: i64 = 1_800_000_000;

    fn claims() -> Value {
        json!({"iss": "https://op.example", "aud": "https://api.example", "exp": NOW + 60,
               "sub": "12345678901", "scope": "history:read", "client_id": "c"})
    }

    fn check(token: &str, keys: &KeySet, p: &JwtPolicy) -> Result<Caller, TokenError> {
        ParsedJwt::parse(token, p)?.verify(keys, p, NOW)
    }

    #[test]
    fn round_trip_and_claim_checks() {
        let (key, keys) = fixture();
        let p = policy();
        let h = json!({"alg": "EdDSA", "typ": "at+jwt", "kid": "k1"});
        let caller = check(&sign(&key, &h, &claims()), &keys, &p).unwrap();
        assert!(caller.scopes.contains("history:read"));

        let mut c = claims();
        c["exp"] = json!(NOW - 31);
        assert_eq!(
            check(&sign(&key, &h, &c), &keys, &p),
            Err(TokenError::Expired)
        );
        c["exp"] = json!(NOW - 29); // within leeway
        assert!(check(&sign(&key, &h, &c), &keys, &p).is_ok());
        c["nbf"] = json!(NOW + 31);
        assert_eq!(
            check(&sign(&key, &h, &c), &keys, &p),
            Err(TokenError::Expired)
        );

        let mut c = claims();
        c["aud"] = json!(["https://other.example"]);
        assert_eq!(
            check(&sign(&key, &h, &c), &keys, &p),
            Err(TokenError::WrongAudience)
        );
        c["aud"] = json!(["https://other.example", "https://api.example"]);
        assert!(check(&sign(&key, &h, &c), &keys, &p).is_ok());

        let mut c = claims();
        c["iss"] = json!("https://evil.example");
        assert_eq!(
            check(&sign(&key, &h, &c), &keys, &p),
            Err(TokenError::WrongIssuer)
        );

        let mut c = claims();
        c.as_object_mut().unwrap().remove("exp");
        assert_eq!(
            check(&sign(&key, &h, &c), &keys, &p),
            Err(TokenError::Malformed)
        );
    }

    #[test]
    fn typ_rules() {
        let (key, keys) = fixture();
        let strict = policy();
        let generic = JwtPolicy {
            accept_generic_typ: true,
            ..policy()
        };
        for (typ, strict_ok, generic_ok) in [
            (Some("at+jwt"), true, true),
            (Some("application/at+JWT"), true, true),
            (Some("JWT"), false, true),
            (None, false, true),
            (Some("dpop+jwt"), false, false),
        ] {
            let mut h = json!({"alg": "EdDSA", "kid": "k1"});
            if let Some(t) = typ {
                h["typ"] = json!(t);
            }
            let t = sign(&key, &h, &claims());
            assert_eq!(check(&t, &keys, &strict).is_ok(), strict_ok, "{typ:?}");
            assert_eq!(check(&t, &keys, &generic).is_ok(), generic_ok, "{typ:?}");
        }
    }

    #[test]
    fn refuses_bad_algorithms_keys_and_signatures() {
        let (key, keys) = fixture();
        let p = policy();
        for alg in ["none", "HS256", "RS512", "ES384"] {
            let h = json!({"alg": alg, "typ": "at+jwt", "kid": "k1"});
            assert_eq!(
                check(&sign(&key, &h, &claims()), &keys, &p),
                Err(TokenError::BadSignature),
                "{alg}"
            );
        }
        // alg none with an empty signature part
        let unsigned = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(json!({"alg":"none","typ":"at+jwt"}).to_string()),
            URL_SAFE_NO_PAD.encode(claims().to_string())
        );
        assert_eq!(check(&unsigned, &keys, &p), Err(TokenError::BadSignature));

        let h = json!({"alg": "EdDSA", "typ": "at+jwt", "kid": "k1"});
        let good = sign(&key, &h, &claims());
        let mut tampered = good.clone().into_bytes();
        let i = tampered.len() - 5;
        tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert_eq!(check(&tampered, &keys, &p), Err(TokenError::BadSignature));

        // Another key under the same kid.
        let other = ed(8);
        assert_eq!(
            check(&sign(&other, &h, &claims()), &keys, &p),
            Err(TokenError::BadSignature)
        );
        // Unknown kid: no candidate, the caller refreshes.
        let h2 = json!({"alg": "EdDSA", "typ": "at+jwt", "kid": "k2"});
        let t = sign(&key, &h2, &claims());
        assert!(!ParsedJwt::parse(&t, &p).unwrap().has_candidate(&keys));
        // A crit header is not understood.
        let h3 = json!({"alg": "EdDSA", "typ": "at+jwt", "kid": "k1", "crit": ["exp"]});
        assert_eq!(
            check(&sign(&key, &h3, &claims()), &keys, &p),
            Err(TokenError::Malformed)
        );

        for junk in [
            "",
            "a.b",
            "a.b.c",
            "....",
            "x".repeat(MAX_TOKEN_LEN + 1).as_str(),
        ] {
            assert!(check(junk, &keys, &p).is_err());
        }
    }

    #[test]
    fn jwks_parsing_skips_unusable_keys() {
        let x = URL_SAFE_NO_PAD.encode(public(&ed(7)));
        let jwks = json!({"keys": [
            {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "ok"},
            {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "enc", "use": "enc"},
            {"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"},
            {"kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": "tiny"},
            {"kty": "EC", "crv": "P-384", "x": x, "y": x, "kid": "p384"},
            {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "hs", "alg": "HS256"},
            "garbage"
        ]});
        let set = KeySet::from_jwks(&jwks);
        assert_eq!(set.len(), 1);
        assert_eq!(set.keys[0].kid.as_deref(), Some("ok"));
    }

    #[test]
    fn es256_from_a_jwk() {
        use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
            .unwrap();
        let point = key.public_key().as_ref();
        let jwks = json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": "ec", "alg": "ES256",
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]), "y": URL_SAFE_NO_PAD.encode(&point[33..])}]});
        let keys = KeySet::from_jwks(&jwks);
        assert_eq!(keys.len(), 1);
        let p = policy();
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD
                .encode(json!({"alg": "ES256", "typ": "at+jwt", "kid": "ec"}).to_string()),
            URL_SAFE_NO_PAD.encode(claims().to_string())
        );
        let sig = key.sign(&rng, input.as_bytes()).unwrap();
        let token = format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref()));
        assert!(check(&token, &keys, &p).is_ok());
        // The same key does not accept EdDSA or RS256 claims of the token.
        let (ed_key, _) = fixture();
        let h = json!({"alg": "EdDSA", "typ": "at+jwt", "kid": "ec"});
        assert_eq!(
            check(&sign(&ed_key, &h, &claims()), &keys, &p),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn jwt_shape() {
        assert!(looks_like_jwt("eyJh.eyJi.c2ln"));
        assert!(!looks_like_jwt("abcDEF123_-"));
        assert!(!looks_like_jwt("a.b"));
        assert!(!looks_like_jwt("a..c"));
        assert!(looks_like_jwt("a.b."));
        assert!(!looks_like_jwt("a.b.c.d.e"));
        assert!(!looks_like_jwt("a.b.c="));
    }
}
