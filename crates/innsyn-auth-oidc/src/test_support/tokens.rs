//! Tokens from the provider: client credentials, the test grant for a
//! user, revocation.

use super::{JWT_AUD, PID, Provider};

impl Provider {
    /// POSTs to `/token` as `client` (secret `<client>-secret`, HTTP Basic);
    /// the access token.
    ///
    /// # Panics
    /// When the provider refuses.
    #[must_use]
    pub fn token(&self, client: &str, params: &[(&str, &str)]) -> String {
        let res = self.request("POST", "/token", Some(client), params);
        assert_eq!(res.status, 200, "token request failed: {}", res.text());
        res.json()["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned()
    }

    /// A user token from the test grant `urn:innsyn:test:token` of `client`
    /// for `subject` and `resource`, with `scope` (none if empty), expiring
    /// in `ttl` seconds (already expired if `ttl <= 0`).
    #[must_use]
    pub fn user_as(
        &self,
        client: &str,
        subject: &str,
        scope: &str,
        resource: &str,
        ttl: i64,
    ) -> String {
        let ttl = ttl.to_string();
        let mut params = vec![
            ("grant_type", "urn:innsyn:test:token"),
            ("subject", subject),
            ("resource", resource),
            ("ttl", ttl.as_str()),
        ];
        if !scope.is_empty() {
            params.push(("scope", scope));
        }
        self.token(client, &params)
    }

    /// A user token of `svc-a` (orgno [`SVC_A_ORGNO`](super::SVC_A_ORGNO)) for [`PID`] and `resource`.
    #[must_use]
    pub fn user_token(&self, resource: &str, scope: &str, ttl: i64) -> String {
        self.user_as("svc-a", PID, scope, resource, ttl)
    }

    /// A user token of `svc-a` for `subject` and [`JWT_AUD`], valid 600 s.
    #[must_use]
    pub fn user(&self, subject: &str, scope: &str) -> String {
        self.user_as("svc-a", subject, scope, JWT_AUD, 600)
    }

    /// A client-credentials token of `client` for `resource`.
    #[must_use]
    pub fn client_token(&self, client: &str, resource: &str, scope: &str) -> String {
        self.token(
            client,
            &[
                ("grant_type", "client_credentials"),
                ("resource", resource),
                ("scope", scope),
            ],
        )
    }

    /// Revokes `token` as `client` (the client it was issued to).
    ///
    /// # Panics
    /// When the provider refuses.
    pub fn revoke(&self, client: &str, token: &str) {
        let res = self.request(
            "POST",
            "/token/revocation",
            Some(client),
            &[("token", token)],
        );
        assert_eq!(res.status, 200, "revocation failed: {}", res.text());
    }
}
