//! The cases of the contract, one function each. Every function receives a
//! fresh, empty store.

use innsyn_domain::{
    AccessHistoryEntry, AccessHistoryParams, AccessRecord, AppendOutcome, CatalogKind, CatalogRef,
    ClientEntry, Decision, LoginHistoryQuery, ResourceEntry, Sort, SortKey, SortOrder, TimeWindow,
};
use innsyn_ports::HistoryStore;
use time::Duration;

use crate::fixtures::{
    NOW, ORG_A, ORG_B, access, access_query, ago, citizen_query, login, login_query, org, subject,
    wide,
};

fn ids(entries: &[AccessHistoryEntry]) -> Vec<u128> {
    entries.iter().map(|e| e.id.as_u128()).collect()
}

fn outcome(accepted: u64, duplicates: u64) -> AppendOutcome {
    AppendOutcome {
        accepted,
        duplicates,
    }
}

/// Reads `owner`'s history with `params` layered over [`wide`].
fn read<S: HistoryStore + ?Sized>(
    store: &S,
    owner: &innsyn_domain::SubjectId,
    params: AccessHistoryParams,
) -> Vec<u128> {
    ids(&store
        .access_history(&access_query(owner, params))
        .unwrap()
        .entries)
}

/// A varied data set for filters and sorts: ten records of one owner.
fn varied(owner: &innsyn_domain::SubjectId) -> Vec<AccessRecord> {
    let apps = [
        ("NAV", "nav-client"),
        ("Skatteetaten", "ske-client"),
        ("Lånekassen", "lanekassen"),
    ];
    let resources = [
        ("a-melding", "urn:altinn:resource:a-melding"),
        ("skattemelding", "urn:altinn:resource:skattemelding"),
    ];
    let actions = ["read", "write"];
    let purposes = ["case-handling", "tax-assessment", "statistics"];
    (0..10u128)
        .map(|i| {
            let n = i as usize;
            AccessRecord {
                application: apps[n % 3].0.into(),
                client_id: apps[n % 3].1.into(),
                resource: resources[n % 2].0.into(),
                resource_urn: Some(resources[n % 2].1.into()),
                action: actions[(n / 2) % 2].into(),
                purpose: purposes[(n / 3) % 3].into(),
                decision: Decision::ALL[n % 4],
                ..access(owner, 100 + i, 10 * (i as i64 + 1))
            }
        })
        .collect()
}

/// An empty store knows no owner and returns empty histories.
pub fn empty_store_knows_nobody<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    assert!(!store.owner_exists(&alice).unwrap());
    assert!(
        store
            .login_history(&login_query(&alice, ORG_A, 100))
            .unwrap()
            .is_empty()
    );
    let page = store.access_history(&access_query(&alice, wide())).unwrap();
    assert!(page.entries.is_empty() && !page.has_more);
}

/// Appending nothing stores nothing and succeeds.
pub fn empty_batches_are_no_ops<S: HistoryStore + ?Sized>(store: &S) {
    assert_eq!(store.append_access_records(&[]).unwrap(), outcome(0, 0));
    assert_eq!(store.append_login_events(&[]).unwrap(), outcome(0, 0));
}

/// What goes in comes out, field by field, newest first by default.
pub fn access_records_round_trip<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let mut no_urn = access(&alice, 2, 30);
    no_urn.resource_urn = None;
    no_urn.decision = Decision::Indeterminate;
    let batch = [access(&alice, 1, 60), no_urn, access(&alice, 3, 5)];
    assert_eq!(store.append_access_records(&batch).unwrap(), outcome(3, 0));
    assert!(store.owner_exists(&alice).unwrap());
    let page = store
        .access_history(&access_query(&alice, AccessHistoryParams::default()))
        .unwrap();
    assert!(!page.has_more);
    let want: Vec<AccessHistoryEntry> = [&batch[2], &batch[1], &batch[0]]
        .into_iter()
        .map(AccessHistoryEntry::from)
        .collect();
    assert_eq!(page.entries, want);
}

/// Re-sending records stores them once; repeats inside a batch count as duplicates.
pub fn access_records_are_idempotent_by_id<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let batch = [access(&alice, 1, 60), access(&alice, 2, 30)];
    assert_eq!(store.append_access_records(&batch).unwrap(), outcome(2, 0));
    assert_eq!(store.append_access_records(&batch).unwrap(), outcome(0, 2));
    let mut changed = access(&alice, 2, 30);
    changed.action = "delete".into();
    assert_eq!(
        store
            .append_access_records(&[changed, access(&alice, 3, 1), access(&alice, 3, 1)])
            .unwrap(),
        outcome(1, 2)
    );
    let entries = store
        .access_history(&access_query(&alice, wide()))
        .unwrap()
        .entries;
    assert_eq!(ids(&entries), [3, 2, 1]);
    assert_eq!(entries[1].action, "read", "the first write of an id wins");
}

/// Each filter alone, and combined, selects exactly the matching records.
pub fn each_access_filter<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let records = varied(&alice);
    store.append_access_records(&records).unwrap();
    let expect = |pred: &dyn Fn(&AccessRecord) -> bool| -> Vec<u128> {
        let mut v: Vec<_> = records.iter().filter(|r| pred(r)).collect();
        v.sort_by_key(|r| std::cmp::Reverse(r.occurred_at));
        v.into_iter().map(|r| r.id.as_u128()).collect()
    };
    let p = |f: fn(&mut AccessHistoryParams)| {
        let mut params = wide();
        f(&mut params);
        params
    };
    assert_eq!(read(store, &alice, wide()), expect(&|_| true));
    assert_eq!(
        read(store, &alice, p(|q| q.application = Some("NAV".into()))),
        expect(&|r| r.application == "NAV")
    );
    assert_eq!(
        read(
            store,
            &alice,
            p(|q| q.client_id = Some("lanekassen".into()))
        ),
        expect(&|r| r.client_id == "lanekassen")
    );
    assert_eq!(
        read(store, &alice, p(|q| q.resource = Some("a-melding".into()))),
        expect(&|r| r.resource == "a-melding")
    );
    assert_eq!(
        read(store, &alice, p(|q| q.action = Some("write".into()))),
        expect(&|r| r.action == "write")
    );
    assert_eq!(
        read(store, &alice, p(|q| q.purpose = Some("statistics".into()))),
        expect(&|r| r.purpose == "statistics")
    );
    for d in Decision::ALL {
        let mut params = wide();
        params.decision = Some(d.as_str().to_lowercase());
        assert_eq!(
            read(store, &alice, params),
            expect(&|r| r.decision == d),
            "{d}"
        );
    }
    let combined = p(|q| {
        q.application = Some("Skatteetaten".into());
        q.resource = Some("skattemelding".into());
        q.action = Some("read".into());
    });
    assert_eq!(
        read(store, &alice, combined),
        expect(&|r| r.application == "Skatteetaten"
            && r.resource == "skattemelding"
            && r.action == "read")
    );
    assert!(
        read(store, &alice, p(|q| q.application = Some("nav".into()))).is_empty(),
        "filters are exact"
    );
    assert!(read(store, &alice, p(|q| q.purpose = Some("nope".into()))).is_empty());
}

/// `resource` matches the name, or the URN when the value starts with `urn:`.
pub fn resource_filter_matches_name_or_urn<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let records = varied(&alice);
    store.append_access_records(&records).unwrap();
    let by_name = read(
        store,
        &alice,
        AccessHistoryParams {
            resource: Some("skattemelding".into()),
            ..wide()
        },
    );
    let by_urn = read(
        store,
        &alice,
        AccessHistoryParams {
            resource: Some("urn:altinn:resource:skattemelding".into()),
            ..wide()
        },
    );
    assert_eq!(by_name.len(), 5);
    assert_eq!(by_name, by_urn);
    assert!(
        read(
            store,
            &alice,
            AccessHistoryParams {
                resource: Some("urn:altinn:resource:none".into()),
                ..wide()
            }
        )
        .is_empty()
    );
}

/// Every sort key in both directions follows the domain's total order.
pub fn every_sort_key_and_order<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let mut records = varied(&alice);
    // Ties on every key, and byte-order traps: case and non-ASCII.
    records.push(AccessRecord {
        application: "nav".into(),
        ..access(&alice, 200, 10)
    });
    records.push(AccessRecord {
        application: "Ærlig".into(),
        ..access(&alice, 201, 10)
    });
    store.append_access_records(&records).unwrap();
    for key in SortKey::ALL {
        for order in [SortOrder::Asc, SortOrder::Desc] {
            let sort = Sort { key, order };
            let mut want: Vec<AccessHistoryEntry> =
                records.iter().map(AccessHistoryEntry::from).collect();
            want.sort_by(|a, b| sort.compare(a, b));
            let params = AccessHistoryParams {
                sort_by: Some(key.as_str().into()),
                sort_order: Some(order.as_str().into()),
                ..wide()
            };
            assert_eq!(
                read(store, &alice, params),
                ids(&want),
                "sortBy={} sortOrder={}",
                key.as_str(),
                order.as_str()
            );
        }
    }
}

/// Pages: empty, exact multiple, short last page, past the end.
pub fn paging_edges<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let records: Vec<_> = (1..=10).map(|i| access(&alice, i, i as i64)).collect();
    store.append_access_records(&records).unwrap();
    let page = |start: u32, count: u32| {
        let p = store
            .access_history(&access_query(
                &alice,
                AccessHistoryParams {
                    start_index: Some(start.to_string()),
                    count: Some(count.to_string()),
                    ..wide()
                },
            ))
            .unwrap();
        (ids(&p.entries), p.has_more)
    };
    assert_eq!(page(0, 5), (vec![1, 2, 3, 4, 5], true));
    assert_eq!(
        page(5, 5),
        (vec![6, 7, 8, 9, 10], false),
        "an exact multiple has no more"
    );
    assert_eq!(page(9, 3), (vec![10], false));
    assert_eq!(page(10, 5), (vec![], false));
    assert_eq!(page(50, 1), (vec![], false));
    assert_eq!(page(0, 10), ((1..=10).collect(), false));
    assert_eq!(page(0, 9), ((1..=9).collect(), true));
    assert_eq!(page(3, 1), (vec![4], true));
}

/// Following cursors visits exactly the records offset paging visits, for every sort.
pub fn cursor_pages_equal_offset_pages<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let mut records = varied(&alice);
    records.extend((0..7).map(|i| access(&alice, 300 + i, 7)));
    store.append_access_records(&records).unwrap();
    for key in SortKey::ALL {
        for order in [SortOrder::Asc, SortOrder::Desc] {
            let base = AccessHistoryParams {
                sort_by: Some(key.as_str().into()),
                sort_order: Some(order.as_str().into()),
                count: Some("4".into()),
                ..wide()
            };
            let all = read(
                store,
                &alice,
                AccessHistoryParams {
                    count: Some("1000".into()),
                    ..base.clone()
                },
            );
            let mut seen = Vec::new();
            let mut cursor: Option<String> = None;
            for _ in 0..10 {
                let q = access_query(
                    &alice,
                    AccessHistoryParams {
                        cursor: cursor.clone(),
                        ..base.clone()
                    },
                );
                let page = store.access_history(&q).unwrap();
                seen.extend(ids(&page.entries));
                if !page.has_more {
                    break;
                }
                cursor = Some(q.sort.cursor_after(page.entries.last().unwrap()).encode());
            }
            assert_eq!(
                seen,
                all,
                "sortBy={} sortOrder={}",
                key.as_str(),
                order.as_str()
            );
        }
    }
}

/// The window includes its start and excludes its end.
pub fn window_is_start_inclusive_end_exclusive<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let start = time::macros::datetime!(2024-05-01 00:00 +2);
    let end = time::macros::datetime!(2024-05-02 00:00 +2);
    let micro = Duration::microseconds(1);
    let at = |id: u128, t| AccessRecord {
        occurred_at: t,
        ..access(&alice, id, 0)
    };
    store
        .append_access_records(&[
            at(1, start - micro),
            at(2, start),
            at(3, end - micro),
            at(4, end),
        ])
        .unwrap();
    let params = AccessHistoryParams {
        start_time: Some("2024-05-01".into()),
        end_time: Some("2024-05-02".into()),
        ..Default::default()
    };
    assert_eq!(read(store, &alice, params), [3, 2]);
    let relative = AccessHistoryParams {
        start_time: Some("2024-05-01".into()),
        end_time: Some("1d".into()),
        ..Default::default()
    };
    assert_eq!(read(store, &alice, relative), [3, 2]);
}

/// One owner never sees another's records, and existence is per owner.
pub fn owners_are_isolated<S: HistoryStore + ?Sized>(store: &S) {
    let (alice, bob, carol) = (subject(1), subject(2), subject(3));
    store
        .append_access_records(&[access(&alice, 1, 5), access(&bob, 2, 5), access(&bob, 3, 6)])
        .unwrap();
    assert_eq!(read(store, &alice, wide()), [1]);
    assert_eq!(read(store, &bob, wide()), [2, 3]);
    assert!(store.owner_exists(&bob).unwrap());
    assert!(!store.owner_exists(&carol).unwrap());
    assert!(read(store, &carol, wide()).is_empty());
}

/// Non-ASCII text is stored, filtered and returned unchanged.
pub fn unicode_values_round_trip<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let record = AccessRecord {
        application: "Lånekassen – støtte 🎓".into(),
        client_id: "lånekassen-ç".into(),
        resource: "søknad/æøå".into(),
        resource_urn: Some("urn:altinn:resource:søknad-æøå".into()),
        action: "lese".into(),
        purpose: "saksbehandling «stipend»".into(),
        ..access(&alice, 1, 5)
    };
    store
        .append_access_records(std::slice::from_ref(&record))
        .unwrap();
    let params = AccessHistoryParams {
        application: Some(record.application.clone()),
        resource: Some(record.resource_urn.clone().unwrap()),
        purpose: Some(record.purpose.clone()),
        ..wide()
    };
    let page = store.access_history(&access_query(&alice, params)).unwrap();
    assert_eq!(page.entries, [AccessHistoryEntry::from(&record)]);
}

/// Ingestion registers every value it sees, so `validate` accepts them.
pub fn ingestion_registers_the_catalog<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    store
        .append_access_records(&[access(&alice, 1, 5)])
        .unwrap();
    store
        .append_login_events(&[login(&alice, 5, "nav-client", Some(ORG_A))])
        .unwrap();
    let refs = [
        CatalogRef::new(CatalogKind::Application, "Skatteetaten"),
        CatalogRef::new(CatalogKind::ClientId, "ske-client"),
        CatalogRef::new(CatalogKind::Resource, "skattemelding"),
        CatalogRef::new(
            CatalogKind::ResourceUrn,
            "urn:altinn:resource:skattemelding",
        ),
        CatalogRef::new(CatalogKind::Action, "read"),
        CatalogRef::new(CatalogKind::Purpose, "tax-assessment"),
        CatalogRef::new(CatalogKind::ClientId, "nav-client"),
        CatalogRef::new(CatalogKind::Application, "skatteetaten"),
        CatalogRef::new(CatalogKind::ClientId, "unknown-client"),
        CatalogRef::new(CatalogKind::Resource, "urn:altinn:resource:skattemelding"),
        CatalogRef::new(CatalogKind::Action, "write"),
        CatalogRef::new(CatalogKind::Purpose, "read"),
    ];
    let found = store.catalog_contains(&refs).unwrap();
    assert_eq!(
        found,
        [
            true, true, true, true, true, true, true, false, false, false, false, false
        ]
    );
    assert!(store.catalog_contains(&[]).unwrap().is_empty());
}

/// Administrators register and update clients and resources.
pub fn catalog_administration<S: HistoryStore + ?Sized>(store: &S) {
    let client = ClientEntry {
        client_id: "helsenorge".into(),
        application: "Helsenorge".into(),
        orgno: Some(org(ORG_A)),
    };
    store.put_client(&client).unwrap();
    store
        .put_resource(&ResourceEntry {
            name: "pasientjournal".into(),
            urn: Some("urn:nhn:journal".into()),
        })
        .unwrap();
    let moved = ClientEntry {
        orgno: Some(org(ORG_B)),
        ..client.clone()
    };
    store.put_client(&moved).unwrap();
    let catalog = store.catalog().unwrap();
    assert_eq!(catalog.clients, [moved]);
    assert_eq!(
        catalog.resources,
        [ResourceEntry {
            name: "pasientjournal".into(),
            urn: Some("urn:nhn:journal".into())
        }]
    );
    let found = store
        .catalog_contains(&[
            CatalogRef::new(CatalogKind::ClientId, "helsenorge"),
            CatalogRef::new(CatalogKind::Application, "Helsenorge"),
            CatalogRef::new(CatalogKind::ResourceUrn, "urn:nhn:journal"),
        ])
        .unwrap();
    assert_eq!(found, [true, true, true]);
}

/// Seed 1: newest first, only the caller organisation's services, at most `maxhits`.
pub fn login_history_newest_first_by_org_and_limited<S: HistoryStore + ?Sized>(store: &S) {
    let (alice, bob) = (subject(1), subject(2));
    let events = [
        login(&alice, 50, "svc-a", Some(ORG_A)),
        login(&alice, 40, "svc-b", Some(ORG_B)),
        login(&alice, 30, "svc-a", Some(ORG_A)),
        login(&alice, 20, "svc-a2", Some(ORG_A)),
        login(&bob, 10, "svc-a", Some(ORG_A)),
    ];
    assert_eq!(store.append_login_events(&events).unwrap(), outcome(5, 0));
    let times = |max: u16, orgno: &str, who| -> Vec<time::OffsetDateTime> {
        store
            .login_history(&login_query(who, orgno, max))
            .unwrap()
            .iter()
            .map(|e| e.occurred_at)
            .collect()
    };
    assert_eq!(times(100, ORG_A, &alice), [ago(20), ago(30), ago(50)]);
    assert_eq!(times(2, ORG_A, &alice), [ago(20), ago(30)]);
    assert_eq!(times(100, ORG_B, &alice), [ago(40)]);
    assert_eq!(times(100, ORG_A, &bob), [ago(10)]);
    assert!(times(100, ORG_B, &bob).is_empty());
}

/// An event that names no organisation takes its client's from the catalog.
pub fn login_orgno_falls_back_to_the_catalog<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    store
        .put_client(&ClientEntry {
            client_id: "svc-known".into(),
            application: "Kjent".into(),
            orgno: Some(org(ORG_B)),
        })
        .unwrap();
    store
        .append_login_events(&[
            login(&alice, 10, "svc-known", None),
            login(&alice, 5, "svc-unknown", None),
        ])
        .unwrap();
    let found = store
        .login_history(&login_query(&alice, ORG_B, 100))
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].client_id.as_deref(), Some("svc-known"));
    assert_eq!(found[0].orgno, Some(org(ORG_B)));
    assert!(
        store
            .login_history(&login_query(&alice, ORG_A, 100))
            .unwrap()
            .is_empty()
    );
    // The citizen sees every event, including the one no organisation claims.
    let own = store.login_history(&citizen_query(&alice)).unwrap();
    let clients: Vec<_> = own.iter().map(|e| e.client_id.as_deref()).collect();
    assert_eq!(clients, [Some("svc-unknown"), Some("svc-known")]);
    assert_eq!(own[0].orgno, None);
}

/// The citizen's own view filters by period and service and pages newest first.
pub fn citizen_login_history_filters_and_pages<S: HistoryStore + ?Sized>(store: &S) {
    let (alice, bob) = (subject(1), subject(2));
    let events: Vec<_> = (1..=6)
        .map(|i| {
            let client = if i % 2 == 0 { "svc-even" } else { "svc-odd" };
            login(
                &alice,
                i * 60,
                client,
                Some(if i <= 3 { ORG_A } else { ORG_B }),
            )
        })
        .chain([login(&bob, 30, "svc-even", Some(ORG_A))])
        .collect();
    store.append_login_events(&events).unwrap();
    let times = |q: LoginHistoryQuery| -> Vec<time::OffsetDateTime> {
        store
            .login_history(&q)
            .unwrap()
            .iter()
            .map(|e| e.occurred_at)
            .collect()
    };
    let all = citizen_query(&alice);
    assert_eq!(
        times(all.clone()),
        (1..=6).map(|i| ago(i * 60)).collect::<Vec<_>>()
    );
    let paged = LoginHistoryQuery {
        start_index: 2,
        max_hits: 3,
        ..all.clone()
    };
    assert_eq!(times(paged), [ago(180), ago(240), ago(300)]);
    assert!(
        times(LoginHistoryQuery {
            start_index: 6,
            ..all.clone()
        })
        .is_empty()
    );
    let even = LoginHistoryQuery {
        client_id: Some("svc-even".into()),
        ..all.clone()
    };
    assert_eq!(times(even), [ago(120), ago(240), ago(360)]);
    let window = TimeWindow {
        start: ago(300),
        end: ago(120),
    };
    assert_eq!(
        times(LoginHistoryQuery {
            window: Some(window),
            ..all.clone()
        }),
        [ago(180), ago(240), ago(300)]
    );
    let seed1_paged = LoginHistoryQuery {
        start_index: 1,
        max_hits: 1,
        ..login_query(&alice, ORG_B, 100)
    };
    assert_eq!(times(seed1_paged), [ago(300)]);
}

/// Same content (or same `event_id`) is stored once; different content twice.
pub fn login_events_are_idempotent<S: HistoryStore + ?Sized>(store: &S) {
    let (alice, bob) = (subject(1), subject(2));
    let a = login(&alice, 10, "svc-a", Some(ORG_A));
    let mut other_method = a.clone();
    other_method.method = Some("OTC".into());
    let same_for_bob = login(&bob, 10, "svc-a", Some(ORG_A));
    assert_eq!(
        store
            .append_login_events(&[a.clone(), a.clone(), other_method.clone()])
            .unwrap(),
        outcome(2, 1)
    );
    assert_eq!(
        store
            .append_login_events(&[a.clone(), other_method, same_for_bob])
            .unwrap(),
        outcome(1, 2)
    );
    let mut with_id = login(&alice, 5, "svc-a", Some(ORG_A));
    with_id.event_id = Some("evt-1".into());
    let mut same_id_other_content = with_id.clone();
    same_id_other_content.method = Some("BankID".into());
    assert_eq!(
        store.append_login_events(&[with_id]).unwrap(),
        outcome(1, 0)
    );
    assert_eq!(
        store.append_login_events(&[same_id_other_content]).unwrap(),
        outcome(0, 1)
    );
    assert_eq!(
        store
            .login_history(&login_query(&alice, ORG_A, 100))
            .unwrap()
            .len(),
        3
    );
}

/// The fields seed 1 shows: owner name before provider name, eID, method, client, org.
pub fn login_entry_fields<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let mut event = login(
        &alice,
        10,
        "oidc_authorization_api_client_test",
        Some(ORG_A),
    );
    event.service_owner.name = Some("DIREKTORATET FOR FORVALTNING OG IKT".into());
    event.service_owner.orgno = Some(org(ORG_B));
    let mut federated = login(&alice, 5, "svc-fed", Some(ORG_B));
    federated.eid = Some("Federated".into());
    federated.method = None;
    store.append_login_events(&[event, federated]).unwrap();
    let found = store
        .login_history(&login_query(&alice, ORG_B, 100))
        .unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(
        found[1].service_name.as_deref(),
        Some("DIREKTORATET FOR FORVALTNING OG IKT")
    );
    assert_eq!(
        found[1].client_id.as_deref(),
        Some("oidc_authorization_api_client_test")
    );
    assert_eq!(found[1].orgno, Some(org(ORG_B)));
    assert_eq!(found[1].eid_label(), "MinID PIN");
    assert_eq!(found[0].service_name.as_deref(), Some("Tjeneste svc-fed"));
    assert_eq!(found[0].eid_label(), "Federated");
    assert_eq!(found[0].occurred_at, ago(5));
}

/// A citizen seen only through login events is known too.
pub fn login_events_make_the_owner_known<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    store
        .append_login_events(&[login(&alice, 5, "svc", Some(ORG_A))])
        .unwrap();
    assert!(store.owner_exists(&alice).unwrap());
    assert!(!store.owner_exists(&subject(2)).unwrap());
}

/// Retention removes what happened before the cutoff and nothing after.
pub fn retention_removes_old_history<S: HistoryStore + ?Sized>(store: &S) {
    let alice = subject(1);
    let days = |d: i64| d * 24 * 60;
    store
        .append_access_records(&[
            access(&alice, 1, days(400)),
            access(&alice, 2, days(40)),
            access(&alice, 3, days(1)),
        ])
        .unwrap();
    store
        .append_login_events(&[
            login(&alice, days(400), "svc", Some(ORG_A)),
            login(&alice, days(1), "svc", Some(ORG_A)),
        ])
        .unwrap();
    let removed = store.apply_retention(NOW - Duration::days(90)).unwrap();
    assert_eq!((removed.access_records, removed.login_events), (1, 1));
    let all = AccessHistoryParams {
        start_time: Some("-2y".into()),
        ..Default::default()
    };
    assert_eq!(read(store, &alice, all), [3, 2]);
    assert_eq!(
        store
            .login_history(&login_query(&alice, ORG_A, 100))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store.apply_retention(NOW - Duration::days(90)).unwrap(),
        Default::default()
    );
}

/// The readiness probe works on an empty store.
pub fn ping_answers<S: HistoryStore + ?Sized>(store: &S) {
    store.ping().unwrap();
}
