//! The gate in front of the store: its width, its order and its deadline.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/hooked.rs"]
mod hooked;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hooked::Hooked;
use innsyn_app::{AppError, Ports, Service, Settings, SystemClock};
use innsyn_ports::StoreError;

/// A store whose `ping` takes `hold` and records how many run at once.
fn slow_store(hold: Duration, running: Arc<AtomicUsize>, peak: Arc<AtomicUsize>) -> Hooked {
    Hooked::on_ping(move || {
        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
        peak.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(hold);
        running.fetch_sub(1, Ordering::SeqCst);
    })
}

fn service(store: Hooked, width: usize, queue_timeout: Duration) -> Service {
    Service::new(
        Ports {
            store: Arc::new(store),
            disputes: Arc::new(innsyn_store_memory::MemoryStore::new()),
            log: Arc::new(innsyn_store_memory::MemoryStore::new()),
            dead_letters: Arc::new(innsyn_store_memory::MemoryStore::new()),
            page_sessions: Arc::new(innsyn_store_memory::MemoryStore::new()),
            tokens: None,
            clock: Arc::new(SystemClock),
            citizen_login: None,
        },
        Settings {
            store_concurrency: width,
            store_queue_timeout: queue_timeout,
            ..Settings::default()
        },
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gate_admits_its_width_and_refuses_who_waits_past_the_deadline() {
    let (running, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    // Two at once, each holding 500 ms, a 750 ms deadline: the first two
    // run at once, the next two get their turn at ~500 ms, the last two
    // would get it at ~1000 ms, past the deadline.
    let hold = Duration::from_millis(500);
    let s = service(
        slow_store(hold, running, Arc::clone(&peak)),
        2,
        Duration::from_millis(750),
    );
    let calls: Vec<_> = (0..6)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move { s.ready().await })
        })
        .collect();
    let mut ok = 0;
    let mut refused = 0;
    for call in calls {
        match call.await.unwrap() {
            Ok(()) => ok += 1,
            Err(AppError::Store(StoreError::Unavailable(reason))) => {
                assert!(reason.contains("stayed busy"), "{reason}");
                refused += 1;
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        peak.load(Ordering::SeqCst),
        2,
        "never more than the gate's width"
    );
    assert_eq!((ok, refused), (4, 2));
    assert_eq!(s.gate().in_use(), 0, "every permit came back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_width_of_zero_still_admits_one() {
    let (running, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let s = service(
        slow_store(Duration::from_millis(50), running, Arc::clone(&peak)),
        0,
        Duration::from_secs(5),
    );
    let (a, b) = tokio::join!(s.ready(), s.ready());
    a.unwrap();
    b.unwrap();
    assert_eq!(peak.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_that_stops_answering_is_unavailable_at_the_deadline() {
    let (running, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    // Each call hangs 1.5 s (a paused database); the caller must be
    // answered at the deadline, 200 ms turn + 300 ms call, not after 1.5 s.
    let s = Service::new(
        Ports {
            store: Arc::new(slow_store(
                Duration::from_millis(1500),
                Arc::clone(&running),
                peak,
            )),
            disputes: Arc::new(innsyn_store_memory::MemoryStore::new()),
            log: Arc::new(innsyn_store_memory::MemoryStore::new()),
            dead_letters: Arc::new(innsyn_store_memory::MemoryStore::new()),
            page_sessions: Arc::new(innsyn_store_memory::MemoryStore::new()),
            tokens: None,
            clock: Arc::new(SystemClock),
            citizen_login: None,
        },
        Settings {
            store_concurrency: 1,
            store_queue_timeout: Duration::from_millis(200),
            store_call_timeout: Duration::from_millis(300),
            ..Settings::default()
        },
    );
    let started = std::time::Instant::now();
    let answer = s.ready().await;
    let waited = started.elapsed();
    assert!(
        matches!(&answer, Err(AppError::Store(StoreError::Unavailable(r))) if r.contains("did not answer")),
        "{answer:?}"
    );
    assert!(
        waited < Duration::from_millis(1000),
        "answered after {waited:?}"
    );
    // The stuck call keeps its turn until it returns: the next caller is
    // refused for the turn, not sent to a busy connection.
    assert_eq!(running.load(Ordering::SeqCst), 1);
    let next = s.ready().await;
    assert!(
        matches!(&next, Err(AppError::Store(StoreError::Unavailable(r))) if r.contains("stayed busy")),
        "{next:?}"
    );
}
