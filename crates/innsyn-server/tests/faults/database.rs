//! The database killed or frozen under a running server: every request is
//! answered within the bound, `/readyz` within its own, and the server
//! serves again once the database is back.

use std::time::{Duration, Instant};

use innsyn_auth_oidc::test_support::{PID, Provider};
use innsyn_store_diesel::test_support::{TempCluster, test_settings};

use crate::common::stack::{Server, auth_settings, real_settings, start_app};
use crate::common::{Response, get};

/// `connect_timeout_secs` of these tests.
const CONNECT_SECS: u64 = 1;
/// `statement_timeout_ms` of these tests.
const STATEMENT_MS: u64 = 1_000;
/// What docs/configuration.md promises for these settings: the wait for
/// a turn (`connect_timeout_secs`) plus the call (`connect_timeout_secs` +
/// `statement_timeout_ms`), plus slack for a loaded two-core machine.
const BOUND: Duration = Duration::from_millis(CONNECT_SECS * 2_000 + STATEMENT_MS + 1_000);
/// `/readyz` answers within 2 s whatever its dependencies do.
const READY_BOUND: Duration = Duration::from_millis(2_000 + 1_000);
/// Reads sent at once: more than the pool has connections.
const CONCURRENT: usize = 12;

const SEED1: &str = "/innlogginger/logg/idporten?maxhits=5";

fn server_on(cluster: &TempCluster, issuer: &str) -> Server {
    let url = cluster.url();
    innsyn_store_diesel::Store::connect(&test_settings(&url))
        .unwrap()
        .migrate()
        .unwrap();
    let mut settings = real_settings(&url, auth_settings(issuer));
    settings.database.connect_timeout_secs = CONNECT_SECS;
    settings.database.statement_timeout_ms = STATEMENT_MS;
    start_app(settings, |b| b)
}

/// `CONCURRENT` seed-1 reads at once; each answer with how long it took.
fn concurrent_reads(port: u16, token: &str) -> Vec<(Response, Duration)> {
    let threads: Vec<_> = (0..CONCURRENT)
        .map(|_| {
            let token = token.to_owned();
            std::thread::spawn(move || {
                let started = Instant::now();
                let res = get(port, SEED1, Some(&token));
                (res, started.elapsed())
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

fn assert_all_unavailable_within(answers: &[(Response, Duration)], bound: Duration) {
    for (res, took) in answers {
        assert_eq!(res.status, 503, "{}", res.text());
        assert!(res.header("retry-after").is_some());
        assert_eq!(res.header("content-type"), Some("application/problem+json"));
        assert!(*took <= bound, "a 503 took {took:?}, bound {bound:?}");
    }
}

fn ready_within(port: u16, bound: Duration) -> u16 {
    let started = Instant::now();
    let status = get(port, "/readyz", None).status;
    assert!(
        started.elapsed() <= bound,
        "/readyz took {:?}",
        started.elapsed()
    );
    status
}

fn wait_until_served(port: u16, token: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = get(port, SEED1, Some(token)).status;
        if status == 200 {
            return;
        }
        assert!(Instant::now() < deadline, "not served again: {status}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_killed_database_is_503_at_once_and_the_server_recovers() {
    let cluster = TempCluster::start();
    let op = Provider::start();
    let srv = server_on(&cluster, &op.issuer);
    let user = op.user(PID, "idporten:user.log.read");
    assert_eq!(get(srv.port, SEED1, Some(&user)).status, 200);
    assert_eq!(ready_within(srv.port, READY_BOUND), 200);

    cluster.kill_server();
    // PostgreSQL refuses at once, so nobody waits for a connection timeout.
    let answers = concurrent_reads(srv.port, &user);
    assert_all_unavailable_within(&answers, Duration::from_millis(CONNECT_SECS * 1_000));
    assert_eq!(ready_within(srv.port, READY_BOUND), 503);

    cluster.start_server();
    wait_until_served(srv.port, &user);
    assert_eq!(ready_within(srv.port, READY_BOUND), 200);
}

#[test]
fn a_frozen_database_is_503_within_the_bound_and_the_server_recovers() {
    let cluster = TempCluster::start();
    let op = Provider::start();
    let srv = server_on(&cluster, &op.issuer);
    let user = op.user(PID, "idporten:user.log.read");
    assert_eq!(get(srv.port, SEED1, Some(&user)).status, 200);

    cluster.pause_server();
    let answers = concurrent_reads(srv.port, &user);
    let ready = ready_within(srv.port, READY_BOUND);
    // Answers keep coming within the bound while the database stays frozen.
    let again = concurrent_reads(srv.port, &user);
    cluster.resume_server();
    assert_all_unavailable_within(&answers, BOUND);
    assert_all_unavailable_within(&again, BOUND);
    assert_eq!(ready, 503);

    wait_until_served(srv.port, &user);
    assert_eq!(ready_within(srv.port, READY_BOUND), 200);
}
