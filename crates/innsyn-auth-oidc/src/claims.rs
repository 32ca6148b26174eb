//! Claims (of a verified JWT or an introspection response) → [`Caller`].

use innsyn_domain::{Caller, OrgNumber, Scope, Scopes, SubjectId};
use innsyn_ports::TokenError;
use serde_json::{Map, Value};

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PID: &str = "12345678901";

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    fn idporten() -> ClaimMapping {
        ClaimMapping {
            subject_claim: "pid".into(),
            ..ClaimMapping::default()
        }
    }

    #[test]
    fn idporten_user_token() {
        let c = caller_from_claims(
            &map(json!({
                "sub": "pairwise-xyz", "pid": PID, "client_id": "svc-a",
                "scope": "idporten:user.log.read history:read", "acr": "idporten-loa-high",
                "consumer": {"authority": "iso6523-actorid-upis", "ID": "0192:991825827"}
            })),
            &idporten(),
        )
        .unwrap();
        assert_eq!(c.subject.unwrap().expose(), PID);
        assert_eq!(c.client_id.as_deref(), Some("svc-a"));
        assert_eq!(c.orgno.unwrap().as_str(), "991825827");
        assert!(c.scopes.contains("history:read"));
        assert!(c.scopes.contains("idporten:user.log.read"));
        assert_eq!(c.acr.as_deref(), Some("idporten-loa-high"));
    }

    #[test]
    fn maskinporten_client_token_has_no_subject() {
        let c = caller_from_claims(
            &map(json!({
                "client_id": "writer", "scope": "history:write",
                "consumer": {"authority": "iso6523-actorid-upis", "ID": "0192:974760673"}
            })),
            &ClaimMapping::default(),
        )
        .unwrap();
        assert!(c.subject.is_none());
        assert_eq!(c.orgno.unwrap().as_str(), "974760673");
        assert!(c.acr.is_none());
    }

    #[test]
    fn plain_orgno_claim_azp_and_scp_array() {
        let mapping = ClaimMapping {
            subject_claim: "sub".into(),
            orgno_claim: "org".into(),
        };
        let c = caller_from_claims(
            &map(json!({"sub": PID, "azp": "spa", "scp": ["history:read", "history:audit"], "org": "991825827"})),
            &mapping,
        )
        .unwrap();
        assert_eq!(c.client_id.as_deref(), Some("spa"));
        assert!(c.scopes.contains("history:audit"));
        assert_eq!(c.orgno.unwrap().as_str(), "991825827");
        let c = caller_from_claims(&map(json!({"org": "0192:991825827"})), &mapping).unwrap();
        assert_eq!(c.orgno.unwrap().as_str(), "991825827");
    }

    #[test]
    fn configured_subject_claim_only() {
        // With `pid` configured, `sub` alone is not a person.
        let c = caller_from_claims(&map(json!({"sub": PID})), &idporten()).unwrap();
        assert!(c.subject.is_none());
        assert!(c.scopes.is_empty());
    }

    #[test]
    fn invalid_claims_are_bad_claims_without_values() {
        let cases = [
            json!({"consumer": {"authority": "iso6523-actorid-upis", "ID": "0192:991825828"}}),
            json!({"consumer": {"authority": "other", "ID": "0192:991825827"}}),
            json!({"consumer": {"ID": 991825827}}),
            json!({"consumer": "12345"}),
            json!({"consumer": 991825827}),
            json!({"pid": "123 456"}),
            json!({"pid": 12345678901u64}),
            json!({"pid": ""}),
            json!({"scope": "ok bad\u{7f}"}),
            json!({"scope": 5}),
            json!({"scp": ["ok", 5]}),
            json!({"client_id": 5}),
            json!({"acr": ["x"]}),
        ];
        for case in cases {
            let err = caller_from_claims(&map(case.clone()), &idporten()).unwrap_err();
            assert!(matches!(err, TokenError::BadClaims(_)), "{case}");
            let text = format!("{err} {err:?}");
            assert!(
                !text.contains("9918258") && !text.contains("123 456"),
                "{text}"
            );
        }
    }

    #[test]
    fn audiences_and_dates() {
        assert!(audience_matches(Some(&json!("a")), "a"));
        assert!(audience_matches(Some(&json!(["b", "a"])), "a"));
        assert!(!audience_matches(Some(&json!(["b"])), "a"));
        assert!(!audience_matches(None, "a"));
        let m = map(json!({"exp": 10, "nbf": 5.7, "bad": "x"}));
        assert_eq!(numeric_date(&m, "exp"), Ok(Some(10)));
        assert_eq!(numeric_date(&m, "nbf"), Ok(Some(5)));
        assert_eq!(numeric_date(&m, "iat"), Ok(None));
        assert_eq!(numeric_date(&m, "bad"), Err(()));
    }
}
