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
    let key =
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
    let point = key.public_key().as_ref();
    let jwks = json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": "ec", "alg": "ES256",
        "x": URL_SAFE_NO_PAD.encode(&point[1..33]), "y": URL_SAFE_NO_PAD.encode(&point[33..])}]});
    let keys = KeySet::from_jwks(&jwks);
    assert_eq!(keys.len(), 1);
    let p = policy();
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(json!({"alg": "ES256", "typ": "at+jwt", "kid": "ec"}).to_string()),
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
