//! Minting dev tokens.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use innsyn_domain::{OrgNumber, Scope, SubjectId};
use serde_json::{Value, json};

use super::key_file::random;
use super::{DevIssuer, DevIssuerError, DevTokenRequest, unix_now};

impl DevIssuer {
    /// Mints an RFC 9068 access token: `sub` and `pid` = the subject,
    /// `client_id`, `scope`, the orgno as a Maskinporten-style `consumer`
    /// (under the configured orgno claim), `iat`, `exp`, `jti`.
    ///
    /// # Errors
    /// [`DevIssuerError::InvalidRequest`] when the subject, a scope, the
    /// client id or the orgno would not make a valid caller.
    pub fn mint(&self, req: &DevTokenRequest) -> Result<String, DevIssuerError> {
        let now = unix_now();
        let mut claims = serde_json::Map::new();
        claims.insert("iss".into(), json!(self.issuer()));
        claims.insert("aud".into(), json!(self.audience()));
        claims.insert("iat".into(), json!(now));
        claims.insert("exp".into(), json!(now.saturating_add(req.ttl_secs)));
        let jti: [u8; 16] = random()?;
        claims.insert("jti".into(), json!(URL_SAFE_NO_PAD.encode(jti)));
        if req.client_id.is_empty() {
            return Err(DevIssuerError::InvalidRequest("client_id"));
        }
        claims.insert("client_id".into(), json!(req.client_id));
        if let Some(sub) = &req.sub {
            SubjectId::parse(sub).map_err(|_| DevIssuerError::InvalidRequest("sub"))?;
            claims.insert("sub".into(), json!(sub));
            claims.insert("pid".into(), json!(sub));
        }
        for scope in &req.scopes {
            Scope::parse(scope).map_err(|_| DevIssuerError::InvalidRequest("scope"))?;
        }
        claims.insert("scope".into(), json!(req.scopes.join(" ")));
        if let Some(orgno) = &req.orgno {
            let orgno =
                OrgNumber::parse(orgno).map_err(|_| DevIssuerError::InvalidRequest("orgno"))?;
            claims.insert(
                self.orgno_claim.clone(),
                json!({"authority": "iso6523-actorid-upis", "ID": format!("0192:{orgno}")}),
            );
        }
        if let Some(acr) = &req.acr {
            claims.insert("acr".into(), json!(acr));
        }
        let payload = URL_SAFE_NO_PAD.encode(Value::Object(claims).to_string());
        let input = format!("{}.{payload}", self.header_b64);
        let signature = self.signing.sign(input.as_bytes());
        Ok(format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(signature.as_ref())
        ))
    }
}
