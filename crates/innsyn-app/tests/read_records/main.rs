//! Issue 15: every successful read of a citizen's history becomes an
//! access record of that citizen, durable before the read is answered and
//! written by group commit.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod counting;
#[path = "../common/hooked.rs"]
mod hooked;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use counting::{Writes, counting_store};
use innsyn_app::{Admin, AppError, Ports, Service, Settings, Writer};
use innsyn_domain::identity::{CITIZEN_A, CITIZEN_B};
use innsyn_domain::records::{ACCESS_HISTORY_RESOURCE, LOGIN_HISTORY_RESOURCE};
use innsyn_domain::{
    AccessHistoryEntry, AccessHistoryParams, ActivityRecord, Caller, ClientEntry, Decision,
    OrgNumber, Scopes, SubjectId,
};
use innsyn_ports::StoreError;
use innsyn_test_support::FixedClock;
use time::OffsetDateTime;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2026-12-02 12:00 UTC);
const SERVICE_ORG: &str = "991825827";

fn service(writes: &Arc<Writes>, record_reads: bool) -> Service {
    Service::new(
        Ports {
            store: Arc::new(counting_store(writes)),
            disputes: Arc::new(innsyn_store_memory::MemoryStore::new()),
            log: Arc::new(innsyn_store_memory::MemoryStore::new()),
            dead_letters: Arc::new(innsyn_store_memory::MemoryStore::new()),
            page_sessions: Arc::new(innsyn_store_memory::MemoryStore::new()),
            tokens: None,
            clock: Arc::new(FixedClock::at(NOW)),
            citizen_login: None,
        },
        Settings {
            store_queue_timeout: Duration::from_secs(5),
            record_reads,
            ..Settings::default()
        },
    )
}

fn caller(subject: &str, client: &str, scopes: &str, orgno: Option<&str>) -> Caller {
    Caller {
        subject: Some(SubjectId::parse(subject).unwrap()),
        client_id: Some(client.into()),
        orgno: orgno.map(|o| OrgNumber::parse(o).unwrap()),
        scopes: Scopes::parse(scopes).unwrap(),
        acr: None,
    }
}

/// A service of `SERVICE_ORG` holding the citizen's token (seed 1).
fn the_service() -> Caller {
    caller(
        CITIZEN_A,
        "svc",
        "idporten:user.log.read",
        Some(SERVICE_ORG),
    )
}

/// A store with the service in the catalog and two of the citizen's logins.
async fn with_logins(record_reads: bool) -> (Arc<Writes>, Service) {
    let writes = Arc::new(Writes::default());
    let s = service(&writes, record_reads);
    let client = ClientEntry::validate("svc", "Tjenesten", Some(SERVICE_ORG)).unwrap();
    s.put_client(&Admin::operator(), client).await.unwrap();
    let login = |minute: i64| ActivityRecord {
        event_name: "Innlogget".into(),
        event_created: (NOW.unix_timestamp() - 3600 + minute * 60) * 1000,
        event_subject_pid: Some(CITIZEN_A.into()),
        service_provider_id: Some("svc".into()),
        service_owner_orgno: Some(SERVICE_ORG.into()),
        auth_eid: Some("MinID".into()),
        ..ActivityRecord::default()
    };
    s.ingest_login_events(&Writer::operator(), vec![login(1), login(2)])
        .await
        .unwrap();
    (writes, s)
}

/// The citizen's records of reads of `resource`, as the citizen sees them
/// (a read that is itself not recorded: it shows only records of reads).
async fn reads_of(s: &Service, resource: &str) -> Vec<AccessHistoryEntry> {
    let citizen = caller(CITIZEN_A, "innsyn-web", "history:read", None);
    let params = AccessHistoryParams {
        resource: Some(resource.into()),
        start_time: Some("-1d".into()),
        end_time: Some("2d".into()),
        count: Some("1000".into()),
        ..AccessHistoryParams::default()
    };
    let page = s
        .access_history(&citizen, CITIZEN_A, &params)
        .await
        .unwrap();
    page.page.entries
}

#[tokio::test]
async fn a_service_reading_seed_1_shows_in_the_citizens_seed_2() {
    let (writes, s) = with_logins(true).await;
    let rows = s.login_history(&the_service(), None).await.unwrap();
    assert_eq!(rows.len(), 2);
    let reads = reads_of(&s, LOGIN_HISTORY_RESOURCE).await;
    assert_eq!(reads.len(), 1, "{reads:?}");
    let r = &reads[0];
    assert_eq!(r.occurred_at, NOW);
    assert_eq!(
        r.application, "Tjenesten",
        "the catalog's name of the client"
    );
    assert_eq!(r.client_id, "svc");
    assert_eq!((r.action.as_str(), r.purpose.as_str()), ("read", "innsyn"));
    assert_eq!(r.decision, Decision::Permit);
    let catalog = s.catalog(&Admin::operator()).await.unwrap();
    let svc = catalog
        .clients
        .iter()
        .find(|c| c.client_id == "svc")
        .unwrap();
    assert_eq!(svc.orgno.as_ref().unwrap().as_str(), SERVICE_ORG);
    assert!(
        catalog
            .resources
            .iter()
            .any(|r| r.name == LOGIN_HISTORY_RESOURCE)
    );
    // Reading the records of reads added none (no loop).
    assert_eq!(reads_of(&s, LOGIN_HISTORY_RESOURCE).await.len(), 1);
    assert!(reads_of(&s, ACCESS_HISTORY_RESOURCE).await.is_empty());
    assert_eq!(writes.count(), 1);
}

#[tokio::test]
async fn an_auditor_and_the_citizen_reading_seed_2_are_recorded_by_purpose() {
    let (_store, s) = with_logins(true).await;
    let auditor = caller(CITIZEN_B, "tilsyn", "history:audit", None);
    s.access_history(&auditor, CITIZEN_A, &AccessHistoryParams::default())
        .await
        .unwrap();
    let citizen = caller(CITIZEN_A, "innsyn-web", "history:read", None);
    s.access_history(&citizen, CITIZEN_A, &AccessHistoryParams::default())
        .await
        .unwrap();
    let reads = reads_of(&s, ACCESS_HISTORY_RESOURCE).await;
    let mut who: Vec<_> = reads
        .iter()
        .map(|r| (r.client_id.as_str(), r.purpose.as_str()))
        .collect();
    who.sort_unstable();
    assert_eq!(who, [("innsyn-web", "innsyn"), ("tilsyn", "audit")]);
}

#[tokio::test]
async fn refused_reads_record_nothing() {
    let (writes, s) = with_logins(true).await;
    let no_scope = caller(CITIZEN_A, "svc", "history:read", Some(SERVICE_ORG));
    let denied = s.login_history(&no_scope, None).await;
    assert!(matches!(denied, Err(AppError::Denied(_))), "{denied:?}");
    let not_owner = caller(CITIZEN_B, "other", "history:read", None);
    let denied = s
        .access_history(&not_owner, CITIZEN_A, &AccessHistoryParams::default())
        .await;
    assert!(matches!(denied, Err(AppError::Denied(_))), "{denied:?}");
    let bad = s.login_history(&the_service(), Some("0")).await;
    assert!(matches!(bad, Err(AppError::InvalidParams(_))), "{bad:?}");
    assert_eq!(writes.count(), 0);
    assert!(reads_of(&s, LOGIN_HISTORY_RESOURCE).await.is_empty());
}

#[tokio::test]
async fn recording_can_be_turned_off() {
    let (writes, s) = with_logins(false).await;
    s.login_history(&the_service(), None).await.unwrap();
    assert_eq!(writes.count(), 0);
}

#[tokio::test]
async fn a_store_down_at_the_write_answers_the_read_unavailable_and_records_nothing() {
    let (writes, s) = with_logins(true).await;
    writes.set_down(true);
    let read = s.login_history(&the_service(), None).await;
    assert!(
        matches!(read, Err(AppError::Store(StoreError::Unavailable(_)))),
        "{read:?}"
    );
    writes.set_down(false);
    assert!(reads_of(&s, LOGIN_HISTORY_RESOURCE).await.is_empty());
    let stats = s.read_record_stats();
    assert_eq!((stats.stored, stats.failed, stats.groups), (0, 1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_reads_are_each_recorded_in_fewer_writes() {
    let (writes, s) = with_logins(true).await;
    writes.delay_ms.store(20, Ordering::SeqCst);
    let reads: Vec<_> = (0..32)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move { s.login_history(&the_service(), None).await })
        })
        .collect();
    for read in reads {
        assert_eq!(read.await.unwrap().unwrap().len(), 2);
    }
    assert_eq!(reads_of(&s, LOGIN_HISTORY_RESOURCE).await.len(), 32);
    let groups = writes.groups.lock().unwrap().clone();
    assert_eq!(groups.iter().sum::<usize>(), 32);
    assert!(groups.len() < 32, "one write per read: {groups:?}");
    // The metrics' account of it: every record stored, each group's store
    // call at least the store's 20 ms, inside its whole turn.
    let stats = s.read_record_stats();
    assert_eq!((stats.stored, stats.failed), (32, 0));
    assert_eq!(stats.groups, groups.len() as u64);
    assert!(stats.store_call >= Duration::from_millis(20) * groups.len() as u32);
    assert!(stats.store_turn >= stats.store_call, "{stats:?}");
    assert!(stats.waiting >= Duration::from_millis(20) * 32, "{stats:?}");
}
