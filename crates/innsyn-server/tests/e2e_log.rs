//! The log end to end on PostgreSQL (a fresh database from `DATABASE_URL`;
//! missing it FAILS) with the real OpenID provider: records ingested over
//! the API get leaves, the server's own builder signs checkpoints, a
//! consistency proof between two of them verifies, and a citizen's
//! download verifies offline with `innsyn verify`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::stack::{auth_settings, real_settings, start_app};
use common::{get, post_json};
use innsyn_app::citizen::{ExportRequest, HistoryDocument};
use innsyn_auth_oidc::test_support::{JWT_AUD, PID, Provider};
use innsyn_domain::{Secret, SubjectId, Zone};
use innsyn_server::settings::LogSettings;
use innsyn_store_diesel::test_support::fresh_postgres_url;
use innsyn_tlog::note::{NoteSigner, VerifierKey};
use innsyn_tlog::{Checkpoint, Hash, decode_hash, verify_consistency};
use serde_json::json;

fn record(n: u32) -> serde_json::Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"),
        "timestamp": format!("2019-03-07T10:{:02}:00+01:00", n % 60),
        "userId": PID,
        "application": "Brønnøysundregistrene",
        "clientId": "svc-b",
        "resource": "foretak",
        "action": "read",
        "purpose": "saksbehandling",
        "decision": "Permit",
    })
}

/// The server's newest checkpoint once it covers `size` leaves (at most
/// 20 s: the builder runs every second).
fn checkpoint_of(port: u16, key: &VerifierKey, size: u64) -> Checkpoint {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let res = get(port, "/v1/log/checkpoint", None);
        if res.status == 200 {
            let cp = Checkpoint::open(res.text().as_bytes(), key).unwrap();
            if cp.size >= size {
                return cp;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no checkpoint of {size} leaves: {}",
            res.text()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn postgres_log_signs_checkpoints_proves_consistency_and_exports_verify() {
    let db = fresh_postgres_url();
    let op = Provider::start();
    let (_, private) = NoteSigner::generate("innsyn.e2e/log").unwrap();
    let mut settings = real_settings(db.url(), auth_settings(&op.issuer));
    settings.log = LogSettings {
        signing_key: Some(Secret::new(private)),
        checkpoint_interval_secs: 1,
        ..LogSettings::default()
    };
    let srv = start_app(settings, |b| b);
    let key: VerifierKey = get(srv.port, "/v1/log/key", None)
        .text()
        .trim()
        .parse()
        .unwrap();
    let writer = op.client_token("writer", JWT_AUD, "history:write");
    let batch: Vec<_> = (1..=3).map(record).collect();
    let res = post_json(srv.port, "/v1/access-records", &writer, &json!(batch));
    assert_eq!(res.status, 200, "{}", res.text());
    let first = checkpoint_of(srv.port, &key, 3);
    let batch: Vec<_> = (4..=6).map(record).collect();
    post_json(srv.port, "/v1/access-records", &writer, &json!(batch));
    let second = checkpoint_of(srv.port, &key, first.size + 3);
    let uri = format!(
        "/v1/log/proof/consistency?from={}&to={}",
        first.size, second.size
    );
    let res = get(srv.port, &uri, None);
    assert_eq!(res.status, 200, "{}", res.text());
    let proof: Vec<Hash> = res.json()["proof"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| decode_hash(h.as_str().unwrap()).unwrap())
        .collect();
    verify_consistency(first.size, second.size, &first.root, &second.root, &proof).unwrap();

    // The page's download, through the same use case the page calls.
    let service = srv.service.clone();
    let export = actix_web::rt::System::new().block_on(async move {
        service
            .citizen_export(
                &SubjectId::parse(PID).unwrap(),
                ExportRequest {
                    logins: true,
                    access: true,
                    proofs: true,
                },
            )
            .await
            .unwrap()
    });
    assert_eq!(export.access.len(), 6);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("historikk.json");
    let doc = HistoryDocument::of(&export, Zone::oslo());
    std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_innsyn"))
        .arg("verify")
        .arg(&file)
        .args(["--key", &key.to_string()])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.starts_with("VERIFIED: all 6 records"), "{said}");
}
