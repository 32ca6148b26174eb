//! OpenID Connect login: authorization code flow with PKCE (S256), `state`
//! and `nonce`, the ID token verified (signature by the provider's JWKS,
//! issuer, audience, expiry, nonce).
//!
//! Discovery is lazy and cached for an hour: the server starts even when
//! the provider is down, and a key rotation is picked up within the hour.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::url::Url;
use openidconnect::{
    AdditionalClaims, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndSessionUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IdTokenFields, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    ProviderMetadataWithLogout, RedirectUrl, Scope, StandardErrorResponse, StandardTokenResponse,
    TokenResponse as _, reqwest,
};
use serde::{Deserialize, Serialize};

use crate::session::PendingLogin;

/// Claims beyond the standard ones, looked up by the configured name
/// (`pid` in ID-porten). `Debug` never prints them: they hold identity numbers.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct ExtraClaims {
    #[serde(flatten)]
    other: BTreeMap<String, serde_json::Value>,
}

impl fmt::Debug for ExtraClaims {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ExtraClaims(<redacted>)")
    }
}

impl AdditionalClaims for ExtraClaims {}

type WebTokenResponse = StandardTokenResponse<
    IdTokenFields<
        ExtraClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

type WebClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    WebTokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

const DISCOVERY_TTL: Duration = Duration::from_secs(3600);

struct Provider {
    client: WebClient,
    end_session: Option<EndSessionUrl>,
    fetched: Instant,
}

/// Why a login could not be started or finished. Messages are safe to log:
/// they never carry tokens, codes or claims.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OidcError {
    #[error("the OpenID provider could not be reached or answered badly: {0}")]
    Unavailable(String),
    #[error("the login response was refused: {0}")]
    Rejected(&'static str),
}

/// What a finished login yields.
pub(crate) struct LoggedIn {
    pub(crate) subject: String,
    pub(crate) id_token: String,
}

/// The relying party: one per server, shared by every worker.
pub(crate) struct OidcClient {
    http: reqwest::Client,
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    redirect: RedirectUrl,
    subject_claim: String,
    scopes: Vec<String>,
    post_logout_redirect: Option<Url>,
    provider: Mutex<Option<Arc<Provider>>>,
}

impl fmt::Debug for OidcClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcClient")
            .field("issuer", &self.issuer.as_str())
            .field("client_id", &self.client_id.as_str())
            .finish_non_exhaustive()
    }
}

/// The settings the client needs, checked.
pub(crate) struct OidcConfig<'a> {
    pub(crate) issuer: &'a str,
    pub(crate) client_id: &'a str,
    pub(crate) client_secret: &'a str,
    pub(crate) redirect_uri: String,
    pub(crate) subject_claim: &'a str,
    pub(crate) scopes: &'a str,
    pub(crate) post_logout_redirect_uri: Option<&'a str>,
}

impl OidcClient {
    pub(crate) fn new(c: OidcConfig<'_>) -> Result<Self, String> {
        let issuer = IssuerUrl::new(c.issuer.trim_end_matches('/').to_owned())
            .map_err(|e| format!("web.issuer_url is not a URL: {e}"))?;
        let redirect = RedirectUrl::new(c.redirect_uri)
            .map_err(|e| format!("web.public_base_url does not make a URL: {e}"))?;
        if c.client_id.is_empty() {
            return Err("web.client_id is required when web.issuer_url is set".into());
        }
        let post_logout_redirect = c
            .post_logout_redirect_uri
            .filter(|s| !s.is_empty())
            .map(Url::parse)
            .transpose()
            .map_err(|e| format!("web.post_logout_redirect_uri is not a URL: {e}"))?;
        // Redirects are never followed: a provider endpoint that redirects
        // could otherwise send the client secret or a code elsewhere.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Self {
            http,
            issuer,
            client_id: ClientId::new(c.client_id.to_owned()),
            client_secret: Some(c.client_secret)
                .filter(|s| !s.is_empty())
                .map(|s| ClientSecret::new(s.to_owned())),
            redirect,
            subject_claim: c.subject_claim.to_owned(),
            scopes: c
                .scopes
                .split_whitespace()
                .filter(|s| *s != "openid")
                .map(str::to_owned)
                .collect(),
            post_logout_redirect,
            provider: Mutex::new(None),
        })
    }

    /// The issuer's origin, for the page's `form-action` policy.
    pub(crate) fn issuer_origin(&self) -> String {
        self.issuer.url().origin().ascii_serialization()
    }

    fn cached(&self) -> Option<Arc<Provider>> {
        self.provider
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
            .filter(|p| p.fetched.elapsed() < DISCOVERY_TTL)
    }

    async fn provider(&self) -> Result<Arc<Provider>, OidcError> {
        if let Some(p) = self.cached() {
            return Ok(p);
        }
        let metadata = ProviderMetadataWithLogout::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| OidcError::Unavailable(format!("discovery failed: {e}")))?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let client = WebClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            self.client_secret.clone(),
        )
        .set_redirect_uri(self.redirect.clone());
        let provider = Arc::new(Provider {
            client,
            end_session,
            fetched: Instant::now(),
        });
        *self
            .provider
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(provider.clone());
        Ok(provider)
    }

    /// The provider's authorization URL and what must be kept to finish.
    pub(crate) async fn begin(&self, ui_locale: &str) -> Result<(Url, PendingLogin), OidcError> {
        let provider = self.provider().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = provider
            .client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge)
            .add_extra_param("ui_locales", ui_locale);
        for scope in &self.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        Ok((
            url,
            PendingLogin {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
            },
        ))
    }

    /// Exchanges the code and verifies the ID token; returns the subject
    /// (the configured claim, else `sub`) and the raw ID token.
    pub(crate) async fn finish(
        &self,
        pending: PendingLogin,
        code: String,
    ) -> Result<LoggedIn, OidcError> {
        let provider = self.provider().await?;
        let response = provider
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|_| OidcError::Unavailable("the provider has no token endpoint".into()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                openidconnect::RequestTokenError::ServerResponse(_) => {
                    OidcError::Rejected("the provider refused the authorization code")
                }
                other => OidcError::Unavailable(format!("token request failed: {other}")),
            })?;
        let id_token = response
            .id_token()
            .ok_or(OidcError::Rejected("the token response has no ID token"))?;
        let verifier = provider.client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(pending.nonce))
            .map_err(|_| OidcError::Rejected("the ID token did not verify"))?;
        let subject = if self.subject_claim == "sub" {
            None
        } else {
            claims
                .additional_claims()
                .other
                .get(&self.subject_claim)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        }
        .unwrap_or_else(|| claims.subject().as_str().to_owned());
        Ok(LoggedIn {
            subject,
            id_token: id_token.to_string(),
        })
    }

    /// The provider's end-session URL (RP-initiated logout), when it
    /// advertises one.
    pub(crate) async fn logout_url(&self, id_token: Option<&str>, ui_locale: &str) -> Option<Url> {
        let provider = self.provider().await.ok()?;
        let mut url = provider.end_session.as_ref()?.url().clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("client_id", self.client_id.as_str());
            if let Some(hint) = id_token {
                q.append_pair("id_token_hint", hint);
            }
            if let Some(back) = &self.post_logout_redirect {
                q.append_pair("post_logout_redirect_uri", back.as_str());
            }
            q.append_pair("ui_locales", ui_locale);
        }
        Some(url)
    }
}
