//! RFC 7662 introspection of opaque tokens, with this server's client
//! credentials, cached by the token's SHA-256.

use std::time::Duration;

use innsyn_domain::Caller;
use innsyn_ports::TokenError;
use oauth2::basic::{
    BasicErrorResponse, BasicErrorResponseType, BasicRevocationErrorResponse, BasicTokenResponse,
    BasicTokenType,
};
use oauth2::{
    AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, ExtraTokenFields,
    IntrospectionUrl, RequestTokenError, StandardRevocableToken,
    StandardTokenIntrospectionResponse, TokenIntrospectionResponse as _,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::time::Instant;

use super::{Inner, unavailable, unix_now};
use crate::assertion::ASSERTION_TYPE;
use crate::cache::{Answer, token_hash};
use crate::claims::{audience_matches, caller_from_claims, numeric_date};
use crate::discovery::Metadata;
use crate::settings::ClientAuthMethod;

/// Every member of an introspection response that RFC 7662 does not name
/// (`pid`, `consumer`, `acr`, …), for the claim mapping.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub(super) struct OtherClaims {
    #[serde(flatten)]
    rest: Map<String, Value>,
}

impl ExtraTokenFields for OtherClaims {}

pub(super) type IntrospectionResponse =
    StandardTokenIntrospectionResponse<OtherClaims, BasicTokenType>;

pub(super) type IntrospectionClient = oauth2::Client<
    BasicErrorResponse,
    BasicTokenResponse,
    IntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
>;

impl Inner {
    pub(super) fn build_introspection_client(
        &self,
        metadata: &Metadata,
    ) -> Option<IntrospectionClient> {
        let creds = self.credentials.as_ref()?;
        let url = metadata
            .additional_metadata()
            .additional_metadata
            .introspection_endpoint
            .as_ref()?;
        let url = IntrospectionUrl::new(url.clone()).ok()?;
        let client = oauth2::Client::new(ClientId::new(creds.client_id.clone()));
        let client = match creds.method {
            ClientAuthMethod::ClientSecretBasic => client
                .set_client_secret(ClientSecret::new(creds.client_secret.clone()))
                .set_auth_type(AuthType::BasicAuth),
            ClientAuthMethod::ClientSecretPost => client
                .set_client_secret(ClientSecret::new(creds.client_secret.clone()))
                .set_auth_type(AuthType::RequestBody),
            // No secret: oauth2 then sends just `client_id` in the body, and
            // the assertion goes in as extra parameters.
            ClientAuthMethod::PrivateKeyJwt => client.set_auth_type(AuthType::RequestBody),
        };
        Some(client.set_introspection_url(url))
    }

    pub(super) async fn introspect_opaque(&self, token: &str) -> Result<Caller, TokenError> {
        if self.credentials.is_none() {
            // `auto` without client credentials: we cannot check it.
            return Err(TokenError::Malformed);
        }
        self.cache
            .get_or_fetch(token_hash(token), || self.fetch_introspection(token))
            .await
    }

    async fn fetch_introspection(&self, token: &str) -> Answer {
        let started = Instant::now();
        let result = self.call_introspection(token).await;
        let until = match &result {
            Ok((_, Some(exp))) => {
                let left = u64::try_from(exp.saturating_sub(unix_now())).unwrap_or(0);
                started + Duration::from_secs(left).min(self.cache_max_ttl)
            }
            Ok((_, None)) => started + self.cache_max_ttl,
            Err(TokenError::Unavailable(_)) => started,
            Err(_) => started + self.inactive_ttl,
        };
        Answer {
            result: result.map(|(caller, _)| caller),
            until,
        }
    }

    async fn call_introspection(&self, token: &str) -> Result<(Caller, Option<i64>), TokenError> {
        let discovered = self.discovered().await?;
        let client = discovered
            .introspection
            .as_ref()
            .ok_or_else(|| unavailable("the issuer has no introspection endpoint"))?;
        let token = oauth2::AccessToken::new(token.to_owned());
        let mut request = client
            .introspect(&token)
            .set_token_type_hint("access_token");
        if let Some(creds) = &self.credentials
            && let Some(signer) = &creds.signer
        {
            let assertion = signer
                .assertion(&creds.client_id, &self.policy.issuer)
                .ok_or_else(|| unavailable("cannot sign the client assertion"))?;
            request = request
                .add_extra_param("client_assertion_type", ASSERTION_TYPE)
                .add_extra_param("client_assertion", assertion);
        }
        let request = request.request_async(&self.http);
        let response = match tokio::time::timeout(self.timeout, request).await {
            Err(_) => return Err(unavailable("introspection timed out")),
            Ok(Err(err)) => return Err(map_introspection_error(err)),
            Ok(Ok(response)) => response,
        };
        if !response.active() {
            return Err(TokenError::Inactive);
        }
        let claims = match serde_json::to_value(&response) {
            Ok(Value::Object(map)) => map,
            _ => return Err(unavailable("unreadable introspection response")),
        };
        if let Some(iss) = claims.get("iss")
            && iss.as_str() != Some(self.policy.issuer.as_str())
        {
            return Err(TokenError::WrongIssuer);
        }
        if self.check_introspection_audience
            && claims.contains_key("aud")
            && !audience_matches(claims.get("aud"), &self.policy.audience)
        {
            return Err(TokenError::WrongAudience);
        }
        let exp = numeric_date(&claims, "exp").map_err(|()| TokenError::Malformed)?;
        let now = unix_now();
        if exp.is_some_and(|exp| exp.saturating_add(self.policy.leeway_secs) <= now) {
            return Err(TokenError::Expired);
        }
        let caller = caller_from_claims(&claims, &self.policy.mapping)?;
        Ok((caller, exp))
    }
}

fn map_introspection_error<RE: std::error::Error>(
    err: RequestTokenError<RE, BasicErrorResponse>,
) -> TokenError {
    match err {
        RequestTokenError::ServerResponse(resp) => match resp.error() {
            // Our own credentials were refused: not the caller's fault.
            BasicErrorResponseType::InvalidClient | BasicErrorResponseType::UnauthorizedClient => {
                tracing::error!("the issuer refused this server's client credentials");
                unavailable("the issuer refused this server's client credentials")
            }
            // e.g. `unsupported_token_type` for a token it does not introspect.
            _ => TokenError::Malformed,
        },
        RequestTokenError::Request(e) => {
            tracing::warn!(error = %e, "introspection request failed");
            unavailable("introspection request failed")
        }
        RequestTokenError::Parse(_, _) | RequestTokenError::Other(_) => {
            tracing::warn!("unexpected introspection response");
            unavailable("unexpected introspection response")
        }
    }
}
