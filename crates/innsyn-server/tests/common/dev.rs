//! `innsyn dev` as a newcomer runs it: the binary in an empty directory.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::KillOnDrop;

/// The binary under test.
pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_innsyn");

/// A running `innsyn dev`: killed when dropped.
pub(crate) struct Dev {
    pub(crate) _child: KillOnDrop,
    pub(crate) port: u16,
    /// What it printed up to its ready-to-paste curl lines.
    pub(crate) banner: Vec<String>,
}

/// Starts `innsyn dev --port 0` in `dir` and waits (at most 60 s) for its
/// banner, which names the port.
pub(crate) fn start(dir: &Path) -> Dev {
    let child = Command::new(BIN)
        .args(["dev", "--port", "0"])
        .current_dir(dir)
        .env_remove("INNSYN_PROFILE")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    let stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut banner = Vec::new();
    let port = loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("innsyn dev printed no banner within 60 s");
        banner.push(line.clone());
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            let port: u16 = rest
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap()
                .parse()
                .unwrap();
            break port;
        }
    };
    // The banner goes on with ready-to-paste curl lines.
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(5)) {
        banner.push(line);
        if banner.iter().filter(|l| l.starts_with("curl ")).count() >= 4 {
            break;
        }
    }
    Dev {
        _child: child,
        port,
        banner,
    }
}

/// A token from the dev issuer of the `innsyn dev` run in `dir`.
pub(crate) fn token(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .arg("token")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "innsyn token: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Logs in as demo citizen `subject` through the picker of the `innsyn dev`
/// on `port`, as a browser does (its form token, its cookie, this site's
/// Origin); returns the session's `Cookie` header value.
pub(crate) fn demo_login(port: u16, subject: &str) -> String {
    let res = super::get(port, "/min-side/dev-login", None);
    assert_eq!(res.status, 200, "{}", res.text());
    // The picker's form carries a token that must come back with its cookie.
    let form_cookie = res
        .headers
        .iter()
        .find(|(k, v)| k == "set-cookie" && v.starts_with("innsyn_dev_csrf="))
        .and_then(|(_, v)| v.split(';').next())
        .expect("the picker's form cookie")
        .to_owned();
    let token = form_cookie["innsyn_dev_csrf=".len()..].to_owned();
    let res = super::request(
        port,
        "POST",
        "/min-side/dev-login",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &form_cookie),
            ("Origin", &format!("http://127.0.0.1:{port}")),
        ],
        Some(format!("subject={subject}&csrf={token}").as_bytes()),
    );
    assert_eq!(res.status, 303, "{}", res.text());
    let cookies: Vec<String> = res
        .headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .filter_map(|(_, v)| v.split(';').next().map(str::to_owned))
        .collect();
    assert!(!cookies.is_empty(), "no session cookie");
    cookies.join("; ")
}
