use time::OffsetDateTime;
use time::macros::datetime;

use super::*;
use crate::catalog::{CatalogKind, CatalogRef};
use crate::decision::Decision;
use crate::params::InvalidParams;
use crate::subject::SubjectId;
use crate::timespec::TimeWindow;
use crate::zone::Zone;

const NOW: OffsetDateTime = datetime!(2024-05-15 12:00 UTC);

fn owner() -> SubjectId {
    SubjectId::parse(crate::identity::CITIZEN_A).unwrap()
}

/// The query of the parameters `set` gives, every other one absent.
fn build(set: impl FnOnce(&mut AccessHistoryParams)) -> Result<AccessHistoryQuery, InvalidParams> {
    let mut p = AccessHistoryParams::default();
    set(&mut p);
    AccessHistoryQuery::build(owner(), &p, NOW, Zone::oslo())
}

fn names(e: &InvalidParams) -> Vec<&str> {
    e.params().iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn defaults_follow_the_seed() {
    let q = build(|_| {}).unwrap();
    assert_eq!(q.owner.expose(), crate::identity::CITIZEN_A);
    assert_eq!(q.filter, AccessFilter::default());
    assert_eq!(q.window.end, NOW);
    assert_eq!(q.window.start, datetime!(2024-05-14 12:00 UTC));
    assert_eq!(
        q.sort,
        Sort {
            key: SortKey::Timestamp,
            order: SortOrder::Desc
        }
    );
    assert_eq!(
        q.page,
        PageRequest {
            start_index: 0,
            count: 100,
            after: None
        }
    );
    assert!(!q.validate);
}

#[test]
fn new_has_the_defaults_of_build() {
    let built = build(|_| {}).unwrap();
    let window = TimeWindow {
        start: datetime!(2024-05-14 12:00 UTC),
        end: NOW,
    };
    assert_eq!(AccessHistoryQuery::new(owner(), window), built);
}

#[test]
fn non_timestamp_sorts_default_to_ascending() {
    for key in SortKey::ALL {
        let q = build(|p| p.sort_by = Some(key.as_str().into())).unwrap();
        assert_eq!(q.sort.order, key.default_order());
        assert_eq!(q.sort.order == SortOrder::Desc, key == SortKey::Timestamp);
    }
    let q = build(|p| {
        p.sort_by = Some("CLIENTID".into());
        p.sort_order = Some("DESC".into());
    })
    .unwrap();
    assert_eq!(
        q.sort,
        Sort {
            key: SortKey::ClientId,
            order: SortOrder::Desc
        }
    );
}

#[test]
fn application_and_client_id_are_exclusive() {
    let err = build(|p| {
        p.application = Some("a".into());
        p.client_id = Some("b".into());
    })
    .unwrap_err();
    assert_eq!(names(&err), ["clientId"]);
    let q = build(|p| p.client_id = Some("b".into())).unwrap();
    assert_eq!(
        q.filter.application,
        Some(ApplicationFilter::ClientId("b".into()))
    );
    // An empty clientId is a mistake, not "no clientId".
    let err = build(|p| {
        p.application = Some("a".into());
        p.client_id = Some(String::new());
    })
    .unwrap_err();
    assert_eq!(names(&err), ["clientId"]);
}

#[test]
fn resource_is_a_name_or_a_urn() {
    for (raw, want) in [
        (
            "URN:altinn:resource:skatt",
            ResourceFilter::Urn("URN:altinn:resource:skatt".into()),
        ),
        (
            "skattemelding",
            ResourceFilter::Name("skattemelding".into()),
        ),
    ] {
        let q = build(|p| p.resource = Some(raw.into())).unwrap();
        assert_eq!(q.filter.resource, Some(want), "{raw}");
    }
}

#[test]
fn decision_is_always_validated() {
    let err = build(|p| p.decision = Some("Allow".into())).unwrap_err();
    assert_eq!(names(&err), ["decision"]);
    let q = build(|p| p.decision = Some("deny".into())).unwrap();
    assert_eq!(q.filter.decision, Some(Decision::Deny));
}

#[test]
fn bounds_of_count_and_start_index() {
    for (count, ok) in [
        ("1", true),
        ("1000", true),
        ("0", false),
        ("1001", false),
        ("-1", false),
        ("ten", false),
        ("1.5", false),
    ] {
        let r = build(|p| p.count = Some(count.into()));
        assert_eq!(r.is_ok(), ok, "count={count}");
    }
    for (index, ok) in [
        ("0", true),
        ("1000000", true),
        ("1000001", false),
        ("-1", false),
        ("x", false),
    ] {
        let r = build(|p| p.start_index = Some(index.into()));
        assert_eq!(r.is_ok(), ok, "startIndex={index}");
    }
}

#[test]
fn every_bad_parameter_is_reported_by_name() {
    let err = build(|p| {
        *p = AccessHistoryParams {
            application: Some("a".into()),
            client_id: Some("b".into()),
            decision: Some("maybe".into()),
            start_time: Some("soon".into()),
            end_time: Some("later".into()),
            count: Some("0".into()),
            start_index: Some("-5".into()),
            sort_by: Some("colour".into()),
            sort_order: Some("sideways".into()),
            validate: Some("perhaps".into()),
            cursor: Some("nonsense".into()),
            ..Default::default()
        }
    })
    .unwrap_err();
    assert_eq!(
        names(&err),
        [
            "clientId",
            "decision",
            "startTime",
            "endTime",
            "count",
            "startIndex",
            "sortBy",
            "sortOrder",
            "cursor",
        ]
    );
    assert!(err.params().iter().all(|p| !p.reason.is_empty()));
    // The owner is parsed by the caller before `build`; an empty one never
    // becomes a query.
    assert!(SubjectId::parse("").is_err());
}

#[test]
fn validate_flag_forms() {
    // "If specified, all query parameters will be validated": any value.
    for raw in ["", "true", "1", "false", "0", "perhaps"] {
        let q = build(|p| p.validate = Some(raw.into())).unwrap();
        assert!(q.validate, "{raw:?}");
    }
    assert!(!build(|_| {}).unwrap().validate);
}

#[test]
fn an_empty_value_is_refused_by_name() {
    let err = build(|p| {
        *p = AccessHistoryParams {
            application: Some(String::new()),
            resource: Some(String::new()),
            action: Some(String::new()),
            purpose: Some(String::new()),
            decision: Some(String::new()),
            start_time: Some(String::new()),
            end_time: Some(String::new()),
            count: Some(String::new()),
            start_index: Some(String::new()),
            sort_by: Some(String::new()),
            sort_order: Some(String::new()),
            cursor: Some(String::new()),
            ..Default::default()
        }
    })
    .unwrap_err();
    assert_eq!(
        names(&err),
        [
            "application",
            "resource",
            "action",
            "purpose",
            "decision",
            "startTime",
            "endTime",
            "count",
            "startIndex",
            "sortBy",
            "sortOrder",
            "cursor",
        ]
    );
    assert!(
        err.params()
            .iter()
            .all(|p| p.reason.contains("must not be empty"))
    );
}

#[test]
fn catalog_refs_name_their_parameters() {
    let filters = |p: &mut AccessHistoryParams| {
        p.client_id = Some("c".into());
        p.resource = Some("urn:r".into());
        p.action = Some("read".into());
        p.purpose = Some("p".into());
    };
    // Without validate, seed 2 still checks the client and the resource.
    let refs = build(filters).unwrap().catalog_refs();
    let kinds: Vec<_> = refs.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [CatalogKind::ClientId, CatalogKind::ResourceUrn]);
    let refs = build(|p| {
        filters(p);
        p.validate = Some(String::new());
    })
    .unwrap()
    .catalog_refs();
    assert_eq!(refs.len(), 4);
    assert!(AccessHistoryQuery::check_catalog(&refs, &[true; 4]).is_ok());
    let err = AccessHistoryQuery::check_catalog(&refs, &[true, false, true, false]).unwrap_err();
    assert_eq!(names(&err), ["resource", "purpose"]);
}

#[test]
fn unknown_refs_are_reported_under_their_parameters() {
    let unknown = [
        CatalogRef::new(CatalogKind::Application, "a"),
        CatalogRef::new(CatalogKind::ResourceUrn, "urn:x"),
        CatalogRef::new(CatalogKind::Purpose, "p"),
    ];
    let err = AccessHistoryQuery::not_in_catalog(&unknown);
    assert_eq!(names(&err), ["application", "resource", "purpose"]);
    assert_eq!(err.params()[1].reason, "no such resource URN is known");
    assert!(err.params().iter().all(|p| !p.reason.contains("urn:x")));
    assert!(AccessHistoryQuery::not_in_catalog(&[]).is_empty());
}
