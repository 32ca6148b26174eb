//! `innsyn token`: one access token from the dev issuer of a data directory.

use std::path::Path;

use innsyn_auth_oidc::{DEV_KEY_FILE, DevIssuer, DevTokenRequest};

use crate::cli::Fatal;
use crate::config::Settings;

/// What the token is for.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    /// The person (national identity number), if any.
    pub sub: Option<String>,
    /// Space-separated scopes.
    pub scope: String,
    /// The client the token is issued to.
    pub client_id: String,
    /// The client's organisation number.
    pub orgno: Option<String>,
    /// Lifetime in seconds.
    pub ttl: i64,
}

/// Mints a token; refuses where `innsyn dev` never ran (dev mode only).
///
/// # Errors
/// [`Fatal`] with a one-line reason.
pub fn mint(s: &Settings, data_dir: &Path, r: TokenRequest) -> Result<String, Fatal> {
    if !data_dir.join(DEV_KEY_FILE).is_file() {
        return Err(Fatal(format!(
            "{} holds no dev issuer (run `innsyn dev --data-dir {}` first); tokens are minted in dev mode only",
            data_dir.display(),
            data_dir.display()
        )));
    }
    let issuer = DevIssuer::load_or_create(data_dir, &super::dev::dev_auth(s))
        .map_err(|e| Fatal(e.to_string()))?;
    issuer
        .mint(&DevTokenRequest {
            sub: r.sub,
            scopes: r.scope.split_whitespace().map(str::to_owned).collect(),
            client_id: r.client_id,
            orgno: r.orgno,
            ttl_secs: r.ttl,
            acr: Some("idporten-loa-high".to_owned()),
        })
        .map_err(|e| Fatal(e.to_string()))
}
