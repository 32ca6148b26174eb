use time::macros::datetime;

use super::*;

#[test]
fn eid_labels_follow_the_seed() {
    let mut entry = LoginHistoryEntry {
        key: crate::disputes::LoginKey::new(vec![1]),
        occurred_at: datetime!(2019-03-07 08:26:36 UTC),
        service_name: None,
        eid: Some("MinID".into()),
        method: Some("PIN".into()),
        client_id: None,
        orgno: Some("991825827".parse().unwrap()),
    };
    assert_eq!(entry.eid_label(), "MinID PIN");
    entry.eid = Some("Federated".into());
    entry.method = None;
    assert_eq!(entry.eid_label(), "Federated");
}
