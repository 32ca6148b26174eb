//! `/v1/log/*`: public, no token; the key, the latest checkpoint, and
//! consistency proofs that verify against two checkpoints' roots; and
//! `/v1/me/export`, the citizen's verifiable file.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::test::TestRequest;
use innsyn_app::{LogSettings, Ports, Service, Settings};
use innsyn_ports::{HistoryStore, MockTokenIntrospector};
use innsyn_store_contract::fixtures::{access, subject};
use innsyn_store_memory::MemoryStore;
use innsyn_tlog::note::{NoteSigner, VerifierKey};
use innsyn_tlog::{Checkpoint, Hash, decode_hash, verify_consistency};

use innsyn_app::citizen::{HistoryDocument, verify_export};

use crate::support::{
    ALICE, ORG, Setup, alice, caller, get, header_of, json_of, param_names, problem, seeded,
    text_of, tokens_for,
};

fn signing() -> Settings {
    Settings {
        log: LogSettings {
            signer: Some(Arc::new(
                NoteSigner::from_seed("innsyn.test/log", &[3; 32]).unwrap(),
            )),
            ..LogSettings::default()
        },
        ..Settings::default()
    }
}

fn setup(store: &Arc<MemoryStore>, settings: Settings) -> Setup {
    let mut s = Setup::over(Arc::clone(store), MockTokenIntrospector::new());
    s.settings = settings;
    s
}

fn anonymous(uri: &str) -> TestRequest {
    TestRequest::get().uri(uri)
}

#[actix_web::test]
async fn the_log_publishes_its_key_checkpoint_and_consistency_proofs() {
    let alice = subject(1);
    let store = seeded(&[], &[access(&alice, 1, 5), access(&alice, 2, 6)]);
    let call = |uri: &str| setup(&store, signing()).call(anonymous(uri));
    problem(call("/v1/log/checkpoint").await, 404).await;
    let res = call("/v1/log/key").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header_of(&res, header::CONTENT_TYPE).as_deref(),
        Some("text/plain; charset=utf-8")
    );
    let key: VerifierKey = text_of(res).await.trim().parse().unwrap();
    // The server's own builder runs on a timer; here another service over
    // the same store builds and signs.
    let builder = Service::new(Ports::over(Arc::clone(&store)), signing());
    let first = builder.build_log().await.unwrap();
    store
        .append_access_records(&[
            access(&alice, 3, 7),
            access(&alice, 4, 8),
            access(&alice, 5, 9),
        ])
        .unwrap();
    let second = builder.build_log().await.unwrap();
    let note = text_of(call("/v1/log/checkpoint").await).await;
    let cp = Checkpoint::open(note.as_bytes(), &key).unwrap();
    assert_eq!((cp.size, cp.root), (second.size, second.root));
    let uri = format!(
        "/v1/log/proof/consistency?from={}&to={}",
        first.size, second.size
    );
    let body = json_of(call(&uri).await).await;
    let proof: Vec<Hash> = body["proof"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| decode_hash(h.as_str().unwrap()).unwrap())
        .collect();
    verify_consistency(first.size, second.size, &first.root, &second.root, &proof).unwrap();
}

#[actix_web::test]
async fn bad_sizes_are_named_and_no_key_is_404() {
    let store = seeded(&[], &[access(&subject(1), 1, 5)]);
    Service::new(Ports::over(Arc::clone(&store)), signing())
        .build_log()
        .await
        .unwrap();
    for (uri, names) in [
        ("/v1/log/proof/consistency", vec!["from", "to"]),
        ("/v1/log/proof/consistency?from=a&to=1", vec!["from"]),
        ("/v1/log/proof/consistency?from=0&to=2", vec!["to"]),
        ("/v1/log/proof/consistency?from=1&to=0", vec!["from"]),
    ] {
        let body = problem(setup(&store, signing()).call(anonymous(uri)).await, 400).await;
        assert_eq!(param_names(&body), names, "{uri}");
    }
    let res = setup(&store, Settings::default())
        .call(anonymous("/v1/log/key"))
        .await;
    problem(res, 404).await;
}

#[actix_web::test]
async fn a_citizen_downloads_a_file_that_verifies_and_nobody_else_does() {
    let alice = alice();
    let store = seeded(&[], &[access(&alice, 1, 5), access(&alice, 2, 6)]);
    let with = |scopes: &str, subject: Option<&str>| {
        let mut s = Setup::over(
            Arc::clone(&store),
            tokens_for(caller(subject, Some(ORG), scopes)),
        );
        s.settings = signing();
        s
    };
    let res = with("history:read", Some(ALICE))
        .call(get("/v1/me/export"))
        .await;
    assert_eq!(res.status(), 200);
    let doc: HistoryDocument = serde_json::from_value(json_of(res).await).unwrap();
    let key = signing().log.signer.unwrap().verifier().clone();
    let verdict = verify_export(&doc, Some(&key), None).unwrap();
    assert_eq!(verdict.records, 2);
    problem(
        with("history:write", Some(ALICE))
            .call(get("/v1/me/export"))
            .await,
        403,
    )
    .await;
    problem(
        with("history:read", None).call(get("/v1/me/export")).await,
        403,
    )
    .await;
    problem(
        with("history:read", Some(ALICE))
            .call(anonymous("/v1/me/export"))
            .await,
        401,
    )
    .await;
}
