//! What the relying party is configured with, and why that can be refused.

use openidconnect::url::ParseError;

use crate::Secret;

/// The citizen page's OpenID client, as the `[web]` section configures it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelyingPartySettings {
    /// The issuer (`web.issuer_url`); a trailing `/` is ignored.
    pub issuer_url: String,
    /// The page's client id at the provider (`web.client_id`).
    pub client_id: String,
    /// Its client secret (`web.client_secret`); empty for a public client.
    pub client_secret: Secret,
    /// Where the provider sends the browser back (made from
    /// `web.public_base_url`).
    pub redirect_uri: String,
    /// The claim holding the person (ID-porten: `pid`); `sub` when absent
    /// from the ID token.
    pub subject_claim: String,
    /// Space-separated scopes to ask for; `openid` is always asked for.
    pub scopes: String,
    /// Where the provider sends the browser after logout
    /// (`web.post_logout_redirect_uri`); `None` or empty: not sent.
    pub post_logout_redirect_uri: Option<String>,
}

/// The settings cannot make a relying party. Messages name the
/// configuration key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelyingPartyError {
    /// `web.issuer_url` does not parse.
    #[error("web.issuer_url is not a URL: {0}")]
    IssuerUrl(ParseError),
    /// The redirect URI made from `web.public_base_url` does not parse.
    #[error("web.public_base_url does not make a URL: {0}")]
    RedirectUri(ParseError),
    /// `web.client_id` is empty.
    #[error("web.client_id is required when web.issuer_url is set")]
    MissingClientId,
    /// `web.post_logout_redirect_uri` does not parse.
    #[error("web.post_logout_redirect_uri is not a URL: {0}")]
    PostLogoutRedirectUri(ParseError),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
}
