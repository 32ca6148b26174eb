//! One view of the citizen's page: the counts above the login table come
//! from the rows it pages through, "bare merkede" pages through the marked
//! ones, and the catalog's plain words come with the rows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/fixtures.rs"]
mod fixtures;

use fixtures::{CITIZEN, login, record, service_with};
use innsyn_app::citizen::ViewRequest;
use innsyn_app::{Admin, Writer};
use innsyn_domain::{ClientEntry, LabelEntry, LabelKind, LoginFlag, OrganisationEntry, SubjectId};
use time::Duration;
use time::macros::datetime;

fn request(only_flagged: bool, login_page: u64) -> ViewRequest {
    ViewRequest {
        period: None,
        service: None,
        decision: None,
        only_flagged,
        login_page,
        access_page: 0,
        page_size: 5,
    }
}

#[tokio::test]
async fn marked_logins_are_counted_and_paged_as_shown() {
    let s = service_with(None, None);
    // Twelve mornings (10:00 Oslo), then three nights (03:00 Oslo): the
    // third, after two of fourteen, is a habit by then and not marked.
    let mornings = (0..12).map(|d| {
        login(
            datetime!(2024-03-01 09:00 UTC) + Duration::days(d),
            "991825827",
        )
    });
    let nights = (0..3).map(|d| {
        login(
            datetime!(2024-04-01 01:00 UTC) + Duration::days(d * 7),
            "991825827",
        )
    });
    s.ingest_login_events(&Writer::operator(), mornings.chain(nights).collect())
        .await
        .unwrap();
    let subject = SubjectId::parse(CITIZEN).unwrap();

    let all = s.citizen_view(&subject, &request(false, 0)).await.unwrap();
    assert_eq!((all.logins_in_view, all.flagged_in_view), (15, 2));
    assert_eq!(all.logins.len(), 5);

    let marked = s.citizen_view(&subject, &request(true, 0)).await.unwrap();
    assert_eq!((marked.logins_in_view, marked.flagged_in_view), (15, 2));
    assert_eq!(marked.logins.len(), 2);
    assert!(!marked.logins_more);
    assert!(marked.logins.iter().all(|row| matches!(
        row.flags[..],
        [LoginFlag::Night {
            local_hour: 3,
            usual: Some(_)
        }]
    )));
    let past = s.citizen_view(&subject, &request(true, 1)).await.unwrap();
    assert!(past.logins.is_empty() && !past.logins_more);
}

#[tokio::test]
async fn a_view_carries_the_catalogs_words_for_its_rows() {
    let s = service_with(None, None);
    let admin = Admin::operator();
    s.ingest_access_records(&Writer::operator(), vec![record(1, "2024-05-10T10:00:00Z")])
        .await
        .unwrap();
    s.put_client(
        &admin,
        ClientEntry::validate("nav", "NAV Min side", Some("889640782")).unwrap(),
    )
    .await
    .unwrap();
    s.put_organisation(
        &admin,
        OrganisationEntry::validate("889640782", "NAV").unwrap(),
    )
    .await
    .unwrap();
    s.put_label(
        &admin,
        LabelEntry::validate("action", "read", "leste", Some("read")).unwrap(),
    )
    .await
    .unwrap();
    let subject = SubjectId::parse(CITIZEN).unwrap();
    let view = s.citizen_view(&subject, &request(false, 0)).await.unwrap();
    let names = &view.names;
    assert_eq!(names.client("nav").unwrap().application, "NAV Min side");
    assert_eq!(
        names.organisation(&"889640782".parse().unwrap()),
        Some("NAV")
    );
    assert_eq!(names.label(LabelKind::Action, "read", false), Some("leste"));
    assert_eq!(
        names.label(LabelKind::Purpose, "saksbehandling", false),
        None
    );
    // The service filter names the service as the catalog does.
    let labels: Vec<_> = view.services.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels, ["NAV Min side"]);
}
