use super::*;
use innsyn_domain::Scopes;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

fn caller(client: &str) -> Caller {
    Caller {
        subject: None,
        client_id: Some(client.into()),
        orgno: None,
        scopes: Scopes::default(),
        acr: None,
    }
}

fn ok_for(client: &str, secs: u64) -> Answer {
    Answer {
        result: Ok(caller(client)),
        until: Instant::now() + Duration::from_secs(secs),
    }
}

/// A fetch that counts its calls; the answer is made at each call, so that
/// its `until` counts from the (paused) clock's now.
fn counting<'a>(
    calls: &'a AtomicUsize,
    answer: impl Fn() -> Answer + 'a,
) -> impl Fn() -> std::future::Ready<Answer> + 'a {
    move || {
        calls.fetch_add(1, Ordering::SeqCst);
        std::future::ready(answer())
    }
}

#[test]
fn hash_is_not_the_token() {
    let h = token_hash("secret-token");
    assert_eq!(h.len(), 32);
    assert_ne!(&h[..], b"secret-token");
    assert_eq!(h, token_hash("secret-token"));
}

#[tokio::test(start_paused = true)]
async fn hits_until_ttl_then_refetches() {
    let cache = IntrospectionCache::new(10);
    let calls = AtomicUsize::new(0);
    let fetch = counting(&calls, || ok_for("a", 60));
    let k = token_hash("t");
    assert!(cache.get_or_fetch(k, &fetch).await.is_ok());
    assert!(cache.get_or_fetch(k, &fetch).await.is_ok());
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    tokio::time::advance(Duration::from_secs(61)).await;
    assert!(cache.get_or_fetch(k, &fetch).await.is_ok());
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let s = cache.stats();
    assert_eq!((s.hits, s.misses, s.entries), (1, 2, 1));
}

#[tokio::test(start_paused = true)]
async fn inactive_answers_are_cached_briefly_and_failures_not_at_all() {
    let cache = IntrospectionCache::new(10);
    let calls = AtomicUsize::new(0);
    let inactive = counting(&calls, || Answer {
        result: Err(TokenError::Inactive),
        until: Instant::now() + Duration::from_secs(10),
    });
    let k = token_hash("revoked");
    assert_eq!(
        cache.get_or_fetch(k, &inactive).await,
        Err(TokenError::Inactive)
    );
    tokio::time::advance(Duration::from_secs(9)).await;
    assert_eq!(
        cache.get_or_fetch(k, &inactive).await,
        Err(TokenError::Inactive)
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    tokio::time::advance(Duration::from_secs(2)).await;
    assert_eq!(
        cache.get_or_fetch(k, &inactive).await,
        Err(TokenError::Inactive)
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    let down = counting(&calls, || Answer {
        result: Err(TokenError::Unavailable("down".into())),
        until: Instant::now(),
    });
    let k = token_hash("while-down");
    assert!(cache.get_or_fetch(k, &down).await.is_err());
    assert!(cache.get_or_fetch(k, &down).await.is_err());
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert_eq!(cache.stats().entries, 1, "the failure left no entry");
}

#[tokio::test(start_paused = true)]
async fn bounded_with_soonest_expiry_evicted() {
    let cache = IntrospectionCache::new(16);
    for i in 0..16u64 {
        let k = token_hash(&i.to_string());
        cache
            .get_or_fetch(k, || async move { ok_for("x", 100 + i) })
            .await
            .unwrap();
    }
    assert_eq!(cache.stats().entries, 16);
    cache
        .get_or_fetch(token_hash("new"), || async { ok_for("x", 1000) })
        .await
        .unwrap();
    let s = cache.stats();
    assert_eq!(s.entries, 16 - 2 + 1);
    assert_eq!(s.evictions, 2);
    // The two soonest to expire (0 and 1) went; 2 is still a hit.
    let refetched = AtomicUsize::new(0);
    for (i, want_hit) in [(0, false), (2, true), (15, true)] {
        let before = refetched.load(Ordering::SeqCst);
        cache
            .get_or_fetch(token_hash(&i.to_string()), || async {
                refetched.fetch_add(1, Ordering::SeqCst);
                ok_for("x", 5)
            })
            .await
            .unwrap();
        assert_eq!(refetched.load(Ordering::SeqCst) == before, want_hit, "{i}");
    }
    // Expired entries are dropped first.
    tokio::time::advance(Duration::from_secs(500)).await;
    for i in 100..120u64 {
        cache
            .get_or_fetch(token_hash(&i.to_string()), || async { ok_for("y", 50) })
            .await
            .unwrap();
        assert!(cache.stats().entries <= 16);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_misses_share_one_fetch() {
    let cache = Arc::new(IntrospectionCache::new(10));
    let calls = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (cache, calls) = (Arc::clone(&cache), Arc::clone(&calls));
        tasks.push(tokio::spawn(async move {
            cache
                .get_or_fetch(token_hash("same"), || async {
                    calls.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    ok_for("a", 60)
                })
                .await
        }));
    }
    for t in tasks {
        assert!(t.await.unwrap().is_ok());
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let s = cache.stats();
    assert_eq!(s.misses, 1);
    assert_eq!(s.hits + s.coalesced, 49);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_leader_hands_over() {
    let cache = Arc::new(IntrospectionCache::new(10));
    let k = token_hash("t");
    let leader = {
        let cache = Arc::clone(&cache);
        tokio::spawn(async move {
            cache
                .get_or_fetch(k, || async {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                    ok_for("slow", 60)
                })
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    let follower = {
        let cache = Arc::clone(&cache);
        tokio::spawn(async move { cache.get_or_fetch(k, || async { ok_for("fast", 60) }).await })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    leader.abort();
    let got = tokio::time::timeout(Duration::from_secs(5), follower)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(got.client_id.as_deref(), Some("fast"));
}
