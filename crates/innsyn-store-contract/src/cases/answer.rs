//! What `access_history` answers before a page: the catalog check first,
//! then whether the owner was ever seen.

use innsyn_domain::{AccessHistoryParams, CatalogKind, CatalogRef};
use innsyn_ports::{AccessHistoryAnswer, HistoryStore};

use super::{outcome, page, read};
use crate::fixtures::{ORG_A, access, access_query, login, login_query, subject, validated, wide};

/// An empty store knows no owner and returns empty histories.
pub fn empty_store_knows_nobody<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    assert_eq!(
        store.access_history(&access_query(&alice, wide())).unwrap(),
        AccessHistoryAnswer::UnknownOwner
    );
    assert!(
        store
            .login_history(&login_query(&alice, ORG_A, 100))
            .unwrap()
            .is_empty()
    );
}

/// A citizen seen only through login events is known too: an empty page,
/// not "unknown".
pub fn login_events_make_the_owner_known<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    store
        .append_login_events(&[login(&alice, 5, "svc", Some(ORG_A))])
        .unwrap();
    let alices = page(store, &access_query(&alice, wide()));
    assert!(alices.entries.is_empty() && !alices.has_more);
    assert_eq!(
        store
            .access_history(&access_query(&subject(2), wide()))
            .unwrap(),
        AccessHistoryAnswer::UnknownOwner
    );
}

/// With `validate`, an unknown filter value is reported before anything
/// else: before the owner check, and even when the owner has records.
pub fn the_catalog_is_checked_before_the_owner<S: HistoryStore + ?Sized>(store: &S) {
    let (alice, nobody) = (subject(1), subject(2));
    let unknown_action = || AccessHistoryParams {
        action: Some("delete".into()),
        ..validated()
    };
    let missing =
        AccessHistoryAnswer::NotInCatalog(vec![CatalogRef::new(CatalogKind::Action, "delete")]);
    assert_eq!(
        store
            .access_history(&access_query(&nobody, unknown_action()))
            .unwrap(),
        missing
    );
    assert_eq!(
        store
            .append_access_records(&[access(&alice, 1, 5)])
            .unwrap(),
        outcome(1, 0)
    );
    assert_eq!(
        store
            .access_history(&access_query(&alice, unknown_action()))
            .unwrap(),
        missing
    );
    assert_eq!(
        store
            .access_history(&access_query(&nobody, unknown_action()))
            .unwrap(),
        missing
    );
}

/// Without `validate`, the catalog is not consulted: an unknown value is
/// an empty page for a known owner, and an unknown owner is still unknown.
pub fn without_validate_only_the_application_and_resource_are_checked<S: HistoryStore + ?Sized>(
    store: &S,
) {
    let alice = subject(1);
    store
        .append_access_records(&[access(&alice, 1, 5)])
        .unwrap();
    // Seed 2: "If not specified, decision, applicationId and resourceId
    // only are validated".
    let unknown_app = || AccessHistoryParams {
        application: Some("Ukjent".into()),
        ..wide()
    };
    assert_eq!(
        store
            .access_history(&access_query(&alice, unknown_app()))
            .unwrap(),
        AccessHistoryAnswer::NotInCatalog(vec![CatalogRef::new(
            CatalogKind::Application,
            "Ukjent"
        )])
    );
    let unknown_action = AccessHistoryParams {
        action: Some("ukjent".into()),
        purpose: Some("ukjent".into()),
        ..wide()
    };
    assert!(read(store, &alice, unknown_action).is_empty());
    assert_eq!(
        store
            .access_history(&access_query(&subject(2), wide()))
            .unwrap(),
        AccessHistoryAnswer::UnknownOwner
    );
}
