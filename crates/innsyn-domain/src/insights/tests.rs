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

#[test]
fn first_use_of_a_service_is_flagged_after_some_history() {
    // The second login there is no longer news.
    assert_eq!(
        flags_of_each(habit(5), &[nav(0), nav(1)]),
        [vec![LoginFlag::NewService], vec![]]
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
fn first_use_of_an_eid_or_method_is_flagged() {
    // Same eID, another method is another combination.
    let news = [
        login(datetime!(2024-02-01 09:30 UTC), "skatt", "MinID", "PIN"),
        login(datetime!(2024-02-02 09:30 UTC), "skatt", "MinID", "OTC"),
    ];
    assert_eq!(
        flags_of_each(habit(5), &news),
        [vec![LoginFlag::NewEid], vec![LoginFlag::NewEid]]
    );
}

#[test]
fn rare_night_logins_are_flagged_in_local_time() {
    let mut events = habit(3);
    // 01:30 UTC in January is 02:30 in Oslo.
    events.push(usual(datetime!(2024-02-01 01:30 UTC)));
    assert_eq!(flags_of_last(&events), [LoginFlag::Night { local_hour: 2 }]);
    // 23:30 UTC is 00:30 the next day in Oslo: night, though UTC says not.
    let late = vec![usual(datetime!(2024-02-01 23:30 UTC))];
    assert_eq!(flags_of_last(&late), [LoginFlag::Night { local_hour: 0 }]);
    // 05:30 Oslo is night; 06:00 Oslo is not.
    let dawn = |utc| flags_of_last(&[usual(utc)]);
    assert_eq!(
        dawn(datetime!(2024-02-01 04:30 UTC)),
        [LoginFlag::Night { local_hour: 5 }]
    );
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
fn unusual_hours_need_ten_earlier_logins_and_a_rare_band() {
    let evening = |events: &mut Vec<LoginHistoryEntry>| {
        // 21:15 Oslo.
        events.push(usual(datetime!(2024-03-01 20:15 UTC)));
    };
    let mut short = habit(9);
    evening(&mut short);
    assert_eq!(flags_of_last(&short), []);
    let mut long = habit(10);
    evening(&mut long);
    assert_eq!(
        flags_of_last(&long),
        [LoginFlag::UnusualHour { local_hour: 21 }]
    );
    // A neighbouring hour is not unusual: 11:00 is within an hour of 10:00.
    let mut near = habit(10);
    near.push(usual(datetime!(2024-03-01 10:00 UTC)));
    assert_eq!(flags_of_last(&near), []);
}

#[test]
fn the_share_rule_is_below_ten_percent() {
    // 20 morning logins and 2 evening ones: the third evening login has
    // 2 of 22 (9 %) in its band, still rare; after 3 of 23 (13 %) it is not.
    let mut events = habit(20);
    for d in 0..3 {
        events.push(usual(datetime!(2024-03-01 20:15 UTC) + Duration::days(d)));
    }
    let flags = login_flags(&events, Zone::oslo());
    assert_eq!(flags[20], [LoginFlag::UnusualHour { local_hour: 21 }]);
    assert_eq!(flags[22], [LoginFlag::UnusualHour { local_hour: 21 }]);
    events.push(usual(datetime!(2024-03-10 20:15 UTC)));
    assert_eq!(flags_of_last(&events), []);
}

#[test]
fn input_order_does_not_matter_and_results_align() {
    let mut events = habit(5);
    events.push(nav(0));
    events.reverse(); // newest first, as the stores return them
    let flags = login_flags(&events, Zone::oslo());
    assert_eq!(flags[0], [LoginFlag::NewService]);
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
    assert_eq!(LoginFlag::NewService.code(), "new-service");
    assert_eq!(LoginFlag::NewEid.code(), "new-eid");
    assert_eq!(LoginFlag::Night { local_hour: 1 }.code(), "night");
    assert_eq!(
        LoginFlag::UnusualHour { local_hour: 1 }.code(),
        "unusual-hour"
    );
}
