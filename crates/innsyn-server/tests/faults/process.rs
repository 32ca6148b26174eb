//! An `innsyn serve` process of the tests' own, and the raw HTTP the
//! shutdown tests need (a request written in parts, an answer that may
//! never come).

use std::io::Read as _;
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use innsyn_auth_oidc::test_support::{OPAQUE_AUD, PID, RS_CLIENT, RS_SECRET};
use innsyn_store_diesel::test_support::{TEST_SECRET, TempCluster, test_settings};
use innsyn_test_support::free_port;
use innsyn_test_support::http::{Response, parse};
use serde_json::{Value, json};

use crate::common::{KillOnDrop, get};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_innsyn");
/// Events in each batch in flight at SIGTERM.
pub(crate) const BATCH: usize = 2_000;
/// The first event time of each batch (a month apart: no overlap).
pub(crate) const FIRST_MS: [i64; 4] = [
    1_700_000_000_000,
    1_702_600_000_000,
    1_705_200_000_000,
    1_707_800_000_000,
];

/// `innsyn serve` on a free port over `db_url`, validating opaque tokens
/// by introspection at `issuer`; returns once `/readyz` says ready.
pub(crate) fn serve(
    dir: &Path,
    db_url: &str,
    issuer: &str,
    shutdown_secs: u64,
) -> (KillOnDrop, u16) {
    let port = free_port();
    let config = dir.join("innsyn.toml");
    std::fs::write(
        &config,
        format!(
            r#"[server]
bind = "127.0.0.1:{port}"
allow_plain_http = true
rate_limit_per_second = 0
workers = 2
shutdown_timeout_secs = {shutdown_secs}

[database]
url = "{db_url}"
subject_key_secret = "{TEST_SECRET}"

[auth]
mode = "introspection"
issuer = "{issuer}"
audience = "{OPAQUE_AUD}"
subject_claim = "pid"
client_id = "{RS_CLIENT}"
client_secret = "{RS_SECRET}"
"#
        ),
    )
    .unwrap();
    let child = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(&config)
        .env_remove("INNSYN_PROFILE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let child = KillOnDrop(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err()
        || get(port, "/readyz", None).status != 200
    {
        assert!(Instant::now() < deadline, "innsyn serve did not get ready");
        std::thread::sleep(Duration::from_millis(100));
    }
    (child, port)
}

pub(crate) fn sigterm(child: &Child) {
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Waits at most `bound` for the process to exit; its status and stderr.
pub(crate) fn exit_within(child: &mut KillOnDrop, bound: Duration) -> (ExitStatus, String) {
    let deadline = Instant::now() + bound;
    loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            let mut err = String::new();
            if let Some(mut e) = child.0.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            return (status, err);
        }
        assert!(Instant::now() < deadline, "did not exit within {bound:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub(crate) fn batch(first_ms: i64) -> Value {
    let events: Vec<Value> = (0..BATCH)
        .map(|i| {
            json!({
                "event_name": "Innlogget",
                "event_created": first_ms + i64::try_from(i).unwrap() * 1_000,
                "event_subject_pid": PID,
                "service_provider_id": "oidc_authorization_api_client_test",
                "service_provider_orgno": "991825827",
                "service_provider_name": "DIGDIR",
                "auth_eid": "MinID",
                "auth_method": "PIN",
            })
        })
        .collect();
    Value::Array(events)
}

/// The head of a batch POST with `token`; the body follows separately.
pub(crate) fn head(port: u16, token: &str, len: usize) -> String {
    format!(
        "POST /v1/login-events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {len}\r\n\r\n"
    )
}

/// The answer on `stream`; `None` when the server closed or reset it
/// without sending a byte.
pub(crate) fn read_answer(mut stream: TcpStream) -> Option<Response> {
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut raw = Vec::new();
    match stream.read_to_end(&mut raw) {
        Ok(_) if raw.is_empty() => None,
        Ok(_) => Some(parse(&raw)),
        Err(e) if raw.is_empty() && e.kind() == std::io::ErrorKind::ConnectionReset => None,
        Err(e) => panic!("reset after {} bytes of answer: {e}", raw.len()),
    }
}

pub(crate) fn migrated(cluster: &TempCluster) -> String {
    let url = cluster.url();
    innsyn_store_diesel::Store::connect(&test_settings(&url))
        .unwrap()
        .migrate()
        .unwrap();
    url
}
