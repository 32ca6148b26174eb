//! Local verification of JWT access tokens (RFC 9068) against a key set.
//!
//! Signatures are checked with `ring` (already in the tree for rustls; its
//! assembly RSA is several times faster than the pure-Rust `rsa` crate).
//! Keys are decoded from the JWKS once, when it is fetched.

mod jwk;
mod keys;
#[cfg(test)]
mod tests;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use innsyn_domain::Caller;
use innsyn_ports::TokenError;
use serde::Deserialize;
use serde_json::{Map, Value};

pub(crate) use keys::{Alg, KeySet, VerifyKey};

use crate::claims::{ClaimMapping, audience_matches, caller_from_claims, numeric_date};

/// Longer bearer tokens are refused unread.
const MAX_TOKEN_LEN: usize = 16 * 1024;

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
