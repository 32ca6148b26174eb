//! SIGTERM to a real `innsyn serve` process: what it accepted it finishes
//! (token validation included) and answers; what the shutdown timeout
//! cuts off makes it exit non-zero.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

use innsyn_auth_oidc::test_support::{JWT_AUD, OPAQUE_AUD, PID, Provider};
use innsyn_store_diesel::test_support::TempCluster;
use serde_json::json;

use crate::common::stack::start_server;
use crate::common::{get, post_json};
use crate::process::{
    BATCH, FIRST_MS, batch, exit_within, head, migrated, read_answer, serve, sigterm,
};

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
