//! The login itself: [`CitizenLogin`] for [`RelyingParty`].

use async_trait::async_trait;
use innsyn_ports::{CitizenLogin, LoggedIn, LoginError, LoginStart, PendingLogin};
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{
    AuthorizationCode, CsrfToken, Nonce, PkceCodeChallenge, PkceCodeVerifier, RequestTokenError,
    Scope, TokenResponse as _,
};

use super::{RelyingParty, rejected, unavailable};

#[async_trait]
impl CitizenLogin for RelyingParty {
    async fn begin(&self, ui_locale: &str) -> Result<LoginStart, LoginError> {
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
        Ok(LoginStart {
            authorize_url: url.into(),
            pending: PendingLogin {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
            },
        })
    }

    async fn finish(&self, pending: PendingLogin, code: String) -> Result<LoggedIn, LoginError> {
        let provider = self.provider().await?;
        let response = provider
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|_| unavailable("the provider has no token endpoint"))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                RequestTokenError::ServerResponse(_) => {
                    rejected("the provider refused the authorization code")
                }
                other => unavailable(format!("token request failed: {other}")),
            })?;
        let id_token = response
            .id_token()
            .ok_or_else(|| rejected("the token response has no ID token"))?;
        let verifier = provider.client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(pending.nonce))
            .map_err(|_| rejected("the ID token did not verify"))?;
        let configured = (self.subject_claim != "sub")
            .then(|| claims.additional_claims().other.get(&self.subject_claim))
            .flatten()
            .and_then(serde_json::Value::as_str);
        let subject = configured.unwrap_or_else(|| claims.subject().as_str());
        Ok(LoggedIn {
            subject: subject.to_owned(),
            id_token: id_token.to_string(),
        })
    }

    async fn logout_url(&self, id_token: Option<String>, ui_locale: &str) -> Option<String> {
        let provider = self.provider().await.ok()?;
        let mut url = provider.end_session.as_ref()?.url().clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("client_id", self.client_id.as_str());
            if let Some(hint) = &id_token {
                q.append_pair("id_token_hint", hint);
            }
            if let Some(back) = &self.post_logout_redirect {
                q.append_pair("post_logout_redirect_uri", back.as_str());
            }
            q.append_pair("ui_locales", ui_locale);
        }
        Some(url.into())
    }

    fn issuer_origin(&self) -> String {
        self.issuer.url().origin().ascii_serialization()
    }
}
