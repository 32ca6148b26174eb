//! The security schemes: the bearer token every protected operation takes,
//! and the OAuth 2.0 flows that issue one, with the scopes.

use innsyn_domain::ScopeNames;
use serde_json::{Map, Value};
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{
    AuthorizationCode, ClientCredentials, Flow, Http, HttpAuthScheme, OAuth2, Scopes,
    SecurityScheme,
};

use super::json::operations;

/// The `prod` profile's issuer (ID-porten); another issuer is configured
/// with `auth.issuer` and found by OpenID discovery.
const AUTHORIZATION_URL: &str = "https://login.idporten.no/authorize";
const TOKEN_URL: &str = "https://idporten.no/token";

fn scopes(names: &ScopeNames) -> Scopes {
    Scopes::from_iter([
        (
            names.login_read.as_str(),
            "The token's own subject's login history, limited to the caller organisation's services.",
        ),
        (
            names.history_read.as_str(),
            "The token's own subject's access history.",
        ),
        (names.history_audit.as_str(), "Any user's access history."),
        (
            names.history_write.as_str(),
            "Ingestion of login events and access records.",
        ),
        (
            names.history_admin.as_str(),
            "Catalog administration and retention runs.",
        ),
        (
            names.disputes.as_str(),
            "The cases citizens route to the client's organisation: read and answer them.",
        ),
    ])
}

/// Lets every operation that takes a bearer token take an OAuth 2.0 one
/// with the same scopes.
pub(super) fn apply(doc: &mut Value) {
    for (_, _, op) in operations(doc) {
        let Some(security) = op.get_mut("security").and_then(Value::as_array_mut) else {
            continue;
        };
        let oauth: Vec<Value> = security
            .iter()
            .filter_map(|req| req.get("bearer"))
            .map(|scopes| {
                let mut req = Map::new();
                req.insert("oauth2".to_owned(), scopes.clone());
                Value::Object(req)
            })
            .collect();
        security.extend(oauth);
    }
}

/// Declares both schemes, through utoipa's types: its flows are an
/// untagged enum that JSON would not round-trip (an authorization code
/// flow reads back as an implicit one).
pub(super) fn add_schemes(doc: &mut OpenApi) {
    let names = ScopeNames::default();
    let list = [
        &names.login_read,
        &names.history_read,
        &names.history_audit,
        &names.history_write,
        &names.history_admin,
    ]
    .map(String::as_str)
    .join(", ");
    let mut bearer = Http::new(HttpAuthScheme::Bearer);
    bearer.bearer_format = Some("JWT (RFC 9068) or opaque (RFC 7662)".to_owned());
    bearer.description = Some(format!(
        "An OAuth 2.0 access token (RFC 6750). Scopes: {list} (the defaults; each name is configurable under `[scopes]`)."
    ));
    let oauth2 = OAuth2::with_description(
        [
            Flow::ClientCredentials(ClientCredentials::new(TOKEN_URL, scopes(&names))),
            Flow::AuthorizationCode(AuthorizationCode::new(
                AUTHORIZATION_URL,
                TOKEN_URL,
                scopes(&names),
            )),
        ],
        "The issuer's flows (URLs of the `prod` profile; another issuer is configured with `auth.issuer`). Scope names are the defaults; each is configurable under `[scopes]`.",
    );
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
    components.add_security_scheme("oauth2", SecurityScheme::OAuth2(oauth2));
}
