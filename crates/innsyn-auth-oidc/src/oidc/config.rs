//! Building an [`OidcIntrospector`] from the `[auth]` settings.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use openidconnect::IssuerUrl;

use super::{Credentials, Inner, OidcIntrospector, RefreshState};
use crate::AuthConfigError;
use crate::assertion::AssertionSigner;
use crate::cache::IntrospectionCache;
use crate::claims::ClaimMapping;
use crate::discovery::{Discovery, DiscoveryPolicy};
use crate::jwt::JwtPolicy;
use crate::outbound::Outbound;
use crate::settings::{AuthMode, AuthSettings, ClientAuthMethod};

impl OidcIntrospector {
    /// Checks `settings` and builds the validator. Does not contact the
    /// issuer.
    ///
    /// # Errors
    /// [`AuthConfigError`] for `mode = "dev"` (use [`crate::DevIssuer`]), a
    /// missing or invalid issuer, a missing audience (modes `jwt`, `auto`),
    /// missing client credentials (mode `introspection`).
    pub fn new(settings: &AuthSettings) -> Result<Self, AuthConfigError> {
        if settings.mode == AuthMode::Dev {
            return Err(AuthConfigError::DevMode);
        }
        if settings.issuer.is_empty() {
            return Err(AuthConfigError::Missing("auth.issuer"));
        }
        let issuer_url = IssuerUrl::new(settings.issuer.clone())
            .map_err(|_| AuthConfigError::Invalid("auth.issuer", "not a URL"))?;
        if settings.audience.is_empty() && settings.mode != AuthMode::Introspection {
            return Err(AuthConfigError::Missing("auth.audience"));
        }
        let signer = if settings.client_auth_method == ClientAuthMethod::PrivateKeyJwt {
            if settings.client_private_key_file.is_empty() {
                return Err(AuthConfigError::Missing("auth.client_private_key_file"));
            }
            let pem = std::fs::read_to_string(&settings.client_private_key_file).map_err(|_| {
                AuthConfigError::Invalid("auth.client_private_key_file", "cannot be read")
            })?;
            let kid = (!settings.client_key_id.is_empty()).then(|| settings.client_key_id.clone());
            Some(
                AssertionSigner::from_pem(&pem, kid).ok_or(AuthConfigError::Invalid(
                    "auth.client_private_key_file",
                    "not a PKCS#8 PEM Ed25519, P-256 or RSA key",
                ))?,
            )
        } else {
            None
        };
        let has_credentials = !settings.client_id.is_empty()
            && (signer.is_some() || !settings.client_secret.is_empty());
        if settings.mode == AuthMode::Introspection && !has_credentials {
            return Err(AuthConfigError::Missing(
                "auth.client_id and auth.client_secret (or a private key)",
            ));
        }
        let timeout = settings.http_timeout();
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            // Discovery and introspection must not follow redirects (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| AuthConfigError::Http(e.to_string()))?;
        let http = Outbound::new(http).map_err(|e| AuthConfigError::Http(e.to_string()))?;
        let policy = JwtPolicy {
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            leeway_secs: i64::try_from(settings.leeway_secs).unwrap_or(i64::MAX),
            accept_generic_typ: settings.accept_generic_jwt_typ,
            mapping: ClaimMapping {
                subject_claim: settings.subject_claim.clone(),
                orgno_claim: settings.orgno_claim.clone(),
            },
        };
        let credentials = has_credentials.then(|| Credentials {
            client_id: settings.client_id.clone(),
            client_secret: settings.client_secret.expose().to_owned(),
            method: settings.client_auth_method,
            signer,
        });
        Ok(Self {
            inner: Arc::new(Inner {
                mode: settings.mode,
                check_introspection_audience: !settings.audience.is_empty(),
                policy,
                discovery: Discovery::new(
                    issuer_url,
                    http.clone(),
                    DiscoveryPolicy {
                        // Keys age on their own (`jwks_max_age`); the
                        // endpoints are taken to stay put.
                        ttl: None,
                        retry_after_failure: Duration::from_secs(settings.discovery_retry_secs),
                        deadline: timeout * 2,
                    },
                ),
                http,
                timeout,
                credentials,
                cache_max_ttl: Duration::from_secs(settings.introspection_cache_max_ttl_secs),
                inactive_ttl: Duration::from_secs(settings.inactive_cache_secs),
                jwks_min_interval: Duration::from_secs(settings.jwks_refresh_min_interval_secs),
                jwks_max_age: Duration::from_secs(settings.jwks_max_age_secs.max(1)),
                discovery_retry: Duration::from_secs(settings.discovery_retry_secs),
                keys: RwLock::new(None),
                refresh: tokio::sync::Mutex::new(RefreshState::default()),
                cache: IntrospectionCache::new(settings.introspection_cache_capacity),
                jwt_cache: (settings.jwt_cache_capacity > 0)
                    .then(|| IntrospectionCache::new(settings.jwt_cache_capacity)),
                jwt_cache_max_ttl: Duration::from_secs(settings.jwt_cache_max_ttl_secs),
            }),
        })
    }
}
