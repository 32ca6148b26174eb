//! `OidcIntrospector` and `RelyingParty` against a real OpenID provider
//! (oidc-provider 9 on Node, see `tests/provider/README.md`): one test
//! binary, one module per topic.

mod client_auth;
mod forgery;
mod mapping;
mod outages;
mod refusals;
mod relying_party;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use innsyn_ports::AccessToken;
use serde_json::Value;

fn at(token: &str) -> AccessToken {
    AccessToken::new(token)
}

#[allow(clippy::expect_used)]
fn part(token: &str, i: usize) -> Value {
    let p = token.split('.').nth(i).expect("part");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).expect("b64")).expect("json")
}

fn enc(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}
