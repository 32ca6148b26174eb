//! The citizen page's OpenID Connect relying party: authorization code flow
//! with PKCE (S256), `state` and `nonce`, the ID token verified (signature
//! by the provider's JWKS, issuer, audience, expiry, nonce).
//!
//! Discovery is lazy and cached for an hour: the server starts even when
//! the provider is down, and a key rotation is picked up within the hour.

mod client;
mod login;
mod settings;
#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use innsyn_ports::LoginError;
use openidconnect::url::Url;
use openidconnect::{ClientId, ClientSecret, IssuerUrl, RedirectUrl};

pub use settings::{RelyingPartyError, RelyingPartySettings};

use crate::Secret;
use crate::discovery::{Discovery, DiscoveryPolicy, Metadata};
use crate::outbound::Outbound;
use client::{LoginClient, Provider};

const DISCOVERY_TTL: Duration = Duration::from_secs(3600);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The relying party: one per server, shared by every worker. Its `Debug`
/// shows the issuer and client id only.
pub struct RelyingParty {
    http: Outbound,
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Secret,
    redirect: RedirectUrl,
    subject_claim: String,
    scopes: Vec<String>,
    post_logout_redirect: Option<Url>,
    discovery: Discovery<Provider>,
}

impl fmt::Debug for RelyingParty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RelyingParty")
            .field("issuer", &self.issuer.as_str())
            .field("client_id", &self.client_id.as_str())
            .finish_non_exhaustive()
    }
}

fn unavailable(what: impl fmt::Display) -> LoginError {
    LoginError::Unavailable(what.to_string())
}

fn rejected(why: &str) -> LoginError {
    LoginError::Rejected(why.to_owned())
}

impl RelyingParty {
    /// Checks `settings` and builds the relying party. Does not contact the
    /// provider.
    ///
    /// # Errors
    /// [`RelyingPartyError`], naming the configuration key at fault.
    pub fn new(settings: &RelyingPartySettings) -> Result<Self, RelyingPartyError> {
        let issuer = IssuerUrl::new(settings.issuer_url.trim_end_matches('/').to_owned())
            .map_err(RelyingPartyError::IssuerUrl)?;
        let redirect = RedirectUrl::new(settings.redirect_uri.clone())
            .map_err(RelyingPartyError::RedirectUri)?;
        if settings.client_id.is_empty() {
            return Err(RelyingPartyError::MissingClientId);
        }
        let post_logout_redirect = settings
            .post_logout_redirect_uri
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(Url::parse)
            .transpose()
            .map_err(RelyingPartyError::PostLogoutRedirectUri)?;
        // Redirects are never followed: a provider endpoint that redirects
        // could otherwise send the client secret or a code elsewhere.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| RelyingPartyError::Http(e.to_string()))?;
        let http = Outbound::new(http).map_err(|e| RelyingPartyError::Http(e.to_string()))?;
        let policy = DiscoveryPolicy {
            ttl: Some(DISCOVERY_TTL),
            // A login is a person waiting: each attempt asks the provider.
            retry_after_failure: Duration::ZERO,
            deadline: REQUEST_TIMEOUT * 2,
        };
        Ok(Self {
            discovery: Discovery::new(issuer.clone(), http.clone(), policy),
            http,
            issuer,
            client_id: ClientId::new(settings.client_id.clone()),
            client_secret: settings.client_secret.clone(),
            redirect,
            subject_claim: settings.subject_claim.clone(),
            scopes: settings
                .scopes
                .split_whitespace()
                .filter(|s| *s != "openid")
                .map(str::to_owned)
                .collect(),
            post_logout_redirect,
        })
    }

    fn build_provider(&self, metadata: Metadata) -> Provider {
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let secret = (!self.client_secret.is_empty())
            .then(|| ClientSecret::new(self.client_secret.expose().to_owned()));
        let client: LoginClient =
            LoginClient::from_provider_metadata(metadata, self.client_id.clone(), secret)
                .set_redirect_uri(self.redirect.clone());
        Provider {
            client,
            end_session,
        }
    }

    async fn provider(&self) -> Result<Arc<Provider>, LoginError> {
        self.discovery
            .get(|metadata| self.build_provider(metadata))
            .await
            .map_err(unavailable)
    }
}
