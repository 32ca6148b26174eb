//! The use cases over the reference store: what each returns and refuses.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/fixtures.rs"]
mod fixtures;

use std::sync::Arc;
use std::time::Duration;

use fixtures::{CITIZEN, NOW, caller, login, record, service_with};
use innsyn_app::citizen::{ExportRequest, ViewRequest};
use innsyn_app::{Admin, AppError, Ports, Service, Settings, Writer};
use innsyn_domain::records::MAX_BATCH;
use innsyn_domain::{AccessHistoryParams, ActivityRecord, Denied, SubjectId};
use innsyn_ports::{AccessToken, MockTokenIntrospector};
use innsyn_store_memory::MemoryStore;
use innsyn_test_support::FixedClock;
use time::macros::datetime;

#[tokio::test]
async fn login_history_shows_the_callers_organisation_only() {
    let s = service_with(None, None);
    let w = Writer::operator();
    s.ingest_login_events(
        &w,
        vec![
            login(datetime!(2024-05-10 10:00 UTC), "991825827"),
            login(datetime!(2024-05-11 10:00 UTC), "889640782"),
        ],
    )
    .await
    .unwrap();
    let mine = s
        .login_history(
            &caller("idporten:user.log.read", Some("991825827")),
            Some("10"),
        )
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    let denied = s
        .login_history(&caller("history:read", Some("991825827")), None)
        .await;
    assert!(matches!(
        denied,
        Err(AppError::Denied(Denied::MissingScope { .. }))
    ));
    let bad = s
        .login_history(
            &caller("idporten:user.log.read", Some("991825827")),
            Some("0"),
        )
        .await;
    assert!(matches!(bad, Err(AppError::InvalidParams(p)) if p.params()[0].name == "maxhits"));
}

#[tokio::test]
async fn access_history_names_user_id_knows_unknown_owners_and_pages() {
    let s = service_with(None, None);
    let reader = caller("history:read", None);
    let params = AccessHistoryParams {
        start_time: Some("-30d".into()),
        ..AccessHistoryParams::default()
    };
    let bad = s.access_history(&reader, "a b", &params).await;
    assert!(matches!(bad, Err(AppError::InvalidParams(p)) if p.params()[0].name == "userId"));
    let unknown = s.access_history(&reader, CITIZEN, &params).await;
    assert!(
        matches!(unknown, Err(AppError::UnknownOwner)),
        "{unknown:?}"
    );
    s.ingest_access_records(
        &Writer::operator(),
        vec![
            record(1, "2024-05-10T10:00:00Z"),
            record(2, "2024-05-11T10:00:00Z"),
        ],
    )
    .await
    .unwrap();
    let page = s
        .access_history(
            &reader,
            CITIZEN,
            &AccessHistoryParams {
                count: Some("1".into()),
                ..params.clone()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.page.entries.len(), 1);
    assert!(page.next_cursor().is_some());
    assert_eq!(page.next_start_index(), 1);
    let validated = s
        .access_history(
            &reader,
            CITIZEN,
            &AccessHistoryParams {
                application: Some("Ukjent".into()),
                validate: Some(String::new()),
                ..params
            },
        )
        .await;
    assert!(
        matches!(validated, Err(AppError::InvalidParams(p)) if p.params()[0].name == "application")
    );
}

#[tokio::test]
async fn ingestion_refuses_oversized_batches_and_tokens_without_the_scope() {
    let s = service_with(None, None);
    let big = vec![login(NOW, "991825827"); MAX_BATCH + 1];
    let refused = s.ingest_login_events(&Writer::operator(), big).await;
    assert!(matches!(refused, Err(AppError::BatchTooLarge { max }) if max == MAX_BATCH));

    let mut tokens = MockTokenIntrospector::new();
    tokens
        .expect_introspect()
        .returning(|_| Ok(caller("history:read", None)));
    let s = service_with(Some(tokens), None);
    let denied = s.writer(&AccessToken::new("t")).await;
    assert!(matches!(denied, Err(AppError::Denied(_))));
    let no_validator = service_with(None, None).admin(&AccessToken::new("t")).await;
    assert!(matches!(no_validator, Err(AppError::Token(_))));
}

#[tokio::test]
async fn ingestion_refuses_events_past_the_skew_by_the_services_clock() {
    let s = Service::new(
        Ports {
            clock: Arc::new(FixedClock::at(NOW)),
            ..Ports::over(Arc::new(MemoryStore::new()))
        },
        Settings {
            max_future_skew: Duration::from_secs(60),
            ..Settings::default()
        },
    );
    let w = Writer::operator();
    let skew = time::Duration::seconds(60);
    let ok = s
        .ingest_login_events(&w, vec![login(NOW + skew, "991825827")])
        .await
        .unwrap();
    assert_eq!(ok.accepted, 1);
    let late = s
        .ingest_login_events(
            &w,
            vec![
                login(NOW, "991825827"),
                login(NOW + skew + time::Duration::seconds(1), "991825827"),
            ],
        )
        .await;
    let Err(AppError::InvalidParams(p)) = late else {
        panic!("{late:?}")
    };
    assert_eq!(p.params()[0].name, "[1].event_created");
    assert_eq!(
        p.params()[0].reason,
        "must not be more than 60 seconds after the service's clock"
    );
    let records = s
        .ingest_access_records(
            &w,
            vec![
                record(1, "2024-05-15T12:01:00Z"),
                record(2, "2024-05-15T14:01:01+02:00"),
            ],
        )
        .await;
    let Err(AppError::InvalidParams(p)) = records else {
        panic!("{records:?}")
    };
    let names: Vec<_> = p.params().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["[1].timestamp"]);
    // `innsyn import` validates each line the same way.
    let line = s.validate_login_event(login(NOW + time::Duration::hours(1), "991825827"));
    assert_eq!(line.unwrap_err().params()[0].name, "event_created");
}

#[tokio::test]
async fn ingestion_refuses_a_subject_that_is_not_an_identity_number() {
    let s = service_with(None, None);
    let refused = s
        .ingest_login_events(
            &Writer::operator(),
            vec![ActivityRecord {
                event_subject_pid: Some("12345678901".into()),
                ..login(NOW, "991825827")
            }],
        )
        .await;
    let Err(AppError::InvalidParams(p)) = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(
        p.to_string(),
        "[0].event_subject_pid: not a valid national identity number: the check digits do not match"
    );
}

#[tokio::test]
async fn retention_uses_the_configured_months() {
    assert!(
        service_with(None, None)
            .run_retention(&Admin::operator())
            .await
            .unwrap()
            .is_none()
    );
    let s = service_with(None, Some(12));
    s.ingest_login_events(
        &Writer::operator(),
        vec![
            login(datetime!(2023-05-14 12:00 UTC), "991825827"),
            login(datetime!(2023-05-16 12:00 UTC), "991825827"),
        ],
    )
    .await
    .unwrap();
    let run = s.run_retention(&Admin::operator()).await.unwrap().unwrap();
    assert_eq!(run.cutoff, datetime!(2023-05-15 12:00 UTC));
    assert_eq!(run.removed.login_events, 1);
    let stats = s.retention_stats();
    assert_eq!((stats.running, stats.runs, stats.batches), (0, 1, 1));
    assert_eq!((stats.login_events, stats.access_records), (1, 0));
}

#[tokio::test]
async fn the_citizen_sees_every_service_and_exports_everything() {
    let s = service_with(None, None);
    let w = Writer::operator();
    s.ingest_login_events(
        &w,
        (0..3)
            .map(|d| {
                login(
                    datetime!(2024-05-01 08:00 UTC) + time::Duration::days(d),
                    "991825827",
                )
            })
            .collect(),
    )
    .await
    .unwrap();
    s.ingest_access_records(&w, vec![record(1, "2024-05-10T10:00:00Z")])
        .await
        .unwrap();
    let subject = SubjectId::parse(CITIZEN).unwrap();
    let view = s
        .citizen_view(
            &subject,
            &ViewRequest {
                period: None,
                service: None,
                decision: None,
                only_flagged: false,
                login_page: 0,
                access_page: 0,
                page_size: 2,
            },
        )
        .await
        .unwrap();
    assert_eq!(view.logins.len(), 2);
    assert!(view.logins_more);
    assert_eq!(view.access.len(), 1);
    let ids: Vec<_> = view.services.iter().map(|o| o.client_id.as_str()).collect();
    assert_eq!(ids, ["nav", "svc"]);
    let export = s
        .citizen_export(
            &subject,
            ExportRequest {
                logins: true,
                access: false,
                proofs: false,
            },
        )
        .await
        .unwrap();
    assert_eq!((export.logins.len(), export.access.len()), (3, 0));
    assert_eq!(export.generated_at, NOW);
}
