use innsyn_domain::records::{is_read_resource, validate_batch};
use innsyn_domain::{AccessRecord, LoginEvent};
use time::macros::datetime;

use super::*;

#[test]
fn demo_data_is_valid_and_stable() {
    let now = datetime!(2024-05-15 12:00 UTC);
    for s in &SERVICES {
        assert!(OrgNumber::parse(s.orgno).is_ok(), "{}", s.orgno);
    }
    let a = generate(now);
    assert_eq!(a.events.len(), 125);
    assert_eq!(a.records.len(), 99);
    let reads = a.records.iter().filter(|r| is_read_resource(&r.resource));
    assert_eq!(reads.filter(|r| r.purpose == "audit").count(), 3);
    validate_batch(a.events.clone(), LoginEvent::from_activity).unwrap();
    validate_batch(a.records.clone(), AccessRecord::from_input).unwrap();
    let eids: std::collections::BTreeSet<_> =
        a.events.iter().filter_map(|e| e.auth_eid.clone()).collect();
    assert_eq!(eids.len(), 4, "{eids:?}");
    assert_eq!(generate(now).events, a.events);
    // One open case, about a look-up of the first citizen's own.
    let [(pid, item, _)] = &a.disputes[..] else {
        panic!("one demo case, not {}", a.disputes.len());
    };
    let id = item.strip_prefix("access.").unwrap();
    assert!(a.records.iter().any(|r| r.id == id && &r.user_id == pid));
}

/// The page's marks on the demo citizens: at most 15 % of each one's
/// logins, and every planted odd login among them.
#[test]
fn demo_marks_are_few_and_catch_the_odd_logins() {
    use innsyn_domain::disputes::LoginKey;
    use innsyn_domain::{LoginHistoryEntry, Zone, login_flags};

    for now in [
        datetime!(2024-05-15 12:00 UTC),
        datetime!(2026-12-07 02:30 UTC),
    ] {
        let data = generate(now);
        for (pid, _) in CITIZENS {
            let mine: Vec<_> = data
                .events
                .iter()
                .filter(|e| e.event_subject_pid.as_deref() == Some(pid))
                .collect();
            let entries: Vec<LoginHistoryEntry> = mine
                .iter()
                .map(|e| LoginHistoryEntry {
                    key: LoginKey::new(e.correlation_id.clone().unwrap().into_bytes()),
                    occurred_at: OffsetDateTime::from_unix_timestamp_nanos(
                        i128::from(e.event_created) * 1_000_000,
                    )
                    .unwrap(),
                    service_name: e.service_provider_name.clone(),
                    eid: e.auth_eid.clone(),
                    method: e.auth_method.clone(),
                    client_id: e.service_provider_id.clone(),
                    orgno: None,
                })
                .collect();
            assert!(entries.iter().all(|e| e.occurred_at <= now));
            let flags = login_flags(&entries, Zone::oslo());
            let marked = flags.iter().filter(|f| !f.is_empty()).count();
            assert!(
                marked * 100 <= 15 * entries.len(),
                "{marked} of {} marked at {now}: {flags:?}",
                entries.len()
            );
            for (e, f) in mine.iter().zip(&flags) {
                let id = &e.extra_data.as_ref().unwrap()["event_id"];
                if id.starts_with("demo-odd-") {
                    assert!(!f.is_empty(), "{id} is not marked");
                }
            }
        }
    }
}
