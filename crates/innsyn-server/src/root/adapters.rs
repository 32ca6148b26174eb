//! The concrete adapters chosen by the configuration.

use std::sync::Arc;

use innsyn_app::{Ports, Service};
use innsyn_auth_oidc::{
    AuthMode, AuthSettings, OidcIntrospector, RelyingParty, RelyingPartySettings,
};
use innsyn_domain::Zone;
use innsyn_ports::{CitizenLogin, TokenIntrospector};
use innsyn_store_diesel::{MigrationReport, Store, StoreSettings};

use crate::config::Settings;
use crate::http::StartupError;
use crate::metrics::{MetricFamily, MetricsSource, counter_family, gauge_family};

fn adapter(e: impl std::fmt::Display) -> StartupError {
    StartupError::Adapter(e.to_string())
}

/// The Diesel store of `[database]` (PostgreSQL or SQLite by URL).
pub(super) fn store(database: &StoreSettings) -> Result<Arc<Store>, StartupError> {
    Ok(Arc::new(Store::connect(database).map_err(adapter)?))
}

/// A token validator and what it adds to `/metrics`.
pub(super) struct Tokens {
    pub(super) validator: Arc<dyn TokenIntrospector>,
    pub(super) metrics: Arc<dyn MetricsSource>,
}

/// The token validator of `[auth]` and its cache counters for `/metrics`.
pub(super) fn tokens(auth: &AuthSettings) -> Result<Tokens, StartupError> {
    if auth.mode == AuthMode::Dev {
        return Err(StartupError::Config(
            "auth.mode = \"dev\" is for `innsyn dev` only; configure an OpenID issuer for `innsyn serve`".to_owned(),
        ));
    }
    let oidc = Arc::new(OidcIntrospector::new(auth).map_err(adapter)?);
    Ok(Tokens {
        metrics: Arc::new(TokenCacheMetrics(Arc::clone(&oidc))),
        validator: oidc,
    })
}

/// The citizen page's relying party of `[web]`, when an issuer is set.
pub(super) fn citizen_login(
    web: &innsyn_web::WebSettings,
) -> Result<Option<Arc<dyn CitizenLogin>>, StartupError> {
    if !web.enabled || web.issuer_url.trim().is_empty() {
        return Ok(None);
    }
    let rp = RelyingParty::new(&RelyingPartySettings {
        issuer_url: web.issuer_url.trim().to_owned(),
        client_id: web.client_id.clone(),
        client_secret: web.client_secret.clone(),
        redirect_uri: innsyn_web::WebState::redirect_uri(web),
        subject_claim: web.subject_claim.clone(),
        scopes: web.scopes.clone(),
        post_logout_redirect_uri: web.post_logout_redirect_uri.clone(),
    })
    .map_err(|e| StartupError::Config(format!("invalid [web] configuration: {e}")))?;
    Ok(Some(Arc::new(rp)))
}

/// Applies pending migrations to `[database]` (`innsyn migrate`).
///
/// # Errors
/// The store's, as one line.
pub fn migrate(settings: &Settings) -> Result<MigrationReport, StartupError> {
    let store = Store::connect(&settings.database).map_err(adapter)?;
    store.migrate().map_err(adapter)
}

/// The use cases over `[database]` for command-line front ends: no token
/// validation (they act with the operator's authority).
///
/// # Errors
/// [`StartupError`] when the zone or the store cannot work.
pub fn operator_service(settings: &Settings) -> Result<Service, StartupError> {
    let zone = Zone::named(&settings.server.time_zone)
        .map_err(|e| StartupError::Config(format!("server.time_zone: {e}")))?;
    Ok(Service::new(
        Ports::over(store(&settings.database)?),
        super::builder::use_case_settings(settings, zone)?,
    ))
}

/// Token cache counters of the OIDC validator for `/metrics`.
struct TokenCacheMetrics(Arc<OidcIntrospector>);

impl MetricsSource for TokenCacheMetrics {
    fn collect(&self) -> Vec<MetricFamily> {
        let s = self.0.cache_stats();
        let mut families = counter_family(
            "innsyn_token_cache_total",
            "Introspection cache outcomes.",
            "outcome",
            &[
                ("hit", s.hits),
                ("miss", s.misses),
                ("coalesced", s.coalesced),
                ("eviction", s.evictions),
            ],
        );
        families.extend(gauge_family(
            "innsyn_token_cache_entries",
            "Introspection results held.",
            s.entries,
        ));
        families
    }
}
