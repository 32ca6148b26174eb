//! A newcomer's first minutes: `innsyn dev` in an empty directory, a token
//! from `innsyn token`, both read endpoints answer with demo data.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

use common::get;

use common::dev::BIN;

#[test]
fn innsyn_dev_serves_demo_data_to_a_minted_token() {
    let dir = tempfile::tempdir().unwrap();
    let dev = common::dev::start(dir.path());
    let (port, banner) = (dev.port, dev.banner.join("\n"));
    assert!(banner.contains("/docs/"), "{banner}");
    assert!(banner.contains("export TOKEN='"), "{banner}");
    assert!(
        banner.contains("curl -s -H \"Authorization: Bearer $TOKEN\""),
        "{banner}"
    );
    // The subject key, the issuer's key and the database: the owner's alone.
    let mode = |p: &str| {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::metadata(dir.path().join(p))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("innsyn-data"), 0o700);
    for file in ["subject-key", "innsyn.db", "dev-issuer-key.json", "log-key"] {
        assert_eq!(mode(&format!("innsyn-data/{file}")), 0o600, "{file}");
    }

    // The citizen's page, with the demo-citizen picker of dev mode.
    assert!(
        banner.contains(&format!("http://127.0.0.1:{port}/min-side")),
        "{banner}"
    );
    let res = get(port, "/min-side", None);
    assert_eq!(res.status, 303, "{}", res.text());
    assert!(
        res.header("location")
            .unwrap()
            .starts_with("/min-side/logg-inn")
    );
    let res = get(port, "/min-side/dev-login", None);
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(
        res.text().contains("Kari Nordmann (demo)"),
        "{}",
        res.text()
    );
    let cookie = common::dev::demo_login(port, innsyn_server::demo::CITIZENS[0].0);
    let res = common::request(port, "GET", "/min-side", &[("Cookie", &cookie)], None);
    assert_eq!(res.status, 200, "{}", res.text());
    assert!(
        res.header("content-security-policy")
            .unwrap()
            .contains("style-src 'self'")
    );
    let page = res.text();
    assert!(
        page.contains("MinID")
            || page.contains("BankID")
            || page.contains("Buypass")
            || page.contains("Commfides")
            || page.contains("eIDAS"),
        "the page shows demo logins: {page}"
    );

    let citizen = innsyn_server::demo::CITIZENS[0].0;
    let token = |scope: &str, orgno: &str| {
        common::dev::token(
            dir.path(),
            &[
                "--sub",
                citizen,
                "--scope",
                scope,
                "--client-id",
                "nav-minside",
                "--orgno",
                orgno,
            ],
        )
    };
    let t = token("idporten:user.log.read history:read", "889640782");

    let res = get(port, "/innlogginger/logg/idporten?maxhits=5", Some(&t));
    assert_eq!(res.status, 200, "{}", res.text());
    let logins = res.json();
    let logins = logins.as_array().unwrap();
    assert!(!logins.is_empty() && logins.len() <= 5);
    for l in logins {
        assert_eq!(l["orgno"], "889640782");
        let keys: Vec<&String> = l.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 5);
    }
    assert!(
        res.text().starts_with("[{\"tidspunkt\":\""),
        "key order of the seed: {}",
        res.text()
    );

    let res = get(
        port,
        &format!("/metadata/v1/{citizen}/accessHistory?startTime=-1y&count=3"),
        Some(&t),
    );
    assert_eq!(res.status, 200, "{}", res.text());
    let page = res.json();
    assert_eq!(page["count"], 3);
    assert_eq!(page["hasMore"], true);
    assert!(res.header("link").unwrap().contains("rel=\"next\""));

    // The SQLite pool is published in /metrics.
    let metrics = get(port, "/metrics", None).text();
    assert!(
        metrics.contains("# TYPE innsyn_db_pool_connections gauge")
            && metrics.contains("\ninnsyn_db_pool_idle "),
        "{metrics}"
    );

    // Without a dev issuer, `innsyn token` refuses.
    let other = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["token", "--sub", citizen, "--scope", "history:read"])
        .current_dir(other.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
}
