//! `innsyn consume` as an operator runs it, against a real Kafka-protocol
//! broker (Tansu) and PostgreSQL: the process killed (SIGKILL) mid-work and
//! started again stores every message exactly once, SIGTERM ends it after
//! its batch, and no log line holds an identity number. And `innsyn serve`
//! with `kafka.enabled`: it consumes, and `/metrics` and `/readyz` say so.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use innsyn_domain::identity::{CITIZEN_A, CITIZEN_B};
use innsyn_kafka::KafkaSettings;
use innsyn_ports::MockTokenIntrospector;
use innsyn_store_diesel::test_support::{TEST_SECRET, fresh_postgres_url};
use innsyn_test_support::kafka::{Broker, activity_json};

use common::get;
use common::stack::{auth_settings, real_settings, start_app};

const BIN: &str = env!("CARGO_BIN_EXE_innsyn");
const MESSAGES: usize = 20_000;

#[test]
fn killed_mid_work_and_restarted_it_stores_each_message_once() {
    let broker = Broker::start();
    broker.create_topic("aktiviteter-json", 3);
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let mut payloads: Vec<Vec<u8>> = (0..MESSAGES)
        .map(|i| {
            activity_json(
                i,
                [CITIZEN_A, CITIZEN_B][i % 2],
                now_ms - 3_600_000 + i as i64,
            )
        })
        .collect();
    // A broken message that holds an identity number: dead-lettered, and
    // the number is in no log line.
    payloads.insert(
        7,
        format!(r#"{{"event_subject_pid":"{CITIZEN_B}","#).into_bytes(),
    );
    broker.produce_round_robin("aktiviteter-json", &payloads, 3);
    let db = fresh_postgres_url();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("innsyn.toml");
    std::fs::write(
        &config,
        format!(
            r#"[database]
url = "{}"
subject_key_secret = "{TEST_SECRET}"

[kafka]
bootstrap_servers = "{}"
topics = ["aktiviteter-json"]
group_id = "innsyn-e2e"
security_protocol = "plaintext"
batch_max_messages = 250
batch_max_ms = 50
session_timeout_ms = 6000
"#,
            db.url(),
            broker.bootstrap()
        ),
    )
    .unwrap();

    let first_log = dir.path().join("first.log");
    let mut first = consume(&config, &first_log);
    let deadline = Instant::now() + Duration::from_secs(60);
    let at_kill = loop {
        let n = stored(db.url());
        if n > 0 {
            break n;
        }
        assert!(
            Instant::now() < deadline,
            "nothing stored:\n{}",
            read(&first_log)
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    first.kill().unwrap();
    first.wait().unwrap();
    assert!(
        at_kill < MESSAGES as i64,
        "killed after everything was stored ({at_kill}): not mid-work"
    );

    let second_log = dir.path().join("second.log");
    let mut second = consume(&config, &second_log);
    let deadline = Instant::now() + Duration::from_secs(120);
    while broker.committed_offsets("innsyn-e2e", "aktiviteter-json", 3)
        != broker.end_offsets("aktiviteter-json", 3)
    {
        assert!(
            Instant::now() < deadline,
            "not all committed:\n{}",
            read(&second_log)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let sent = Command::new("kill")
        .args(["-TERM", &second.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = wait_within(&mut second, Duration::from_secs(20));
    assert!(out.status.success(), "{}", read(&second_log));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.starts_with("consumed "), "{summary}");

    assert_eq!(stored(db.url()), MESSAGES as i64);
    assert_eq!(
        count(
            db.url(),
            "SELECT count(DISTINCT correlation_id) AS n FROM login_events"
        ),
        MESSAGES as i64
    );
    assert_eq!(count(db.url(), "SELECT count(*) AS n FROM dead_letters"), 1);
    for log in [&first_log, &second_log] {
        let text = read(log);
        for pid in [CITIZEN_A, CITIZEN_B] {
            assert!(
                !text.contains(pid),
                "an identity number in {}:\n{text}",
                log.display()
            );
        }
    }
    assert!(
        read(&second_log).contains("dead letters"),
        "{}",
        read(&second_log)
    );
}

#[test]
fn serve_with_kafka_enabled_consumes_beside_the_api() {
    let broker = Broker::start();
    broker.create_topic("served", 2);
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let payloads: Vec<Vec<u8>> = (0..300)
        .map(|i| activity_json(i, CITIZEN_A, now_ms - 60_000 + i as i64))
        .collect();
    broker.produce_round_robin("served", &payloads, 2);
    let db = fresh_postgres_url();
    let mut settings = real_settings(db.url(), auth_settings("http://127.0.0.1:9/unused"));
    settings.kafka = KafkaSettings {
        enabled: true,
        bootstrap_servers: broker.bootstrap(),
        topics: vec!["served".into()],
        group_id: "served-group".into(),
        security_protocol: "plaintext".into(),
        batch_max_ms: 50,
        session_timeout_ms: 6_000,
        ..KafkaSettings::default()
    };
    let server = start_app(settings, |b| {
        let mut tokens = MockTokenIntrospector::new();
        tokens.expect_ready().returning(|| Ok(()));
        b.tokens(Arc::new(tokens))
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while broker.committed_offsets("served-group", "served", 2) != broker.end_offsets("served", 2) {
        assert!(Instant::now() < deadline, "serve did not consume the topic");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(stored(db.url()), 300);
    let metrics = String::from_utf8(get(server.port, "/metrics", None).body).unwrap();
    for line in [
        "innsyn_kafka_messages_total{outcome=\"stored\"} 300\n",
        "innsyn_kafka_ready 1\n",
        "innsyn_ingest_source_events_total{client_id=\"client-1\"} 75\n",
    ] {
        assert!(metrics.contains(line), "{line} missing from\n{metrics}");
    }
    assert_eq!(get(server.port, "/readyz", None).status, 200);
}

fn consume(config: &Path, log: &Path) -> Child {
    Command::new(BIN)
        .args(["consume", "--config"])
        .arg(config)
        .env_remove("INNSYN_PROFILE")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

fn wait_within(child: &mut Child, bound: Duration) -> std::process::Output {
    let deadline = Instant::now() + bound;
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "did not exit within {bound:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stdout = Vec::new();
    if let Some(mut s) = child.stdout.take() {
        std::io::Read::read_to_end(&mut s, &mut stdout).unwrap();
    }
    std::process::Output {
        status: child.wait().unwrap(),
        stdout,
        stderr: Vec::new(),
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn stored(url: &str) -> i64 {
    count(url, "SELECT count(*) AS n FROM login_events")
}

fn count(url: &str, sql: &str) -> i64 {
    let mut c = PgConnection::establish(url).unwrap();
    diesel::sql_query(sql)
        .get_result::<Count>(&mut c)
        .unwrap()
        .n
}
