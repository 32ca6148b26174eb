//! What `innsyn dev` prints: the URLs and ready-to-paste `curl` lines with
//! demo tokens.

use std::path::Path;

use innsyn_auth_oidc::{DevIssuer, DevTokenRequest};
use innsyn_domain::ScopeNames;

pub(super) fn banner(
    issuer: &DevIssuer,
    scopes: &ScopeNames,
    port: u16,
    data_dir: &Path,
    page: bool,
) -> Result<String, innsyn_auth_oidc::DevIssuerError> {
    let (citizen, label) = crate::demo::CITIZENS[0];
    let nav = &crate::demo::SERVICES[0];
    let login = issuer.mint(&DevTokenRequest {
        sub: Some(citizen.to_owned()),
        scopes: vec![scopes.login_read.clone(), scopes.history_read.clone()],
        client_id: nav.client_id.to_owned(),
        orgno: Some(nav.orgno.to_owned()),
        ttl_secs: 12 * 3600,
        acr: Some("idporten-loa-high".to_owned()),
    })?;
    let writer = issuer.mint(&DevTokenRequest {
        sub: None,
        scopes: vec![scopes.history_write.clone(), scopes.history_admin.clone()],
        client_id: "innsyn-dev-writer".to_owned(),
        orgno: Some(nav.orgno.to_owned()),
        ttl_secs: 12 * 3600,
        acr: None,
    })?;
    let base = format!("http://127.0.0.1:{port}");
    let dir = data_dir.display();
    let page = if page {
        format!(
            "\n  My page      {base}{} (log in as a demo citizen)",
            innsyn_web::BASE_PATH
        )
    } else {
        String::new()
    };
    Ok(format!(
        "\ninnsyn dev is running at {base} (data in {dir}; Ctrl-C stops it)\n{page}\
\n  API docs     {base}/docs/\n  OpenAPI      {base}/openapi.json\n  health       {base}/healthz  {base}/readyz  {base}/metrics\n\
\nDemo citizen {citizen} ({label}), seen by {org} ({orgno}).\n\
\n# tokens (valid 12 hours; mint more with `innsyn token --data-dir {dir} --sub … --scope …`)\n\
export TOKEN='{login}'\nexport WRITER='{writer}'\n\
\n# seed 1: login history of the citizen, limited to {org}'s services\n\
curl -s -H \"Authorization: Bearer $TOKEN\" '{base}/innlogginger/logg/idporten?maxhits=5'\n\
\n# seed 2: who accessed the citizen's data in the last 90 days\n\
curl -s -H \"Authorization: Bearer $TOKEN\" '{base}/metadata/v1/{citizen}/accessHistory?startTime=-90d&count=5'\n\
\n# ingestion and the catalog\n\
curl -s -H \"Authorization: Bearer $WRITER\" -H 'Content-Type: application/json' -d '[{{\"event_name\":\"Innlogget\",\"event_created\":1551947196000,\"event_subject_pid\":\"{citizen}\",\"service_provider_id\":\"{client}\",\"service_provider_orgno\":\"{orgno}\",\"service_provider_name\":\"{org}\",\"auth_eid\":\"MinID\",\"auth_method\":\"PIN\"}}]' {base}/v1/login-events\n\
curl -s -H \"Authorization: Bearer $WRITER\" {base}/v1/catalog\n\n",
        org = nav.organisation,
        orgno = nav.orgno,
        client = nav.client_id,
    ))
}
