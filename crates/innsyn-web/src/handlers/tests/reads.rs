//! The section "Hvem har sett historikken din".

use innsyn_domain::records::{HistoryKind, HistoryRead, ReadPurpose, Reader};

use super::*;

fn read(n: u128, minutes_ago: i64, kind: HistoryKind, purpose: ReadPurpose) -> AccessRecord {
    HistoryRead {
        id: uuid::Uuid::from_u128(1_000 + n),
        at: NOW - time::Duration::minutes(minutes_ago),
        owner: SubjectId::parse(CITIZEN).unwrap(),
        kind,
        purpose,
        reader: Reader {
            client_id: Some(format!("reader-{n}")),
            application: Some(format!("Leser {n}")),
            orgno: None,
        },
        rows: 3,
    }
    .to_record()
    .unwrap()
}

/// The part of the page from the section's heading to the next section.
fn section(body: &str) -> &str {
    let start = body
        .find("id=\"lesinger\"")
        .expect("the section is on the page");
    let rest = &body[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

#[actix_web::test]
async fn reads_of_the_history_are_listed_newest_first_in_plain_words() {
    let store = seeded_store();
    let mut reads: Vec<_> = (0..11)
        .map(|n| {
            read(
                n,
                60 + i64::try_from(n).unwrap(),
                HistoryKind::Access,
                ReadPurpose::Innsyn,
            )
        })
        .collect();
    reads.push(read(99, 5, HistoryKind::Login, ReadPurpose::Audit));
    store.append_access_records(&reads).unwrap();
    let s = state_with(WebSettings::default(), store);
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    let body = body_text(get(&s, "/min-side", Some(cookie)).await);
    let section = section(&body);
    assert!(
        section.contains("Hvem har sett historikken din"),
        "{section}"
    );
    assert_eq!(section.matches("<time ").count(), 10, "the newest ten");
    let newest = section.find("Leser 99").expect("the audit read is shown");
    assert!(newest < section.find("Leser 0").unwrap(), "newest first");
    assert!(
        !section.contains("Leser 10"),
        "the eleventh-newest is left out"
    );
    assert!(section.contains("Innloggingene dine") && section.contains("Tilsyn eller revisjon"));
    assert!(section.contains("Oppslagene i opplysningene dine"));
    // They are look-ups too, so the look-up table shows them as well.
    assert!(body.contains("innsyn:access-history"));
}

#[actix_web::test]
async fn no_reads_says_so_in_both_languages() {
    let s = state();
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    let body = body_text(get(&s, "/min-side", Some(cookie.clone())).await);
    assert!(section(&body).contains("Ingen har lest historikken din."));
    let body = body_text(get(&s, "/min-side?lang=en", Some(cookie)).await);
    assert!(section(&body).contains("Nobody has read your history."));
}

#[actix_web::test]
async fn a_download_is_recorded_as_a_read_and_a_page_view_is_not() {
    let store = seeded_store();
    let s = state_with(WebSettings::default(), store.clone());
    let (cookie, _) = logged_in(&s, CITIZEN).await;
    let by_page = || {
        let window = innsyn_domain::TimeWindow {
            start: NOW - time::Duration::days(1),
            end: NOW + time::Duration::seconds(1),
        };
        let q = innsyn_domain::AccessHistoryQuery::new(SubjectId::parse(CITIZEN).unwrap(), window);
        match store.access_history(&q).unwrap() {
            innsyn_ports::AccessHistoryAnswer::Page(p) => p
                .entries
                .into_iter()
                .filter(|e| e.client_id == "innsyn-min-side")
                .map(|e| (e.resource, e.purpose, e.application))
                .collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        get(&s, "/min-side", Some(cookie.clone())).await.status(),
        StatusCode::OK
    );
    assert!(by_page().is_empty(), "views are not recorded");
    let file = get(&s, "/min-side/eksport/historikk.json", Some(cookie)).await;
    assert_eq!(file.status(), StatusCode::OK);
    let mut recorded = by_page();
    recorded.sort();
    let row = |r: &str| {
        (
            r.to_owned(),
            "innsyn".to_owned(),
            "innsyn (Min side)".to_owned(),
        )
    };
    assert_eq!(
        recorded,
        [row("innsyn:access-history"), row("innsyn:login-history")]
    );
}
