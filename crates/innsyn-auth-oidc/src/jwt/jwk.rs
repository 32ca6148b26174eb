//! JWKS members (RFC 7517) read into [`VerifyKey`]s, keeping only the
//! keys this verifier may use.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use super::keys::{Alg, KeyMaterial, MIN_RSA_BITS, VerifyKey};

#[derive(Deserialize)]
pub(super) struct Jwk {
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
    pub(super) fn into_key(self) -> Option<VerifyKey> {
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
