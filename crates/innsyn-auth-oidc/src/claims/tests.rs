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
