use super::*;
use crate::OrgNumber;

#[test]
fn labels_are_validated_field_by_field() {
    let l = LabelEntry::validate("action", " read ", "leste", Some(" ")).unwrap();
    assert_eq!(
        (l.kind, l.name.as_str(), l.nb.as_str(), l.en.as_deref()),
        (LabelKind::Action, "read", "leste", None)
    );
    assert_eq!(l.text(true), "leste", "bokmål stands in for English");
    let err = LabelEntry::validate("verb", "", "x\u{7}", None).unwrap_err();
    let names: Vec<_> = err.params().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["kind", "name", "nb"]);
}

#[test]
fn organisations_need_a_valid_number_and_a_name() {
    let o = OrganisationEntry::validate("0192:889640782", "NAV").unwrap();
    assert_eq!((o.orgno.as_str(), o.name.as_str()), ("889640782", "NAV"));
    let err = OrganisationEntry::validate("889640781", " ").unwrap_err();
    let names: Vec<_> = err.params().iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["orgno", "name"]);
}

#[test]
fn plain_names_answer_what_they_hold() {
    let mut names = PlainNames::default();
    let nav: OrgNumber = "889640782".parse().unwrap();
    names.organisations.insert(nav.clone(), "NAV".into());
    let label = LabelEntry::validate(
        "purpose",
        "saksbehandling",
        "saksbehandling",
        Some("case handling"),
    )
    .unwrap();
    names.labels.insert((label.kind, label.name.clone()), label);
    assert_eq!(names.organisation(&nav), Some("NAV"));
    assert_eq!(
        names.label(LabelKind::Purpose, "saksbehandling", true),
        Some("case handling")
    );
    assert_eq!(
        names.label(LabelKind::Resource, "saksbehandling", false),
        None
    );
    assert_eq!(LabelKind::parse("resource"), Some(LabelKind::Resource));
    assert_eq!(LabelKind::parse("Resource"), None);
}
