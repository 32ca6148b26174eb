//! A citizen's download from `innsyn dev`, checked offline by `innsyn
//! verify` with the key the server publishes; the same file with one value
//! changed is refused with the reason, and exit status 1.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

use common::dev::BIN;

#[test]
fn a_download_from_innsyn_dev_verifies_offline_and_a_changed_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let dev = common::dev::start(dir.path());
    let port = dev.port;
    let cookie = common::dev::demo_login(port, innsyn_server::demo::CITIZENS[0].0);
    let res = common::request(
        port,
        "GET",
        "/min-side/eksport/historikk.json",
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(res.status, 200, "{}", res.text());
    let file = dir.path().join("historikk.json");
    std::fs::write(&file, res.text()).unwrap();
    let key = common::get(port, "/v1/log/key", None).text();
    drop(dev);

    let verify = |path: &std::path::Path| {
        Command::new(BIN)
            .arg("verify")
            .arg(path)
            .args(["--key", key.trim()])
            .output()
            .unwrap()
    };
    let out = verify(&file);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.starts_with("VERIFIED: all "), "{said}");

    let doc: serde_json::Value = serde_json::from_str(&res.text()).unwrap();
    let first = doc["accessHistory"][0]["purpose"].as_str().unwrap();
    let changed = dir.path().join("changed.json");
    std::fs::write(
        &changed,
        res.text().replacen(
            &format!("\"purpose\": \"{first}\""),
            "\"purpose\": \"something else\"",
            1,
        ),
    )
    .unwrap();
    let out = verify(&changed);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("innsyn: NOT VERIFIED: look-up 1 (")
            && err.contains("does not match the log"),
        "{err}"
    );
}
