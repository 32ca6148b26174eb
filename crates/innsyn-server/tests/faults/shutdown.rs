//! SIGTERM to a real `innsyn serve` process: what it accepted it finishes
//! (token validation included) and answers; what the shutdown timeout
//! cuts off makes it exit non-zero.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use innsyn_auth_oidc::test_support::{JWT_AUD, OPAQUE_AUD, PID, Provider, RS_CLIENT, RS_SECRET};
use innsyn_store_diesel::test_support::{TEST_SECRET, TempCluster, test_settings};
use innsyn_test_support::free_port;
use innsyn_test_support::http::parse;
use serde_json::{Value, json};

use crate::common::stack::start_server;
use crate::common::{KillOnDrop, get, post_json};

const BIN: &str = env!("CARGO_BIN_EXE_innsyn");
/// Events in each batch in flight at SIGTERM.
const BATCH: usize = 2_000;
/// The first event time of each batch (a month apart: no overlap).
const FIRST_MS: [i64; 4] = [
    1_700_000_000_000,
    1_702_600_000_000,
    1_705_200_000_000,
    1_707_800_000_000,
];

/// `innsyn serve` on a free port over `db_url`, validating opaque tokens
/// by introspection at `issuer`; returns once `/readyz` says ready.
fn serve(dir: &Path, db_url: &str, issuer: &str, shutdown_secs: u64) -> (KillOnDrop, u16) {
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

fn sigterm(child: &Child) {
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Waits at most `bound` for the process to exit; its status and stderr.
fn exit_within(child: &mut KillOnDrop, bound: Duration) -> (ExitStatus, String) {
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

fn batch(first_ms: i64) -> Value {
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
fn head(port: u16, token: &str, len: usize) -> String {
    format!(
        "POST /v1/login-events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {len}\r\n\r\n"
    )
}

/// The answer on `stream`; `None` when the server closed or reset it
/// without sending a byte.
fn read_answer(mut stream: TcpStream) -> Option<innsyn_test_support::http::Response> {
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

fn migrated(cluster: &TempCluster) -> String {
    let url = cluster.url();
    innsyn_store_diesel::Store::connect(&test_settings(&url))
        .unwrap()
        .migrate()
        .unwrap();
    url
}

#[test]
fn sigterm_finishes_the_batches_it_accepted_and_exits_zero() {
    let cluster = TempCluster::start();
    let url = migrated(&cluster);
    let op = Provider::start();
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port) = serve(dir.path(), &url, &op.issuer, 10);
    // Warm both workers' paths to the issuer, as a running server's are.
    for _ in 0..4 {
        let token = op.client_token("writer", OPAQUE_AUD, "history:write");
        let res = post_json(port, "/v1/login-events", &token, &json!([]));
        assert_eq!(res.status, 200, "{}", res.text());
    }

    // A batch half sent before the signal; batches whose tokens are
    // introspected as the signal arrives; a connection with nothing sent.
    let half_sent = serde_json::to_vec(&batch(FIRST_MS[0])).unwrap();
    let (first, rest) = half_sent.split_at(half_sent.len() / 2);
    let mut a = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let token = op.client_token("writer", OPAQUE_AUD, "history:write");
    a.write_all(head(port, &token, half_sent.len()).as_bytes())
        .unwrap();
    a.write_all(first).unwrap();
    let idle = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let fresh: Vec<(String, Vec<u8>)> = FIRST_MS[1..]
        .iter()
        .map(|ms| {
            let token = op.client_token("writer", OPAQUE_AUD, "history:write");
            (token, serde_json::to_vec(&batch(*ms)).unwrap())
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut at_signal = Vec::new();
    for (token, body) in &fresh {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(head(port, token, body.len()).as_bytes())
            .unwrap();
        s.write_all(body).unwrap();
        at_signal.push(s);
    }
    sigterm(&child.0);
    std::thread::sleep(Duration::from_millis(300));
    a.write_all(rest).unwrap();
    // The batch the server was reading when the signal came is finished.
    let res = read_answer(a).expect("the batch in flight is answered");
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["accepted"], BATCH);
    // One still in the kernel's queue when the listener closed may be
    // refused (reset, or closed without a byte): then it was never read.
    let mut answered = vec![true];
    for stream in at_signal {
        match read_answer(stream) {
            Some(res) => {
                assert_eq!(res.status, 200, "{}", res.text());
                assert_eq!(res.json()["accepted"], BATCH);
                answered.push(true);
            }
            None => answered.push(false),
        }
    }
    assert!(read_answer(idle).is_none(), "nothing was sent on it");
    let (status, stderr) = exit_within(&mut child, Duration::from_secs(12));
    assert!(status.success(), "{status}: {stderr}");

    // Every answered batch is durable, every refused one absent: sent
    // again, the first are all duplicates, the others all new.
    let srv = start_server(&url, &op.issuer);
    let writer = op.client_token("writer", JWT_AUD, "history:write");
    for (first_ms, answered) in FIRST_MS.into_iter().zip(answered) {
        let res = post_json(srv.port, "/v1/login-events", &writer, &batch(first_ms));
        let expected = if answered { "duplicates" } else { "accepted" };
        assert_eq!(res.json()[expected], BATCH, "{}", res.text());
    }
}

#[test]
fn a_shutdown_the_timeout_cuts_short_exits_non_zero() {
    let cluster = TempCluster::start();
    let url = migrated(&cluster);
    let op = Provider::start();
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port) = serve(dir.path(), &url, &op.issuer, 1);
    let token = op.user_as("svc-a", PID, "idporten:user.log.read", OPAQUE_AUD, 600);
    assert_eq!(
        get(port, "/innlogginger/logg/idporten", Some(&token)).status,
        200
    );

    // A read stuck on a frozen database outlives the one-second timeout.
    cluster.pause_server();
    let stuck = std::thread::spawn(move || {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let req = format!(
            "GET /innlogginger/logg/idporten HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
             Authorization: Bearer {token}\r\n\r\n"
        );
        s.write_all(req.as_bytes()).unwrap();
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
    });
    std::thread::sleep(Duration::from_millis(500));
    sigterm(&child.0);
    let exited = exit_within(&mut child, Duration::from_secs(5));
    cluster.resume_server();
    let (status, stderr) = exited;
    assert!(
        !status.success(),
        "exit {status} although a request was cut off"
    );
    assert!(stderr.contains("cut off"), "{stderr}");
    stuck.join().unwrap();
}
