//! Assertions over PostgreSQL's `EXPLAIN (FORMAT JSON)` plans.

use innsyn_store_diesel::test_support::TestStore;

fn seq_scanned(node: &serde_json::Value, out: &mut Vec<String>) {
    if node["Node Type"] == "Seq Scan" {
        out.push(node["Relation Name"].as_str().unwrap_or("?").to_owned());
    }
    if let Some(children) = node["Plans"].as_array() {
        for child in children {
            seq_scanned(child, out);
        }
    }
}

/// Index scans only; a sequential scan is tolerated on an empty table,
/// where the planner rightly prefers it and it costs nothing.
pub(crate) fn assert_index_only(store: &TestStore, what: &str, plan: &str) {
    println!("{what}: {plan}");
    let json: serde_json::Value = serde_json::from_str(plan).unwrap();
    let mut seq = Vec::new();
    seq_scanned(&json[0]["Plan"], &mut seq);
    for relation in seq {
        assert_eq!(
            store.count_rows(&relation).unwrap(),
            0,
            "{what} scans {relation} sequentially: {plan}"
        );
    }
    assert!(plan.contains("Index"), "{what} uses no index: {plan}");
}

fn node_types(node: &serde_json::Value, out: &mut Vec<String>) {
    if let Some(t) = node["Node Type"].as_str() {
        out.push(t.to_owned());
    }
    if let Some(children) = node["Plans"].as_array() {
        for child in children {
            node_types(child, out);
        }
    }
}

/// The plan is `Limit → Index Scan Backward` on `index`, with no Sort, no
/// Append and no sequential scan anywhere: one index read in order, stopped
/// at the LIMIT.
pub(crate) fn assert_ordered_index_scan(what: &str, plan: &str, index: &str) -> serde_json::Value {
    println!("{what} (prepared): {plan}");
    let json: serde_json::Value = serde_json::from_str(plan).unwrap();
    let root = &json[0]["Plan"];
    let mut types = Vec::new();
    node_types(root, &mut types);
    assert!(
        !types
            .iter()
            .any(|t| t.contains("Sort") || t.contains("Append") || t == "Seq Scan"),
        "{what} sorts, appends or scans the table: {types:?}"
    );
    assert_eq!(root["Node Type"], "Limit", "{what}: {plan}");
    let scan = &root["Plans"][0];
    assert_eq!(scan["Node Type"], "Index Scan", "{what}: {plan}");
    assert_eq!(scan["Index Name"], index, "{what}: {plan}");
    assert_eq!(scan["Scan Direction"], "Backward", "{what}: {plan}");
    json
}

fn find<'a>(
    node: &'a serde_json::Value,
    pred: &dyn Fn(&serde_json::Value) -> bool,
) -> Option<&'a serde_json::Value> {
    if pred(node) {
        return Some(node);
    }
    node["Plans"]
        .as_array()?
        .iter()
        .find_map(|child| find(child, pred))
}

/// Seed 2 is one statement: the owner check (an index probe on
/// `subjects`) left-joined to the page. The page's windowed read is one
/// range of the primary key and needs no Sort: the key gives the order. The only Sort allowed is the
/// statement's root, re-ordering the at most `count + 1` joined rows.
pub(crate) fn assert_one_statement_page(what: &str, plan: &str) {
    println!("{what}: {plan}");
    let json: serde_json::Value = serde_json::from_str(plan).unwrap();
    let root = &json[0]["Plan"];
    let page = find(root, &|n| n["Node Type"] == "Limit")
        .unwrap_or_else(|| panic!("{what}: no LIMIT for the page in {plan}"));
    let mut types = Vec::new();
    node_types(page, &mut types);
    assert!(
        !types
            .iter()
            .any(|t| t.contains("Sort") || t.contains("Append") || t == "Seq Scan"),
        "{what}: the page has {types:?} in {plan}"
    );
    let mut all = Vec::new();
    node_types(root, &mut all);
    let sorts = all.iter().filter(|t| t.contains("Sort")).count();
    let root_sorts = usize::from(root["Node Type"] == "Sort");
    assert_eq!(sorts, root_sorts, "{what}: a Sort below the root: {plan}");
    let owner = find(root, &|n| n["Relation Name"] == "subjects")
        .unwrap_or_else(|| panic!("{what}: no owner check in {plan}"));
    assert!(
        owner["Node Type"].as_str().unwrap().starts_with("Index"),
        "{what}: the owner check is not an index probe: {plan}"
    );
}
