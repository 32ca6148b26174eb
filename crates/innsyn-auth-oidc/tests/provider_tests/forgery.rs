//! Forged tokens: changed claims or signatures, `alg: none`, HMAC keyed
//! with the public key.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Mac as _;
use innsyn_auth_oidc::AuthMode;
use innsyn_auth_oidc::test_support::{JWT_AUD, Provider};
use innsyn_ports::{TokenError, TokenIntrospector};
use serde_json::json;

use crate::{at, enc, part};

#[tokio::test]
async fn tampered_and_unsigned_tokens_are_refused() {
    let op = Provider::start();
    let v = op.introspector(AuthMode::Auto, JWT_AUD);
    let token = op.user_token(JWT_AUD, "history:read", 600);
    assert!(v.introspect(&at(&token)).await.is_ok());
    let parts: Vec<&str> = token.split('.').collect();
    let header = part(&token, 0);
    let mut claims = part(&token, 1);

    // Another person, same signature.
    claims["pid"] = json!("10987654321");
    claims["sub"] = json!("10987654321");
    let tampered = format!("{}.{}.{}", parts[0], enc(&claims), parts[2]);
    assert_eq!(
        v.introspect(&at(&tampered)).await,
        Err(TokenError::BadSignature)
    );

    // A flipped bit in the signature.
    let mut sig = URL_SAFE_NO_PAD.decode(parts[2]).expect("sig");
    sig[10] ^= 1;
    let flipped = format!("{}.{}.{}", parts[0], parts[1], URL_SAFE_NO_PAD.encode(sig));
    assert_eq!(
        v.introspect(&at(&flipped)).await,
        Err(TokenError::BadSignature)
    );

    // alg: none, with and without a signature part.
    let mut none = header.clone();
    none["alg"] = json!("none");
    for sig in ["", parts[2]] {
        let t = format!("{}.{}.{sig}", enc(&none), parts[1]);
        assert_eq!(v.introspect(&at(&t)).await, Err(TokenError::BadSignature));
    }

    // HS256 keyed with the issuer's public key (the classic confusion).
    let jwks = reqwest::get(format!("{}/jwks", op.issuer))
        .await
        .expect("jwks")
        .bytes()
        .await
        .expect("body");
    let mut hs = header.clone();
    hs["alg"] = json!("HS256");
    let input = format!("{}.{}", enc(&hs), parts[1]);
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&jwks).expect("hmac");
    mac.update(input.as_bytes());
    let t = format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    );
    assert_eq!(v.introspect(&at(&t)).await, Err(TokenError::BadSignature));
}
