//! `admin-token`: a `history:admin` token for the retention measurement,
//! signed with a second RS256 key whose public half is added to the JWKS
//! `prepare` wrote (under its own `kid`), so the static issuer serves both.

use std::fs;
use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use sha2::Sha256;
use time::OffsetDateTime;

use crate::args::Args;
use crate::model;
use crate::tokens::consumer;

/// The `kid` of the admin key (the request tokens' key is `bench-rs256`).
const KID: &str = "bench-admin-rs256";

/// `admin-token --dir D --issuer URL --audience A [--ttl SECS]`: adds the
/// key to `D/issuer/jwks.json` and writes the token to `D/admin.token`.
pub(crate) fn run(args: &Args) -> Result<(), String> {
    let dir = PathBuf::from(args.str("dir")?);
    let issuer = args.str("issuer")?;
    let audience = args.str("audience")?;
    let ttl: i64 = args.num("ttl", 6 * 3600)?;
    let private = RsaPrivateKey::new(&mut rand::thread_rng(), 2048).map_err(|e| e.to_string())?;
    let public = RsaPublicKey::from(&private);
    let b64 = |b: Vec<u8>| URL_SAFE_NO_PAD.encode(b);

    let jwks_path = dir.join("issuer/jwks.json");
    let text =
        fs::read_to_string(&jwks_path).map_err(|e| format!("{}: {e}", jwks_path.display()))?;
    let mut jwks: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let keys = jwks
        .get_mut("keys")
        .and_then(Value::as_array_mut)
        .ok_or("the JWKS has no keys array")?;
    keys.retain(|k| k.get("kid").and_then(Value::as_str) != Some(KID));
    keys.push(json!({
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": KID,
        "n": b64(public.n().to_bytes_be()),
        "e": b64(public.e().to_bytes_be()),
    }));
    fs::write(&jwks_path, jwks.to_string()).map_err(|e| e.to_string())?;

    let now = OffsetDateTime::now_utc().unix_timestamp();
    let orgno = model::orgnos().into_iter().next().unwrap_or_default();
    let claims = json!({
        "iss": issuer, "aud": audience, "iat": now, "nbf": now - 60, "exp": now + ttl,
        "jti": "bench-admin", "sub": "bench-admin", "client_id": "bench-admin",
        "scope": "history:admin", "consumer": consumer(&orgno),
    });
    let header = json!({"alg": "RS256", "typ": "at+jwt", "kid": KID});
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let sig = SigningKey::<Sha256>::new(private)
        .try_sign(input.as_bytes())
        .map_err(|e| e.to_string())?;
    let token = format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()));
    fs::write(dir.join("admin.token"), token).map_err(|e| e.to_string())
}
