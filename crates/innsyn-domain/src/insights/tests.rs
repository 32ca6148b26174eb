use super::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

fn login(at: OffsetDateTime, client: &str, eid: &str, method: &str) -> LoginHistoryEntry {
    LoginHistoryEntry {
        key: crate::disputes::LoginKey::new(at.unix_timestamp().to_be_bytes().to_vec()),
        occurred_at: at,
        service_name: Some(format!("Service {client}")),
        eid: Some(eid.into()),
        method: Some(method.into()),
        client_id: Some(client.into()),
        orgno: None,
    }
}

/// A login to the person's usual service with their usual eID.
fn usual(at: OffsetDateTime) -> LoginHistoryEntry {
    login(at, "skatt", "BankID", "app")
}

/// `n` daytime logins (10:00 Oslo in winter = 09:00 UTC), one a day.
fn habit(n: i64) -> Vec<LoginHistoryEntry> {
    (0..n)
        .map(|d| usual(datetime!(2024-01-01 09:00 UTC) + Duration::days(d)))
        .collect()
}

fn flags_of_last(events: &[LoginHistoryEntry]) -> Vec<LoginFlag> {
    login_flags(events, Zone::oslo()).pop().unwrap_or_default()
}

#[test]
fn an_ordinary_history_has_no_flags() {
    let flags = login_flags(&habit(30), Zone::oslo());
    assert!(flags.iter().all(Vec::is_empty), "{flags:?}");
}

/// The flags of each of `news`, logged in one after the other after `history`.
fn flags_of_each(
    mut history: Vec<LoginHistoryEntry>,
    news: &[LoginHistoryEntry],
) -> Vec<Vec<LoginFlag>> {
    news.iter()
        .map(|new| {
            history.push(new.clone());
            flags_of_last(&history)
        })
        .collect()
}

/// A login to the NAV service with the usual eID, on 1 February (+ `days`).
fn nav(days: i64) -> LoginHistoryEntry {
    login(
        datetime!(2024-02-01 09:30 UTC) + Duration::days(days),
        "nav",
        "BankID",
        "app",
    )
}

const TEN: HourSpan = HourSpan { start: 10, len: 1 };

fn new_service(known_services: usize) -> LoginFlag {
    LoginFlag::NewService { known_services }
}

#[test]
fn first_use_of_a_service_is_flagged_after_some_history() {
    // The second login there is no longer news.
    assert_eq!(
        flags_of_each(habit(5), &[nav(0), nav(1)]),
        [vec![new_service(1)], vec![]]
    );
}

#[test]
fn a_new_persons_first_logins_are_not_news() {
    let events = vec![
        login(datetime!(2024-01-01 09:00 UTC), "a", "BankID", "app"),
        login(datetime!(2024-01-02 09:00 UTC), "b", "MinID", "PIN"),
        login(datetime!(2024-01-03 09:00 UTC), "c", "Buypass", "smartkort"),
    ];
    assert!(login_flags(&events, Zone::oslo()).iter().all(Vec::is_empty));
}

#[test]
fn first_use_of_an_eid_is_flagged_with_the_usual_one() {
    // Another eID is news; another method of it, or of the usual one, is not.
    let news = [
        login(datetime!(2024-02-01 09:30 UTC), "skatt", "MinID", "PIN"),
        login(datetime!(2024-02-02 09:30 UTC), "skatt", "MinID", "OTC"),
        login(datetime!(2024-02-03 09:30 UTC), "skatt", "BankID", "mobil"),
    ];
    assert_eq!(
        flags_of_each(habit(5), &news),
        [
            vec![LoginFlag::NewEid {
                usual: Some("BankID".into())
            }],
            vec![],
            vec![]
        ]
    );
}

#[test]
fn night_logins_without_history_are_flagged_in_local_time() {
    let mut events = habit(3);
    // 01:30 UTC in January is 02:30 in Oslo.
    events.push(usual(datetime!(2024-02-01 01:30 UTC)));
    let night = |local_hour| LoginFlag::Night {
        local_hour,
        usual: None,
    };
    assert_eq!(flags_of_last(&events), [night(2)]);
    // A second night soon after is no longer rare for this person.
    events.push(usual(datetime!(2024-02-02 01:30 UTC)));
    assert_eq!(flags_of_last(&events), []);
    // 23:30 UTC is 00:30 the next day in Oslo: night, though UTC says not.
    let late = vec![usual(datetime!(2024-02-01 23:30 UTC))];
    assert_eq!(flags_of_last(&late), [night(0)]);
    // 05:30 Oslo is night; 06:00 Oslo is not.
    let dawn = |utc| flags_of_last(&[usual(utc)]);
    assert_eq!(dawn(datetime!(2024-02-01 04:30 UTC)), [night(5)]);
    assert_eq!(dawn(datetime!(2024-02-01 05:00 UTC)), []);
}

#[test]
fn a_night_owl_is_not_flagged_for_nights() {
    let events: Vec<_> = (0..20)
        .map(|d| usual(datetime!(2024-01-01 02:00 UTC) + Duration::days(d)))
        .collect();
    assert!(
        login_flags(&events, Zone::oslo())
            .iter()
            .skip(1)
            .all(Vec::is_empty)
    );
}

#[test]
fn hours_outside_the_usual_ones_need_ten_earlier_logins() {
    // Ten mornings at 10:00 Oslo; an evening at 21:15 Oslo.
    let evening = |events: &mut Vec<LoginHistoryEntry>| {
        events.push(usual(datetime!(2024-03-01 20:15 UTC)));
    };
    let mut short = habit(9);
    evening(&mut short);
    assert_eq!(flags_of_last(&short), []);
    let mut long = habit(10);
    evening(&mut long);
    assert_eq!(
        flags_of_last(&long),
        [LoginFlag::UnusualHour {
            local_hour: 21,
            usual: TEN
        }]
    );
    // At night it is a night login, with the usual hours.
    let mut night = habit(10);
    night.push(usual(datetime!(2024-03-02 02:10 UTC)));
    assert_eq!(
        flags_of_last(&night),
        [LoginFlag::Night {
            local_hour: 3,
            usual: Some(TEN)
        }]
    );
    // Within two hours of the usual ones is not unusual: 12:00 and 08:00.
    for utc in [
        datetime!(2024-03-01 11:00 UTC),
        datetime!(2024-03-01 07:00 UTC),
    ] {
        let mut near = habit(10);
        near.push(usual(utc));
        assert_eq!(flags_of_last(&near), [], "{utc}");
    }
}

#[test]
fn an_ordinary_day_of_any_hours_is_never_marked() {
    // Logins spread over 07–22 Oslo, the hours in a shuffled turn, for 60
    // days: the afternoon is as ordinary as the morning, nothing is marked.
    let events: Vec<_> = (0..60)
        .map(|d| usual(datetime!(2024-01-01 06:20 UTC) + Duration::hours(d * 24 + (d * 7) % 16)))
        .collect();
    let flags = login_flags(&events, Zone::oslo());
    assert!(flags.iter().all(Vec::is_empty), "{flags:?}");
    // A login at 01:43 Oslo then is, and says the usual hours.
    let mut late = events.clone();
    late.push(usual(datetime!(2024-03-05 00:43 UTC)));
    let [
        LoginFlag::Night {
            local_hour: 1,
            usual: Some(span),
        },
    ] = flags_of_last(&late)[..]
    else {
        panic!("{:?}", flags_of_last(&late));
    };
    assert!(span.contains(7) || span.contains(22), "{span:?}");
    assert!(span.len >= 15 && !span.contains(3), "{span:?}");
}

#[test]
fn input_order_does_not_matter_and_results_align() {
    let mut events = habit(5);
    events.push(nav(0));
    events.reverse(); // newest first, as the stores return them
    let flags = login_flags(&events, Zone::oslo());
    assert_eq!(flags[0], [new_service(1)]);
    assert!(flags[1..].iter().all(Vec::is_empty));
}

#[test]
fn events_without_service_or_eid_are_not_news() {
    let mut events = habit(5);
    events.push(LoginHistoryEntry {
        key: crate::disputes::LoginKey::new(vec![0]),
        occurred_at: datetime!(2024-02-01 09:30 UTC),
        service_name: None,
        eid: None,
        method: None,
        client_id: None,
        orgno: None,
    });
    assert_eq!(flags_of_last(&events), []);
}

#[test]
fn codes_are_stable() {
    assert_eq!(new_service(0).code(), "new-service");
    assert_eq!(LoginFlag::NewEid { usual: None }.code(), "new-eid");
    let night = LoginFlag::Night {
        local_hour: 1,
        usual: None,
    };
    assert_eq!(night.code(), "night");
    let odd = LoginFlag::UnusualHour {
        local_hour: 1,
        usual: TEN,
    };
    assert_eq!(odd.code(), "unusual-hour");
}
