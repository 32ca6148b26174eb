use time::macros::datetime;
use uuid::Uuid;

use super::*;
use crate::identity::{CITIZEN_A, CITIZEN_B};
use crate::orgno::OrgNumber;
use crate::subject::SubjectId;

fn org(n: &str) -> OrgNumber {
    OrgNumber::parse(n).unwrap()
}

fn login_item(organisation: Option<&str>) -> DisputedItem {
    DisputedItem {
        reference: ItemRef::Login(LoginKey::new(vec![7; 32])),
        occurred_at: datetime!(2026-11-30 01:43 UTC),
        client_id: Some("nav-aap".into()),
        organisation: organisation.map(org),
        details: ItemDetails::Login {
            service_name: Some("NAV".into()),
            eid: Some("BankID".into()),
            method: None,
        },
    }
}

fn open_case() -> Dispute {
    let item = login_item(Some("889640782"));
    let msg = PlainText::message(Some("Jeg sov da.")).unwrap();
    Dispute::open(Uuid::nil(), item, msg, datetime!(2026-12-01 08:00 UTC)).unwrap()
}

#[test]
fn a_case_is_routed_to_the_items_organisation_and_starts_open() {
    let d = open_case();
    assert_eq!(d.organisation, org("889640782"));
    assert_eq!(d.status, DisputeStatus::Open);
    assert_eq!(d.opened_at, d.updated_at);
    assert!(d.answer.is_none());
}

#[test]
fn an_item_without_an_organisation_cannot_be_disputed() {
    let r = Dispute::open(
        Uuid::nil(),
        login_item(None),
        None,
        datetime!(2026-12-01 0:00 UTC),
    );
    assert_eq!(r, Err(DisputeError::NoResponsibleOrganisation));
}

#[test]
fn only_the_responsible_organisation_answers() {
    let d = open_case();
    let text = PlainText::answer("Vi ser på det.").unwrap();
    let at = datetime!(2026-12-02 09:00 UTC);
    let other = d.answer(&org("974760673"), DisputeStatus::Answered, text.clone(), at);
    assert_eq!(other, Err(DisputeError::NotResponsible));
    let answered = d
        .answer(&org("889640782"), DisputeStatus::Answered, text.clone(), at)
        .unwrap();
    assert_eq!(answered.status, DisputeStatus::Answered);
    assert_eq!(answered.answer, Some(text));
    assert_eq!(answered.updated_at, at);
    assert_eq!(answered.opened_at, d.opened_at);
}

#[test]
fn transitions_go_forward_and_stop_at_closed() {
    use DisputeStatus::*;
    let allowed: Vec<_> = DisputeStatus::ALL
        .into_iter()
        .flat_map(|a| DisputeStatus::ALL.into_iter().map(move |b| (a, b)))
        .filter(|(a, b)| a.may_become(*b))
        .collect();
    assert_eq!(
        allowed,
        [
            (Open, Answered),
            (Open, Closed),
            (Answered, Answered),
            (Answered, Closed)
        ]
    );
    let closed = open_case()
        .answer(
            &org("889640782"),
            Closed,
            PlainText::answer("Løst.").unwrap(),
            datetime!(2026-12-03 0:00 UTC),
        )
        .unwrap();
    let again = closed.answer(
        &org("889640782"),
        Answered,
        PlainText::answer("Nei.").unwrap(),
        datetime!(2026-12-04 0:00 UTC),
    );
    assert_eq!(
        again,
        Err(DisputeError::Transition {
            from: "closed",
            to: "answered"
        })
    );
    assert!(Open.holds_item() && Answered.holds_item() && !Closed.holds_item());
}

#[test]
fn an_answer_never_moves_the_version_back() {
    let d = open_case();
    let earlier = datetime!(2026-11-01 0:00 UTC);
    let a = d
        .answer(
            &org("889640782"),
            DisputeStatus::Answered,
            PlainText::answer("Ok").unwrap(),
            earlier,
        )
        .unwrap();
    assert_eq!(a.updated_at, d.updated_at);
}

#[test]
fn statuses_and_kinds_round_trip_their_names() {
    for s in DisputeStatus::ALL {
        assert_eq!(DisputeStatus::parse(s.as_str()), Some(s));
    }
    assert_eq!(DisputeStatus::parse("Open"), None);
    for k in [ItemKind::Login, ItemKind::Access] {
        assert_eq!(ItemKind::parse(k.as_str()), Some(k));
    }
}

#[test]
fn only_the_citizen_and_the_organisation_see_a_case() {
    let a = SubjectId::parse(CITIZEN_A).unwrap();
    let b = SubjectId::parse(CITIZEN_B).unwrap();
    let nav = org("889640782");
    assert!(DisputeParty::Citizen(a.clone()).may_see(&a, &nav));
    assert!(!DisputeParty::Citizen(b).may_see(&a, &nav));
    assert!(DisputeParty::Organisation(nav.clone()).may_see(&a, &nav));
    assert!(!DisputeParty::Organisation(org("974760673")).may_see(&a, &nav));
}

#[test]
fn item_references_round_trip_and_refuse_garbage() {
    let login = ItemRef::Login(LoginKey::new((0..32).collect()));
    let access = ItemRef::Access(Uuid::from_u128(0x1234));
    for r in [&login, &access] {
        assert_eq!(ItemRef::parse(&r.to_string()).as_ref(), Ok(r));
        assert_eq!(
            ItemRef::from_parts(r.kind(), r.key_bytes()).as_ref(),
            Some(r)
        );
    }
    assert!(access.to_string().starts_with("access.00000000-"));
    for bad in [
        "",
        "login.",
        "login.***",
        "access.nope",
        "other.AAAA",
        "login",
    ] {
        assert_eq!(ItemRef::parse(bad), Err(ItemRefError), "{bad}");
    }
    let too_long = format!("login.{}", "A".repeat(100));
    assert_eq!(ItemRef::parse(&too_long), Err(ItemRefError));
}

#[test]
fn messages_are_plain_bounded_text() {
    assert_eq!(PlainText::message(None), Ok(None));
    assert_eq!(PlainText::message(Some("   ")), Ok(None));
    let ok = PlainText::message(Some("  Jeg var på ferie 5 < 7 <3\nHilsen meg "))
        .unwrap()
        .unwrap();
    assert_eq!(ok.as_str(), "Jeg var på ferie 5 < 7 <3\nHilsen meg");
    assert_eq!(
        PlainText::message(Some(&"æ".repeat(MAX_MESSAGE_CHARS))).map(|m| m.is_some()),
        Ok(true),
        "the limit counts characters, not bytes"
    );
    assert_eq!(
        PlainText::message(Some(&"a".repeat(MAX_MESSAGE_CHARS + 1))),
        Err(PlainTextError::TooLong {
            max: MAX_MESSAGE_CHARS
        })
    );
    for html in ["<b>hei</b>", "a</p>", "<!-- x -->", "<?xml?>", "x<script>"] {
        assert_eq!(
            PlainText::message(Some(html)),
            Err(PlainTextError::Markup),
            "{html}"
        );
    }
    assert_eq!(
        PlainText::message(Some("a\u{0}b")),
        Err(PlainTextError::Control)
    );
    assert_eq!(PlainText::answer(""), Err(PlainTextError::Empty));
}

#[test]
fn texts_stay_out_of_debug_output() {
    let t = PlainText::answer("hemmelig").unwrap();
    assert_eq!(format!("{t:?}"), "PlainText(<8 chars>)");
}

#[test]
fn cursors_round_trip_and_order_newest_first() {
    let d = open_case();
    let c = DisputeCursor::of(&d);
    assert_eq!(DisputeCursor::parse(&c.to_string()), Ok(c));
    let mut older = d.clone();
    older.opened_at -= time::Duration::seconds(1);
    assert!(c.precedes(&older));
    assert!(!c.precedes(&d));
    let mut tie = d.clone();
    tie.id = Uuid::from_u128(u128::MAX);
    assert!(
        !c.precedes(&tie),
        "a larger id at the same time comes first"
    );
    for bad in ["", "x.y", "12", "1.not-a-uuid"] {
        assert_eq!(DisputeCursor::parse(bad), Err(DisputeCursorError), "{bad}");
    }
}

fn names(e: crate::params::InvalidParams) -> Vec<String> {
    e.params().iter().map(|p| p.name.clone()).collect()
}

#[test]
fn listing_parameters_are_checked_and_named() {
    let party = DisputeParty::Organisation(org("889640782"));
    let q = DisputeQuery::build(party.clone(), &DisputeListParams::default()).unwrap();
    assert_eq!(
        (q.status, q.after, q.limit),
        (None, None, DEFAULT_DISPUTE_PAGE)
    );
    let cursor = DisputeCursor::of(&open_case()).to_string();
    let q = DisputeQuery::build(
        party.clone(),
        &DisputeListParams {
            status: Some("answered".into()),
            after: Some(cursor),
            limit: Some("100".into()),
        },
    )
    .unwrap();
    assert_eq!((q.status, q.limit), (Some(DisputeStatus::Answered), 100));
    let bad = DisputeListParams {
        status: Some("pending".into()),
        after: Some("yesterday".into()),
        limit: Some("101".into()),
    };
    let e = DisputeQuery::build(party, &bad).unwrap_err();
    assert_eq!(names(e), ["status", "after", "limit"]);
}

#[test]
fn reports_and_answers_are_checked_and_named() {
    let item = ItemRef::Access(Uuid::from_u128(5)).to_string();
    let (r, m) = parse_report(&item, Some("  ")).unwrap();
    assert_eq!((r, m), (ItemRef::Access(Uuid::from_u128(5)), None));
    let e = parse_report("nope", Some("<b>x</b>")).unwrap_err();
    assert_eq!(names(e), ["item", "message"]);
    let (s, _) = parse_answer("closed", "Ferdig").unwrap();
    assert_eq!(s, DisputeStatus::Closed);
    let e = parse_answer("open", "").unwrap_err();
    assert_eq!(names(e), ["status", "message"]);
}
