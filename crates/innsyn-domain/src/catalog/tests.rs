use super::*;
use crate::params::InvalidParams;

fn fields(e: &InvalidParams) -> Vec<&str> {
    e.params().iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn client_entries_are_trimmed_and_checked() {
    let c =
        ClientEntry::validate(" nav-minside ", "NAV Min side\t", Some("0192:889640782")).unwrap();
    assert_eq!(c.client_id, "nav-minside");
    assert_eq!(c.application, "NAV Min side");
    assert_eq!(c.orgno.unwrap().as_str(), "889640782");
    for blank in [None, Some(""), Some("  ")] {
        assert_eq!(ClientEntry::validate("a", "b", blank).unwrap().orgno, None);
    }
}

#[test]
fn client_entries_report_every_bad_field() {
    let e = ClientEntry::validate("  ", "x\u{7}y", Some("123456789")).unwrap_err();
    assert_eq!(fields(&e), ["clientId", "application", "orgno"]);
    assert_eq!(e.params()[0].reason, "is required");
    assert!(e.params()[1].reason.contains("control characters"));
}

#[test]
fn names_are_at_most_one_kib() {
    let exactly = "a".repeat(MAX_NAME_LEN);
    assert!(ClientEntry::validate(&exactly, "b", None).is_ok());
    let over = "a".repeat(MAX_NAME_LEN + 1);
    let e = ClientEntry::validate(&over, "b", None).unwrap_err();
    assert_eq!(fields(&e), ["clientId"]);
    assert!(!e.params()[0].reason.contains(&over), "no value echoed");
    // Bytes, not characters: 513 two-byte characters are too long.
    let wide = "ø".repeat(MAX_NAME_LEN / 2 + 1);
    assert!(ResourceEntry::validate(&wide, None).is_err());
}

#[test]
fn resource_entries_are_trimmed_and_checked() {
    let r = ResourceEntry::validate(
        " skattemelding ",
        Some(" urn:altinn:resource:skattemelding "),
    )
    .unwrap();
    assert_eq!(r.name, "skattemelding");
    assert_eq!(r.urn.as_deref(), Some("urn:altinn:resource:skattemelding"));
    assert_eq!(ResourceEntry::validate("r", Some(" ")).unwrap().urn, None);
    let e = ResourceEntry::validate("", Some("urn:\u{1b}x")).unwrap_err();
    assert_eq!(fields(&e), ["name", "urn"]);
}
