//! Claims (of a verified JWT or an introspection response) → [`Caller`].

use std::time::{SystemTime, UNIX_EPOCH};

use innsyn_domain::{Caller, OrgNumber, Scope, Scopes, SubjectId};
use innsyn_ports::TokenError;
use serde_json::{Map, Value};

#[cfg(test)]
mod tests;

/// The Maskinporten/ISO 6523 authority of Norwegian organisation numbers.
const ISO6523_AUTHORITY: &str = "iso6523-actorid-upis";

/// Which claims carry the subject and the organisation number.
#[derive(Debug, Clone)]
pub(crate) struct ClaimMapping {
    pub(crate) subject_claim: String,
    pub(crate) orgno_claim: String,
}

impl Default for ClaimMapping {
    fn default() -> Self {
        Self {
            subject_claim: "sub".into(),
            orgno_claim: "consumer".into(),
        }
    }
}

fn bad(what: &str) -> TokenError {
    // Only the claim's role goes into the message, never its value.
    TokenError::BadClaims(format!("the {what} claim is invalid"))
}

fn optional_str<'a>(claims: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, ()> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(()),
    }
}

fn scopes_from(value: &Value) -> Result<Scopes, TokenError> {
    match value {
        Value::String(s) => Scopes::parse(s).map_err(|_| bad("scope")),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Scope::parse(s).map_err(|_| bad("scope")),
                _ => Err(bad("scope")),
            })
            .collect(),
        Value::Null => Ok(Scopes::default()),
        _ => Err(bad("scope")),
    }
}

fn orgno_from(value: &Value) -> Result<Option<OrgNumber>, TokenError> {
    let raw = match value {
        Value::Null => return Ok(None),
        Value::String(s) => s.as_str(),
        Value::Object(obj) => {
            if let Some(authority) = obj.get("authority")
                && authority.as_str() != Some(ISO6523_AUTHORITY)
            {
                return Err(bad("organisation"));
            }
            match obj.get("ID").or_else(|| obj.get("id")) {
                Some(Value::String(s)) => s.as_str(),
                _ => return Err(bad("organisation")),
            }
        }
        _ => return Err(bad("organisation")),
    };
    OrgNumber::parse(raw)
        .map(Some)
        .map_err(|_| bad("organisation"))
}

/// Maps verified claims to a caller. A token without the subject claim is a
/// client token: valid here, the policy decides what it may do.
pub(crate) fn caller_from_claims(
    claims: &Map<String, Value>,
    mapping: &ClaimMapping,
) -> Result<Caller, TokenError> {
    let subject = optional_str(claims, &mapping.subject_claim)
        .map_err(|()| bad("subject"))?
        .map(|s| SubjectId::parse(s).map_err(|_| bad("subject")))
        .transpose()?;
    let client_id = match optional_str(claims, "client_id").map_err(|()| bad("client_id"))? {
        Some(id) => Some(id.to_owned()),
        None => optional_str(claims, "azp")
            .map_err(|()| bad("azp"))?
            .map(str::to_owned),
    };
    let scopes = match claims.get("scope").or_else(|| claims.get("scp")) {
        Some(v) => scopes_from(v)?,
        None => Scopes::default(),
    };
    let orgno = match claims.get(&mapping.orgno_claim) {
        Some(v) => orgno_from(v)?,
        None => None,
    };
    let acr = optional_str(claims, "acr")
        .map_err(|()| bad("acr"))?
        .map(str::to_owned);
    Ok(Caller {
        subject,
        client_id,
        orgno,
        scopes,
        acr,
    })
}

/// The current time as a NumericDate (whole seconds since the epoch).
pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Whether `aud` (a string or an array of strings) names `audience`.
pub(crate) fn audience_matches(aud: Option<&Value>, audience: &str) -> bool {
    match aud {
        Some(Value::String(s)) => s == audience,
        Some(Value::Array(items)) => items.iter().any(|v| v.as_str() == Some(audience)),
        _ => false,
    }
}

/// A numeric date claim (`exp`, `nbf`) in whole seconds; fractions are
/// allowed by RFC 7519 and truncated.
pub(crate) fn numeric_date(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, ()> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
            .map(Some)
            .ok_or(()),
        Some(_) => Err(()),
    }
}
