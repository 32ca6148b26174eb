//! HTTPS with rustls: a self-signed certificate made with the `openssl` CLI
//! (scripts/test installs it), `/healthz` over TLS with `curl --cacert`
//! trusting exactly that certificate (the tests' own HTTP client speaks no
//! TLS), HSTS only under TLS, and startup refusing plain HTTP unless
//! `allow_plain_http`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use common::get;
use common::stack::{start_app, test_server_settings};
use innsyn_ports::MockTokenIntrospector;
use innsyn_server::config::Settings;
use innsyn_server::settings::ServerSettings;
use innsyn_server::{Application, Builder, StartupError};

const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Fails with a clear message when the `openssl` CLI is missing.
fn require_openssl() {
    let ok = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "the TLS test needs the `openssl` command line tool to make a self-signed certificate; \
         install it (`apt-get install openssl`; scripts/test does this)"
    );
}

/// A self-signed certificate for localhost and 127.0.0.1: (cert, key).
fn self_signed(dir: &Path) -> (PathBuf, PathBuf) {
    require_openssl();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let out = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-days",
            "1",
            "-keyout",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl req failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (cert, key)
}

/// Runs `curl -sS -i` with `args`; fails clearly when curl is missing.
fn curl(args: &[&str]) -> std::process::Output {
    Command::new("curl")
        .args(["-sS", "-i", "--max-time", "20"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("the TLS test needs `curl` (apt-get install curl): {e}"))
}

/// The head (status line and headers) and body of `curl -i` output.
fn split_response(raw: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(raw).into_owned();
    match text.split_once("\r\n\r\n") {
        Some((head, body)) => (head.to_owned(), body.to_owned()),
        None => panic!("not an HTTP response: {text}"),
    }
}

/// A header of a response head, by lower-case name.
fn header(head: &str, name: &str) -> Option<String> {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim().to_owned())
}

/// Ports that are never called: `/healthz` needs neither.
fn idle_ports(b: Builder) -> Builder {
    b.store(Arc::new(innsyn_store_memory::MemoryStore::new()))
        .tokens(Arc::new(MockTokenIntrospector::new()))
}

fn settings(server: ServerSettings) -> Settings {
    Settings {
        server,
        ..Settings::default()
    }
}

#[test]
fn healthz_over_https_with_hsts() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed(dir.path());
    let srv = start_app(
        settings(ServerSettings {
            tls_cert_file: Some(cert.clone()),
            tls_key_file: Some(key),
            allow_plain_http: false,
            ..test_server_settings()
        }),
        idle_ports,
    );

    for host in ["localhost", "127.0.0.1"] {
        let res = curl(&[
            "--cacert",
            cert.to_str().unwrap(),
            &format!("https://{host}:{}/healthz", srv.port),
        ]);
        assert!(
            res.status.success(),
            "HTTPS to {host} failed: {}",
            String::from_utf8_lossy(&res.stderr)
        );
        let (head, body) = split_response(&res.stdout);
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&body).unwrap(),
            serde_json::json!({"status": "ok"})
        );
        assert_eq!(
            header(&head, "strict-transport-security").as_deref(),
            Some(HSTS),
            "{head}"
        );
        assert_eq!(
            header(&head, "x-content-type-options").as_deref(),
            Some("nosniff")
        );
    }

    // A client that does not trust the certificate (the system's CAs only)
    // refuses the connection (curl exit 60).
    let res = curl(&[&format!("https://localhost:{}/healthz", srv.port)]);
    assert_eq!(
        res.status.code(),
        Some(60),
        "an untrusted certificate must be refused: {}",
        String::from_utf8_lossy(&res.stderr)
    );

    // Plain HTTP on the TLS port gets no HTTP answer.
    let mut tcp = std::net::TcpStream::connect(("127.0.0.1", srv.port)).unwrap();
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut raw = Vec::new();
    let _ = tcp.read_to_end(&mut raw);
    assert!(
        !raw.starts_with(b"HTTP/"),
        "plain HTTP must not be served on the TLS port: {}",
        String::from_utf8_lossy(&raw)
    );
}

#[test]
fn plain_http_has_no_hsts() {
    let srv = start_app(settings(test_server_settings()), idle_ports);
    let res = get(srv.port, "/healthz", None);
    assert_eq!(res.status, 200);
    assert_eq!(res.header("strict-transport-security"), None);
}

/// Builds (inside an actix system, as the binary does) and reports whether
/// the server would serve TLS, or why it refused.
fn try_build(server: ServerSettings) -> Result<bool, StartupError> {
    actix_web::rt::System::new().block_on(async move {
        idle_ports(Application::builder(&settings(server)))
            .build()
            .map(|a| a.tls())
    })
}

fn build_error(server: ServerSettings) -> StartupError {
    match try_build(server) {
        Ok(_) => panic!("the server must refuse to start"),
        Err(e) => e,
    }
}

#[test]
fn startup_refuses_plain_http_unless_allowed() {
    let plain = ServerSettings {
        bind: "127.0.0.1:0".into(),
        ..ServerSettings::default()
    };
    assert!(!plain.allow_plain_http, "plain HTTP is off by default");
    let e = build_error(plain.clone());
    assert!(matches!(e, StartupError::Config(_)), "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains("allow_plain_http") && msg.contains("tls_cert_file"),
        "{msg}"
    );

    // Allowed explicitly, it starts (and is not TLS).
    let tls = try_build(ServerSettings {
        allow_plain_http: true,
        ..plain.clone()
    })
    .unwrap();
    assert!(!tls);

    // A certificate without its key, and unreadable files, are refused too.
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed(dir.path());
    let e = build_error(ServerSettings {
        tls_cert_file: Some(cert.clone()),
        ..plain.clone()
    });
    assert!(e.to_string().contains("together"), "{e}");
    let e = build_error(ServerSettings {
        tls_cert_file: Some(dir.path().join("missing.pem")),
        tls_key_file: Some(key.clone()),
        ..plain.clone()
    });
    assert!(matches!(e, StartupError::Tls(_)), "{e}");
    let e = build_error(ServerSettings {
        tls_cert_file: Some(key),
        tls_key_file: Some(cert.clone()),
        ..plain.clone()
    });
    assert!(matches!(e, StartupError::Tls(_)), "{e}");

    // With both files it builds as HTTPS.
    let tls = try_build(ServerSettings {
        tls_cert_file: Some(cert),
        tls_key_file: Some(dir.path().join("key.pem")),
        ..plain
    })
    .unwrap();
    assert!(tls);
}
