//! The citizen page's sessions live in the store: a login through one
//! `innsyn dev` holds on a second one over the same data directory (two
//! instances behind a load balancer), and after both are stopped and one
//! is started again (a restart).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::dev::{demo_login, start};

#[test]
fn a_login_holds_on_another_instance_and_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let first = start(dir.path());
    let cookie = demo_login(first.port, innsyn_server::demo::CITIZENS[0].0);
    let page = |port: u16| common::request(port, "GET", "/min-side", &[("Cookie", &cookie)], None);
    assert_eq!(page(first.port).status, 200);

    let second = start(dir.path());
    let res = page(second.port);
    assert_eq!(res.status, 200, "the other instance: {}", res.text());
    assert!(res.text().contains("Logg ut"), "logged in there too");

    drop(first);
    drop(second);
    let restarted = start(dir.path());
    let res = page(restarted.port);
    assert_eq!(res.status, 200, "after the restart: {}", res.text());

    // A forged id is nobody's, on any instance.
    let forged = common::request(
        restarted.port,
        "GET",
        "/min-side",
        &[("Cookie", "innsyn_sid=forged-id")],
        None,
    );
    assert_eq!(forged.status, 303);
    let to = forged
        .headers
        .iter()
        .find(|(k, _)| k == "location")
        .unwrap();
    assert!(to.1.contains("utlopt=1"), "{}", to.1);
}
